import { Injectable } from '@nestjs/common';
import { connectorLog } from '../logging/connector-log';
import { ConnectorError, runAction, SafeHttpClient } from '@ordo/connectors';
import type { Flow, ScheduledReport } from '@ordo/engine';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { CredentialsService } from '../credentials/credentials.service';
import { FlowCache } from '../flows/flow-cache';
import { FlowsRepository } from '../flows/flows.repository';
import { Poller } from '../background/poller';
import { problems } from '../problems/api-problem';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError, durationMs } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';
import { AnalyticsService } from './analytics.service';
import { type ReportRun, ReportRunsRepository } from './report-runs.repository';
import { customerHealthSummary } from './report-summary';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('reports');

/** How long a sender holds a run; a failed run is tried again this much later, up to 5 times. */
const LEASE_MS = 5 * 60_000;
const RETRY_MS = 60 * 60_000;
const ATTEMPTS = 5;

/** `YYYY-MM` of the month before the one `iso` falls in. */
export const monthBefore = (iso: string): string => {
  const d = new Date(iso);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};
const nextMonthStart = (iso: string): string => {
  const d = new Date(iso);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString();
};

/**
 * Sends each flow's scheduled reports (`reports` in the flow document) on the first day of each
 * month: the month before's report, as a PDF attached to an e-mail and as a summary to chat
 * robots. A run is claimed once across processes; a channel that fails is tried again later, the
 * channels already reached are not sent twice. A report seen for the first time skips the month
 * before (it is not sent the moment it is published); a person can send any month at once.
 */
