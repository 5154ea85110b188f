import { Injectable } from '@nestjs/common';
import {
  DINGTALK_REPLY_HOSTS,
  dingtalkSessionConnector,
  dingTalkMessage,
  runAction,
  SafeHttpClient,
  sessionWebhookProblem,
  verifyDingTalkCallback,
  verifyWecomCallback,
  wecomAppConnector,
  wecomEncrypted,
  wecomMessage,
} from '@ordo/connectors';
import { type CompiledFlow, systemActor } from '@ordo/engine';
import { CredentialsService } from '../credentials/credentials.service';
import type { SqlExecutor } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { OrdersService } from '../orders/orders.service';
import { ApiProblem, problems } from '../problems/api-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import {
  CHAT_BODY_LIMIT,
  type ChatChannel,
  chatKey,
  checked,
  fitText,
  storedMessage,
  WECOM_TEXT_BYTES,
} from './chat-callbacks';
import { IntakeService } from './intake.service';
import { answerText } from './mail-answer';
import { MailIntakeService } from './mail-intake.service';
import { bodyRef } from './mail-orders';
import type { HeldMessage } from './message-channel';
import type { MessageRecord } from './message-records';
import { textLanguage } from './sender-language';
import { textOrders } from './text-orders';

/** What a callback did: stored (its record), a redelivery of one stored, or not an order text. */
export type ChatReceipt =
  | { outcome: 'stored'; id: string }
  | { outcome: 'duplicate' }
  | { outcome: 'ignored'; reason: string };

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Orders by chat: WeCom application callbacks and DingTalk outgoing-robot callbacks, each
 * checked by its platform's signature (and WeCom's encryption) with the flow's credential
 * before anything is stored; then stored once per message id and worked like an e-mail body
 * (the intake worker's lease, the flow's message format, the same import), and the sender
 * answered in the chat — WeCom through the application API, DingTalk in the group through the
 * message's session webhook (only on the flow's reply hosts).
 */
@Injectable()
export class ChatIntakeService {
  constructor(
    private readonly mail: MailIntakeService,
    private readonly credentials: CredentialsService,
    private readonly flows: FlowCache,
    private readonly intake: IntakeService,
    private readonly orders: OrdersService,
    private readonly http: SafeHttpClient,
    private readonly clock: RuntimeClock,
  ) {
    for (const channel of ['wecom', 'dingtalk'] as const)
      mail.useChannel(channel, {
        read: (held, fence) => this.read(channel, held, fence),
        reply: (record) => this.reply(channel, record),
      });
  }

  /** The published flow and its chat intake, or 404 naming which is missing. */
  private async flowOf<C extends ChatChannel>(key: string, channel: C) {
    if (!KEY.test(key)) throw problems.notFound('Flow', key.slice(0, 64));
    const flow = await this.flows.latest(key);
    const spec = flow.doc.intake?.[channel];
    if (!spec)
      throw new ApiProblem(
        404,
        'no_chat_intake',
        'No chat intake',
        `Flow "${key}" takes no orders by ${channel === 'wecom' ? 'WeCom' : 'DingTalk'} (its intake.${channel} is not set)`,
      );
    return { flow, spec: spec as NonNullable<CompiledFlow['doc']['intake']>[C] & object };
  }

  /** The flow's chat credential with the fields it must have, or 503: callbacks cannot be checked. */
  private async secret(name: string, fields: string[]): Promise<Record<string, string>> {
    let secret: Record<string, string>;
    try {
      secret = await this.credentials.open(name);
    } catch {
      secret = {};
    }
    const missing = fields.filter((f) => typeof secret[f] !== 'string' || !secret[f]);
    if (missing.length)
      throw new ApiProblem(
        503,
        'intake_not_ready',
        'Chat intake not ready',
        `The credential "${name}" is not stored or lacks ${missing.join(', ')}: callbacks cannot be checked`,
      );
    return secret;
  }

