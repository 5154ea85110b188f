/**
 * Orders by e-mail: messages per second, each with a 50-line CSV attachment (10 orders of 5
 * lines), sent by nodemailer through Ordo's SMTP receiver — stored before the 250, read,
 * imported through the column mapping, recorded and answered to a local SMTP sink — against
 * the same 50-row files posted to the import API (`POST /api/flows/:key/imports`), 4 clients
 * each (4 stores: the worker keeps one sender's messages in order), SQLite and PostgreSQL. A message counts once its outcome is written (and its answer
 * sent); the clock stops when the last one is. The answers go over pooled connections: the sink
 * counts them (smtp-server waits 100 ms before each greeting).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createApp, FlowsService, MailIntakeService, SmtpReceiver } from '@ordo/server';
import { standardOrderFlow } from '@ordo/engine/testing';
import { benchPostgres, benchSqlite, printRatios } from './lib/bench-db';

const MS = Number(process.env.BENCH_MS ?? 5000);
const CLIENTS = 4;
const ORDERS = 10;
const LINES = 5;
const ADDRESS = 'orders@ordo.example';
const actor = { id: 'bench', roles: ['admin'] };
const mapping = {
  order: 'externalRef',
  store: 'customer.id',
  sku: 'lines[].sku',
  qty: 'lines[].qty',
};
const flow = { ...standardOrderFlow, intake: { email: { to: [ADDRESS], mapping } } };

/** A 50-row sheet: ORDERS orders of LINES lines, references unique to `run`. */
const sheet = (run: string) =>
  [
    'order,store,sku,qty',
    ...Array.from({ length: ORDERS * LINES }, (_, i) => {
      const o = Math.floor(i / LINES);
      return `${run}-${o},S-${o % 300},SKU-${i % 50},${(i % 9) + 1}`;
    }),
  ].join('\n');

/** An SMTP server that takes the answers and drops them. */
async function sink() {
  let answers = 0;
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        answers++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as { port: number }).port,
    answers: () => answers,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function measure(
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string },
) {
  const answers = await sink();
  const server = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: mkdtempSync(path.join(tmpdir(), 'ordo-bench-mail-')),
      database,
      bodyLimit: 1 << 20,
      jwtSecret: 'bench',
      adminKey: 'bench-admin-key-0123456789',
      outboundAllow: ['127.0.0.1:*'],
      connectors: [],
      effectLeaseMs: 30_000,
      webhookRetryMs: 10_000,
      corsOrigins: [],
      trustProxy: false,
      rateLimit: { windowMs: 60_000, loginPerIp: 1e9, loginPerAccount: 1e9, hooksPerIp: 1e9 },
      mail: {
        smtp: { port: 0, host: '127.0.0.1', allow: ['stores.example'], maxBytes: 1 << 20 },
        outbound: {
          host: '127.0.0.1',
          port: answers.port,
          secure: false,
          from: 'ordo@ordo.example',
        },
      },
    },
    { logger: false },
  );
  const url = await server.listen();
  const flows = server.app.get(FlowsService);
  await flows.saveDraft(flow, actor);
  await flows.publish(flow.key, undefined, actor);
  const smtpPort = server.app.get(SmtpReceiver).port()!;
  const records = server.app.get(MailIntakeService).records;

  // The import API: the same 50-row files, 4 clients posting for MS.
  let imported = 0;
  let end = Date.now() + MS;
  let started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; Date.now() < end; i++) {
        const res = await fetch(`${url}/api/flows/${flow.key}/imports`, {
          method: 'POST',
          headers: {
            authorization: 'Bearer bench-admin-key-0123456789',
            'content-type': 'application/json',
          },
          body: JSON.stringify({ format: 'csv', content: sheet(`api-${c}-${i}`), mapping }),
        });
        const body = (await res.json()) as { imported?: number };
        if (body.imported !== ORDERS) throw new Error(`import: ${JSON.stringify(body)}`);
        imported++;
      }
    }),
  );
  const apiRate = imported / ((performance.now() - started) / 1000);

  // SMTP: 4 clients with a connection each, a message at a time, for MS; then until worked.
  let sent = 0;
  end = Date.now() + MS;
  started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const transport = createTransport({
        host: '127.0.0.1',
        port: smtpPort,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
      });
      for (let i = 0; Date.now() < end; i++) {
        await transport.sendMail({
          from: `store-${c}@stores.example`,
          to: ADDRESS,
          subject: `Orders ${c}-${i}`,
          text: 'Attached.',
          attachments: [
            { filename: 'orders.csv', content: sheet(`mail-${c}-${i}`), contentType: 'text/csv' },
          ],
        });
        sent++;
      }
      transport.close();
    }),
  );
  for (;;) {
    const pending = await records.list({ outcome: 'pending', limit: 1 });
    if (!pending.items.length && answers.answers() >= sent) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const mailRate = sent / ((performance.now() - started) / 1000);
  const created = await records.list({ outcome: 'created', limit: 500 });
  if (created.items.length < Math.min(sent, 500)) throw new Error('messages not created');
  await server.close();
  await answers.close();
  return { apiRate, mailRate, answers: answers.answers(), connections: answers.connections() };
}

async function main() {
  const results: [string, Awaited<ReturnType<typeof measure>>][] = [];
  const lite = benchSqlite();
  try {
    results.push(['SQLite', await measure({ kind: 'sqlite', file: lite.file })]);
  } finally {
    lite.drop();
  }
  const pg = await benchPostgres();
  try {
    results.push(['PostgreSQL', await measure({ kind: 'postgres', url: pg.url })]);
  } finally {
    await pg.drop();
  }
  for (const [db, r] of results)
    printRatios(
      `Orders by e-mail on ${db}: files of ${ORDERS * LINES} CSV rows (${ORDERS} orders × ${LINES} lines), ${CLIENTS} clients, ${MS} ms`,
      [
        ['import API: POST /api/flows/:key/imports', r.apiRate],
        ['SMTP receiver: stored, read, imported, answered', r.mailRate],
      ],
      `e-mail / import API: ${(r.mailRate / r.apiRate).toFixed(2)}× — ${r.mailRate.toFixed(1)} messages/s (${Math.round(r.mailRate * ORDERS * LINES).toLocaleString('en-US')} rows/s); ${r.answers} answers over ${r.connections} SMTP connection(s)`,
    );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
