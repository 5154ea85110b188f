import type { CompiledFlow } from '../interpreter';
import type { DueTimer, HistoryEntry, Order } from '../order';
import type { EngineError } from '../result';
import type { DataSets } from '../rules/data-sets';

/** Where a replay stopped: the recorded step the flow refused. */
export interface ReplayRefusal {
  /** Index of the history entry. */
  step: number;
  entry: HistoryEntry;
  error: EngineError;
}

/** The first recorded step after which the flow leaves the order in another state. */
export interface ReplayParting {
  step: number;
  entry: HistoryEntry;
  /** The state the order was in after the step, as recorded. */
  recorded: string;
  /** The state the flow leaves it in. */
  replayed: string;
}

/**
 * How a recorded order fares on a flow: the order it would be now (and where it first parted
 * from what really happened, if it did), or the step refused.
 */
export type ReplayOutcome =
  { ok: true; order: Order; parted?: ReplayParting } | { ok: false; refused: ReplayRefusal };

/** Whether the entry at `i` came from a timer entry before it (same time, same actor). */
function firedByTimer(history: readonly HistoryEntry[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const e = history[j];
    if (e.at !== history[i].at || e.actor.id !== history[i].actor.id) return false;
    if (e.kind === 'timer') return true;
    if (e.kind !== 'transition') return false;
  }
  return false;
}

/** Whether the entry at `i` is an input (something that happened, not a consequence). */
const isInput = (history: readonly HistoryEntry[], i: number) => {
  const entry = history[i];
  return (
    entry.kind === 'created' ||
    entry.kind === 'updated' ||
    entry.kind === 'timer' ||
    (entry.kind === 'transition' && entry.event !== undefined && !firedByTimer(history, i))
  );
};

/** The state recorded after the input at `step`: the last entry before the next input. */
function recordedAfter(history: readonly HistoryEntry[], step: number): string {
  let state = history[step].to;
  for (let i = step + 1; i < history.length && !isInput(history, i); i++)
    if (history[i].kind === 'transition') state = history[i].to;
  return state;
}

/**
 * Replays what happened to an order — its creation data, data updates and events, each with
 * its actor and time — on a (new) flow. Auto transitions are the flow's own business: the
 * recorded ones are not replayed but recomputed, so a draft that changes them shows it.
 * Migrations are skipped (they are not inputs). Pure: the history supplies time and actors,
 * and `dataSetsFor` the reference data each step read (the versions its entry recorded).
 */
export function replayHistory(
  flow: CompiledFlow,
  history: readonly HistoryEntry[],
  orderId: string,
  /** Called with each replayed input step and the order after it. */
  onStep?: (step: number, order: Order) => void,
  /** The data sets a step's rules read: those of the versions its entry recorded. */
  dataSetsFor?: (entry: HistoryEntry) => DataSets | undefined,
): ReplayOutcome {
  let order: Order | undefined;
  let parted: ReplayParting | undefined;
  for (const [step, entry] of history.entries()) {
    const dataSets = dataSetsFor?.(entry);
    const ctx = { now: entry.at, actor: entry.actor, id: orderId, ...(dataSets && { dataSets }) };
    let result;
    if (entry.kind === 'created')
      result = flow.create((entry.payload ?? {}) as Record<string, unknown>, ctx);
    else if (!order) continue;
    else if (entry.kind === 'updated') result = flow.update(order, entry.payload ?? {}, ctx);
    else if (!isInput(history, step)) continue;
    else if (entry.kind === 'timer') result = flow.timer(order, entry.payload as DueTimer, ctx);
    else if (entry.kind === 'transition')
      result = flow.fire(order, { type: entry.event!, payload: entry.payload }, ctx);
    else continue;
    if (!result.ok) return { ok: false, refused: { step, entry, error: result.error } };
    order = result.order;
    onStep?.(step, order);
    const recorded = recordedAfter(history, step);
    if (!parted && order.state !== recorded)
      parted = { step, entry, recorded, replayed: order.state };
  }
  if (!order)
    return {
      ok: false,
      refused: {
        step: 0,
        entry: history[0],
        error: { code: 'invalid_data', message: 'The history has no creation to replay' },
      },
    };
  return { ok: true, order, ...(parted && { parted }) };
}