  private tooLarge(size: number) {
    if (size > CHAT_BODY_LIMIT)
      throw new ApiProblem(
        413,
        'body_too_large',
        'Request body too large',
        `A chat callback is at most ${CHAT_BODY_LIMIT} bytes (this one: ${size})`,
      );
  }

  /** WeCom's URL verification: answers the echostr's plaintext when the query is WeCom's. */
  async wecomVerify(key: string, query: Record<string, string>): Promise<string> {
    const { spec } = await this.flowOf(key, 'wecom');
    const secret = await this.secret(spec.credential, ['token', 'encodingAESKey']);
    return checked(() =>
      verifyWecomCallback(
        { token: secret.token, encodingAESKey: secret.encodingAESKey, corpId: spec.corpId },
        {
          msgSignature: query.msg_signature,
          timestamp: query.timestamp,
          nonce: query.nonce,
          encrypted: query.echostr,
        },
        this.clock.now(),
      ),
    );
  }

  /** A WeCom message callback: checked, decrypted, stored once by its MsgId. */
  async wecomReceive(key: string, query: Record<string, string>, body: string) {
    const { spec } = await this.flowOf(key, 'wecom');
    this.tooLarge(Buffer.byteLength(body));
    const secret = await this.secret(spec.credential, ['token', 'encodingAESKey']);
    const plain = checked(() =>
      verifyWecomCallback(
        { token: secret.token, encodingAESKey: secret.encodingAESKey, corpId: spec.corpId },
        {
          msgSignature: query.msg_signature,
          timestamp: query.timestamp,
          nonce: query.nonce,
          encrypted: wecomEncrypted(body),
        },
        this.clock.now(),
      ),
    );
    const message = checked(() => wecomMessage(plain));
    if (message.to !== spec.corpId || (message.agentId && message.agentId !== String(spec.agentId)))
      throw new ApiProblem(
        403,
        'wrong_receiver',
        'Callback refused',
        `The message is addressed to ${message.to} agent ${message.agentId ?? '(none)'}, not to this flow's application`,
      );
    if (message.msgType !== 'text' || !message.content || !message.msgId)
      return this.ignored(
        `a WeCom ${message.msgType}${message.event ? ` (${message.event})` : ''} message carries no order text`,
      );
    return this.store('wecom', key, {
      key: chatKey('wecom', key, spec.corpId, message.msgId),
      messageId: message.msgId,
      from: message.from,
      to: [`${spec.corpId}/${spec.agentId}`],
      subject: null,
      raw: Buffer.from(plain, 'utf8'),
      text: message.content,
      auth: {
        channel: 'wecom',
        verified: 'msg_signature, AES-256-CBC, receiveid',
        corpId: spec.corpId,
        agentId: message.agentId ?? String(spec.agentId),
      },
    });
  }

  /** A DingTalk outgoing robot's callback: signed, its reply address checked, stored once by msgId. */
  async dingtalkReceive(
    key: string,
    headers: { timestamp?: string; sign?: string },
    rawBody: Buffer,
    body: unknown,
  ) {
    const { spec } = await this.flowOf(key, 'dingtalk');
    this.tooLarge(rawBody.length);
    const secret = await this.secret(spec.credential, ['appSecret']);
    checked(() => verifyDingTalkCallback(secret.appSecret, headers, this.clock.now()));
    const message = checked(() => dingTalkMessage(body));
    if (message.msgtype !== 'text' || !message.content?.trim())
      return this.ignored(`a DingTalk ${message.msgtype} message carries no order text`);
    const webhook = message.sessionWebhook;
    const problem = webhook
      ? sessionWebhookProblem(webhook, spec.replyHosts ?? DINGTALK_REPLY_HOSTS, this.http.policy)
      : 'there is no sessionWebhook to reply to';
    if (problem)
      throw problems.invalidBody([
        { path: '/sessionWebhook', code: 'reply_host', message: problem },
      ]);
    return this.store('dingtalk', key, {
      key: chatKey('dingtalk', key, message.conversationId ?? '', message.msgId),
      messageId: message.msgId,
      from: message.from,
      to: [message.conversationId ?? ''],
      subject: message.conversationTitle,
      raw: rawBody,
      text: message.content,
      auth: {
        channel: 'dingtalk',
        verified: 'sign (HMAC-SHA256 of the timestamp)',
        ...(message.conversationId && { conversationId: message.conversationId }),
      },
    });
  }

