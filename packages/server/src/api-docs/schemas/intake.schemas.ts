import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { AnyObject, Nullable } from './shared';

/** A row (or a line of an order) an import refused, at its line and column. */
export const RowProblem = component(
  'RowProblem',
  Type.Object({
    line: Type.Integer(),
    column: Type.Optional(Type.String()),
    path: Type.Optional(Type.String()),
    code: Type.String(),
    message: Type.String(),
  }),
);

/** An import's report: what it read, refused and imported (or, `dryRun`, would import). */
export const ImportReport = component(
  'ImportReport',
  Type.Object({
    flow: Type.String(),
    version: Type.Optional(Type.Integer()),
    rows: Type.Integer({ description: "the file's rows" }),
    valid: Type.Integer({ description: 'orders that can be imported' }),
    refused: Type.Array(RowProblem),
    imported: Type.Integer({ description: 'orders imported (0 with dryRun)' }),
    columns: Type.Optional(Type.Array(Type.String())),
    mapping: Type.Optional(Type.Record(Type.String(), Nullable(Type.String()))),
    preview: Type.Optional(
      Type.Array(
        Type.Object({
          line: Type.Integer(),
          rows: Type.Optional(Type.Array(Type.Integer())),
          externalRef: Nullable(Type.String()),
          data: AnyObject,
          state: Type.String(),
        }),
      ),
    ),
  }),
);

/** The answer to a signed inbound delivery. */
export const HookAnswer = component(
  'HookAnswer',
  Type.Union([
    Type.Object({
      outcome: Type.Union([
        Type.Literal('created'),
        Type.Literal('fired'),
        Type.Literal('unchanged'),
      ]),
      orderId: Type.String(),
      state: Type.String(),
      version: Type.Integer(),
    }),
    Type.Object({
      outcome: Type.Literal('unmatched'),
      reference: Type.Unknown(),
      exceptionId: Type.Integer(),
    }),
  ]),
);

/** A message orders came in by (e-mail, chat), as `GET /api/intake/messages/:id` shows it. */
export const IntakeMessage = component(
  'IntakeMessage',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    channel: Type.String({ description: 'how it came: email, wecom, dingtalk' }),
    messageId: Nullable(Type.String()),
    from: Nullable(Type.String()),
    to: Type.Array(Type.String()),
    subject: Nullable(Type.String()),
    flow: Nullable(Type.String()),
    outcome: Type.Union(
      ['pending', 'created', 'partial', 'refused', 'failed', 'rejected'].map((o) =>
        Type.Literal(o),
      ),
    ),
    orders: Type.Array(
      Type.Object({ externalRef: Type.String(), id: Type.Optional(Type.String()) }),
    ),
    problems: Type.Array(
      Type.Object({
        line: Type.Integer(),
        file: Type.Optional(Type.String()),
        column: Type.Optional(Type.String()),
        code: Type.String(),
        message: Type.String(),
      }),
    ),
    result: Type.Optional(
      Type.Unknown({ description: 'what was read: lines understood and not, sheets' }),
    ),
    auth: Nullable(AnyObject),
    duplicates: Type.Integer(),
    attempts: Type.Integer(),
    receivedAt: Type.String(),
    processedAt: Nullable(Type.String()),
    answeredAt: Nullable(Type.String()),
    answer: Nullable(Type.String()),
    language: Nullable(
      Type.Union([Type.Literal('en'), Type.Literal('zh-CN')], {
        description: 'the language the sender is answered in',
      }),
    ),
    reply: Type.Optional(
      Nullable(
        Type.Object(
          { subject: Type.String(), text: Type.String() },
          { description: "the answer's subject and text (one message only; null while pending)" },
        ),
      ),
    ),
  }),
);

/** A page of messages, newest first (without `result`). */
export const IntakeMessagePage = component(
  'IntakeMessagePage',
  Type.Object({ items: Type.Array(IntakeMessage), nextCursor: Nullable(Type.String()) }),
);

/** A flow's polled IMAP mailbox (`intake.email.imap`): where, and how its last poll went. */
export const IntakeMailbox = component(
  'IntakeMailbox',
  Type.Object({
    flow: Type.String(),
    mailbox: Type.String({ description: 'user@host:port/folder (never the password)' }),
    state: Type.Union([Type.Literal('never'), Type.Literal('ok'), Type.Literal('failed')]),
    message: Nullable(Type.String()),
    failures: Type.Integer({ description: 'failed polls in a row (the back-off)' }),
    taken: Type.Integer(),
    polledAt: Nullable(Type.String()),
    okAt: Nullable(Type.String()),
    nextAt: Nullable(Type.String()),
  }),
);

/** Every polled mailbox. */
export const IntakeMailboxList = component(
  'IntakeMailboxList',
  Type.Object({ items: Type.Array(IntakeMailbox) }),
);

const Counts = Type.Record(Type.String(), Type.Integer(), {
  description:
    "the messages by outcome (pending, created, partial, refused, failed, rejected); e-mail's are shared by `email` and `imap`",
});

/** One way orders come into a published flow (`GET /api/intake/channels`). */
export const IntakeChannel = component(
  'IntakeChannel',
  Type.Object({
    flow: Type.String(),
    flowName: Type.Unknown({ description: "the flow's name (text, or text by language)" }),
    kind: Type.Union(
      ['email', 'imap', 'wecom', 'dingtalk', 'file', 'pull'].map((k) => Type.Literal(k)),
    ),
    messages: Nullable(
      Type.String({ description: "the intake messages' channel; null for file and pull" }),
    ),
    address: Type.String({
      description: 'the e-mail addresses, the mailbox, the callback or import path, the pulled URL',
    }),
    addresses: Type.Optional(Type.Array(Type.String())),
    receiver: Type.Optional(
      Nullable(
        Type.Object(
          { host: Type.String(), port: Type.Integer() },
          { description: 'the SMTP receiver; null when it is off' },
        ),
      ),
    ),
    mailbox: Type.Optional(IntakeMailbox),
    corpId: Type.Optional(Type.String()),
    agentId: Type.Optional(Type.Integer()),
    replyHosts: Type.Optional(Type.Array(Type.String())),
    trigger: Type.Optional(Type.String()),
    connector: Type.Optional(Type.String()),
    every: Type.Optional(Type.String()),
    pull: Type.Optional(
      Nullable(
        Type.Object({
          trigger: Type.String(),
          cursor: Nullable(Type.String()),
          taken: Type.Integer(),
          outcome: Nullable(Type.String()),
          message: Nullable(Type.String()),
          runAt: Nullable(Type.String()),
        }),
      ),
    ),
    orderChannel: Type.Optional(Type.String()),
    lastAt: Nullable(Type.String()),
    counts: Counts,
  }),
);

/** Every channel of the published flows. */
export const IntakeChannelList = component(
  'IntakeChannelList',
  Type.Object({ items: Type.Array(IntakeChannel) }),
);
