import { Cron } from 'croner';
import { addDuration } from '../interpreter/durations';

/** When a schedule (ISO-8601 `every`, or 5/6-field `cron` in UTC) next ticks after `from`. */
export function nextTick(schedule: { every?: string; cron?: string }, from: string): string {
  if (schedule.every !== undefined) return addDuration(from, schedule.every);
  if (schedule.cron === undefined) throw new RangeError('A schedule needs "every" or "cron"');
  const next = new Cron(schedule.cron, { timezone: 'UTC', paused: true }).nextRun(new Date(from));
  if (!next) throw new RangeError(`The cron "${schedule.cron}" never runs after ${from}`);
  return next.toISOString();
}

/** Why a cron expression is not valid, or undefined when it is. */
export function cronProblem(cron: string): string | undefined {
  try {
    new Cron(cron, { timezone: 'UTC', paused: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