  private ignored(reason: string): ChatReceipt {
    return { outcome: 'ignored', reason };
  }

  private async store(
    channel: ChatChannel,
    flow: string,
    message: {
      key: string;
      messageId: string;
      from: string;
      to: string[];
      subject: string | null;
      raw: Buffer;
      text: string;
      auth: MessageRecord['auth'] & object;
    },
  ): Promise<ChatReceipt> {
    const id = await this.mail.records.receive({
      ...message,
      flow,
      channel,
      language: textLanguage(message.text),
      now: new Date(this.clock.now()).toISOString(),
    });
    if (id === undefined) return { outcome: 'duplicate' };
    this.mail.wake();
    return { outcome: 'stored', id };
  }

  /** A stored chat message's orders: its text by the flow's message format, as an e-mail body. */
  private async read(
    channel: ChatChannel,
    held: HeldMessage,
    fence: (tx: SqlExecutor) => Promise<void>,
  ) {
    const stored = storedMessage(channel, held.raw);
    const { flow, spec } = await this.flowOf(held.flow, channel);
    const format = flow.doc.intake?.message;
    if (!format) throw new Error(`flow "${held.flow}" has no message format (intake.message)`);
    const msgId = stored.message.msgId ?? held.id;
    return textOrders(
      { intake: this.intake, orders: this.orders },
      flow,
      format,
      stored.message.content ?? '',
      {
        channel: spec.channel ?? channel,
        ref: bodyRef(`${held.flow}:${channel}:${msgId}`, channel),
        fence,
        source: { kind: 'chat', channel, id: held.id, messageId: msgId, from: stored.message.from },
        actor: systemActor(channel),
      },
    );
  }

  /** Replies in the chat: WeCom to the sender through the app API, DingTalk in the group. */
  private async reply(channel: ChatChannel, record: MessageRecord): Promise<string> {
    const raw = await this.mail.records.raw(record.id);
    if (!raw) throw new Error('the message was not kept');
    const stored = storedMessage(channel, raw);
    const { text } = answerText(record, 'chat');
    // One answer per working of the message: a retry is answered again.
    const key = `chat-answer:${record.id}:${record.attempts}`;
    if (stored.channel === 'wecom') {
      const { spec } = await this.flowOf(record.flow ?? '', 'wecom');
      await runAction(wecomAppConnector, 'send', {
        input: { toUser: stored.message.from, text: fitText(text, WECOM_TEXT_BYTES) },
        settings: {
          corpId: spec.corpId,
          agentId: spec.agentId,
          ...(spec.apiUrl && { apiUrl: spec.apiUrl }),
        },
        ...(await this.credentials.forCall(spec.credential)),
        http: this.http,
        idempotencyKey: key,
        timeoutMs: 30_000,
      });
      return `sent to ${stored.message.from} by the WeCom application ${spec.agentId}`;
    }
    const { spec } = await this.flowOf(record.flow ?? '', 'dingtalk');
    const webhook = stored.message.sessionWebhook;
    if (!webhook) throw new Error('the message has no sessionWebhook');
    await runAction(dingtalkSessionConnector, 'reply', {
      input: {
        webhook,
        text,
        ...(stored.message.sessionWebhookExpiredTime && {
          expiresAt: stored.message.sessionWebhookExpiredTime,
        }),
      },
      settings: { hosts: spec.replyHosts ?? [...DINGTALK_REPLY_HOSTS] },
      http: this.http,
      idempotencyKey: key,
      timeoutMs: 30_000,
    });
    return `sent to the DingTalk conversation ${stored.message.conversationId ?? ''}`.trim();
  }
}
