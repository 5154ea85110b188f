/**
 * The rows a scrolled list must draw: those in view plus a margin, and the blank space above
 * and below them — so a list of 100,000 orders draws a few dozen rows.
 */
export function windowRows(
  total: number,
  rowHeight: number,
  scrollTop: number,
  viewHeight: number,
  margin = 10,
): { first: number; last: number; before: number; after: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - margin);
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / rowHeight) + margin);
  return { first, last, before: first * rowHeight, after: Math.max(0, (total - last) * rowHeight) };
}
