import type { TimerKind } from './effect';
import type { DueTimer } from './order';

const KINDS: readonly string[] = ['sla', 'poll', 'blocked'] satisfies TimerKind[];

/**
 * What a due timer is for: its `kind`, or for a timer recorded before kinds were a field (a
 * history entry's payload) the prefix of its id (`sla:…`, `poll:…`, `blocked:…`).
 */
export function timerKind(due: Pick<DueTimer, 'timer' | 'kind'>): TimerKind | undefined {
  if (due.kind) return due.kind;
  const prefix = due.timer.slice(0, due.timer.indexOf(':'));
  return KINDS.includes(prefix) ? (prefix as TimerKind) : undefined;
}
