import { type Flow, type Order, setPath, systemActor } from '@ordo/engine';
import { readCsvTable } from '../intake/table-file';
import type { StoredHistoryEntry } from '../orders/orders.repository';

/** A refused row of an event log: its line in the file and the column at fault. */
export interface LogRowError {
  line: number;
  column?: string;
  code: string;
  message: string;
}

/** An order as an event log tells it: its reference, where it came from, and its state entries. */
export interface ImportedJourney {
  reference: string;
  customer: string | null;
  channel: string;
  /** The line of its first row (to name it when the whole order is refused). */
  line: number;
  entries: {
    state: string;
    event: string | null;
    at: string;
    actor: string;
    by: 'system' | 'person';
  }[];
}

const REQUIRED = ['reference', 'state', 'at'] as const;
const OPTIONAL = ['event', 'actor', 'customer', 'channel', 'by'] as const;
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads a CSV event log — one row per state entry, `reference,state,at` required, `event`,
 * `actor`, `customer`, `channel` and `by` (system | person) optional — into journeys of the
 * flow's states, each in time order; every refused row is named by line and column.
 */
export function readEventLog(
  flow: Flow,
  content: string,
): { journeys: ImportedJourney[]; errors: LogRowError[]; rows: number } {
  const table = readCsvTable(content);
  const errors: LogRowError[] = table.errors.map((e) => ({
    line: e.line,
    code: 'bad_row',
    message: e.message,
  }));
  const index = new Map(table.columns.map((c, i) => [c, i]));
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length)
    return {
      journeys: [],
      rows: table.rows.length,
      errors: [
        {
          line: 1,
          code: 'missing_column',
          message: `The header lacks ${missing.join(', ')}: an event log has the columns ${[...REQUIRED, ...OPTIONAL].join(',')}`,
        },
      ],
    };
  const states = new Set(flow.states.map((s) => s.id));
  const byRef = new Map<string, ImportedJourney>();
  for (const row of table.rows) {
    const cell = (c: string) => {
      const i = index.get(c);
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    const refuse = (column: string, code: string, message: string) =>
      errors.push({ line: row.line, column, code, message });
    const reference = cell('reference');
    const state = cell('state');
    const at = cell('at');
    const by = cell('by') || 'person';
    const before = errors.length;
    if (!reference || reference.length > 200)
      refuse('reference', 'bad_reference', 'must be 1 to 200 characters');
    if (!states.has(state))
      refuse(
        'state',
        'unknown_state',
        `"${state}" is not a state of flow "${flow.key}" — one of: ${[...states].join(', ')}`,
      );
    const ms = ISO.test(at) ? Date.parse(at.replace(' ', 'T')) : NaN;
    if (Number.isNaN(ms))
      refuse('at', 'bad_time', `"${at}" is not an ISO-8601 time such as 2026-03-01T08:00:00Z`);
    if (by !== 'system' && by !== 'person') refuse('by', 'bad_value', 'must be system or person');
    for (const c of ['event', 'actor', 'customer', 'channel'] as const)
      if (cell(c).length > (c === 'channel' ? 32 : 200))
        refuse(c, 'too_long', `must be at most ${c === 'channel' ? 32 : 200} characters`);
    if (errors.length > before) continue;
    let journey = byRef.get(reference);
    if (!journey)
      byRef.set(
        reference,
        (journey = { reference, customer: null, channel: '', line: row.line, entries: [] }),
      );
    journey.customer ??= cell('customer') || null;
    journey.channel ||= cell('channel');
    journey.entries.push({
      state,
      event: cell('event') || null,
      at: new Date(ms).toISOString(),
      actor: cell('actor') || 'event-log',
      by: by as 'system' | 'person',
    });
  }
  const journeys = [...byRef.values()].map((j) => ({
    ...j,
    channel: j.channel || 'event-log',
    // Stable: entries of one time keep the file's order.
    entries: j.entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i)
      .map(({ e }) => e),
  }));
  return { journeys, errors, rows: table.rows.length };
}

/**
 * The order and history an imported journey becomes: its entries keep their times and actors,
 * the first is kind `imported`, the order is in its last state and runs on from there.
 */
export function orderOfJourney(
  flow: Flow & { version: number },
  j: ImportedJourney,
  id: string,
  now: string,
): { order: Order; history: StoredHistoryEntry[] } {
  const history: StoredHistoryEntry[] = j.entries.map((e, i) => ({
    kind: i === 0 ? 'imported' : 'transition',
    version: i + 1,
    at: e.at,
    actor: e.by === 'system' ? systemActor(e.actor) : { id: e.actor, roles: [], kind: 'person' },
    from: i === 0 ? null : j.entries[i - 1].state,
    to: e.state,
    ...(e.event !== null && { event: e.event }),
  }));
  const last = j.entries[j.entries.length - 1];
  return {
    order: {
      id,
      flow: flow.key,
      flowVersion: flow.version,
      state: last.state,
      // The flow's customer path is a field the lint checked; the engine's setPath refuses unsafe keys.
      data: flow.customer && j.customer !== null ? setPath({}, flow.customer, j.customer) : {},
      version: history.length,
      createdAt: j.entries[0].at,
      // Written now: the analytics roll-up picks up what changed since its mark.
      updatedAt: now,
    },
    history,
  };
}
