import { type Rng, poisson, rngFor, weighted, zipfWeights } from './dice';
import type { Generator, Scenario } from './scenario.schema';
import type { ScenarioCalendar } from './sim-calendar';
import { DAY_MS } from './sim-clock';

export type Row = Record<string, unknown>;

/** One order the scenario makes: when it arrives, its data, and the mistakes put in it. */
export interface PlannedOrder {
  at: number;
  externalRef: string;
  channel?: string;
  data: Record<string, unknown>;
  /** Mistakes by error id: the line indexes affected. */
  mistakes: Record<string, number[]>;
  /** The lines as they should have been (before the mistakes). */
  intended?: Row[];
}

/** Midnight local time of the scenario's first day, in epoch ms. */
export const startOf = (s: Scenario): number =>
  Date.parse(`${s.start}T00:00:00Z`) - s.utcOffsetMinutes * 60_000;

/** Sets a dot path in an object (the scenario's field paths). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}

/**
 * Every order of the run, in arrival order, from the scenario and the seed alone: the same
 * inputs give the same orders.
 */
export function planOrders(
  s: Scenario,
  seed: number,
  days: number,
  rowsOf: (dataset: string) => Row[],
  calendar?: ScenarioCalendar,
): PlannedOrder[] {
  const arrivals = rngFor(seed, 'arrivals');
  const pickCustomer = rngFor(seed, 'customers');
  const values = rngFor(seed, 'fields');
  const mistakes = rngFor(seed, 'errors');
  const register = s.customers.dataset ? rowsOf(s.customers.dataset) : undefined;
  const customerWeights = zipfWeights(register?.length ?? s.customers.count!, s.customers.skew);
  const weeklyMean = s.orders.weekly.reduce((a, b) => a + b, 0) / 7;
  const start = startOf(s);
  const pad = s.customers.pad ?? 4;
  const orders: PlannedOrder[] = [];
  for (let day = 0; day < days; day++) {
    const midnight = start + day * DAY_MS;
    // ISO weekday of the local day: start is local midnight, so shift by the offset.
    const weekday = (new Date(midnight + s.utcOffsetMinutes * 60_000).getUTCDay() + 6) % 7;
    const peak = (s.orders.peaks ?? [])
      .filter((p) => day >= p.from && day <= p.to)
      .reduce((f, p) => f * p.factor, 1);
    // A make-up working day takes an average day's orders, whatever its weekday's weight.
    const weight = calendar?.kind(day) === 'makeup' ? weeklyMean : s.orders.weekly[weekday];
    const factor = peak * (calendar?.orderFactor(day) ?? 1);
    const count = poisson(arrivals, (s.orders.perDay * weight * factor) / weeklyMean);
    const times = Array.from({ length: count }, () => {
      const hour = weighted(arrivals, s.orders.hourly);
      return midnight + hour * 3_600_000 + Math.floor(arrivals() * 3_600_000);
    }).sort((a, b) => a - b);
    for (const at of times) {
      const n = weighted(pickCustomer, customerWeights) + 1;
      const number = String(n).padStart(pad, '0');
      const customer = register
        ? {
            code: String(register[n - 1][s.customers.code]),
            name: String(register[n - 1][s.customers.name] ?? ''),
          }
        : {
            code: s.customers.code.replace('{n}', number),
            name: s.customers.name.replace('{n}', number),
          };
      orders.push(makeOrder(s, orders.length + 1, at, customer, values, mistakes, rowsOf));
    }
  }
  return orders;
}

function makeOrder(
  s: Scenario,
  n: number,
  at: number,
  customer: { code: string; name: string },
  rng: Rng,
  mistakeRng: Rng,
  rowsOf: (dataset: string) => Row[],
): PlannedOrder {
  const data: Record<string, unknown> = {};
  const order: PlannedOrder = {
    at,
    externalRef: `${s.orders.externalRef}${String(n).padStart(6, '0')}`,
    data,
    mistakes: {},
  };
  const made = {
    customer,
    at,
    externalRef: order.externalRef,
    utcOffsetMinutes: s.utcOffsetMinutes,
  };
  if (s.orders.channels)
    order.channel =
      s.orders.channels[
        weighted(
          rng,
          s.orders.channels.map((c) => c.weight),
        )
      ].value;
  const lines: Row[] = [];
  if (s.lines) {
    const [min, max] = s.lines.count.range;
    const rows = s.lines.dataset ? rowsOf(s.lines.dataset) : [];
    const count = min + Math.floor(rng() * (max - min + 1));
    const picked: Row[] = [];
    for (let i = 0; i < count; i++) {
      const row = rows.length ? rows[Math.floor(rng() * rows.length)] : {};
      picked.push(row);
      const line: Row = {};
      for (const [field, gen] of Object.entries(s.lines.fields))
        line[field] = generate(gen, rng, { ...made, row, lines });
      lines.push(line);
    }
    order.intended = lines.map((l) => ({ ...l }));
    for (const error of s.errors ?? [])
      lines.forEach((line, i) => {
        if (mistakeRng() >= error.share) return;
        const right = error.unlike ? picked[i][error.unlike] : undefined;
        const wrong = error.values.filter((v) => v !== right);
        if (!wrong.length) return;
        line[error.field] = wrong[Math.floor(mistakeRng() * wrong.length)];
        (order.mistakes[error.id] ??= []).push(i);
      });
    setPath(data, s.lines.path, lines);
  }
  for (const [path, gen] of Object.entries(s.fields))
    setPath(data, path, generate(gen, rng, { ...made, row: {}, lines }));
  return order;
}

function generate(
  gen: Generator,
  rng: Rng,
  context: {
    row: Row;
    customer: { code: string; name: string };
    lines: Row[];
    at: number;
    externalRef: string;
    utcOffsetMinutes: number;
  },
): unknown {
  if ('const' in gen) return gen.const;
  if ('externalRef' in gen) return context.externalRef;
  if ('daysAfter' in gen) {
    const [min, max] = gen.daysAfter;
    const days = min + Math.floor(rng() * (max - min + 1));
    const local = context.at + context.utcOffsetMinutes * 60_000 + days * DAY_MS;
    return new Date(local).toISOString().slice(0, 10);
  }
  if ('range' in gen) {
    const [min, max] = gen.range;
    if (gen.integer) return min + Math.floor(rng() * (max - min + 1));
    const factor = 10 ** (gen.decimals ?? 2);
    return Math.round((min + rng() * (max - min)) * factor) / factor;
  }
  if ('choice' in gen)
    return gen.choice[
      weighted(
        rng,
        gen.choice.map((c) => c.weight),
      )
    ].value;
  if ('row' in gen) return context.row[gen.row];
  if ('customer' in gen) return context.customer[gen.customer];
  const total = context.lines.reduce(
    (sum, line) => sum + gen.sumOfLines.reduce((p, f) => p * Number(line[f] ?? 0), 1),
    0,
  );
  return Math.round(total * 100) / 100;
}
