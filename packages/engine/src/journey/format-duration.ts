const UNITS: [number, string, string][] = [
  [86_400_000, 'd', '天'],
  [3_600_000, 'h', '小时'],
  [60_000, 'min', '分'],
  [1000, 's', '秒'],
];

/**
 * A duration the way people say it, in English or Chinese: the two largest units (`2 h 5 min`,
 * `1 天 3 小时`); `—` when unknown. The dashboard and the server's PDF report both use it.
 */
export function formatDuration(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const zh = locale.startsWith('zh');
  if (Math.abs(ms) < 1000) return zh ? `${Math.round(ms)} 毫秒` : `${Math.round(ms)} ms`;
  const parts: string[] = [];
  let rest = Math.round(Math.abs(ms) / 1000) * 1000;
  for (const [size, en, cn] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(zh ? `${n} ${cn}` : `${n} ${en}`);
    rest -= n * size;
    if (parts.length === 2 || (parts.length === 1 && n === 0)) break;
  }
  return (ms < 0 ? '−' : '') + parts.join(' ');
}

/** A share as a percentage with at most one decimal (`97.5%`), `—` when unknown. */
export const formatShare = (share: number | null | undefined): string =>
  share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`;
