/**
 * Effects end to end: an order is created, its flow calls the fake WMS (a reservation), the
 * answer comes back on the order and moves it to `reserved` — in embedded mode (SQLite,
 * PostgreSQL) and cluster mode (two processes, PostgreSQL + Redis), each server on the same
 * one core. Three runs of `BENCH_EFFECT_ORDERS` orders each:
 *
 * - a backlog: the orders imported in one request, then drained by the dispatcher — the
 *   effects' own throughput (reservations sent and answers applied per second);
 * - created by the API, 16 clients one order after another: the most orders per second the
 *   process carries from the create request to the applied answer;
 * - created by the API at 80% of that rate, each when due (open loop): p50/p99 from creation
 *   to the answer applied.
 *
 * The baseline is the same reservations sent straight to the fake WMS by a client process of
 * its own on the servers' core, as many in flight as the dispatcher runs (32): the ceiling of
 * the far side.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { reservationFlow, startFakeSystems } from '@ordo/fake-systems';
import { benchPostgres, benchSqlite, printRatios } from './lib/bench-db';
import { runPinned, startOrdo, stop } from './lib/child-server';

const ORDERS = Number(process.env.BENCH_EFFECT_ORDERS ?? 1500);
const KEY = 'bench-admin-key-0123456789';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The effects one process runs at once (DispatcherOptions.concurrency): the baseline's too. */
const IN_FLIGHT = 32;
const CLIENTS = 16;
/** Which runs to make (`BENCH_EFFECT_MODES=sqlite,postgres,cluster`; default all three). */
const MODES = (process.env.BENCH_EFFECT_MODES ?? 'sqlite,postgres,cluster').split(',');

async function call(base: string, method: string, route: string, body?: unknown) {
  const res = await fetch(base + route, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

const orderData = (n: number) => ({ lines: [{ sku: `S-${n % 50}`, qty: 1 }] });

/** Creation and answer times of every order of a flow, from the history the server wrote. */
async function timings(databaseUrl: string, flow: string) {
  const sql = `SELECT h.order_id, MIN(h.at) AS created, MAX(h.at) AS applied
    FROM order_history h JOIN orders o ON o.id = h.order_id WHERE o.flow_key = '${flow}'
    GROUP BY h.order_id`;
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
  const t = rows.map((r) => ({ created: Date.parse(r.created), applied: Date.parse(r.applied) }));
  const latencies = t.map((x) => x.applied - x.created).sort((a, b) => a - b);
  const span = Math.max(...t.map((x) => x.applied)) - Math.min(...t.map((x) => x.created));
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { rate: (t.length / span) * 1000, p50: pct(0.5), p99: pct(0.99) };
}

/** Waits until no order of the flow is still waiting for its answer. */
async function settled(base: string, flow: string, label: string) {
  for (const give = Date.now() + 120_000; ;) {
    const left = await call(base, 'GET', `/api/orders?flow=${flow}&state=new&limit=1`);
    if (!left.items.length) return;
    if (Date.now() > give) {
      const dead = await call(base, 'GET', '/api/effects?status=dead&limit=1');
      throw new Error(
        `${label}: orders still waiting after 120 s; ${JSON.stringify(dead.items[0])}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates the orders by the API, `CLIENTS` at a time, each client one after another. */
async function closedLoop(urls: string[], flow: string) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (next < ORDERS)
        await call(urls[c % urls.length], 'POST', '/api/orders', { flow, data: orderData(next++) });
    }),
  );
}

/** Creates the orders by the API at `rate` a second, each when due whatever the others do. */
async function openLoop(urls: string[], flow: string, rate: number) {
  const start = Date.now();
  const sent: Promise<unknown>[] = [];
  while (sent.length < ORDERS) {
    const due = Math.min(ORDERS, Math.floor(((Date.now() - start) * rate) / 1000) + 1);
    while (sent.length < due) {
      const n = sent.length;
      sent.push(call(urls[n % urls.length], 'POST', '/api/orders', { flow, data: orderData(n) }));
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(sent);
}

async function run(label: string, databaseUrl: string, wms: string, processes: number) {
  const env = { ORDO_OUTBOUND_ALLOW: '127.0.0.1:*', ...(processes > 1 && { REDIS_URL: REDIS }) };
  const servers = [];
  for (let i = 0; i < processes; i++) servers.push(await startOrdo(databaseUrl, KEY, env));
  const urls = servers.map((s) => s.url);
  const base = urls[0];
  try {
    for (const flow of ['effects-backlog', 'effects-api', 'effects-paced']) {
      await call(base, 'POST', '/api/flows', reservationFlow(wms, flow));
      await call(base, 'POST', `/api/flows/${flow}/publish`, {});
    }
    const lines = Array.from({ length: ORDERS }, (_, n) => JSON.stringify(orderData(n)));
    await call(base, 'POST', '/api/flows/effects-backlog/imports', {
      format: 'jsonl',
      content: lines.join('\n'),
    });
    await settled(base, 'effects-backlog', label);
    const backlog = await timings(databaseUrl, 'effects-backlog');
    await closedLoop(urls, 'effects-api');
    await settled(base, 'effects-api', label);
    const api = await timings(databaseUrl, 'effects-api');
    await openLoop(urls, 'effects-paced', api.rate * 0.8);
    await settled(base, 'effects-paced', label);
    const paced = await timings(databaseUrl, 'effects-paced');
    return { label, backlog, api, paced: { ...paced, rate: api.rate * 0.8 } };
  } finally {
    for (const s of servers) await stop(s.child);
  }
}

async function main() {
  const fake = await startFakeSystems();
  const wms = fake.urls.wms;
  const output = await runPinned([
    '--import',
    'tsx',
    path.join(__dirname, 'lib/wms-client.ts'),
    wms,
    '2000',
    String(IN_FLIGHT),
  ]);
  const direct = Number(/rate ([\d.]+)/.exec(output)?.[1]);
  await fake.systems.wms.setKnobs({});
  fake.systems.wms.reset();

  const results = [];
  if (MODES.includes('sqlite')) {
    const lite = benchSqlite();
    try {
      results.push(await run('SQLite', `sqlite:${lite.file}`, wms, 1));
    } finally {
      lite.drop();
    }
  }
  for (const [mode, label, processes] of [
    ['postgres', 'PostgreSQL', 1],
    ['cluster', 'cluster, 2 processes + Redis', 2],
  ] as const) {
    if (!MODES.includes(mode)) continue;
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
    `Effects end to end (order created → WMS reservation → answer applied, ${ORDERS} orders a run)`,
    [
      [`reservations straight to the fake WMS, ${IN_FLIGHT} in flight`, direct],
      ...results.map((r) => [`${r.label}, backlog drained`, r.backlog.rate] as [string, number]),
      ...results.map(
        (r) =>
          [`${r.label}, created by the API (${CLIENTS} clients)`, r.api.rate] as [string, number],
      ),
    ],
    'goal: ≥ 0.4× direct; p99 < 1 s at 80% of the API rate; the cluster at least one process',
  );
  const ms = (t: { p50: number; p99: number }) => `p50 ${t.p50} ms, p99 ${t.p99} ms`;
  for (const r of results) {
    console.log(`  ${r.label}`);
    console.log(`    backlog drained                 ${ms(r.backlog)}`);
    console.log(`    API, ${CLIENTS} clients               ${ms(r.api)}`);
    console.log(`    API at ${Math.round(r.paced.rate)}/s (80% of its max)  ${ms(r.paced)}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
