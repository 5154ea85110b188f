import { Inject, Injectable } from '@nestjs/common';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { FlowsRepository } from '../flows/flows.repository';
import { ErpPullService } from './erp-pull.service';
import { ImapPollerService } from './imap-poller.service';
import { channelsOf, type IntakeChannel } from './intake-channels';
import type { MailboxStatus } from './mailbox-status';
import type { MessageOutcome } from './message-records';
import { SmtpReceiver } from './smtp-receiver';

/** The channels of every published flow, with their last message and counts by outcome. */
@Injectable()
export class IntakeChannelsService {
  constructor(
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
    @Inject(DB) private readonly db: Db,
    private readonly flowsRepo: FlowsRepository,
    private readonly flows: FlowCache,
    private readonly imap: ImapPollerService,
    private readonly pulls: ErpPullService,
    private readonly smtp: SmtpReceiver,
  ) {}

  /** The channels, by flow key then kind; `flow` keeps one flow's. */
  async list(filter: { flow?: string; kind?: string } = {}): Promise<IntakeChannel[]> {
    const mailboxes = new Map<string, MailboxStatus>(
      (await this.imap.statusList()).map((s) => [s.flow, s]),
    );
    const smtp = this.config.mail?.smtp;
    const receiver = smtp ? { host: smtp.host, port: this.smtp.port() ?? smtp.port } : null;
    const stats = await this.messageStats(filter.flow);
    const out: IntakeChannel[] = [];
    const records = (await this.flowsRepo.list()).sort((a, b) => a.key.localeCompare(b.key));
    for (const record of records) {
      if (record.latestVersion === null || (filter.flow && record.key !== filter.flow)) continue;
      const flow = await this.flows.get(record.key, record.latestVersion);
      const pulls = await this.pulls.state(record.key);
      const channels = channelsOf(record.key, record.name, flow.doc, {
        receiver,
        mailbox: (key) => mailboxes.get(key),
        pulls: () => pulls,
      });
      for (const channel of channels) {
        if (filter.kind && channel.kind !== filter.kind) continue;
        const stat = channel.messages && stats.get(`${record.key}\n${channel.messages}`);
        out.push({
          ...channel,
          lastAt: stat?.lastAt ?? channel.pull?.runAt ?? null,
          counts: stat?.counts ?? {},
        });
      }
    }
    return out;
  }

  /** Counts by outcome and the newest message, per flow and message channel. */
  private async messageStats(flow?: string) {
    const rows = await this.db.query<{
      flow_key: string;
      channel: string;
      outcome: MessageOutcome;
      n: number | string;
      last: string;
    }>(
      `SELECT flow_key, channel, outcome, COUNT(*) AS n, MAX(received_at) AS last FROM intake_messages
       WHERE flow_key IS NOT NULL ${flow ? 'AND flow_key = ?' : ''}
       GROUP BY flow_key, channel, outcome`,
      flow ? [flow] : [],
    );
    const stats = new Map<
      string,
      { lastAt: string; counts: Partial<Record<MessageOutcome, number>> }
    >();
    for (const row of rows) {
      const key = `${row.flow_key}\n${row.channel}`;
      const stat = stats.get(key) ?? { lastAt: row.last, counts: {} };
      stat.counts[row.outcome] = Number(row.n);
      if (row.last > stat.lastAt) stat.lastAt = row.last;
      stats.set(key, stat);
    }
    return stats;
  }
}
