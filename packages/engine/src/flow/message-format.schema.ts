import { Type, type Static } from '@sinclair/typebox';
import { Duration } from './common.schema';
import { ColumnMapping } from './intake.schema';

/**
 * A flow's message format: how a plain-text message (an e-mail body, a chat message) becomes
 * order data. Header lines `Label: value` set the dot path their label names (`Store` →
 * `customer.id`, or `externalRef`); every other line must match the `line` pattern, whose
 * `{name}` parts become the fields of one element of `lines` (`{sku} x {qty}` →
 * `lines[].sku`, `lines[].qty`). A `{unit}` part scales `units.part` by its factor (`5 cs`
 * with `cs: 24` is 120); `aliases` replaces a part's text by a data set's column when the set
 * has a row under it (`cola` → `SKU-COLA-330`); `known` refuses a line whose part is not a
 * row of a data set (an unknown SKU). Reference: docs/flow-document.md.
 */
export const MessageFormat = Type.Object(
  {
    /** Label (as written before `:`, case and spaces ignored) → dot path, or `externalRef`. */
    header: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 60 }), Type.String({ minLength: 1 }), {
        maxProperties: 30,
      }),
    ),
    /** The pattern of an order line: literal text and `{part}` or optional `{part?}` parts. */
    line: Type.String({ minLength: 3, maxLength: 200 }),
    /** The array of the order data the lines go to (default `lines`). */
    lines: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Unit names (case ignored) and the factor they multiply `part` (default `qty`) by. */
    units: Type.Optional(
      Type.Object(
        {
          part: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          factors: Type.Record(
            Type.String({ minLength: 1, maxLength: 20 }),
            Type.Number({ exclusiveMinimum: 0 }),
            { maxProperties: 50 },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** A part's text looked up in a data set; a row found gives its `column` instead. */
    aliases: Type.Optional(
      Type.Object(
        {
          part: Type.String({ minLength: 1, maxLength: 40 }),
          dataSet: Type.String({ minLength: 1 }),
          column: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * A part whose text (after `aliases`) must be a row of a data set (`sku` in `sku-bins`):
     * a line naming anything else is not understood (`unknown_value`), by its line.
     */
    known: Type.Optional(
      Type.Object(
        {
          part: Type.String({ minLength: 1, maxLength: 40 }),
          dataSet: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MessageFormat = Static<typeof MessageFormat>;

/**
 * An IMAP mailbox the server polls for this flow's e-mail (an orders@ mailbox the company
 * keeps): unseen messages of `folder` are read every `every`, recorded, then marked \Seen (or
 * moved to `processed`). The password is the stored credential's `password` field.
 */
export const ImapMailbox = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\s/:]+$' }),
    /** Default 993 with `tls`, 143 without. */
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    /** TLS from the first byte (default true); false is plain IMAP that must upgrade by STARTTLS. */
    tls: Type.Optional(Type.Boolean()),
    /**
     * With `tls: false`, true signs in without STARTTLS when the server offers none — the
     * password goes in the clear: only for a test server on loopback (default false).
     */
    plaintext: Type.Optional(Type.Boolean()),
    user: Type.String({ minLength: 1, maxLength: 320 }),
    /** Name of a credential stored with `POST /api/credentials` (field `password`). */
    credential: Type.String({ minLength: 1 }),
    /** The folder polled (default `INBOX`). */
    folder: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** How often it is polled (default PT1M). */
    every: Type.Optional(Duration),
    /** A folder processed messages are moved to, instead of being marked \Seen. */
    processed: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** false accepts any server certificate: only for a self-signed test server (default true). */
    verifyCertificate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ImapMailbox = Static<typeof ImapMailbox>;

/**
 * Orders by e-mail: the recipient addresses that feed this flow, and how an attached sheet's
 * columns map (as an import's `mapping`); a body is read by the flow's `intake.message`.
 */
export const EmailIntake = Type.Object(
  {
    to: Type.Array(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254 }), {
      minItems: 1,
      maxItems: 20,
    }),
    mapping: Type.Optional(ColumnMapping),
    /** The orders' channel (default `email`). */
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** A mailbox polled by IMAP, besides (or instead of) mail sent to the SMTP receiver. */
    imap: Type.Optional(ImapMailbox),
  },
  { additionalProperties: false },
);
export type EmailIntake = Static<typeof EmailIntake>;

/** The orders' channel of a chat intake (default: the platform's name). */
const ChatChannel = Type.Optional(Type.String({ minLength: 1, maxLength: 32 }));

/**
 * Orders by WeCom (企业微信) application message: the application's callback URL is
 * `/api/intake/wecom/<flow>`; its callbacks are checked and decrypted with the credential's
 * `token` and `encodingAESKey`, and the reply is sent through the application API with its
 * `corpSecret`. The text is read by the flow's `intake.message`.
 */
export const WecomIntake = Type.Object(
  {
    /** The company's corpId (企业 ID): every message must be addressed to it (its receiveid). */
    corpId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    /** The application's AgentId, that replies are sent as. */
    agentId: Type.Integer({ minimum: 0, maximum: 2147483647 }),
    /** Name of a credential stored with `POST /api/credentials` (token, encodingAESKey, corpSecret). */
    credential: Type.String({ minLength: 1 }),
    /** The application API replies go to (default `https://qyapi.weixin.qq.com`). */
    apiUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '^https?://' })),
    channel: ChatChannel,
  },
  { additionalProperties: false },
);
export type WecomIntake = Static<typeof WecomIntake>;

/**
 * Orders by DingTalk (钉钉) outgoing robot: the robot's message URL is
 * `/api/intake/dingtalk/<flow>`; callbacks are checked with the credential's `appSecret`,
 * and the reply goes to the message's session webhook — only on one of `replyHosts`.
 */
export const DingTalkIntake = Type.Object(
  {
    /** Name of a credential stored with `POST /api/credentials` (field `appSecret`). */
    credential: Type.String({ minLength: 1 }),
    /** host:port patterns a session webhook may go to (default `oapi.dingtalk.com:443`). */
    replyHosts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1, maxItems: 10 }),
    ),
    channel: ChatChannel,
  },
  { additionalProperties: false },
);
export type DingTalkIntake = Static<typeof DingTalkIntake>;

/** How orders come in by message: the text format, the e-mail addresses and chat robots. */
export const Intake = Type.Object(
  {
    message: Type.Optional(MessageFormat),
    email: Type.Optional(EmailIntake),
    wecom: Type.Optional(WecomIntake),
    dingtalk: Type.Optional(DingTalkIntake),
  },
  { additionalProperties: false },
);
export type Intake = Static<typeof Intake>;
