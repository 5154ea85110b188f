import { randomUUID } from 'node:crypto';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('lease');

/** A claim's fencing token: every write of the claim's holder matches it. */
export const newLeaseToken = (): string => randomUUID();

/** A claimed row, with the token of the claim that holds it. */
export interface Lease {
  id: number;
  /** The claim's token (`lease_token`): compared in the WHERE of every write of the holder. */
  lease: string;
}

/**
 * The holder of a claim lost it (it stalled past its lease and another runner took the row):
 * thrown inside a transaction so that nothing of the holder's work is committed.
 */
export class LeaseLostError extends Error {
  constructor(readonly what: string) {
    super(`${what}: the lease was lost (another runner holds it now); nothing was written`);
    this.name = 'LeaseLostError';
  }
}

/** Logs a holder's write that changed nothing because the lease was lost. */
export function logLeaseLost(what: string): void {
  log.warn(new LeaseLostError(what).message);
}
