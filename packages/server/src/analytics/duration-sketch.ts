import type { TimeSummary } from '@ordo/engine';
import { EMPTY_TIME } from './time-summary';

/**
 * A mergeable summary of durations with a relative error bound (the idea of DDSketch): a
 * duration d ≥ 1 ms falls in bucket ⌈log_γ d⌉ + 1, whose every value is within (γ − 1)/(γ + 1)
 * of the bucket's representative value; 0 ms has bucket 0. Day rows keep counts per bucket, so
 * a month's percentiles come from merging thirty days instead of sorting every stay.
 */
const GAMMA = 1.02;
const LN_GAMMA = Math.log(GAMMA);

/** The largest relative error of a percentile read from buckets (0.99%). */
export const RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

/** The bucket of a duration in ms. */
export const bucketOf = (ms: number): number =>
  ms < 1 ? 0 : Math.ceil(Math.log(ms) / LN_GAMMA - 1e-12) + 1;

/** The value standing for every duration in a bucket. */
export const valueOf = (bucket: number): number =>
  bucket === 0 ? 0 : (2 * GAMMA ** (bucket - 1)) / (GAMMA + 1);

/** Counts per bucket of one group, and the exact sum of its durations. */
export interface Sketch {
  buckets: Map<number, number>;
  count: number;
  totalMs: number;
}

export const emptySketch = (): Sketch => ({ buckets: new Map(), count: 0, totalMs: 0 });

export function addToSketch(s: Sketch, bucket: number, n: number, totalMs: number): void {
  s.buckets.set(bucket, (s.buckets.get(bucket) ?? 0) + n);
  s.count += n;
  s.totalMs += totalMs;
}

/**
 * The summary of a sketch: count and mean exact; percentiles interpolated between the
 * representative values of the closest ranks (the formula of `percentile` in time-summary.ts).
 */
export function summarizeSketch(s: Sketch): TimeSummary {
  if (!s.count) return EMPTY_TIME;
  const sorted = [...s.buckets].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const valueAtRank = (rank: number) => {
    let seen = 0;
    for (const [bucket, n] of sorted) {
      seen += n;
      if (rank < seen) return valueOf(bucket);
    }
    return valueOf(sorted[sorted.length - 1][0]);
  };
  const at = (p: number) => {
    const h = (s.count - 1) * p;
    const lo = Math.floor(h);
    const low = valueAtRank(lo);
    return low + (h - lo) * (valueAtRank(Math.min(lo + 1, s.count - 1)) - low);
  };
  return {
    count: s.count,
    meanMs: s.totalMs / s.count,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p95Ms: at(0.95),
    approximate: true,
  };
}
