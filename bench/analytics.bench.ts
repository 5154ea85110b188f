/**
 * Analytics at scale on PostgreSQL: 1,000,000 orders and 10,000,000 history rows over a year
 * (generated in the database), the journey roll-up built from them, then p95 per request of the
 * analytics for a month and for a year, the series and the customer health report — against the
 * same aggregates as one hand-written SQL query over the raw history. And the import of a
 * 100,000-row legacy event log: rows per second against a raw bulk insert of the same rows.
 *
 * BENCH_ANALYTICS_ORDERS sets the orders (default 1,000,000; each has 10 history rows),
 * BENCH_ANALYTICS_RUNS the requests timed per figure (default 20).
 */
import { tmpdir } from 'node:os';
import { Pool } from 'pg';
import { createApp, FlowsService, JourneyRollup } from '@ordo/server';
import { benchPostgres } from './lib/bench-db';

const ORDERS = Number(process.env.BENCH_ANALYTICS_ORDERS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_ANALYTICS_RUNS ?? 20);
const LOG_ROWS = 100_000;
const actor = { id: 'bench', roles: ['admin'], kind: 'person' as const };
const ADMIN_KEY = 'bench-analytics-admin-key-0123456789';

/** Ten entries per order: created, then nine steps; one order in ten detours through `short`. */
const MAIN = [
  'new',
  'confirmed',
  'approved',
  'reserved',
  'picked',
  'packed',
  'shipped',
  'delivered',
  'invoiced',
  'done',
];
const DETOUR = [
  'new',
  'confirmed',
  'approved',
  'short',
  'reserved',
  'picked',
  'packed',
  'shipped',
  'delivered',
  'done',
];
const states = [...new Set([...MAIN, ...DETOUR])];
const pairs = new Set<string>();
for (const path of [MAIN, DETOUR])
  for (let k = 1; k < path.length; k++) pairs.add(`${path[k - 1]}>${path[k]}`);

const flow = {
  schemaVersion: 1,
  key: 'scale',
  name: 'Analytics at scale',
  customer: 'customer.id',
  fields: [{ key: 'customer', type: 'object', fields: [{ key: 'id', type: 'string' }] }],
  states: states.map((id) => ({
    id,
    ...(id === 'new' && { initial: true }),
    ...(id === 'done' && { final: true }),
    ...(id === 'short' && { exception: true }),
    ...(id === 'reserved' && { sla: { within: 'PT4H', onBreach: { event: 'late' } } }),
  })),
  transitions: [...pairs].map((p) => {
    const [from, to] = p.split('>');
    return { id: `t_${from}_${to}`, from, to, event: to };
  }),
  measures: [
    { id: 'to_ship', from: { state: 'new' }, to: { state: 'shipped' }, target: 'PT24H' },
    { id: 'reserve_to_pick', from: { state: 'reserved' }, to: { state: 'picked' }, target: 'PT2H' },
  ],
  counters: [{ id: 'short', state: 'short' }],
};

const SPAN_S = 365 * 86_400;
const iso = (ms: number) => new Date(ms).toISOString();

