/**
 * Wall-clock time in an IANA time zone (`Asia/Shanghai`), through `Intl` (the time zone data
 * Node ships): deterministic for a given instant, so the engine stays pure.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, format);
  }
  return format;
}

/** Whether `zone` names a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at the instant `ms`, in milliseconds (+8 h for Asia/Shanghai). */
function offsetAt(zone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatOf(zone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return wall - Math.floor(ms / 1000) * 1000;
}

/** A local calendar date as days since 1970-01-01 (so days are counted with plain integers). */
export type DayNumber = number;

const DAY_MS = 86_400_000;

/** The local date and the milliseconds since local midnight of the instant `ms`. */
export function localOf(zone: string, ms: number): { day: DayNumber; msOfDay: number } {
  const wall = ms + offsetAt(zone, ms);
  const day = Math.floor(wall / DAY_MS);
  return { day, msOfDay: wall - day * DAY_MS };
}

/**
 * The instant of a local wall-clock time. In a daylight-saving gap the time is read with the
 * offset before the change (02:30 that does not exist becomes 03:30).
 */
export function instantOf(zone: string, day: DayNumber, msOfDay: number): number {
  const wall = day * DAY_MS + msOfDay;
  const first = wall - offsetAt(zone, wall);
  if (first + offsetAt(zone, first) === wall) return first;
  const second = wall - offsetAt(zone, first);
  if (second + offsetAt(zone, second) === wall) return second;
  return Math.max(first, second);
}

/** `YYYY-MM-DD` of a day number. */
export function isoDate(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The weekday of a day number: 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: DayNumber): number {
  // 1970-01-01 was a Thursday (3).
  return (((day + 3) % 7) + 7) % 7;
}
