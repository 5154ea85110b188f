import type { EngineContext } from '../order/order';
import { addDuration } from '../interpreter/durations';
import { calendarOf } from './business-calendar';
import { addBusinessDuration } from './business-time';

/**
 * The calendar a due time was counted in: its data set and version, or — when the set is
 * missing or cannot be read as a calendar — the problem, and the due time was counted in
 * wall-clock time instead (an order is never stuck on a broken calendar).
 */
export type DueCalendar = { name: string; version: number } | { name: string; problem: string };

/** A due time, and the calendar it was counted in (none for wall-clock durations). */
export interface Due {
  at: string;
  calendar?: DueCalendar;
}

/**
 * `duration` after `from`: in wall-clock time, or in business time of the data set `calendar`
 * read from the context's data sets (so the change records the version it used).
 */
export function dueAfter(
  ctx: Pick<EngineContext, 'dataSets'>,
  from: string,
  duration: string,
  calendar: string | undefined,
): Due {
  if (calendar === undefined) return { at: addDuration(from, duration) };
  try {
    const cal = calendarOf(ctx.dataSets, calendar);
    return {
      at: addBusinessDuration(from, duration, cal),
      calendar: { name: calendar, version: cal.version },
    };
  } catch (error) {
    return {
      at: addDuration(from, duration),
      calendar: { name: calendar, problem: (error as Error).message },
    };
  }
}
