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
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'text search over id, reference, customer and data',
      }),
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
