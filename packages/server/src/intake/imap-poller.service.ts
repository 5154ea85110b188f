import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { checkAddress, CredentialHosts, SafeHttpClient } from '@ordo/connectors';
import { addDuration, type CompiledFlow, type ImapMailbox } from '@ordo/engine';
import { ImapFlow } from 'imapflow';
import { earliest, ScheduledPoller } from '../background/scheduled-poller';
import { CredentialsService } from '../credentials/credentials.service';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { LeaseLostError, logLeaseLost } from '../database/lease';
import { FlowCache } from '../flows/flow-cache';
import { FlowsRepository } from '../flows/flows.repository';
import { runtimeLog } from '../logging/runtime-log';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError, durationMs } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';
import type { ScheduleLease } from '../systems/flow-schedules';
import { MailIntakeService } from './mail-intake.service';
import { mailboxLabel, mailboxPort, MailboxStatuses, type MailboxStatus } from './mailbox-status';

const log = runtimeLog('imap');

/** Messages taken per poll; with more unseen, the next poll comes at once. */
const BATCH = 50;
/** The longest back-off after failed polls (unless `every` is longer). */
const MAX_BACKOFF_MS = 3_600_000;

/** A failed poll: what the operator reads on the mailbox's status (never the password). */
function pollError(error: unknown, spec: ImapMailbox): string {
  const e = error as { authenticationFailed?: boolean; responseText?: string; code?: string };
  const where = mailboxLabel(spec);
  if (e?.authenticationFailed)
    return `${where}: the server refused the sign-in (wrong user or password in credential "${spec.credential}")${e.responseText ? `: ${e.responseText}` : ''}`;
  if (e?.responseText) return `${where}: ${e.responseText}`;
  return `${where}: ${e?.code ? `${e.code} ` : ''}${describeError(error)}`;
}

/**
 * IMAP mailboxes (`intake.email.imap`): every `every`, one process (under a lease in
 * `flow_schedules`, key `imap:<flow>`) signs in, takes the unseen messages of the folder, and
 * for each: stores it through the mail intake (the SMTP path's allow-list, Message-ID and
 * worker) and only then marks it \Seen or moves it to `processed`. A stop between the two
 * reads it again next time, and the Message-ID keeps it from being worked twice. A failed poll
 * (no connection, wrong password, a host the credential may not go to) is the mailbox's
 * status, and the next poll backs off.
 */