/** Generates orders [from, to) and their history in the database (timestamps as Ordo writes them). */
async function generate(pool: Pool, from: number, to: number) {
  const ts = (expr: string) =>
    `to_char((timestamp '2025-01-01 00:00:00' + (${expr}) * interval '1 second'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const created = `(i::bigint * ${SPAN_S} / ${ORDERS})`;
  // Step k's duration in seconds: 5 to 245 minutes, varied per order and step.
  const step = `(300 + ((i * 37 + k * 101) % 240) * 60)`;
  await pool.query(
    `INSERT INTO orders (id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at)
     SELECT 'o' || i, 'scale', 1, 'done', '{"customer":{"id":"C' || (i % 5000) || '"}}', 10,
       'C' || (i % 5000), (ARRAY['api', 'csv', 'webhook'])[1 + i % 3], 'R-' || i, '',
       ${ts(created)}, ${ts(`${created} + (SELECT sum(${step}) FROM generate_series(1, 9) AS k)`)}
     FROM generate_series($1::int, $2::int - 1) AS i`,
    [from, to],
  );
  await pool.query(
    `INSERT INTO order_history (order_id, seq, kind, event, transition, from_state, to_state, actor_id, actor_roles, payload, at)
     SELECT 'o' || i, k + 1,
       CASE WHEN k = 0 THEN 'created' ELSE 'transition' END,
       CASE WHEN k = 0 THEN NULL ELSE p[k + 1] END,
       CASE WHEN k = 0 THEN NULL ELSE 't_' || p[k] || '_' || p[k + 1] END,
       CASE WHEN k = 0 THEN NULL ELSE p[k] END,
       p[k + 1],
       CASE WHEN p[k] = 'short' AND i % 3 <> 0 THEN 'wms' ELSE 'clerk' END,
       CASE WHEN p[k] = 'short' AND i % 3 <> 0 THEN '["system"]' ELSE '["operator"]' END,
       CASE WHEN k = 0 THEN '{"customer":{"id":"C' || (i % 5000) || '"}}' ELSE NULL END,
       ${ts(`${created} + cum`)}
     FROM (
       SELECT i, k, p, sum(CASE WHEN k = 0 THEN 0 ELSE ${step} END) OVER (PARTITION BY i ORDER BY k) AS cum
       FROM generate_series($1::int, $2::int - 1) AS i,
         LATERAL (SELECT CASE WHEN i % 10 = 0 THEN $3::text[] ELSE $4::text[] END AS p) AS path,
         generate_series(0, 9) AS k
     ) AS steps`,
    [from, to, DETOUR, MAIN],
  );
}

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
};
async function timed(runs: number, fn: () => Promise<unknown>) {
  await fn(); // warm
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return { p50: pct(ms, 0.5), p95: pct(ms, 0.95) };
}

/**
 * The hand-written query: the same figures (orders created and completed, cycle time, time per
 * state of the stays that ended in the window, transitions, both measures, exception stays)
 * computed from the raw history in one statement, as an analyst would write it.
 */
const HANDWRITTEN = `
WITH h AS (
  SELECT h.order_id, h.seq, h.from_state, h.to_state, h.event, h.at, h.actor_roles,
    lead(h.at) OVER (PARTITION BY h.order_id ORDER BY h.seq) AS left_at,
    lead(h.actor_roles) OVER (PARTITION BY h.order_id ORDER BY h.seq) AS left_roles
  FROM order_history h JOIN orders o ON o.id = h.order_id
  WHERE o.flow_key = 'scale'
),
ms AS (SELECT *, extract(epoch FROM (left_at::timestamptz - at::timestamptz)) * 1000 AS d FROM h),
firsts AS (
  SELECT order_id,
    min(at) FILTER (WHERE to_state = 'new') AS t_new,
    min(at) FILTER (WHERE to_state = 'shipped') AS t_shipped,
    min(at) FILTER (WHERE to_state = 'reserved') AS t_reserved,
    min(at) FILTER (WHERE to_state = 'picked') AS t_picked,
    min(at) FILTER (WHERE to_state = 'done') AS t_done
  FROM h GROUP BY order_id
)
SELECT 'state' AS kind, to_state AS k, count(*) AS n, avg(d) AS mean,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95
FROM ms WHERE left_at >= $1 AND left_at < $2 GROUP BY to_state
UNION ALL
SELECT 'transition', from_state || '>' || to_state || ':' || event, count(*), NULL, NULL, NULL, NULL
FROM h WHERE from_state IS NOT NULL AND at >= $1 AND at < $2 GROUP BY from_state, to_state, event
UNION ALL
SELECT 'exception', left_roles, count(*), NULL, NULL, NULL, NULL
FROM h WHERE to_state = 'short' AND left_at >= $1 AND left_at < $2 GROUP BY left_roles
UNION ALL
SELECT 'measure', m.id, count(*), avg(m.d),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY m.d),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY m.d),
  percentile_cont(0.95) WITHIN GROUP (ORDER BY m.d)
