/**
 * (a) Persisted fires per second at 4 concurrent clients, through the orders service (engine
 * + one transaction: read, conditional UPDATE, history INSERT, outbox INSERT), against the
 * same statements run raw: pgbench -M extended and the `pg` driver on PostgreSQL, and a
 * better-sqlite3 transaction on SQLite (WAL).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { createApp, FlowsService, OrdersService, type OrdoApp } from '@ordo/server';
import { benchPostgres, benchSqlite, loadFor, printRatios } from './lib/bench-db';
import { pingPongFlow } from './lib/bench-flow';

const CLIENTS = 4;
const ORDERS = 200;
const MS = Number(process.env.BENCH_MS ?? 5000);
const actor = { id: 'bench', roles: ['admin'] };

async function ordoServer(
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string },
): Promise<{ server: OrdoApp; ids: string[] }> {
  const server = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: tmpdir(),
      database,
      bodyLimit: 1 << 20,
      jwtSecret: 'bench-secret',
    },
    { logger: false, poolSize: 10 },
  );
  const flows = server.app.get(FlowsService);
  await flows.saveDraft(pingPongFlow, actor);
  await flows.publish('bench', undefined, actor);
  const orders = server.app.get(OrdersService);
  const ids: string[] = [];
  for (let i = 0; i < ORDERS; i++)
    ids.push(
      (await orders.create({ flow: 'bench', data: { customer: { id: `C${i}` }, qty: 1 } }, actor))
        .id,
    );
  return { server, ids };
}

/** Each client fires on its own orders, so clients never conflict. */
async function fireOrdo(server: OrdoApp, ids: string[]): Promise<number> {
  const orders = server.app.get(OrdersService);
  const per = ids.length / CLIENTS;
  return loadFor(MS, CLIENTS, (c, i) =>
    orders.fire(ids[c * per + (i % per)], { type: 'flip' }, undefined, actor),
  );
}

const statements = {
  read: 'SELECT * FROM orders WHERE id = $1',
  update:
    'UPDATE orders SET state = $1, data = $2, version = $3, updated_at = $4 WHERE id = $5 AND version = $6',
  history:
    'INSERT INTO order_history (order_id, seq, kind, event, transition, from_state, to_state, actor_id, actor_roles, payload, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
  outbox:
    'INSERT INTO outbox (order_id, history_seq, effect_index, idempotency_key, type, effect, status, attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
};

async function rawPg(url: string, ids: string[]): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined); // the database is dropped right after
  const per = ids.length / CLIENTS;
  const rate = await loadFor(MS, CLIENTS, async (c, i) => {
    const id = ids[c * per + (i % per)];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query({ name: 'read', text: statements.read, values: [id] });
      const order = rows[0];
      const now = new Date().toISOString();
      const version = order.version + 1;
      const to = order.state === 'ping' ? 'pong' : 'ping';
      await client.query({
        name: 'update',
        text: statements.update,
        values: [to, order.data, version, now, id, order.version],
      });
      await client.query({
        name: 'history',
        text: statements.history,
        values: [id, version, 'transition', 'flip', 'x', order.state, to, 'bench', '[]', null, now],
      });
      await client.query({
        name: 'outbox',
        text: statements.outbox,
        values: [id, version, 0, `${id}:${version}:0`, 'emit', '{}', 'pending', 0, now, now],
      });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
  await pool.end();
  return rate;
}

function pgbench(url: string, ids: string[]): number {
  const script = path.join(tmpdir(), `ordo-pgbench-${process.pid}.sql`);
  writeFileSync(
    script,
    [
      `\\set n random(0, ${ids.length - 1})`,
      'BEGIN;',
      "SELECT * FROM orders WHERE id = 'pgb-' || :n;",
      "UPDATE orders SET state = CASE WHEN state = 'ping' THEN 'pong' ELSE 'ping' END, version = version + 1, updated_at = now()::text WHERE id = 'pgb-' || :n AND version = version RETURNING version AS v, state AS s \\gset",
      "INSERT INTO order_history (order_id, seq, kind, event, transition, from_state, to_state, actor_id, actor_roles, payload, at) VALUES ('pgb-' || :n, :v, 'transition', 'flip', 'x', 'a', :s, 'bench', '[]', NULL, now()::text);",
      "INSERT INTO outbox (order_id, history_seq, effect_index, idempotency_key, type, effect, status, attempts, next_attempt_at, created_at) VALUES ('pgb-' || :n, :v, 0, 'pgb-' || :n || ':' || :v || ':0', 'emit', '{}', 'pending', 0, now()::text, now()::text);",
      'COMMIT;',
    ].join('\n'),
  );
  const out = execFileSync(
    'pgbench',
    [
      '-n',
      '-M',
      'extended',
      '-c',
      String(CLIENTS),
      '-j',
      '2',
      '-T',
      String(Math.round(MS / 1000)),
      '-f',
      script,
      url,
    ],
    { encoding: 'utf8' },
  );
  return Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0);
}