@Injectable()
export class ImapPollerService extends ScheduledPoller {
  protected readonly name = 'IMAP mailboxes';
  private readonly statuses: MailboxStatuses;

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    @Inject(DB) db: Db,
    private readonly flowsRepo: FlowsRepository,
    private readonly flows: FlowCache,
    private readonly credentials: CredentialsService,
    private readonly http: SafeHttpClient,
    private readonly mail: MailIntakeService,
  ) {
    super(clock, options, db);
    this.statuses = new MailboxStatuses(db);
  }

  /** The published flows that poll a mailbox, and their mailbox settings. */
  async mailboxes(): Promise<{ flow: CompiledFlow; spec: ImapMailbox }[]> {
    const out = [];
    for (const record of await this.flowsRepo.list()) {
      if (record.latestVersion === null) continue;
      const flow = await this.flows.get(record.key, record.latestVersion);
      const spec = flow.doc.intake?.email?.imap;
      if (spec) out.push({ flow, spec });
    }
    return out;
  }

  protected async work(now: string): Promise<string | undefined> {
    let next: string | undefined;
    for (const { flow, spec } of await this.mailboxes()) {
      if (this.stopped) return undefined;
      const every = addDuration(now, spec.every ?? 'PT1M');
      const due = await this.runDue(scheduleKey(flow.doc.key), now, every, (held) =>
        this.poll(flow, spec, held),
      );
      next = earliest(next, due);
    }
    return next;
  }

  /** Every polled mailbox's status (`GET /api/intake/mailboxes`). */
  async statusList(): Promise<MailboxStatus[]> {
    const list = await this.mailboxes();
    return Promise.all(list.map(({ flow, spec }) => this.statuses.get(flow.doc.key, spec)));
  }

  /** The mailbox a flow's published version polls, if any. */
  private async mailboxOf(flowKey: string) {
    const latest = (await this.flowsRepo.latestVersion(flowKey))?.latest;
    if (latest === null || latest === undefined) return undefined;
    const flow = await this.flows.get(flowKey, latest);
    const spec = flow.doc.intake?.email?.imap;
    return spec && { flow, spec };
  }

  /** A flow's mailbox status, or undefined when its published version polls none. */
  async status(flowKey: string): Promise<MailboxStatus | undefined> {
    const found = await this.mailboxOf(flowKey);
    return found && this.statuses.get(flowKey, found.spec);
  }

  /**
   * Polls a flow's mailbox now (an operator's "poll now"; tests): 'busy' when another process
   * is polling it, undefined when the flow polls no mailbox.
   */
  async pollNow(flowKey: string): Promise<MailboxStatus | 'busy' | undefined> {
    const found = await this.mailboxOf(flowKey);
    if (!found) return undefined;
    const held = await this.claimNow(scheduleKey(flowKey), (now) =>
      addDuration(now, found.spec.every ?? 'PT1M'),
    );
    if (!held) return 'busy';
    await this.poll(found.flow, found.spec, held);
    return this.statuses.get(flowKey, found.spec);
  }

  /** One claimed poll; answers when the next one is due (sooner with more unseen, later on failure). */
  private async poll(
    flow: CompiledFlow,
    spec: ImapMailbox,
    held: ScheduleLease,
  ): Promise<string | undefined> {
    const flowKey = flow.doc.key;
    const everyMs = durationMs(spec.every ?? 'PT1M') ?? 60_000;
    const before = await this.statuses.get(flowKey, spec);
    let taken = 0;
    let more = false;
    let failure: string | undefined;
    const counts = { stored: 0, duplicate: 0, rejected: 0 };
    let client: ImapFlow | undefined;
    try {
      client = await this.connect(spec);
      const lock = await client.getMailboxLock(spec.folder ?? 'INBOX');
      try {
        const unseen = (await client.search({ seen: false }, { uid: true })) || [];
        // A missing processed folder is made before the first move (nothing to move: no
        // round trip); a real failure shows at that move.
        if (spec.processed && unseen.length)
          await client.mailboxCreate(spec.processed).catch(() => undefined);
        more = unseen.length > BATCH;
        for (const uid of unseen.slice(0, BATCH)) {
          if (this.stopped) break;
          if (!(await this.schedules.renew(held, this.leaseEnd())))
            throw new LeaseLostError(`Mailbox of ${flowKey}`);
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (!message || !message.source) continue;
          // Recorded first: marked seen only once the message is safe in intake_messages.
          counts[await this.mail.receivePolled(message.source, flow, mailboxLabel(spec))]++;
          taken++;
          if (spec.processed) await client.messageMove(String(uid), spec.processed, { uid: true });
          else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        }
      } finally {
        lock.release();
      }
      await client.logout();
    } catch (error) {
      client?.close();
      if (error instanceof LeaseLostError) {
        logLeaseLost(error.message);
        return undefined;
      }
      failure = pollError(error, spec);
    }
    const nowMs = this.clock.now();
    const at = new Date(nowMs).toISOString();
    const failures = failure ? before.failures + 1 : 0;
    const waitMs = failure
      ? Math.min(everyMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, everyMs))
      : more
        ? 0
        : everyMs;
    const next = new Date(nowMs + waitMs).toISOString();
    const message =
      failure ??
      `${taken} message(s) taken: ${counts.stored} to work, ${counts.rejected} refused (sender), ${counts.duplicate} already recorded`;
    if (failure) log.warn(`Mailbox of flow ${flowKey}: ${failure}`);
    await this.schedules.finish(held, async (tx) => {
      await tx.run('UPDATE flow_schedules SET next_run_at = ? WHERE key = ?', [next, held.key]);
      await this.statuses.write(tx, flowKey, {
        mailbox: mailboxLabel(spec),
        ok: !failure,
        message,
        failures,
        taken,
        at,
        next,
      });
    });
    return next;
  }

  /**
   * Signs in: the credential's password only to one of its hosts, the address through the
   * server's outbound policy (as every connector call), TLS verified unless the flow opts out.
   */
  private async connect(spec: ImapMailbox): Promise<ImapFlow> {
    if (!this.mail.allow().length)
      throw new Error(
        'no sender domain is accepted (ORDO_SMTP_ALLOW is not set): the mailbox is not read, its messages stay unseen',
      );
    const tls = spec.tls ?? true;
    const port = mailboxPort(spec);
    const host = spec.host.toLowerCase();
    const [secret, stored] = await Promise.all([
      this.credentials.open(spec.credential),
      this.credentials.find(spec.credential),
    ]);
    if (!secret.password)
      throw new Error(`credential "${spec.credential}" has no "password" field`);
    if (!new CredentialHosts(stored?.hosts ?? []).allows(host, port))
      throw new Error(
        `credential "${spec.credential}" may not be sent to ${host}:${port} (its hosts: ${(stored?.hosts ?? []).join(', ') || 'none'}); add it with PATCH /api/credentials/${spec.credential}`,
      );
    const [address] = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
    checkAddress(this.http.policy ?? {}, host, address.address, port);
    const client = new ImapFlow({
      host: address.address,
      port,
      secure: tls,
      // Plain IMAP must upgrade before the password is sent, unless the flow says otherwise.
      ...(!tls && !spec.plaintext && { doSTARTTLS: true }),
      servername: host,
      auth: { user: spec.user, pass: secret.password },
      tls: { rejectUnauthorized: spec.verifyCertificate ?? true, servername: host },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 15_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    // A socket error after connect() is also thrown by the command under way.
    client.on('error', (error: Error) => log.debug(`IMAP ${host}: ${describeError(error)}`));
    try {
      await client.connect();
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }
}

/** The schedule key of a flow's mailbox. */
const scheduleKey = (flowKey: string) => `imap:${flowKey}`;
