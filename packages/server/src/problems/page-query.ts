import { problems } from './api-problem';
import { wholeId } from './whole-numbers';

/**
 * `limit` (1–500, default 50) and an id `cursor` from a list's query string, or a 400 naming
 * the parameter — for lists paged by a numeric id.
 */
export function pageQuery(
  limit: string | undefined,
  cursor: string | undefined,
): { limit: number; cursor?: number } {
  const n = limit === undefined ? 50 : Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw problems.invalidQuery('/limit', 'must be a whole number from 1 to 500');
  const id = cursor === undefined ? undefined : wholeId(cursor);
  if (cursor !== undefined && id === undefined)
    throw problems.invalidQuery('/cursor', 'must be the nextCursor of a previous page');
  return { limit: n, ...(id !== undefined && { cursor: id }) };
}

/** One page of rows read with `LIMIT limit + 1`: the items, and the cursor of the next page. */
export function pageOf<T extends { id: number }>(
  rows: Record<string, unknown>[],
  limit: number,
  map: (row: Record<string, unknown>) => T,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(map);
  return {
    items,
    nextCursor: rows.length > limit ? String(items[items.length - 1].id) : null,
  };
}
