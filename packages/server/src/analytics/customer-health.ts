import type { CustomerHealth, CustomerRisk, Flow } from '@ordo/engine';
import type { Db } from '../database/db';
import { problems } from '../problems/api-problem';
import { timeSummaries } from './time-summary';

/** How many months back a risk looks (a streak longer than this reads as this long). */
const LOOKBACK = 6;

const monthStart = (month: string, offset: number) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + offset, 1)).toISOString();
};
const monthOf = (iso: string) => iso.slice(0, 7);

/** `YYYY-MM`, or a 400 naming `/month`. */
export function monthParam(raw: unknown, nowMs: number): string {
  if (raw === undefined) return monthOf(new Date(nowMs).toISOString());
  if (typeof raw !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(raw))
    throw problems.invalidQuery('/month', 'must be a month as YYYY-MM, e.g. 2026-03');
  return raw;
}

/** `lang` of a report (`en` or `zh-CN`, default `en`), or a 400 naming it. */
export function reportLanguage(raw: unknown): 'en' | 'zh-CN' {
  if (raw === undefined) return 'en';
  if (raw === 'en' || raw === 'zh-CN') return raw;
  throw problems.invalidQuery('/lang', 'must be en or zh-CN');
}

/** `top` (1–1,000, default 100), or a 400 naming it. */
export function topParam(raw: unknown): number {
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1 || n > 1000)
    throw problems.invalidQuery('/top', 'must be a whole number from 1 to 1000');
  return n;
}

const inList = (db: Db, column: string, values: readonly string[]) =>
  db.kind === 'postgres'
    ? { sql: `${column} = ANY(?::varchar[])`, param: values as unknown }
    : { sql: `${column} IN (SELECT value FROM json_each(?))`, param: JSON.stringify(values) };

/**
 * BRIEF.md scenario 5: the month's top customers by orders, each measure's median and share
 * over target beside the previous month, and the risks — a measure whose late share (or its
 * median, where it has no target) worsened two months running or more.
 */
export async function customerHealth(
  db: Db,
  flow: Flow,
  month: string,
  top: number,
): Promise<CustomerHealth> {
  const from = monthStart(month, 0);
  const to = monthStart(month, 1);
  const top100 = await db.query(
    `SELECT customer, count(*) AS n FROM journey_orders
     WHERE flow_key = ? AND created_at >= ? AND created_at < ? AND customer IS NOT NULL
     GROUP BY customer ORDER BY count(*) DESC, customer LIMIT ${top}`,
    [flow.key, from, to],
  );
  const customers = top100.map((r) => String(r.customer));
  const measures = flow.measures ?? [];
  if (!customers.length || !measures.length)
    return {
      flow: flow.key,
      month,
      customers: top100.map((r) => ({
        customer: String(r.customer),
        orders: Number(r.n),
        measures: [],
        risks: [],
      })),
    };

  // Per customer, measure and month over the look-back: medians and late shares.
  const since = monthStart(month, -LOOKBACK);
  const list = inList(db, 'customer', customers);
  const month7 = `substr(ended_at, 1, 7)`;
  const group = `customer || '|' || measure || '|' || ${month7}`;
  const params = [flow.key, since, to, list.param];
  const where = `flow_key = ? AND ended_at >= ? AND ended_at < ? AND ${list.sql}`;
  const medians = await timeSummaries(
    db,
    `SELECT ${group} AS g, duration_ms AS d FROM journey_measures WHERE ${where}`,
    params,
  );
  const lateRows = await db.query(
    `SELECT ${group} AS g, count(*) AS n, sum(late) AS late FROM journey_measures
     WHERE ${where} AND late IS NOT NULL GROUP BY ${group}`,
    params,
  );
  const late = new Map(lateRows.map((r) => [String(r.g), Number(r.late) / Number(r.n)]));
  const months = Array.from({ length: LOOKBACK + 1 }, (_, i) =>
    monthOf(monthStart(month, i - LOOKBACK)),
  );

  return {
    flow: flow.key,
    month,
    customers: top100.map((r) => {
      const customer = String(r.customer);
      const figures = measures.map((m) => {
        const at = (mo: string) => {
          const key = `${customer}|${m.id}|${mo}`;
          const s = medians.get(key);
          return {
            count: s?.count ?? 0,
            p50Ms: s?.p50Ms ?? null,
            lateShare: m.target ? (late.get(key) ?? null) : null,
          };
        };
        const series = months.map(at);
        return { m, series };
      });
      return {
        customer,
        orders: Number(r.n),
        measures: figures.map(({ m, series }) => {
          const now = series[LOOKBACK];
          const before = series[LOOKBACK - 1];
          const diff = (a: number | null, b: number | null) =>
            a === null || b === null ? null : a - b;
          return {
            id: m.id,
            count: now.count,
            p50Ms: now.p50Ms,
            lateShare: now.lateShare,
            previous: { p50Ms: before.p50Ms, lateShare: before.lateShare },
            change: {
              p50Ms: diff(now.p50Ms, before.p50Ms),
              lateShare: diff(now.lateShare, before.lateShare),
            },
          };
        }),
        risks: figures.flatMap(({ m, series }) => {
          const value = (i: number) => (m.target ? series[i].lateShare : series[i].p50Ms);
          let streak = 0;
          for (let i = LOOKBACK; i > 0; i--) {
            const cur = value(i);
            const prev = value(i - 1);
            if (cur === null || prev === null || !(cur > prev)) break;
            streak++;
          }
          return streak >= 2
            ? [
                {
                  measure: m.id,
                  kind: m.target ? 'late_share_rising' : 'p50_rising',
                  months: streak,
                } as CustomerRisk,
              ]
            : [];
        }),
      };
    }),
  };
}
