/**
 * The workbench's queries at 100,000 orders on PostgreSQL: the plans use the indexes (no
 * sequential scan of orders) for the list by flow and state, the counts per state, a
 * customer's orders and the next page of a keyset cursor. And the batched statements of the
 * inbound path stay on indexes whatever the tables' size when they were planned.
 */
import { Client } from 'pg';
import { LOOKUP_SQL } from '../src/hooks/hooks.service';
import { buildListQuery, encodeCursor } from '../src/orders/order-list.query';
import { CHANGE_MANY } from '../src/orders/pg-order-batch';
import { claimSql } from '../src/runtime/outbox.repository';
import { freshDatabase } from './support/test-app';
import { startTestApp } from './support/test-app';

const ORDERS = 100_000;
const pg = process.env.DATABASE_URL?.startsWith('postgres');

/** A new database with Ordo's tables and nothing in them, and a client on it. */
async function migratedDatabase() {
  const fresh = await freshDatabase('postgres');
  const app = await startTestApp({ db: 'postgres', database: fresh.database }); // migrations
  await app.close();
  const client = new Client({ connectionString: (fresh.database as { url: string }).url });
  await client.connect();
  return { client, fresh };
}

(pg ? describe : describe.skip)('100,000 orders on PostgreSQL', () => {
  it('lists, counts and pages through indexes', async () => {
    const { client, fresh } = await migratedDatabase();
    try {
      await client.query(
        `INSERT INTO orders (id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at)
         SELECT 'o-' || g, 'flow-' || (g % 4), 1, (ARRAY['new','confirmed','locked','booked','done'])[1 + g % 5],
                '{}', 1, 'C' || (g % 3000), 'api', 'R-' || g, 'r-' || g,
                to_char(timestamp '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                to_char(timestamp '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
         FROM generate_series(1, $1) AS g`,
        [ORDERS],
      );
      await client.query('ANALYZE orders');
      const plan = async (sql: string, params: unknown[]) => {
        let i = 0;
        const text = sql.replace(/\?/g, () => `$${++i}`);
        const rows = (await client.query(`EXPLAIN ${text}`, params)).rows as {
          'QUERY PLAN': string;
        }[];
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      const list = buildListQuery({ flow: 'flow-1', state: 'locked', limit: 50 } as never);
      const counts = [
        'SELECT state, COUNT(*) AS n FROM orders WHERE flow_key = ? GROUP BY state',
        ['flow-2'],
      ] as const;
      const customer = buildListQuery({ customer: 'C42', limit: 50 } as never);
      const newest = buildListQuery({ flow: 'flow-3', limit: 50 } as never);
      const nextPage = buildListQuery({
        flow: 'flow-3',
        limit: 50,
        cursor: encodeCursor('2026-02-01T00:00:00.000Z', 'o-44640'),
      } as never);
      for (const [sql, params] of [
        [list.sql, list.params],
        counts,
        [customer.sql, customer.params],
        [newest.sql, newest.params],
        [nextPage.sql, nextPage.params],
      ] as const) {
        const text = await plan(sql, [...params]);
        expect(text).not.toMatch(/Seq Scan on orders/);
        expect(text).toMatch(/Index/);
      }
    } finally {
      await client.end();
      await fresh.drop();
    }
  }, 60_000);

  it('plans the batched delivery lookups and order changes on indexes even on new, empty tables', async () => {
    // Each connection plans a prepared statement once; a plan made while the tables are empty
    // must not be a sequential scan that the connection keeps as they grow.
    const { client, fresh } = await migratedDatabase();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      for (const [name, sql] of [
        ['lookup_by_id', LOOKUP_SQL.id],
        ['lookup_by_ref', LOOKUP_SQL.external_ref],
        ['change_many', CHANGE_MANY],
      ]) {
        let n = 0;
        await client.query(`PREPARE ${name} AS ${sql.replace(/\?/g, () => `$${++n}`)}`);
        const nulls = Array.from({ length: n }, () => 'NULL').join(', ');
        const text = (await client.query(`EXPLAIN EXECUTE ${name}(${nulls})`)).rows
          .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
          .join('\n');
        expect(text).not.toMatch(/Seq Scan on (orders|hook_deliveries|outbox)/);
        expect(text).toMatch(/Index Scan using (orders_pkey|orders_flow_external_ref)/);
      }
      // The effects' claim walks the due rows in order and stops at its LIMIT: no sort of the
      // whole queue, whose cost grew with the backlog.
      let n = 0;
      await client.query(
        `PREPARE claim AS ${claimSql('postgres').replace(/\?/g, () => `$${++n}`)}`,
      );
      const nulls = Array.from({ length: n }, () => 'NULL').join(', ');
      const claim = (await client.query(`EXPLAIN EXECUTE claim(${nulls})`)).rows
        .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
        .join('\n');
      expect(claim).toMatch(/Index Scan using outbox_due on outbox o/);
      expect(claim).not.toMatch(/Sort|Seq Scan on outbox/);
    } finally {
      await client.end();
      await fresh.drop();
    }
  }, 30_000);
});
