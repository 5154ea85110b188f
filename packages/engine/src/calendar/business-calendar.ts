import type { DataSetRow, DataSets } from '../rules/data-sets';
import { type DayNumber, isTimeZone, isoDate, weekdayOf } from './zoned-time';

/**
 * A business calendar kept as a data set (docs/datasets.md#business-calendars): key column
 * `day`, column `hours`. Rows `mon` … `sun` give each weekday's working hours; a row keyed by a
 * date (`2026-10-01`) replaces that day's hours — empty for a holiday, hours for a make-up
 * working day; the row `timezone` holds the IANA zone the hours are in (`Asia/Shanghai`).
 */

/** The row keys of the weekdays, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The key of the row that holds the calendar's time zone. */
export const TIMEZONE_KEY = 'timezone';

/** The column that holds a day's hours (and the time zone, in the `timezone` row). */
export const HOURS_COLUMN = 'hours';

/** A working period of a day, in milliseconds since local midnight: [start, end). */
export type Period = readonly [start: number, end: number];

/** A calendar that cannot be used as it is: which row, and why. */
export class CalendarError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = 60_000;

function timeOf(text: string, key: string): number {
  const m = TIME.exec(text);
  const ms = m ? (Number(m[1]) * 60 + Number(m[2])) * MINUTE : NaN;
  if (!m || ms > 24 * 60 * MINUTE)
    throw new CalendarError(key, `"${text}" is not a time of day (write it as 09:00)`);
  return ms;
}

/**
 * The working periods an `hours` cell lists: `09:00-12:00 13:00-18:00` (periods apart by
 * spaces, commas or semicolons, in order, not overlapping); empty, `closed` or absent: none.
 */
export function parseHours(cell: unknown, key: string): Period[] {
  if (cell === undefined || cell === null) return [];
  if (typeof cell !== 'string')
    throw new CalendarError(key, `hours must be text such as "09:00-18:00"`);
  const text = cell.trim();
  if (text === '' || text.toLowerCase() === 'closed') return [];
  const periods: Period[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const [from, to, ...rest] = part.split('-');
    if (to === undefined || rest.length)
      throw new CalendarError(key, `"${part}" is not a period (write it as 09:00-18:00)`);
    const period: Period = [timeOf(from, key), timeOf(to, key)];
    if (period[0] >= period[1]) throw new CalendarError(key, `"${part}" ends before it starts`);
    const last = periods[periods.length - 1];
    if (last && period[0] < last[1])
      throw new CalendarError(key, `"${part}" overlaps or precedes the period before it`);
    periods.push(period);
  }
  return periods;
}

/** A business calendar: its time zone and the working periods of any local day. */
export interface BusinessCalendar {
  /** The data set it was read from, and that set's version. */
  name: string;
  version: number;
  zone: string;
  /** The working periods of a local day, in order (empty: not a working day). */
  periods(day: DayNumber): readonly Period[];
}

/**
 * The calendar kept in the data set `name`, read through the context's data sets (so the
 * version read is recorded like any lookup). Rows are read, and checked, as days are reached;
 * a bad row throws a CalendarError then.
 */
export function calendarOf(sets: DataSets | undefined, name: string): BusinessCalendar {
  const version = sets?.version(name);
  if (!sets || version === undefined)
    throw new CalendarError('', `The calendar data set "${name}" does not exist`);
  const table = sets.table?.(name);
  const row = (key: string): DataSetRow | undefined =>
    table ? table.get(key) : sets.row(name, key);
  const zone = row(TIMEZONE_KEY)?.[HOURS_COLUMN];
  if (typeof zone !== 'string' || !isTimeZone(zone.trim()))
    throw new CalendarError(
      TIMEZONE_KEY,
      `The calendar "${name}" needs a row "timezone" whose hours name a time zone, e.g. Asia/Shanghai`,
    );
  const weekly = WEEKDAYS.map((key) => parseHours(row(key)?.[HOURS_COLUMN], key));
  if (weekly.every((p) => p.length === 0))
    throw new CalendarError('mon', `The calendar "${name}" has no working hours on any weekday`);
  const byDate = new Map<DayNumber, readonly Period[]>();
  return {
    name,
    version,
    zone: zone.trim(),
    periods(day) {
      let periods = byDate.get(day);
      if (!periods) {
        const key = isoDate(day);
        const special = row(key);
        periods = special ? parseHours(special[HOURS_COLUMN], key) : weekly[weekdayOf(day)];
        byDate.set(day, periods);
      }
      return periods;
    },
  };
}

/** A row that cannot be taken into a calendar, for an upload's per-row errors. */
export interface CalendarRowProblem {
  key: string;
  column?: string;
  message: string;
}

/**
 * Every problem of a whole calendar table at once (an upload checks it before writing): rows
 * keyed otherwise than a weekday, a date or `timezone`, hours that do not parse, no zone, no
 * working weekday.
 */
export function calendarProblems(rows: Iterable<[string, DataSetRow]>): CalendarRowProblem[] {
  const problems: CalendarRowProblem[] = [];
  let zone = false;
  let working = false;
  for (const [key, row] of rows) {
    if (key === TIMEZONE_KEY) {
      const value = row[HOURS_COLUMN];
      zone = typeof value === 'string' && isTimeZone(value.trim());
      if (!zone)
        problems.push({
          key,
          column: HOURS_COLUMN,
          message: `"${String(value)}" is not a time zone (e.g. Asia/Shanghai)`,
        });
      continue;
    }
    const weekday = (WEEKDAYS as readonly string[]).includes(key);
    if (
      !weekday &&
      !(DATE.test(key) && isoDate(Date.parse(`${key}T00:00:00Z`) / 86_400_000) === key)
    ) {
      problems.push({
        key,
        message: `"${key}" is neither a weekday (mon … sun), a date (2026-10-01) nor "timezone"`,
      });
      continue;
    }
    try {
      const periods = parseHours(row[HOURS_COLUMN], key);
      if (weekday && periods.length) working = true;
    } catch (error) {
      problems.push({ key, column: HOURS_COLUMN, message: (error as Error).message });
    }
  }
  if (!zone && !problems.some((p) => p.key === TIMEZONE_KEY))
    problems.push({
      key: TIMEZONE_KEY,
      message: 'A calendar needs a row "timezone" naming its time zone, e.g. Asia/Shanghai',
    });
  if (!working && !problems.some((p) => p.column === HOURS_COLUMN && p.key !== TIMEZONE_KEY))
    problems.push({
      key: 'mon',
      message: 'A calendar needs working hours on at least one weekday',
    });
  return problems;
}
