import { type Rng, normal } from './dice';
import type { Duration, Handling, Scenario } from './scenario.schema';

/** One simulated person: what they are doing and until when. */
export interface Person {
  name: string;
  role: string;
  key: string;
  busyUntil: number;
  /** What they finish at busyUntil. */
  doing?: { handling: Handling; orderId: string; taskId?: number; row?: unknown };
  busyMs: number;
  shiftMs: number;
  handled: number;
}

/** Minutes drawn from a distribution. */
export function draw(d: Duration, rng: Rng): number {
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return d.uniform[0] + rng() * (d.uniform[1] - d.uniform[0]);
  if ('triangular' in d) {
    const [a, c, b] = d.triangular;
    const u = rng();
    const f = b === a ? 0 : (c - a) / (b - a);
    return u < f
      ? a + Math.sqrt(u * (b - a) * (c - a))
      : b - Math.sqrt((1 - u) * (b - a) * (b - c));
  }
  return d.lognormal.median * Math.exp(d.lognormal.sigma * normal(rng));
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

/** Whether a role works at a moment (local time of the scenario). */
export function onShift(s: Scenario, role: string, at: number): boolean {
  const people = s.people[role];
  const local = new Date(at + s.utcOffsetMinutes * 60_000);
  const weekday = local.getUTCDay() || 7;
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return (
    people.weekdays.includes(weekday) &&
    minute >= minutesOf(people.hours[0]) &&
    minute < minutesOf(people.hours[1])
  );
}
