import type { Flow, Milestone } from '../flow';
import { dueAfter } from '../calendar/due-time';
import { calendarOf } from '../calendar/business-calendar';
import { workedBetween } from '../calendar/business-time';
import type { DataSets } from '../rules/data-sets';
import type { Actor, HistoryEntry, OrderData } from '../order';
import { compileRule } from '../rules';
import { truthy } from '../rules/semantics';
import { actorKind } from '../interpreter/ownership';

/** Who made a change: the system (connector answers, webhooks, timers) or a person. */
export type ChangedBy = 'system' | 'person';

/** One stay of an order in a state: from the entry that brought it there to the one that took it away. */
export interface Stay {
  /** Index of the entering history entry (0 = creation). */
  step: number;
  state: string;
  /** The state it came from (null for the initial state). */
  from: string | null;
  /** The event that brought it (absent for creation and auto transitions). */
  event?: string;
  enteredAt: string;
  /** When it left; absent while the order is still there. */
  leftAt?: string;
  /** Who took it away. */
  leftBy?: ChangedBy;
  /** Whether the state is marked `exception`. */
  exception: boolean;
  /** When the state's SLA falls due for this stay, if it has one. */
  dueAt?: string;
}

/** A measured span of an order's journey. */
export interface MeasureSpan {
  id: string;
  startedAt: string;
  endedAt: string;
  /** When the target fell due (absent without a target): late when `endedAt` is after it. */
  dueAt?: string;
  /**
   * The time taken in milliseconds: wall-clock, or the working time between start and end for
   * a measure `in: "business"` (wall-clock when its calendar cannot be read).
   */
  durationMs: number;
}

/** A measure with a target that started and has not ended (yet). */
export interface PendingMeasure {
  id: string;
  startedAt: string;
  dueAt: string;
}

/** The facts of one order's journey that analytics aggregate. */
export interface Journey {
  createdAt: string;
  /** First entry into a final state. */
  completedAt?: string;
  stays: Stay[];
  measures: MeasureSpan[];
  /** Measures with a target that started and did not end: late once past `dueAt`. */
  pending: PendingMeasure[];
  /** The counters the order counts in, with the time it first did. */
  counters: { id: string; at: string }[];
}

/** How `journey` tells the system from a person (default: the actor's kind, see `actorKind`). */
export interface JourneyOptions {
  changedBy?: (actor: Actor) => ChangedBy;
}

const defaultChangedBy = (actor: Actor): ChangedBy => actorKind(actor);

/** Whether a history entry brings the order into a state (creation or a transition). */
const enters = (entry: HistoryEntry) => entry.kind === 'created' || entry.kind === 'transition';

const reaches = (entry: HistoryEntry, milestone: Milestone) =>
  'state' in milestone
    ? enters(entry) && entry.to === milestone.state
    : entry.kind === 'transition' && entry.event === milestone.event;

/**
 * Compiles the journey facts a flow declares (its measures, counters, exception states and
 * SLAs) into a function of an order's history. `dataAt(step)` gives the order's data after a
 * step where it is known (replayed), so counters' `when` conditions hold "at some point"; the
 * function is pure.
 */
export function compileJourney(flow: Flow, options: JourneyOptions = {}) {
  const changedBy = options.changedBy ?? defaultChangedBy;
  const states = new Map(flow.states.map((s) => [s.id, s]));
  const counters = (flow.counters ?? []).map((c) => ({
    ...c,
    test: c.when === undefined ? undefined : compileRule(c.when),
  }));

  return function journey(
    history: readonly HistoryEntry[],
    dataAt: (step: number) => OrderData | undefined = () => undefined,
    /** The data sets each entry's change read: an SLA `in: "business"` counts in its calendar. */
    dataSetsFor?: (entry: HistoryEntry) => DataSets | undefined,
  ): Journey {
    const stays: Stay[] = [];
    let completedAt: string | undefined;
    history.forEach((entry, step) => {
      if (!enters(entry)) return;
      const last = stays[stays.length - 1];
      if (last && last.leftAt === undefined) {
        last.leftAt = entry.at;
        last.leftBy = changedBy(entry.actor);
      }
      const state = states.get(entry.to);
      stays.push({
        step,
        state: entry.to,
        from: entry.kind === 'created' ? null : entry.from,
        ...(entry.event !== undefined && { event: entry.event }),
        enteredAt: entry.at,
        exception: state?.exception === true,
        ...(state?.sla && {
          dueAt: dueAfter(
            { dataSets: dataSetsFor?.(entry) },
            entry.at,
            state.sla.within,
            state.sla.in === 'business' ? flow.calendar : undefined,
          ).at,
        }),
      });
      if (state?.final && completedAt === undefined) completedAt = entry.at;
    });

    const measures: MeasureSpan[] = [];
    const pending: PendingMeasure[] = [];
    for (const m of flow.measures ?? []) {
      const start = history.findIndex((e) => reaches(e, m.from));
      if (start < 0) continue;
      const same = JSON.stringify(m.from) === JSON.stringify(m.to);
      const end = history.findIndex((e, i) => (same ? i > start : i >= start) && reaches(e, m.to));
      const startedAt = history[start].at;
      // Counted in the calendar version the start's change read, as an SLA is.
      const sets = m.in === 'business' ? dataSetsFor?.(history[start]) : undefined;
      const calendar = m.in === 'business' ? flow.calendar : undefined;
      if (end < 0) {
        if (m.target)
          pending.push({
            id: m.id,
            startedAt,
            dueAt: dueAfter({ dataSets: sets }, startedAt, m.target, calendar).at,
          });
        continue;
      }
      const endedAt = history[end].at;
      measures.push({
        id: m.id,
        startedAt,
        endedAt,
        ...(m.target && { dueAt: dueAfter({ dataSets: sets }, startedAt, m.target, calendar).at }),
        durationMs: timeTaken(sets, calendar, startedAt, endedAt),
      });
    }

    const counted: { id: string; at: string }[] = [];
    for (const c of counters) {
      const step = history.findIndex((e, i) => {
        if (
          c.transition !== undefined &&
          !(e.kind === 'transition' && e.transition === c.transition)
        )
          return false;
        if (c.event !== undefined && !(e.kind === 'transition' && e.event === c.event))
          return false;
        if (c.state !== undefined && !(enters(e) && e.to === c.state)) return false;
        if (c.test) {
          const data = dataAt(i);
          return data !== undefined && truthy(c.test(data));
        }
        return true;
      });
      if (step >= 0) counted.push({ id: c.id, at: history[step].at });
    }

    return {
      createdAt: history[0]?.at ?? '',
      ...(completedAt !== undefined && { completedAt }),
      stays,
      measures,
      pending,
      counters: counted,
    };
  };
}

/** The journey function of a flow (see `compileJourney`). */
export type JourneyOf = ReturnType<typeof compileJourney>;

/** Working time between two instants in the calendar, or wall-clock time without a usable one. */
function timeTaken(
  sets: DataSets | undefined,
  calendar: string | undefined,
  from: string,
  to: string,
): number {
  if (calendar !== undefined)
    try {
      return workedBetween(calendarOf(sets, calendar), from, to);
    } catch {
      // A missing or broken calendar: wall-clock time, as for due times.
    }
  return Date.parse(to) - Date.parse(from);
}
