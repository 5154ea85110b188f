/**
 * Order intake: rows per second of a 10,000-row CSV imported through the intake (parse, map,
 * type, engine check per row, duplicate check, one transaction), against the raw driver
 * inserting the same orders' rows (order + history) in one transaction — SQLite and PostgreSQL.
 * And the same 10,000 rows as a sheet with one row per order line (5 lines an order, the rows
 * of an order spread over the file), grouped by reference, against one order per row.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { createApp, FlowsService, IntakeService, readCsvTable, tableToRows } from '@ordo/server';
import { standardOrderFlow } from '@ordo/engine/testing';
import { benchPostgres, benchSqlite, printRatios } from './lib/bench-db';

const ROWS = 10_000;
const RUNS = Math.max(1, Math.round(Number(process.env.BENCH_MS ?? 5000) / 2500));
const actor = { id: 'bench', roles: ['admin'] };
const mapping = {
  'Order No': 'externalRef',
  Client: 'customer.id',
  Item: 'lines.0.sku',
  Qty: 'lines.0.qty',
};

/** Per-line targets: 2,000 orders of 5 rows each, an order's rows 2,000 rows apart. */
const LINES = 5;
const perLine = { ...mapping, Item: 'lines[].sku', Qty: 'lines[].qty' };
const multiLineCsv = (run: string) =>
  ['Order No,Client,Item,Qty']
    .concat(
      Array.from({ length: ROWS }, (_, i) => {
        const order = i % (ROWS / LINES);
        return `${run}-${order},C${order % 300},SKU-${i % 50},${(i % 9) + 1}`;
      }),
    )
    .join('\n');

const csv = (run: string) =>
  ['Order No,Client,Item,Qty']
    .concat(
      Array.from(
        { length: ROWS },
        (_, i) => `${run}-${i},C${i % 300},SKU-${i % 50},${(i % 9) + 1}`,
      ),
    )
    .join('\n');

const columns =
  'id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at';
const historyColumns =
  'order_id, seq, kind, event, transition, from_state, to_state, actor_id, actor_roles, payload, at';

/** The same rows a raw driver would write for the file: order and creation history. */
function rawRows(run: string) {
  const now = new Date().toISOString();
  return Array.from({ length: ROWS }, (_, i) => {
    const id = randomUUID();
    const data = JSON.stringify({
      customer: { id: `C${i % 300}` },
      lines: [{ sku: `SKU-${i % 50}`, qty: (i % 9) + 1 }],
    });
    return {
      order: [
        id,
        'standard-order',
        1,
        'new',
        data,
        1,
        `C${i % 300}`,
        'csv',
        `raw-${run}-${i}`,
        '',
        now,
        now,
      ],
      history: [id, 1, 'created', null, null, null, 'new', 'bench', '["admin"]', data, now],
    };
  });
}

async function ordo(
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string },
) {
  const server = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: tmpdir(),
      database,
      bodyLimit: 1 << 20,
      jwtSecret: 'bench',
    },
    { logger: false, runEffects: false },
  );
  const flows = server.app.get(FlowsService);
  await flows.saveDraft(standardOrderFlow, actor);
  await flows.publish('standard-order', undefined, actor);
  const intake = server.app.get(IntakeService);
  const fields = await intake.fields('standard-order');
  const rate = async (text: (run: string) => string, map: typeof mapping, orders: number) => {
    let best = 0;
    for (let r = 0; r < RUNS; r++) {
      const table = readCsvTable(text(`o${orders}-${r}`));
      const started = performance.now();
      const result = await intake.import(
        'standard-order',
        tableToRows(table, fields, map),
        { mode: 'all', channel: 'csv' },
        actor,
        { columns: table.columns, mapping: map },
      );
      if (result.imported !== orders) throw new Error(`imported ${result.imported}`);
      best = Math.max(best, ROWS / ((performance.now() - started) / 1000));
    }
    return best;
  };
  const single = await rate(csv, mapping, ROWS);
  const multi = await rate(multiLineCsv, perLine, ROWS / LINES);
  await server.close();
  return { single, multi };
}

