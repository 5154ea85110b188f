import { Inject, Injectable } from '@nestjs/common';
import { emailConnector, runAction, SafeHttpClient } from '@ordo/connectors';
import type { CompiledFlow } from '@ordo/engine';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SmtpPool } from '../connectors/smtp-pool';
import { inLanes } from '../background/in-lanes';
import { Poller } from '../background/poller';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { FlowsRepository } from '../flows/flows.repository';
import { runtimeLog } from '../logging/runtime-log';
import { OrdersService } from '../orders/orders.service';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';
import { IntakeService } from './intake.service';
import { answerText } from './mail-answer';
import { senderLanguage } from './sender-language';
import type { MessageChannel } from './message-channel';
import { mailOrders } from './mail-orders';
import {
  messageKey,
  MessageRecords,
  type MessageRecord,
  type SenderCheck,
} from './message-records';
import { verifySender } from './sender-auth';
import { senderCheck } from './sender-check';

const log = runtimeLog('mail-intake');

/** Messages worked per look; a look comes on every arrival and every few seconds. */
const BATCH = 20;
/**
 * Messages worked at once: reading, importing and answering wait on the database and on the
 * outbound mail server, so one at a time left the process idle (9 messages/s where the import
 * API took 165 files/s). One sender's messages stay in the order they came.
 */
const LANES = 4;

