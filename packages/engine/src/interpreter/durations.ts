const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Adds an ISO-8601 duration (`PT4H`, `P2D`, `P1M`) to an ISO-8601 time, in UTC. Years and
 * months follow the calendar (Jan 31 + P1M = Feb 28/29, as JavaScript dates roll); the rest
 * is exact. Pure: the time comes from the caller.
 */
export function addDuration(isoTime: string, duration: string): string {
  const match = DURATION.exec(duration);
  const start = Date.parse(isoTime);
  if (!match || Number.isNaN(start)) throw new RangeError(`Cannot add ${duration} to ${isoTime}`);
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(start);
  if (y || mo) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + Number(y) * 12 + Number(mo));
    const lastDay = new Date(
      Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0),
    ).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
  }
  const ms =
    ((((Number(w) * 7 + Number(d)) * 24 + Number(h)) * 60 + Number(mi)) * 60 + Number(s)) * 1000;
  return new Date(date.getTime() + ms).toISOString();
}
