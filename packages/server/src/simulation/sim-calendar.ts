import {
  calendarProblems,
  type DataSetRow,
  HOURS_COLUMN,
  parseHours,
  WEEKDAYS,
} from '@ordo/engine';
import type { Scenario } from './scenario.schema';
import { DAY_MS } from './sim-clock';

/** How a scenario day stands in the flow's business calendar. */
export type DayKind = 'working' | 'closed' | 'holiday' | 'makeup';

/** How far around the run holidays are looked for (a peak before a holiday just after the end). */
const LOOK_AROUND_DAYS = 31;

/**
 * The scenario's days read against the flow's business calendar (docs/simulation.md#holidays):
 * a dated row without hours is a holiday, a dated row with hours on a weekday that does not
 * work is a make-up working day. Orders thin out on holidays and peak on the
 * working days around them; people stay home on holidays but for those on duty, and come in on
 * make-up days.
 */
export class ScenarioCalendar {
  private readonly kinds = new Map<number, DayKind>();
  private readonly factors = new Map<number, number>();
  /** The run's days (0-based) that are holidays or inside a peak around one. */
  readonly peakDays = new Set<number>();

  constructor(
    private readonly s: Scenario,
    /** The calendar data set's rows by key (`mon` … `sun`, dates, `timezone`). */
    private readonly rows: Map<string, DataSetRow>,
    days: number,
  ) {
    const problems = calendarProblems(rows);
    if (problems.length)
      throw new Error(
        `the calendar cannot be used: ${problems.map((p) => `row "${p.key}": ${p.message}`).join('; ')}`,
      );
    const spec = s.calendar!;
    for (let d = -LOOK_AROUND_DAYS; d < days + LOOK_AROUND_DAYS; d++)
      this.kinds.set(d, this.read(d));
    for (let d = 0; d < days; d++)
      if (this.kind(d) === 'holiday') {
        this.factors.set(d, spec.holidayFactor ?? 0.1);
        this.peakDays.add(d);
      }
    // The working days just before a run of holidays, then just after it.
    for (const [window, step] of [
      [spec.before, -1],
      [spec.after, 1],
    ] as const) {
      if (!window) continue;
      for (let d = -LOOK_AROUND_DAYS; d < days + LOOK_AROUND_DAYS; d++) {
        const edge = this.kind(d) === 'holiday' && this.kind(d + step) !== 'holiday';
        if (!edge) continue;
        for (
          let at = d + step, left = window.days;
          left > 0 && Math.abs(at - d) <= 14;
          at += step
        ) {
          if (!this.works(at)) continue;
          left--;
          if (at < 0 || at >= days) continue;
          this.factors.set(at, (this.factors.get(at) ?? 1) * window.factor);
          this.peakDays.add(at);
        }
      }
    }
  }

  /** What kind of day the run's day `d` (0-based; negative: before the start) is. */
  kind(d: number): DayKind {
    return this.kinds.get(d) ?? this.read(d);
  }

  /** The factor on the day's orders (1: as the weekly profile says). */
  orderFactor(d: number): number {
    return this.factors.get(d) ?? 1;
  }

  /**
   * Whether the `n`th person (1-based) of a role whose weekdays are `weekdays` comes in on day
   * `d`: not on a holiday (unless among the role's on duty), always on a make-up day.
   */
  comesIn(role: string, n: number, weekdays: number[], d: number): boolean {
    const kind = this.kind(d);
    if (kind === 'holiday') return n <= (this.s.calendar!.onDuty?.[role] ?? 0);
    if (kind === 'makeup') return true;
    return weekdays.includes(this.isoWeekday(d));
  }

  /** The local date (`2026-10-01`) of the run's day `d`. */
  dateOf(d: number): string {
    return new Date(this.dayNumber(d) * DAY_MS).toISOString().slice(0, 10);
  }

  private works(d: number): boolean {
    const kind = this.kind(d);
    return kind === 'working' || kind === 'makeup';
  }

  /** The calendar's day number (days since 1970-01-01) of the run's day `d`. */
  private dayNumber(d: number): number {
    return Date.parse(`${this.s.start}T00:00:00Z`) / DAY_MS + d;
  }

  private isoWeekday(d: number): number {
    return new Date(this.dayNumber(d) * DAY_MS).getUTCDay() || 7;
  }

  private read(d: number): DayKind {
    const day = new Date(this.dayNumber(d) * DAY_MS);
    const hours = (key: string) => parseHours(this.rows.get(key)?.[HOURS_COLUMN], key).length > 0;
    const weekdayWorks = hours(WEEKDAYS[(day.getUTCDay() + 6) % 7]);
    const date = this.dateOf(d);
    if (!this.rows.has(date)) return weekdayWorks ? 'working' : 'closed';
    // A dated row is the calendar saying so: off (a holiday, weekend or not), or at work.
    if (!hours(date)) return 'holiday';
    return weekdayWorks ? 'working' : 'makeup';
  }
}
