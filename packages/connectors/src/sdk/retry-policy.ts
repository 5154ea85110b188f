import type { RetryPolicy } from './define-connector';

/** The policy with every default filled in. */
export const retryPolicy = (...policies: (RetryPolicy | undefined)[]): Required<RetryPolicy> => {
  const merged = Object.assign({}, ...policies.filter(Boolean)) as RetryPolicy;
  return {
    attempts: merged.attempts ?? 5,
    backoffMs: merged.backoffMs ?? 1000,
    maxBackoffMs: merged.maxBackoffMs ?? 60_000,
  };
};

/**
 * How long to wait after failed attempt number `attempt` (1-based): exponential back-off with
 * full jitter — uniformly between 0 and min(max, base · 2^(attempt−1)) — so that many orders
 * failing together do not retry together. `random` is injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  policy: Required<RetryPolicy>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Spaces calls to at most `perSecond`, in arrival order. */
export class RateLimiter {
  private next = 0;
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the caller must wait before its call (and books its slot). */
  reserve(): number {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    return at - now;
  }
}
