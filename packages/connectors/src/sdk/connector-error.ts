/**
 * Why an action failed, and whether trying again could help. The runtime retries only
 * `retryable` failures (network errors, timeouts, 5xx, 429) and fails the rest at once.
 */
export class ConnectorError extends Error {
  readonly retryable: boolean;
  readonly code: string;
  readonly status?: number;
  /** How long the other side asked to wait before the next attempt (`Retry-After`). */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: {
      retryable: boolean;
      code: string;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.code = options.code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Statuses worth another attempt: the other side is busy, down or timed out. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 425 || status === 429 || status >= 500;