@Injectable()
export class ScheduledReports extends Poller {
  protected readonly name = 'Scheduled reports';

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    private readonly runs: ReportRunsRepository,
    private readonly flowList: FlowsRepository,
    private readonly flows: FlowCache,
    private readonly analytics: AnalyticsService,
    private readonly registry: ConnectorRegistry,
    private readonly credentials: CredentialsService,
    private readonly http: SafeHttpClient,
  ) {
    // Reports are monthly: a look a minute is plenty, and cheap (one query per flow with reports).
    super(clock, Math.max(options.pollMs, 60_000), options.enabled);
  }

  protected async work(now: string): Promise<string | undefined> {
    const month = monthBefore(now);
    for (const record of await this.flowList.list()) {
      if (record.latestVersion === null) continue;
      const doc = (await this.flows.get(record.key, record.latestVersion)).doc;
      for (const report of doc.reports ?? []) {
        const key = { flow: doc.key, report: report.id, month };
        if (!(await this.runs.seen(doc.key, report.id))) {
          await this.runs.insert(key, 'skipped', null, now);
          continue;
        }
        const lease = this.lease();
        if (await this.runs.insert(key, 'sending', lease, now))
          await this.send(doc, report, month, lease, []);
      }
    }
    for (const key of await this.runs.due(now)) {
      const lease = this.lease();
      if (!(await this.runs.takeOver(key, lease, now))) continue;
      const run = await this.runs.get(key.flow, key.report, key.month);
      const doc = (await this.flows.latest(key.flow)).doc;
      const report = doc.reports?.find((r) => r.id === key.report);
      if (report && run)
        await this.send(doc, report, key.month, lease, run.delivered, run.attempts);
      else
        await this.runs.finish(
          key,
          lease,
          {
            status: 'failed',
            delivered: run?.delivered ?? [],
            error: 'The report is no longer in the flow',
            nextAt: null,
          },
          new Date(this.clock.now()).toISOString(),
        );
    }
    const retry = await this.runs.nextDue();
    const next = nextMonthStart(now);
    return retry && retry < next ? retry : next;
  }

  /** Sends a month's report now (a person asked): every channel again. */
  async sendNow(flowKey: string, reportId: string, month: string): Promise<ReportRun> {
    const doc = (await this.flows.latest(flowKey)).doc;
    const report = doc.reports?.find((r) => r.id === reportId);
    if (!report) throw problems.notFound('Scheduled report', `${flowKey}/${reportId}`);
    const now = new Date(this.clock.now()).toISOString();
    const key = { flow: flowKey, report: reportId, month };
    const lease = this.lease();
    const claimed =
      (await this.runs.insert(key, 'sending', lease, now)) ||
      (await this.runs.takeOver(key, lease, now, true));
    if (!claimed)
      throw problems.conflict(
        'report_sending',
        `The ${month} report "${reportId}" is being sent by another process right now`,
      );
    await this.send(doc, report, month, lease, []);
    return (await this.runs.get(flowKey, reportId, month))!;
  }

  list(flowKey: string) {
    return this.runs.list(flowKey);
  }

  private lease(): string {
    return new Date(this.clock.now() + LEASE_MS).toISOString();
  }

  private async send(
    doc: Flow,
    report: ScheduledReport,
    month: string,
    lease: string,
    already: string[],
    attempts = 0,
  ): Promise<void> {
    const key = { flow: doc.key, report: report.id, month };
    const delivered = new Set(already);
    const failures: string[] = [];
    let retryable = false;
    try {
      const lang = report.language ?? 'en';
      const top = report.top ?? 100;
      const data = await this.analytics.customerHealth(doc.key, month, top);
      const summary = customerHealthSummary(data, doc, lang);
      const pdf = await this.analytics.customerHealthPdf(doc.key, month, top, lang);
      for (const channel of report.channels) {
        if (delivered.has(channel)) continue;
        try {
          await this.deliver(doc, channel, summary, pdf, `${doc.key}/${report.id}/${month}`);
          delivered.add(channel);
        } catch (error) {
          const e = error instanceof ConnectorError ? error : undefined;
          retryable ||= e?.retryable ?? true;
          failures.push(`${channel}: ${describeError(error)}`);
        }
      }
    } catch (error) {
      retryable = true;
      failures.push(describeError(error));
    }
    const now = new Date(this.clock.now()).toISOString();
    const again = failures.length && retryable && attempts + 1 < ATTEMPTS;
    const kept = await this.runs.finish(
      key,
      lease,
      {
        status: failures.length ? 'failed' : 'sent',
        delivered: [...delivered],
        error: failures.length ? failures.join('; ') : null,
        nextAt: again ? new Date(this.clock.now() + RETRY_MS).toISOString() : null,
      },
      now,
    );
    if (!kept)
      log.error(
        `Report ${key.flow}/${key.report} ${month}: the lease was lost; another process sends it`,
      );
    else if (again) this.wake();
  }

  /** One channel: an e-mail gets the PDF attached; a chat robot the summary. */
  private async deliver(
    doc: Flow,
    channel: string,
    summary: { title: string; text: string },
    pdf: Buffer,
    idempotencyKey: string,
  ): Promise<void> {
    const instance = doc.connectors?.[channel];
    const connector = instance && this.registry.get(instance.type);
    if (!instance || !connector?.actions.send)
      throw new ConnectorError(`"${channel}" is not a notification channel of this flow`, {
        retryable: false,
        code: 'unknown_channel',
      });
    const month = idempotencyKey.split('/').pop();
    const input =
      instance.type === 'email'
        ? {
            title: summary.title,
            text: summary.text,
            attachments: [
              {
                filename: `${doc.key}-customer-health-${month}.pdf`,
                content: pdf.toString('base64'),
                contentType: 'application/pdf',
              },
            ],
          }
        : { title: summary.title, text: summary.text };
    await runAction(connector, 'send', {
      input,
      settings: instance.settings,
      ...(await this.credentials.forCall(instance.credential)),
      http: this.http,
      idempotencyKey: `${idempotencyKey}:${channel}`,
      timeoutMs: durationMs(instance.timeout),
      log: connectorLog(connector.id, 'send', `${idempotencyKey}:${channel}`),
    });
  }
}