/** Rows per second of the multi-line sheet against one order per row, in the same run. */
function printMultiLine(db: string, rates: { single: number; multi: number }) {
  printRatios(
    `Import of ${ROWS.toLocaleString('en-US')} CSV rows on ${db}: one row per order line (${LINES} lines an order) vs one order per row`,
    [
      ['one order per row', rates.single],
      ['grouped by reference, one row per line', rates.multi],
    ],
    `grouped / one per row: ${(rates.multi / rates.single).toFixed(2)}× (rows/s)`,
  );
}

async function rawSqlite(file: string): Promise<number> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const order = db.prepare(
    `INSERT INTO orders (${columns}) VALUES (${Array(12).fill('?').join(', ')})`,
  );
  const history = db.prepare(
    `INSERT INTO order_history (${historyColumns}) VALUES (${Array(11).fill('?').join(', ')})`,
  );
  let best = 0;
  for (let r = 0; r < RUNS; r++) {
    const rows = rawRows(`s${r}`);
    const started = performance.now();
    db.transaction(() => {
      for (const row of rows) {
        order.run(...row.order);
        history.run(...row.history);
      }
    })();
    best = Math.max(best, ROWS / ((performance.now() - started) / 1000));
  }
  db.close();
  return best;
}

async function rawPg(url: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 2 });
  let best = 0;
  for (let r = 0; r < RUNS; r++) {
    const rows = rawRows(`p${r}`);
    const started = performance.now();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        const col = (k: 'order' | 'history', c: number) => chunk.map((row) => row[k][c]);
        await client.query(
          `WITH o AS (INSERT INTO orders (${columns}) SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::varchar[], $5::text[], $6::int[], $7::varchar[], $8::varchar[], $9::varchar[], $10::text[], $11::varchar[], $12::varchar[]))
           INSERT INTO order_history (${historyColumns}) SELECT * FROM unnest($13::varchar[], $14::int[], $15::varchar[], $16::varchar[], $17::varchar[], $18::varchar[], $19::varchar[], $20::varchar[], $21::text[], $22::text[], $23::varchar[])`,
          [
            ...Array.from({ length: 12 }, (_, c) => col('order', c)),
            ...Array.from({ length: 11 }, (_, c) => col('history', c)),
          ],
        );
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    best = Math.max(best, ROWS / ((performance.now() - started) / 1000));
  }
  await pool.end();
  return best;
}

async function main() {
  const lite = benchSqlite();
  try {
    const rates = await ordo({ kind: 'sqlite', file: lite.file });
    const ordoRate = rates.single;
    const rawRate = await rawSqlite(lite.file);
    printRatios(
      `Import of a ${ROWS.toLocaleString('en-US')}-row CSV on SQLite (best of ${RUNS})`,
      [
        ['raw better-sqlite3: insert order + history rows', rawRate],
        ['Ordo intake: parse, map, engine per row, one tx', ordoRate],
      ],
      `Ordo / raw: ${(ordoRate / rawRate).toFixed(2)}× — ${Math.round(ordoRate).toLocaleString('en-US')} rows/s`,
    );
    printMultiLine('SQLite', rates);
  } finally {
    lite.drop();
  }
  const pg = await benchPostgres();
  try {
    const rates = await ordo({ kind: 'postgres', url: pg.url });
    const ordoRate = rates.single;
    const rawRate = await rawPg(pg.url);
    printRatios(
      `Import of a ${ROWS.toLocaleString('en-US')}-row CSV on PostgreSQL (best of ${RUNS})`,
      [
        ['raw pg: unnest insert of order + history rows', rawRate],
        ['Ordo intake: parse, map, engine per row, one tx', ordoRate],
      ],
      `Ordo / raw: ${(ordoRate / rawRate).toFixed(2)}× — ${Math.round(ordoRate).toLocaleString('en-US')} rows/s`,
    );
    printMultiLine('PostgreSQL', rates);
  } finally {
    await pg.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
