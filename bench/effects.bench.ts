/**
 * Effects end to end: an order is created, its flow calls the fake WMS (a reservation), the
 * answer comes back on the order and moves it to `reserved` — per second, with p50/p99 from
 * creation to the answer applied, in embedded mode (SQLite, PostgreSQL) and cluster mode (two
 * processes, PostgreSQL + Redis). The baseline is the same reservations sent straight to the
 * fake WMS with a keep-alive client: the ceiling of the far side.
 */
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { SafeHttpClient } from '@ordo/connectors';
import { reservationFlow, startFakeSystems } from '@ordo/fake-systems';
import { benchPostgres, benchSqlite, loadFor, printRatios } from './lib/bench-db';
import { startOrdo, stop } from './lib/child-server';

const ORDERS = Number(process.env.BENCH_EFFECT_ORDERS ?? 1500);
const KEY = 'bench-admin-key-0123456789';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function call(base: string, method: string, route: string, body?: unknown) {
  const res = await fetch(base + route, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Creation and answer times of every order, from the history the server wrote. */
async function timings(databaseUrl: string): Promise<{ created: number; applied: number }[]> {
  const sql = `SELECT order_id, MIN(at) AS created, MAX(at) AS applied FROM order_history GROUP BY order_id`;
  let rows: { created: string; applied: string }[];
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice(7), { readonly: true });
    rows = db.prepare(sql).all() as typeof rows;
    db.close();
  } else {
    const c = new Client({ connectionString: databaseUrl });
    await c.connect();
    rows = (await c.query(sql)).rows;
    await c.end();
  }
  return rows.map((r) => ({ created: Date.parse(r.created), applied: Date.parse(r.applied) }));
}

async function run(label: string, databaseUrl: string, wms: string, processes: number) {
  const env = { ORDO_OUTBOUND_ALLOW: '127.0.0.1:*', ...(processes > 1 && { REDIS_URL: REDIS }) };
  const servers = [];
  for (let i = 0; i < processes; i++) servers.push(await startOrdo(databaseUrl, KEY, env));
  try {
    const base = servers[0].url;
    await call(base, 'POST', '/api/flows', reservationFlow(wms, 'effects'));
    await call(base, 'POST', '/api/flows/effects/publish', {});
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        while (next < ORDERS) {
          next++;
          await call(servers[c % servers.length].url, 'POST', '/api/orders', {
            flow: 'effects',
            data: { lines: [{ sku: `S-${next % 50}`, qty: 1 }] },
          });
        }
      }),
    );
    for (const give = Date.now() + 60_000; ;) {
      const left = await call(base, 'GET', '/api/orders?flow=effects&state=new&limit=1');
      if (!left.items.length) break;
      if (Date.now() > give) {
        const dead = await call(base, 'GET', '/api/effects?status=dead&limit=1');
        throw new Error(
          `${label}: orders still waiting after 60 s; ${JSON.stringify(dead.items[0])}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    for (const s of servers) await stop(s.child);
  }
  const t = await timings(databaseUrl);
  const latencies = t.map((x) => x.applied - x.created).sort((a, b) => a - b);
  const span = Math.max(...t.map((x) => x.applied)) - Math.min(...t.map((x) => x.created));
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { label, rate: (t.length / span) * 1000, p50: pct(0.5), p99: pct(0.99) };
}

async function main() {
  const fake = await startFakeSystems();
  const wms = fake.urls.wms;
  const client = new SafeHttpClient({ allow: ['127.0.0.1:*'] });
  let n = 0;
  const direct = await loadFor(2000, 32, async () =>
    (
      await client.request({
        method: 'POST',
        url: `${wms}/reservations`,
        headers: { 'idempotency-key': `direct-${n}` },
        json: { orderId: `d-${n}`, lines: [{ sku: `S-${n++ % 50}`, qty: 1 }] },
      })
    ).json(),
  );
  await client.close();
  await fake.systems.wms.setKnobs({});
  fake.systems.wms.reset();

  const results = [];
  const lite = benchSqlite();
  try {
    results.push(await run('embedded, SQLite', `sqlite:${lite.file}`, wms, 1));
  } finally {
    lite.drop();
  }
  for (const [label, processes] of [
    ['embedded, PostgreSQL', 1],
    ['cluster, 2 processes, PostgreSQL + Redis', 2],
  ] as const) {
    fake.systems.wms.reset();
    const pg = await benchPostgres();
    try {
      results.push(await run(label, pg.url, wms, processes));
    } finally {
      await pg.drop();
    }
  }
  await fake.close();
  printRatios(
    `Effects end to end (order created → WMS reservation → answer applied, ${ORDERS} orders)`,
    [
      ['reservations sent straight to the fake WMS', direct],
      ...results.map((r) => [r.label, r.rate] as [string, number]),
    ],
  );
  for (const r of results) console.log(`  ${r.label.padEnd(52)} p50 ${r.p50} ms, p99 ${r.p99} ms`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