FROM (
  SELECT 'to_ship' AS id, t_shipped AS ended, extract(epoch FROM (t_shipped::timestamptz - t_new::timestamptz)) * 1000 AS d FROM firsts
  UNION ALL
  SELECT 'reserve_to_pick', t_picked, extract(epoch FROM (t_picked::timestamptz - t_reserved::timestamptz)) * 1000 FROM firsts
  UNION ALL
  SELECT 'cycle', t_done, extract(epoch FROM (t_done::timestamptz - t_new::timestamptz)) * 1000 FROM firsts
) m WHERE m.ended >= $1 AND m.ended < $2 GROUP BY m.id
UNION ALL
SELECT 'created', NULL, count(*), NULL, NULL, NULL, NULL FROM firsts WHERE t_new >= $1 AND t_new < $2`;

/** The event log's CSV: 10,000 legacy orders of 10 entries each. */
function legacyLog(): string {
  const lines = ['reference,state,event,at,actor,customer,channel,by'];
  for (let o = 0; o < LOG_ROWS / 10; o++) {
    const path = o % 10 === 0 ? DETOUR : MAIN;
    let t = Date.UTC(2024, 0, 1) + o * 60_000;
    path.forEach((state, k) => {
      if (k) t += (5 + ((o * 37 + k * 101) % 240)) * 60_000;
      lines.push(
        `L-${o},${state},${k ? state : ''},${iso(t)},clerk,${k ? '' : `K${o % 500}`},${k ? '' : 'email'},person`,
      );
    });
  }
  return lines.join('\n');
}

/** The raw bulk insert of the same log: orders and history rows, unnest, one transaction. */
async function rawImport(pool: Pool, text: string) {
  const rows = text
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const byRef = new Map<string, string[][]>();
  for (const r of rows) byRef.set(r[0], [...(byRef.get(r[0]) ?? []), r]);
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const ids: string[] = [];
    const o = {
      state: [] as string[],
      customer: [] as string[],
      created: [] as string[],
      updated: [] as string[],
    };
    const h = {
      id: [] as string[],
      seq: [] as number[],
      from: [] as (string | null)[],
      to: [] as string[],
      at: [] as string[],
    };
    for (const [ref, entries] of byRef) {
      const id = `raw-${ref}`;
      ids.push(id);
      o.state.push(entries[entries.length - 1][1]);
      o.customer.push(entries[0][5]);
      o.created.push(entries[0][3]);
      o.updated.push(entries[entries.length - 1][3]);
      entries.forEach((e, k) => {
        h.id.push(id);
        h.seq.push(k + 1);
        h.from.push(k ? entries[k - 1][1] : null);
        h.to.push(e[1]);
        h.at.push(e[3]);
      });
    }
    await client.query(
      `INSERT INTO orders (id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at)
       SELECT id, 'legacy-raw', 1, s, '{}', 1, c, 'email', id, '', ca, ua
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, s, c, ca, ua)`,
      [ids, o.state, o.customer, o.created, o.updated],
    );
    await client.query(
      `INSERT INTO order_history (order_id, seq, kind, event, transition, from_state, to_state, actor_id, actor_roles, payload, at)
       SELECT id, seq, CASE WHEN seq = 1 THEN 'imported' ELSE 'transition' END, NULL, NULL, f, t, 'clerk', '["operator"]', NULL, at
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) AS x(id, seq, f, t, at)`,
      [h.id, h.seq, h.from, h.to, h.at],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  return rows.length / ((performance.now() - started) / 1000);
}

async function main() {
  const pg = await benchPostgres();
  const server = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: tmpdir(),
      database: { kind: 'postgres', url: pg.url },
      bodyLimit: 64 << 20,
      jwtSecret: 'bench-analytics',
      adminKey: ADMIN_KEY,
    },
    { logger: false, runEffects: false },
  );
  const url = (await server.listen()).replace('localhost', '127.0.0.1');
  const pool = new Pool({ connectionString: pg.url, max: 4 });
  const get = async (route: string) => {
    const r = await fetch(`${url}/api${route}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    if (!r.ok) throw new Error(`${route}: HTTP ${r.status} ${await r.text()}`);
    return r.arrayBuffer();
  };
  try {
    const flows = server.app.get(FlowsService);
    await flows.saveDraft(flow as never, actor);
    await flows.publish('scale', undefined, actor);

    let t = performance.now();
    const CHUNK = 50_000;
    for (let from = 0; from < ORDERS; from += CHUNK)
      await generate(pool, from, Math.min(ORDERS, from + CHUNK));
    await pool.query('ANALYZE');
    const history = Number((await pool.query('SELECT count(*) AS n FROM order_history')).rows[0].n);
    console.log(
      `generated ${ORDERS.toLocaleString('en')} orders, ${history.toLocaleString('en')} history rows in ${((performance.now() - t) / 1000).toFixed(0)} s`,
    );

    // The roll-up, built once from every order (afterwards each request rolls up only the
    // orders changed since the flow's mark).
    t = performance.now();
    await server.app.get(JourneyRollup).catchUp('scale');
    const rollupS = (performance.now() - t) / 1000;
    await pool.query('ANALYZE');
    console.log(
      `journey roll-up of ${ORDERS.toLocaleString('en')} orders: ${rollupS.toFixed(1)} s = ${Math.round(ORDERS / rollupS).toLocaleString('en')} orders/s (once; afterwards only changed orders)`,
    );

    const month = { from: '2025-06-01T00:00:00.000Z', to: '2025-07-01T00:00:00.000Z' };
    const year = { from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' };
    const rows: [string, { p50: number; p95: number }, { p50: number; p95: number } | undefined][] =
      [];
    for (const [name, w] of [
      ['month', month],
      ['year', year],
    ] as const) {
      const ordo = await timed(RUNS, () => get(`/flows/scale/analytics?from=${w.from}&to=${w.to}`));
      const raw = await timed(Math.max(3, Math.round(RUNS / 4)), () =>
        pool.query(HANDWRITTEN, [w.from, w.to]),
      );
      rows.push([`analytics, a ${name}`, ordo, raw]);
    }
    rows.push([
      'series to_ship by day, a month',
      await timed(RUNS, () =>
        get(
          `/flows/scale/analytics/series?measure=to_ship&bucket=day&from=${month.from}&to=${month.to}`,
        ),
      ),
      undefined,
    ]);
    rows.push([
      'series by month, a year',
      await timed(RUNS, () =>
        get(`/flows/scale/analytics/series?bucket=month&from=${year.from}&to=${year.to}`),
      ),
      undefined,
    ]);
    rows.push([
      'customer health report, top 100',
      await timed(RUNS, () => get('/flows/scale/reports/customer-health?month=2025-06&top=100')),
      undefined,
    ]);
    console.log(
      `\nPostgreSQL, ${ORDERS.toLocaleString('en')} orders / ${history.toLocaleString('en')} history rows; p95 over ${RUNS} requests (HTTP included for Ordo)`,
    );
    for (const [name, ordo, raw] of rows)
      console.log(
        `  ${name.padEnd(34)} Ordo p50 ${ordo.p50.toFixed(0).padStart(6)} ms  p95 ${ordo.p95.toFixed(0).padStart(6)} ms` +
          (raw
            ? `   hand-written SQL over the raw history p95 ${raw.p95.toFixed(0).padStart(6)} ms   Ordo/SQL ${(ordo.p95 / raw.p95).toFixed(3)}×`
            : ''),
      );

    // The event log import.
    const log = legacyLog();
    await flows.saveDraft({ ...flow, key: 'legacy' } as never, actor);
    await flows.publish('legacy', undefined, actor);
    t = performance.now();
    const r = await fetch(`${url}/api/flows/legacy/event-log`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'csv', content: log }),
    });
    if (!r.ok) throw new Error(`import: HTTP ${r.status} ${await r.text()}`);
    const ordoRate = LOG_ROWS / ((performance.now() - t) / 1000);
    const rawRate = await rawImport(pool, log);
    console.log(
      `\nevent log import, ${LOG_ROWS.toLocaleString('en')} rows: Ordo ${Math.round(ordoRate).toLocaleString('en')} rows/s, raw bulk insert ${Math.round(rawRate).toLocaleString('en')} rows/s = ${(ordoRate / rawRate).toFixed(3)}×`,
    );
  } finally {
    await pool.end();
    await server.close();
    await pg.drop();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
