import { Type, type Static } from '@sinclair/typebox';
import { problems } from '../problems/api-problem';

/** The filters of `GET /api/orders` (query string). */
export const OrderListQuery = Type.Object(
  {
    flow: Type.Optional(Type.String()),
    state: Type.Optional(Type.String({ description: 'one state or several, comma-separated' })),
    customer: Type.Optional(Type.String()),
    channel: Type.Optional(Type.String()),
    externalRef: Type.Optional(Type.String()),
    ids: Type.Optional(
      Type.String({
        pattern: '^[0-9a-fA-F-]{1,36}(,[0-9a-fA-F-]{1,36}){0,199}$',
        description: 'these orders only: up to 200 ids, comma-separated (names for other lists)',
      }),
    ),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'text search over id, reference, customer and data',
      }),
    ),
    enteredState: Type.Optional(
      Type.String({ description: 'orders that entered this state (in `from`–`to` when given)' }),
    ),
    measure: Type.Optional(
      Type.String({ description: 'orders whose journey has this measure (ended in `from`–`to`)' }),
    ),
    over: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false')], {
        description: 'with `measure`: over (true) or within (false) its target',
      }),
    ),
    counter: Type.Optional(
      Type.String({ description: 'orders counted by this counter (in `from`–`to`)' }),
    ),
    completed: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false')], {
        description: 'orders that reached a final state (in `from`–`to`), or not',
      }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: "start of the journey filters' window" }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'end (excluded) of their window' }),
    ),
    sort: Type.Optional(
      Type.Union(
        ['createdAt', '-createdAt', 'updatedAt', '-updatedAt'].map((s) => Type.Literal(s)),
      ),
    ),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
    cursor: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuery>;

const SORTS = { createdAt: 'created_at', updatedAt: 'updated_at' } as const;

/**
 * Builds the keyset-paginated list statement: filters on indexed columns, `ORDER BY
 * <time>, id`, and a cursor holding the last row's (time, id) so pages never skip or repeat.
 */
export function buildListQuery(query: OrderListQuery): {
  sql: string;
  params: unknown[];
  limit: number;
  sortColumn: 'created_at' | 'updated_at';
} {
  const where: string[] = [];
  const params: unknown[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  eq('flow_key', query.flow);
  eq('customer', query.customer);
  eq('channel', query.channel);
  eq('external_ref', query.externalRef);
  if (query.ids) {
    const ids = query.ids.split(',');
    where.push(`id IN (${ids.map(() => '?').join(', ')})`);
    params.push(...ids);
  }
  if (query.state) {
    const states = query.state.split(',').filter(Boolean);
    where.push(`state IN (${states.map(() => '?').join(', ')})`);
    params.push(...states);
  }
  if (query.createdFrom) {
    where.push('created_at >= ?');
    params.push(new Date(query.createdFrom).toISOString());
  }
  if (query.createdTo) {
    where.push('created_at < ?');
    params.push(new Date(query.createdTo).toISOString());
  }
  journeyFilters(query, where, params);
  if (query.q) {
    where.push("search_text LIKE ? ESCAPE '\\'");
    params.push(`%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const sort = query.sort ?? '-createdAt';
  const descending = sort.startsWith('-');
  const sortColumn = SORTS[sort.replace('-', '') as keyof typeof SORTS];
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor);
    where.push(
      `(${sortColumn} ${descending ? '<' : '>'} ? OR (${sortColumn} = ? AND id ${descending ? '<' : '>'} ?))`,
    );
    params.push(time, time, id);
  }
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (limit < 1 || limit > 500)
    throw problems.badRequest('bad_query', 'limit must be from 1 to 500', [
      { path: '/limit', code: 'range', message: 'limit must be from 1 to 500' },
    ]);
  const direction = descending ? 'DESC' : 'ASC';
  const sql = `SELECT * FROM orders${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${sortColumn} ${direction}, id ${direction} LIMIT ${limit + 1}`;
  return { sql, params, limit, sortColumn };
}

/**
 * The drill-down from analytics: orders whose journey (the roll-up analytics read) entered a
 * state, has a measure (over or within target), counts in a counter, or completed — each in
 * the `from`–`to` window of that fact when given.
 */
function journeyFilters(query: OrderListQuery, where: string[], params: unknown[]): void {
  const window = (column: string) => {
    let sql = '';
    if (query.from) {
      sql += ` AND j.${column} >= ?`;
      params.push(new Date(query.from).toISOString());
    }
    if (query.to) {
      sql += ` AND j.${column} < ?`;
      params.push(new Date(query.to).toISOString());
    }
    return sql;
  };
  const exists = (table: string, condition: string, value: unknown[], column: string) => {
    params.push(...value);
    where.push(
      `EXISTS (SELECT 1 FROM ${table} j WHERE j.order_id = orders.id AND ${condition}${window(column)})`,
    );
  };
  if (query.enteredState)
    exists('journey_stays', 'j.state = ?', [query.enteredState], 'entered_at');
  if (query.measure)
    exists(
      'journey_measures',
      `j.measure = ?${query.over === undefined ? '' : ' AND j.late = ?'}`,
      query.over === undefined ? [query.measure] : [query.measure, query.over === 'true' ? 1 : 0],
      'ended_at',
    );
  else if (query.over !== undefined)
    throw problems.invalidQuery('/over', 'goes with measure: ?measure=<id>&over=true');
  if (query.counter) exists('journey_counters', 'j.counter = ?', [query.counter], 'at');
  if (query.completed === 'true')
    exists('journey_orders', 'j.completed_at IS NOT NULL', [], 'completed_at');
  if (query.completed === 'false')
    where.push(
      'NOT EXISTS (SELECT 1 FROM journey_orders j WHERE j.order_id = orders.id AND j.completed_at IS NOT NULL)',
    );
}

export function encodeCursor(time: string, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const text = (v: unknown) => typeof v === 'string' && !v.includes('\u0000');
    if (Array.isArray(value) && value.length === 2 && value.every(text))
      return value as [string, string];
  } catch {
    // fall through to the problem below
  }
  throw problems.badRequest('bad_cursor', 'cursor is not one this API returned', [
    { path: '/cursor', code: 'bad_cursor', message: 'use nextCursor from the previous page' },
  ]);
}
