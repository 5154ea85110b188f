import { type BusinessCalendar, CalendarError, type Period } from './business-calendar';
import { type DayNumber, instantOf, localOf } from './zoned-time';

/**
 * Time counted in a business calendar: the clock runs only in working hours. Hours, minutes
 * and seconds are working time; days are working days (the same point of the working day, N
 * working days later). Years, months and weeks have no business meaning and are refused.
 */

const BUSINESS_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** How far a search for a working day may go before the calendar is called unusable. */
const MAX_DAYS = 3_700;

/** A business duration's parts: whole working days, then working milliseconds. */
export interface BusinessDuration {
  days: number;
  ms: number;
}

/** The parts of a duration counted in business time, or undefined when it has Y, M or W. */
export function parseBusinessDuration(duration: string): BusinessDuration | undefined {
  const m = BUSINESS_DURATION.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return undefined;
  const [, d, h, mi, s] = m.map((part) => (part === undefined ? 0 : Number(part)));
  return {
    days: Number(d),
    ms: Math.round(((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000),
  };
}

/** A working period of a day as instants: [start, end). */
type Span = readonly [number, number];

function spans(calendar: BusinessCalendar, day: DayNumber): Span[] {
  return calendar
    .periods(day)
    .map(([a, b]: Period): Span => [
      instantOf(calendar.zone, day, a),
      instantOf(calendar.zone, day, b),
    ]);
}

const worked = (day: Span[]) => day.reduce((sum, [a, b]) => sum + (b - a), 0);

/** The next (step 1) or previous (step -1) working day after `day`, not `day` itself. */
function workingDay(calendar: BusinessCalendar, day: DayNumber, step: 1 | -1): DayNumber {
  for (let i = 1; i <= MAX_DAYS; i++)
    if (calendar.periods(day + i * step).length) return day + i * step;
  throw new CalendarError(
    '',
    `The calendar "${calendar.name}" has no working day within ${MAX_DAYS} days`,
  );
}

/**
 * Where `t` stands in the working days: a working day and the working time of that day before
 * `t`. Before a day's first period (or on a day off) it stands at the end of the working day
 * before — no working time lies between the two.
 */
function position(calendar: BusinessCalendar, t: number): { day: DayNumber; done: number } {
  const { day } = localOf(calendar.zone, t);
  const today = spans(calendar, day);
  if (today.length && t >= today[0][0]) {
    const done = today.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, t) - a), 0);
    return { day, done };
  }
  const before = workingDay(calendar, day, -1);
  return { day: before, done: worked(spans(calendar, before)) };
}

/** The instant `done` of working time into `day` (its end when the day is shorter). */
function instantInto(day: Span[], done: number): number {
  let left = done;
  for (const [a, b] of day) {
    if (left <= b - a) return a + left;
    left -= b - a;
  }
  return day[day.length - 1][1];
}

/** The instant `ms` of working time after `t` (for 0: `t`, or the next working moment). */
function addWorking(calendar: BusinessCalendar, t: number, ms: number): number {
  let left = ms;
  let day = localOf(calendar.zone, t).day;
  for (let i = 0; i <= MAX_DAYS; i++, day++)
    for (const [a, b] of spans(calendar, day)) {
      if (b <= t) continue;
      const from = Math.max(a, t);
      if (left < b - from || (left === b - from && left > 0)) return from + left;
      left -= b - from;
    }
  throw new CalendarError(
    '',
    `The calendar "${calendar.name}" has no working day within ${MAX_DAYS} days`,
  );
}

/**
 * Adds a duration counted in business time to an ISO-8601 time: `PT2H` from Friday 17:00 in a
 * 09:00–18:00 calendar is Monday 10:00; `P1D` from Tuesday 11:00 is Wednesday 11:00, skipping
 * holidays and counting make-up days. The answer always lies in working hours (a zero duration
 * gives the next working moment). Throws a RangeError for a duration with years, months or
 * weeks, a CalendarError when the calendar cannot be used.
 */
export function addBusinessDuration(
  isoTime: string,
  duration: string,
  calendar: BusinessCalendar,
): string {
  const parts = parseBusinessDuration(duration);
  const start = Date.parse(isoTime);
  if (!parts || Number.isNaN(start))
    throw new RangeError(`Cannot add ${duration} of business time to ${isoTime}`);
  let t = start;
  if (parts.days > 0) {
    const from = position(calendar, t);
    let day = from.day;
    for (let i = 0; i < parts.days; i++) day = workingDay(calendar, day, 1);
    t = Math.max(t, instantInto(spans(calendar, day), from.done));
    if (parts.ms === 0) return new Date(t).toISOString();
  }
  return new Date(addWorking(calendar, t, parts.ms)).toISOString();
}

/** The working time between two instants (0 when `to` is not after `from`), in milliseconds. */
export function workedBetween(calendar: BusinessCalendar, from: string, to: string): number {
  const [a0, b0] = [Date.parse(from), Date.parse(to)];
  if (!(b0 > a0)) return 0;
  let sum = 0;
  for (let day = localOf(calendar.zone, a0).day; day <= localOf(calendar.zone, b0).day; day++)
    for (const [a, b] of spans(calendar, day))
      sum += Math.max(0, Math.min(b, b0) - Math.max(a, a0));
  return sum;
}

/** Whether an instant lies in working hours (a period's end counts: a due time may be 18:00). */
export function inWorkingHours(calendar: BusinessCalendar, isoTime: string): boolean {
  const t = Date.parse(isoTime);
  const { day } = localOf(calendar.zone, t);
  // A period ending at 24:00 ends at the next day's midnight.
  return [day - 1, day].some((d) => spans(calendar, d).some(([a, b]) => t >= a && t <= b));
}
