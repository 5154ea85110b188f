/**
 * Orders by chat: WeCom application callbacks per second — each a one-order text (3 lines),
 * signed and AES-encrypted as WeCom sends it, checked and decrypted, stored once by MsgId,
 * read by the flow's message format, imported and answered through the (fake) application
 * API — against the same orders created by the API (`POST /api/orders`), 4 clients each,
 * SQLite and PostgreSQL. A callback counts once its answer is sent; the clock stops then.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWecomApp, FAKE_WECOM_APP, wecomCallback, wecomTextXml } from '@ordo/fake-systems';
import { createApp, FlowsService, MailIntakeService } from '@ordo/server';
import { standardOrderFlow } from '@ordo/engine/testing';
import { benchPostgres, benchSqlite, printRatios } from './lib/bench-db';

const MS = Number(process.env.BENCH_MS ?? 5000);
const CLIENTS = 4;
const ADMIN = 'bench-admin-key-0123456789';
const actor = { id: 'bench', roles: ['admin'] };
const keys = {
  corpId: FAKE_WECOM_APP.corpId,
  token: FAKE_WECOM_APP.token,
  encodingAESKey: FAKE_WECOM_APP.encodingAESKey,
};

async function measure(
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string },
) {
  const wecom = createWecomApp();
  const apiUrl = await wecom.start();
  const server = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: mkdtempSync(path.join(tmpdir(), 'ordo-bench-chat-')),
      database,
      bodyLimit: 1 << 20,
      jwtSecret: 'bench',
      adminKey: ADMIN,
      outboundAllow: ['127.0.0.1:*'],
      connectors: [],
      effectLeaseMs: 30_000,
      webhookRetryMs: 10_000,
      corsOrigins: [],
      trustProxy: false,
      rateLimit: { windowMs: 60_000, loginPerIp: 1e9, loginPerAccount: 1e9, hooksPerIp: 1e9 },
    },
    { logger: false },
  );
  const url = await server.listen();
  const call = (route: string, body: unknown) =>
    fetch(`${url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const stored = await call('/api/credentials', {
    name: 'wecom-app',
    secret: { ...keys, corpSecret: FAKE_WECOM_APP.corpSecret },
    hosts: ['127.0.0.1:*'],
  });
  if (stored.status !== 201) throw new Error(`credential: ${await stored.text()}`);
  const flow = {
    ...standardOrderFlow,
    intake: {
      message: {
        header: { Store: 'customer.id', 'Order no': 'externalRef' },
        line: '{sku} x {qty}',
      },
      wecom: {
        corpId: keys.corpId,
        agentId: FAKE_WECOM_APP.agentId,
        credential: 'wecom-app',
        apiUrl,
      },
    },
  };
  const flows = server.app.get(FlowsService);
  await flows.saveDraft(flow, actor);
  await flows.publish(flow.key, undefined, actor);
  const records = server.app.get(MailIntakeService).records;

  // The API: the same one-order data, 4 clients posting for MS.
  let created = 0;
  let end = Date.now() + MS;
  let started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; Date.now() < end; i++) {
        const res = await call('/api/orders', {
          flow: flow.key,
          externalRef: `api-${c}-${i}`,
          data: { customer: { id: `S-${i % 300}` }, lines: [{ sku: 'SKU-COLA-330', qty: 120 }] },
        });
        if (res.status !== 201) throw new Error(`order: ${await res.text()}`);
        created++;
      }
    }),
  );
  const apiRate = created / ((performance.now() - started) / 1000);

  // WeCom: 4 members sending order texts for MS; then until every one is answered.
  let sent = 0;
  end = Date.now() + MS;
  started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; Date.now() < end; i++) {
        const callback = wecomCallback(
          keys,
          wecomTextXml({
            corpId: keys.corpId,
            from: `member-${c}`,
            content: `Store: S-${i % 300}\nOrder no: wc-${c}-${i}\nSKU-COLA-330 x 120`,
            msgId: `${c}-${i}`,
            agentId: FAKE_WECOM_APP.agentId,
          }),
        );
        const res = await fetch(
          `${url}/api/intake/wecom/${flow.key}?${new URLSearchParams(callback.query)}`,
          { method: 'POST', headers: { 'content-type': 'text/xml' }, body: callback.body },
        );
        if (res.status !== 200) throw new Error(`callback: ${await res.text()}`);
        sent++;
      }
    }),
  );
  const replies = async () =>
    ((await (await fetch(`${apiUrl}/_test/messages`)).json()) as { messages: unknown[] }).messages
      .length;
  const until = Date.now() + 60_000;
  while ((await replies()) < sent) {
    if (Date.now() > until) {
      const page = await records.list({ channel: 'wecom', limit: 500 });
      const odd = page.items.filter((m) => m.outcome !== 'created' || !m.answeredAt);
      throw new Error(
        `${sent} sent, ${await replies()} answered: ${JSON.stringify(odd.slice(0, 3))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const chatRate = sent / ((performance.now() - started) / 1000);
  const done = await records.list({ outcome: 'created', channel: 'wecom', limit: 500 });
  if (done.items.length < Math.min(sent, 500)) throw new Error('chat orders not created');
  await server.close();
  await wecom.close();
  return { apiRate, chatRate };
}

async function main() {
  const results: [string, { apiRate: number; chatRate: number }][] = [];
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
      `Orders by chat on ${db}: one-order WeCom texts (3 lines), ${CLIENTS} clients, ${MS} ms`,
      [
        ['order API: POST /api/orders', r.apiRate],
        ['WeCom callback: verified, decrypted, stored, read, created, answered', r.chatRate],
      ],
      `WeCom / order API: ${(r.chatRate / r.apiRate).toFixed(2)}× — ${r.chatRate.toFixed(1)} messages/s`,
    );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
