import type { EngineError } from '@ordo/engine';
import type { StoredOrder } from './orders.repository';

/**
 * Why a create or change of an order did not happen: domain errors of OrdersService, with a
 * stable `code`. The runtime branches on their classes; the HTTP edge maps them to problems
 * (problems/order-problem.ts).
 */
export abstract class OrderError extends Error {
  abstract readonly code: string;
}

export class OrderNotFound extends OrderError {
  readonly code = 'not_found';
  constructor(readonly orderId: string) {
    super(`Order "${orderId}" does not exist`);
    this.name = 'OrderNotFound';
  }
}

/** The engine refused the change (a guard, a rule, the data, a role): its error as it gave it. */
export class OrderRefused extends OrderError {
  readonly code: string;
  constructor(readonly refusal: EngineError) {
    super(refusal.message);
    this.name = 'OrderRefused';
    this.code = refusal.code;
  }
}

/** The caller pinned a version the order is no longer at. */
export class VersionConflict extends OrderError {
  readonly code = 'version_conflict';
  constructor(
    readonly current: StoredOrder,
    readonly expected: number,
  ) {
    super(`The order is at version ${current.version}, not ${expected}: read it again and decide`);
    this.name = 'VersionConflict';
  }
}

/** The order changed too often while a change was computed on it. */
export class OrderBusy extends OrderError {
  readonly code = 'busy';
  constructor(
    readonly orderId: string,
    attempts: number,
  ) {
    super(`Order ${orderId} changed ${attempts} times while this change was computed: try again`);
    this.name = 'OrderBusy';
  }
}

/** The flow has an order with this external reference already. */
export class DuplicateReference extends OrderError {
  readonly code = 'duplicate_external_ref';
  constructor(
    readonly flow: string,
    readonly externalRef: string,
    readonly orderId: string,
  ) {
    super(`Flow "${flow}" already has order ${orderId} with the reference "${externalRef}"`);
    this.name = 'DuplicateReference';
  }
}
