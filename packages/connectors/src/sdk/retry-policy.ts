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
 * failing together do not retry together; never sooner than the other side asked for
 * (`retryAfterMs`, from its `Retry-After`). The one formula of connector calls and outbound
 * webhooks. `random` is injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<Required<RetryPolicy>, 'backoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
  return Math.max(retryAfterMs ?? 0, Math.floor(random() * ceiling));
}

/** A `Retry-After` header (seconds, or an HTTP date) as milliseconds from `now`. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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
