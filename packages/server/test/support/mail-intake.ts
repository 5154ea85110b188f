/**
 * The e-mail intake's test harness: a flow that reads bodies and attachments, a server with
 * a real SMTP receiver, a local sink as the answers' mail server, and the reads the specs
 * share. `mailIntake(db)` registers its own beforeAll/afterAll; `start` may be called again
 * after `app.close()` to restart the server on the same database.
 */
import { standardOrderFlow } from '@ordo/engine/testing';
import type { OrdoConfig } from '../../src/config/ordo-config';
import { SmtpReceiver } from '../../src/intake/smtp-receiver';
import { publishFlow } from './flows';
import { sendMail, startMailSink } from './mail';
import { freshDatabase, startTestApp, type DatabaseKind, type TestApp } from './test-app';
import { waitFor } from './wait-for';

export const ORDERS = 'orders@ordo.example';

/** How a sheet of order lines (order, store, sku, qty) maps onto orders. */
export const sheetMapping = {
  order: 'externalRef',
  store: 'customer.id',
  sku: 'lines[].sku',
  qty: 'lines[].qty',
};

export const mailFlow = {
  ...standardOrderFlow,
  key: 'mail-orders',
  intake: {
    message: {
      header: { Store: 'customer.id', 'Order no': 'externalRef' },
      line: '{sku} x {qty} {unit?}',
      units: { factors: { cs: 24, ea: 1 } },
      aliases: { part: 'sku', dataSet: 'sku-aliases', column: 'sku' },
    },
    email: {
      to: [ORDERS],
      mapping: sheetMapping,
    },
  },
};

const ALIASES = 'alias,sku\ncola,SKU-COLA-330\nwater,SKU-WATER-1L';

/** A stored message as `GET /api/intake/messages` lists it. */
export interface MailRecord {
  id: string;
  messageId: string;
  outcome: string;
  orders: { externalRef: string; id?: string }[];
  problems: { line: number; file?: string; code: string; message: string }[];
  duplicates: number;
  answeredAt: string | null;
  language: string | null;
}

export function mailIntake(db: DatabaseKind) {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let sink: Awaited<ReturnType<typeof startMailSink>>;
  let app: TestApp;
  let smtpPort: number;
  const config = (): Partial<OrdoConfig> => ({
    outboundAllow: ['127.0.0.1:*'],
    mail: {
      smtp: {
        port: 0,
        host: '127.0.0.1',
        allow: ['stores.example', '*.acme.example'],
        maxBytes: 1_000_000,
      },
      outbound: { host: '127.0.0.1', port: sink.port, secure: false, from: 'ordo@ordo.example' },
    },
  });
  const start = async (runEffects = true) => {
    app = await startTestApp({ db, database: fresh.database, config: config(), runEffects });
    smtpPort = app.server.app.get(SmtpReceiver).port()!;
  };
  const messages = async (query = '') =>
    (await app.call('GET', `/api/intake/messages${query}`)).body.items as MailRecord[];

  beforeAll(async () => {
    sink = await startMailSink();
    fresh = await freshDatabase(db);
    await start();
    await publishFlow(app, mailFlow);
    expect(
      (await app.call('PUT', '/api/datasets/sku-aliases', { format: 'csv', content: ALIASES }))
        .status,
    ).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await sink.close();
    await fresh.drop();
  });

  return {
    get app() {
      return app;
    },
    get sink() {
      return sink;
    },
    get smtpPort() {
      return smtpPort;
    },
    start,
    /** Sends to the orders address from an allowed store, over SMTP. */
    send: (message: Parameters<typeof sendMail>[1]) =>
      sendMail(smtpPort, { from: 'buyer@stores.example', to: ORDERS, ...message }),
    messages,
    /** The message with this Message-ID once it has been worked. */
    message: (messageId: string) =>
      waitFor(async () =>
        (await messages()).find((m) => m.messageId === messageId && m.outcome !== 'pending'),
      ),
    /** The answer the sink received for a stored message. */
    answerTo: (id: string) => waitFor(async () => sink.mails.find((m) => m.text.includes(id))),
    order: async (ref: string) =>
      (await app.call('GET', `/api/orders?flow=mail-orders&externalRef=${ref}&limit=10`)).body
        .items as { externalRef: string; channel: string; data: Record<string, unknown> }[],
  };
}
