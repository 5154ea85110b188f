import { type Rng, normal } from './dice';
import { startOf } from './order-maker';
import type { Duration, Handling, Scenario } from './scenario.schema';
import type { ScenarioCalendar } from './sim-calendar';
import { DAY_MS } from './sim-clock';

/** One simulated person: what they are doing and until when. */
export interface Person {
  name: string;
  role: string;
  /** Their number within the role (1-based): the first `onDuty` of a role work holidays. */
  n: number;
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

/**
 * Whether a person works at a moment (local time of the scenario): their role's hours, on its
 * weekdays — or, with a calendar, not on holidays unless on duty and also on make-up days.
 */
export function onShift(
  s: Scenario,
  person: Pick<Person, 'role' | 'n'>,
  at: number,
  calendar?: ScenarioCalendar,
): boolean {
  const people = s.people[person.role];
  const local = new Date(at + s.utcOffsetMinutes * 60_000);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const day = Math.floor((at - startOf(s)) / DAY_MS);
  const comesIn = calendar
    ? calendar.comesIn(person.role, person.n, people.weekdays, day)
    : people.weekdays.includes(local.getUTCDay() || 7);
  return comesIn && minute >= minutesOf(people.hours[0]) && minute < minutesOf(people.hours[1]);
}