function rawSqlite(file: string, ids: string[]): Promise<number> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const read = db.prepare('SELECT * FROM orders WHERE id = ?');
  const update = db.prepare(
    'UPDATE orders SET state = ?, data = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?',
  );
  const history = db.prepare(statements.history.replace(/\$\d+/g, '?'));
  const outbox = db.prepare(statements.outbox.replace(/\$\d+/g, '?'));
  const fire = db.transaction((id: string) => {
    const order = read.get(id) as { version: number; state: string; data: string };
    const now = new Date().toISOString();
    const version = order.version + 1;
    const to = order.state === 'ping' ? 'pong' : 'ping';
    update.run(to, order.data, version, now, id, order.version);
    history.run(id, version, 'transition', 'flip', 'x', order.state, to, 'bench', '[]', null, now);
    outbox.run(id, version, 0, `${id}:${version}:0`, 'emit', '{}', 'pending', 0, now, now);
  });
  const per = ids.length / CLIENTS;
  return loadFor(MS, CLIENTS, async (c, i) => fire(ids[c * per + (i % per)])).finally(() =>
    db.close(),
  );
}

async function onPostgres(): Promise<void> {
  const pg = await benchPostgres();
  try {
    const { server, ids } = await ordoServer({ kind: 'postgres', url: pg.url });
    await server.db.run(
      `INSERT INTO orders (id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at)
       SELECT 'pgb-' || g, 'bench', 1, 'ping', '{"qty":1}', 1, NULL, 'bench', NULL, '', now()::text, now()::text FROM generate_series(0, ${ids.length - 1}) g`,
    );
    const ordo = await fireOrdo(server, ids);
    await server.close();
    const tps = pgbench(pg.url, ids);
    const raw = await rawPg(pg.url, ids);
    printRatios(
      `Persisted fire on PostgreSQL, ${CLIENTS} concurrent clients, ${MS / 1000} s each`,
      [
        ['pgbench -M extended (same statements, one transaction)', tps],
        ['raw pg driver in Node (same statements)', raw],
        ['Ordo OrdersService.fire (engine + transaction)', ordo],
      ],
      `Ordo / pgbench: ${(ordo / tps).toFixed(2)}× (target ≥ 0.5, aim 0.65); Ordo / raw pg: ${(ordo / raw).toFixed(2)}×`,
    );
  } finally {
    await pg.drop();
  }
}

async function onSqlite(): Promise<void> {
  const lite = benchSqlite();
  try {
    const { server, ids } = await ordoServer({ kind: 'sqlite', file: lite.file });
    const ordo = await fireOrdo(server, ids);
    await server.close();
    const raw = await rawSqlite(lite.file, ids);
    printRatios(
      `Persisted fire on SQLite (WAL), ${CLIENTS} concurrent clients, ${MS / 1000} s each`,
      [
        ['raw better-sqlite3 transaction (same statements)', raw],
        ['Ordo OrdersService.fire (engine + transaction)', ordo],
      ],
      `Ordo / raw better-sqlite3: ${(ordo / raw).toFixed(2)}× (target ≥ 0.5)`,
    );
  } finally {
    lite.drop();
  }
}

async function main() {
  await onSqlite();
  await onPostgres();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
