import type { Db } from '../database/db';

const lagSeconds = (oldest: string | null | undefined, now: number) =>
  oldest ? Math.max(0, (now - Date.parse(oldest)) / 1000) : 0;

/**
 * The outbox's and the timers' backlog and lag, from index ranges only (outbox_due on
 * status, next_attempt_at; timers_due on due_at): cheap at every scrape however large the
 * tables grow, since only pending rows and due timers are counted.
 */
export async function readBacklog(db: Db, now: number) {
  const at = new Date(now).toISOString();
  const [[outbox], [due], [timers]] = await Promise.all([
    db.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"),
    db.query<{ oldest: string | null }>(
      "SELECT MIN(next_attempt_at) AS oldest FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?",
      [at],
    ),
    db.query<{ n: number | string; oldest: string | null }>(
      'SELECT COUNT(*) AS n, MIN(due_at) AS oldest FROM timers WHERE due_at <= ?',
      [at],
    ),
  ]);
  return {
    outboxPending: Number(outbox?.n ?? 0),
    outboxLagSeconds: lagSeconds(due?.oldest, now),
    timersDue: Number(timers?.n ?? 0),
    timerLagSeconds: lagSeconds(timers?.oldest, now),
  };
}