/** A message refused at SMTP: its reply code and text. */
export class SmtpRefusal extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Orders by message — e-mail, and the chat channels that register a reader (`useChannel`) — after
 * they are stored. For e-mail, after the SMTP receiver: a message is stored (`receive`, before the
 * receiver's 250) and later read once under a lease — sheets through the import's mapping, a
 * body through the flow's message format — its orders and outcome written together; then the
 * sender gets an answer. On start (and every few seconds) pending messages are worked, so a
 * restart mid-way loses none; an answer not sent because of a crash is sent then.
 */
@Injectable()
export class MailIntakeService extends Poller {
  protected readonly name = 'Mail intake';
  readonly records: MessageRecords;
  private readonly leaseMs: number;
  /** The other channels' readers (chat), by the records' `channel`. */
  private readonly channels = new Map<string, MessageChannel>();

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    @Inject(DB) private readonly db: Db,
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
    private readonly flowsRepo: FlowsRepository,
    private readonly flows: FlowCache,
    private readonly intake: IntakeService,
    private readonly orders: OrdersService,
    private readonly http: SafeHttpClient,
    private readonly smtp: SmtpPool,
  ) {
    super(clock, options.pollMs * 5, options.enabled);
    this.records = new MessageRecords(db);
    this.leaseMs = options.leaseMs;
  }

  private now() {
    return new Date(this.clock.now()).toISOString();
  }

  /** Lets the worker work (and answer, and retry) messages of another channel. */
  useChannel(channel: string, reader: MessageChannel): void {
    this.channels.set(channel, reader);
  }

  /** The flow an address feeds (`intake.email.to` of a published flow), if any. */
  async flowFor(address: string): Promise<CompiledFlow | undefined> {
    const wanted = address.trim().toLowerCase();
    for (const record of await this.flowsRepo.list()) {
      if (record.latestVersion === null) continue;
      const flow = await this.flows.get(record.key, record.latestVersion);
      if (flow.doc.intake?.email?.to.some((to) => to.toLowerCase() === wanted)) return flow;
    }
    return undefined;
  }

  /** Records a sender refused at SMTP (outside the allow-list). */
  async rejected(from: string | null, to: string[], auth: SenderCheck, message: string) {
    await this.records.reject({
      from,
      to,
      auth,
      problem: { line: 0, code: 'sender_refused', message },
      now: this.now(),
    });
  }

  /**
   * Stores a message the receiver has read whole, before it answers 250: refused (SmtpRefusal)
   * when its From domain is outside the allow-list; stored once per Message-ID (a second copy
   * is counted, not worked again). Wakes the worker.
   */
  async receive(
    raw: Buffer,
    envelope: { from: string | null; to: string[]; flow: string; client: string; helo: string },
  ): Promise<{ id?: string; duplicate: boolean }> {
    const mail = await simpleParser(raw, { skipHtmlToText: false });
    const auth = senderCheck(envelope, mail, this.allow());
    if (!auth.allowed) {
      const message = `the sender domain ${auth.fromDomain ?? '(none)'} of the From header is not accepted here`;
      await this.rejected(envelope.from, envelope.to, auth, message);
      throw new SmtpRefusal(550, `5.7.1 ${message}`);
    }
    const id = await this.store(raw, mail, envelope.from, envelope.to, envelope.flow, auth);
    return { id, duplicate: id === undefined };
  }

  /** The sender domains accepted (ORDO_SMTP_ALLOW), by the receiver and polled mailboxes. */
  allow(): string[] {
    return this.config.mail?.allow ?? this.config.mail?.smtp?.allow ?? [];
  }

  private async store(
    raw: Buffer,
    mail: ParsedMail,
    from: string | null,
    to: string[],
    flow: string,
    auth: SenderCheck,
  ) {
    const messageId = mail.messageId ?? null;
    const id = await this.records.receive({
      key: messageKey(messageId, raw),
      messageId,
      from: mail.from?.value[0]?.address ?? from,
      to,
      subject: mail.subject ?? null,
      flow,
      auth,
      raw,
      language: senderLanguage(mail),
      now: this.now(),
    });
    this.wake();
    return id;
  }

  /**
   * Stores a message read from a flow's polled mailbox (IMAP), before it is marked seen there:
   * the same allow-list as at SMTP, applied to the From header (there is no envelope; the
   * company's own mail server took it in), and once per Message-ID — a message read again
   * after a crash between this and its \Seen is not stored (nor refused) twice. Its recipients
   * are the flow's addresses it was sent to (else the flow's first), so it is worked exactly
   * like a message the receiver took for that flow.
   */
  async receivePolled(
    raw: Buffer,
    flow: CompiledFlow,
    mailbox: string,
  ): Promise<'stored' | 'duplicate' | 'rejected'> {
    const mail = await simpleParser(raw, { skipHtmlToText: false });
    const from = mail.from?.value[0]?.address ?? null;
    const auth = senderCheck({ from, client: mailbox, helo: '' }, mail, this.allow());
    const own = flow.doc.intake?.email?.to ?? [];
    const sentTo = [mail.to, mail.cc]
      .flatMap((a) => (Array.isArray(a) ? a : a ? [a] : []))
      .flatMap((a) => a.value.map((v) => v.address?.toLowerCase()));
    const to = own.filter((address) => sentTo.includes(address.toLowerCase()));
    if (!to.length && own.length) to.push(own[0]);
    if (!auth.allowed) {
      await this.records.reject({
        from,
        to,
        auth,
        key: messageKey(mail.messageId ?? null, raw),
        messageId: mail.messageId ?? null,
        subject: mail.subject ?? null,
        flow: flow.doc.key,
        problem: {
          line: 0,
          code: 'sender_refused',
          message: `the sender domain ${auth.fromDomain ?? '(none)'} of the From header is not accepted here`,
        },
        now: this.now(),
      });
      return 'rejected';
    }
    const id = await this.store(raw, mail, from, to, flow.doc.key, auth);
    return id === undefined ? 'duplicate' : 'stored';
  }

  protected async work(now: string): Promise<string | undefined> {
    const due = await this.records.due(now, BATCH);
    await inLanes(
      due,
      LANES,
      (m) => m.from ?? m.id,
      async (m) => void (this.stopped || (await this.process(m.id))),
    );
    if (this.stopped) return undefined;
    const unanswered = await this.records.unanswered(BATCH);
    await inLanes(
      unanswered,
      LANES,
      String,
      async (id) => void (this.stopped || (await this.answer(id))),
    );
    if (this.stopped) return undefined;
    // A full batch of pending messages: more may be waiting (a backlog after a burst), so look
    // again at once rather than after the poll interval. (Not for answers: one that cannot be
    // sent, a message without a sender, would be looked at again and again.)
    return due.length === BATCH ? now : undefined;
  }

  /** Works one pending message, if no other process holds it: its orders, outcome and answer. */
  async process(id: string): Promise<MessageRecord | undefined> {
    const now = this.now();
    const held = await this.records.claim(
      id,
      now,
      new Date(this.clock.now() + this.leaseMs).toISOString(),
    );
    if (!held) return this.records.get(id);
    const fence = async (tx: { run: Db['run'] }) => {
      const ok = await tx.run(
        'UPDATE intake_messages SET locked_until = ? WHERE id = ? AND lease_token = ?',
        [new Date(this.clock.now() + this.leaseMs).toISOString(), id, held.lease],
      );
      if (ok !== 1) throw new Error(`message ${id}: its lease was lost to another process`);
    };
    let outcome: 'created' | 'partial' | 'refused' | 'failed';
    let found;
    try {
      if (held.channel !== 'email') {
        const reader = this.channels.get(held.channel);
        if (!reader) throw new Error(`no reader for messages by ${held.channel} in this server`);
        found = await reader.read({ id, raw: held.raw, flow: held.flow, to: held.to }, fence);
      } else {
        await this.verifySender(id, held);
        found = await this.readMail(id, held, fence);
      }
      outcome = found.orders.length ? (found.problems.length ? 'partial' : 'created') : 'refused';
    } catch (error) {
      outcome = 'failed';
      found = {
        orders: [],
        problems: [{ line: 0, code: 'failed', message: describeError(error) }],
        result: null,
      };
    }
    const orders = await this.withIds(held.flow, found.orders);
    if (!(await this.records.finish(id, held.lease, outcome, { ...found, orders }, this.now()))) {
      log.warn(`Message ${id}: lease lost before its outcome was written`);
      return this.records.get(id);
    }
    await this.answer(id);
    return this.records.get(id);
  }

  /**
   * Ordo's own SPF, DKIM and DMARC verdicts (DNS, mailauth), recorded beside the relay's claims
   * once per message (a retry keeps the first); like them they decide nothing — the allow-list
   * does. SPF is of the client's address for the MAIL FROM domain (none for a polled mailbox).
   */
  private async verifySender(id: string, held: { lease: string; raw: Buffer; auth: unknown }) {
    const auth = held.auth as SenderCheck | null;
    if (!auth || auth.verified) return;
    const verified = await verifySender(held.raw, {
      client: auth.client,
      helo: auth.helo,
      from: auth.envelopeDomain ? `postmaster@${auth.envelopeDomain}` : null,
    });
    await this.records.setAuth(id, held.lease, { ...auth, verified });
  }

  /** An e-mail's orders: its flow's intake.email, sheets by the mapping, the body by the message format. */
  private async readMail(
    id: string,
    held: { raw: Buffer; flow: string; to: string[] },
    fence: (tx: { run: Db['run'] }) => Promise<void>,
  ) {
    const mail = await simpleParser(held.raw);
    const flow = await this.flowFor(held.to.find(Boolean) ?? '');
    const spec = flow?.doc.intake?.email;
    if (!flow || !spec || flow.doc.key !== held.flow)
      throw new Error(
        `flow "${held.flow}" no longer takes orders at ${held.to.join(', ')} (its intake.email)`,
      );
    return mailOrders(
      { intake: this.intake, orders: this.orders },
      flow,
      spec,
      mail,
      `${held.flow}:${id}:${mail.messageId ?? ''}`,
      fence,
      id,
    );
  }

  /** The orders' ids by their references (for the record and the operator's links). */
  private async withIds(flow: string, orders: { externalRef: string }[]) {
    if (!orders.length) return orders;
    const rows = await this.db.query<{ id: string; external_ref: string }>(
      `SELECT id, external_ref FROM orders WHERE flow_key = ? AND external_ref IN (${orders.map(() => '?').join(', ')})`,
      [flow, ...orders.map((o) => o.externalRef)],
    );
    const ids = new Map(rows.map((r) => [r.external_ref, r.id]));
    return orders.map((o) => ({
      ...o,
      ...(ids.has(o.externalRef) && { id: ids.get(o.externalRef) }),
    }));
  }

  /**
   * Answers the sender (its From address, whose domain passed the allow-list): the orders
   * created or the problems by line. Without `ORDO_MAIL_HOST` the record says so instead.
   */
  async answer(id: string): Promise<void> {
    const record = await this.records.get(id);
    if (!record || !record.from || record.answeredAt) return;
    if (record.channel !== 'email') return this.answerChat(record);
    const outbound = this.config.mail?.outbound;
    if (!outbound) {
      await this.records.answered(id, null, 'not sent: no outbound mail server (ORDO_MAIL_HOST)');
      return;
    }
    const { subject, text } = answerText(record);
    try {
      await runAction(emailConnector, 'send', {
        input: { title: subject, text },
        settings: {
          host: outbound.host,
          port: outbound.port,
          secure: outbound.secure,
          from: outbound.from,
          to: [record.from],
        },
        ...(outbound.username && {
          credentials: { username: outbound.username, password: outbound.password ?? '' },
          credentialHosts: [`${outbound.host.toLowerCase()}:${outbound.port}`],
          credentialName: 'ORDO_MAIL_USER',
        }),
        http: this.http,
        smtp: this.smtp,
        idempotencyKey: `mail-answer:${id}`,
        timeoutMs: 30_000,
      });
      await this.records.answered(id, this.now(), `sent to ${record.from}`);
    } catch (error) {
      log.warn(`Message ${id}: answer not sent: ${describeError(error)}`);
      await this.records.answered(id, null, `not sent: ${describeError(error)}`);
    }
  }

  /** A chat message's answer, by its channel's reply (the record notes where, or why not). */
  private async answerChat(record: MessageRecord): Promise<void> {
    const reader = this.channels.get(record.channel);
    try {
      if (!reader) throw new Error(`no reply for messages by ${record.channel} in this server`);
      const note = await reader.reply(record);
      await this.records.answered(record.id, this.now(), note);
    } catch (error) {
      log.warn(`Message ${record.id}: answer not sent: ${describeError(error)}`);
      await this.records.answered(record.id, null, `not sent: ${describeError(error)}`);
    }
  }

  /** An operator's retry of a message that failed or was refused: worked again now. */
  async retry(id: string): Promise<MessageRecord | undefined> {
    if (!(await this.records.requeue(id))) return undefined;
    return this.process(id);
  }
}
