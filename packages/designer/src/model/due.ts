/** How close a due time is, as a class: overdue, within the hour (soon), or later. */
export function dueClass(dueAt: string | null, now: number): string {
  if (!dueAt) return '';
  const left = Date.parse(dueAt) - now;
  return left < 0 ? 'due overdue' : left < 3600_000 ? 'due soon' : 'due';
}
