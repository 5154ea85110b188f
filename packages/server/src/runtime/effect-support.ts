import { retryPolicy, type RetryPolicy } from '@ordo/connectors';
import { addDuration, type ConnectorInstance } from '@ordo/engine';
import { OrderError } from '../orders/order-errors';
import { ApiProblem } from '../problems/api-problem';

const EPOCH = '1970-01-01T00:00:00.000Z';

/** An ISO-8601 duration in milliseconds. */
export const durationMs = (duration: string | undefined): number | undefined =>
  duration === undefined ? undefined : Date.parse(addDuration(EPOCH, duration));

/** The retry policy of a call: the connector action's, overridden by the flow's instance. */
export const policyOf = (instance: ConnectorInstance | undefined, declared?: RetryPolicy) =>
  retryPolicy(declared, {
    ...(instance?.retry?.attempts !== undefined && { attempts: instance.retry.attempts }),
    ...(instance?.retry?.backoff && { backoffMs: durationMs(instance.retry.backoff) }),
    ...(instance?.retry?.maxBackoff && { maxBackoffMs: durationMs(instance.retry.maxBackoff) }),
  });

/** An error as the one line kept on the effect. */
export const describeError = (error: unknown): string =>
  error instanceof ApiProblem
    ? `${error.code}: ${error.detail}`
    : error instanceof OrderError
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
