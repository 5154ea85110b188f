import { problems } from '../problems/api-problem';

/** Which orders analytics count: a time window `[from, to)` and optional filters. */
export interface AnalyticsFilter {
  from: string;
  to: string;
  /** The server's time (SLA stays still open past their due time are breached). */
  now: string;
  channel?: string;
  customer?: string;
  version?: number;
  /** `imported`: the orders of an imported legacy log (the baseline); `ordo`: the others. */
  origin?: 'imported' | 'ordo';
}

const DAY_MS = 86_400_000;

const time = (raw: string, path: string) => {
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(ms))
    throw problems.invalidQuery(
      path,
      'must be an ISO-8601 date or time, e.g. 2026-03-01 or 2026-03-01T08:00:00Z',
    );
  return new Date(ms).toISOString();
};

const text = (raw: unknown, path: string) => {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !raw.length || raw.length > 200)
    throw problems.invalidQuery(path, 'must be given once, 1 to 200 characters');
  return raw;
};

/**
 * The filter from a query string (`from`, `to`, `channel`, `customer`, `version`, `origin`); the window
 * defaults to the 30 days before now. A bad value is a 400 naming its parameter.
 */
export function analyticsFilter(query: Record<string, unknown>, nowMs: number): AnalyticsFilter {
  const now = new Date(nowMs).toISOString();
  const to = query.to === undefined ? now : time(text(query.to, '/to')!, '/to');
  const from =
    query.from === undefined
      ? new Date(Date.parse(to) - 30 * DAY_MS).toISOString()
      : time(text(query.from, '/from')!, '/from');
  if (from >= to) throw problems.invalidQuery('/from', 'must be before `to`');
  const version = text(query.version, '/version');
  if (version !== undefined && !/^[1-9]\d{0,8}$/.test(version))
    throw problems.invalidQuery('/version', 'must be a published version number');
  const origin = text(query.origin, '/origin');
  if (origin !== undefined && origin !== 'imported' && origin !== 'ordo')
    throw problems.invalidQuery('/origin', 'must be `imported` (a legacy log) or `ordo`');
  return {
    from,
    to,
    now,
    ...(query.channel !== undefined && { channel: text(query.channel, '/channel') }),
    ...(query.customer !== undefined && { customer: text(query.customer, '/customer') }),
    ...(version !== undefined && { version: Number(version) }),
    ...(origin !== undefined && { origin }),
  };
}

/**
 * The WHERE clause of a filter over one journey table: flow, channel, customer, version, origin;
 * `alias` qualifies the columns when the table is joined.
 */
export function scopeOf(
  flow: string,
  f: AnalyticsFilter,
  alias = '',
): { sql: string; params: unknown[] } {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  const where = [`${col('flow_key')} = ?`];
  const params: unknown[] = [flow];
  for (const [column, value] of [
    ['channel', f.channel],
    ['customer', f.customer],
    ['flow_version', f.version],
    ['imported', f.origin === undefined ? undefined : f.origin === 'imported' ? 1 : 0],
  ] as const)
    if (value !== undefined) {
      where.push(`${col(column)} = ?`);
      params.push(value);
    }
  return { sql: where.join(' AND '), params };
}

/** Whether a filter narrows the orders beyond their flow and window. */
export const narrowsOrders = (f: AnalyticsFilter): boolean =>
  f.channel !== undefined ||
  f.customer !== undefined ||
  f.version !== undefined ||
  f.origin !== undefined;
