import { ConnectorError, runAction, type SafeHttpClient } from '@ordo/connectors';
import { type CompiledFlow, repairPush, systemActor } from '@ordo/engine';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { CredentialsService } from '../credentials/credentials.service';
import type { ExceptionRouter } from '../exceptions/exception-router';
import { connectorLog } from '../logging/connector-log';
import type { StoredOrder } from '../orders/orders.repository';
import { describeError, durationMs } from '../runtime/effect-support';

/**
 * What a reconciliation did about one drifted order: told the system our status again
 * (`repaired`), was refused by it (`refused`: a `drift_refused` exception, routed — usually a
 * task for a person), could not reach it (`failed`: the next run tries again), or could not push
 * at all (`not_pushable`: the system has no `push`, or no code for the order's state).
 */
export type RepairOutcome = 'repaired' | 'refused' | 'failed' | 'not_pushable';

/** The start of the source keys of refused repairs for one system (and one order). */
export const driftSource = (flow: string, system: string, orderId?: string) =>
  `drift:${flow}:${system}:${orderId === undefined ? '' : `${orderId}:`}`;

/**
 * Settles an order's open `drift_refused` exceptions for the system (and closes their tasks)
 * once the system agrees with Ordo again: a later repair went through, or the system was
 * set right by a person.
 */
export async function settleRefusals(
  exceptions: ExceptionRouter,
  flow: string,
  system: string,
  orderId: string,
  how: 'repaired' | 'agrees',
  at: string,
) {
  const note =
    how === 'repaired'
      ? `Closed by itself: the reconciliation of ${at} told ${system} our status again and it took it`
      : `Closed by itself: the reconciliation of ${at} found ${system} agreeing with Ordo`;
  return exceptions.settleGone(driftSource(flow, system, orderId), note);
}

/** The services a repair uses. */
export interface RepairDeps {
  registry: ConnectorRegistry;
  credentials: CredentialsService;
  http: SafeHttpClient;
  exceptions: ExceptionRouter;
}

/**
 * Repairs one drifted order: pushes the order's current state to the system in its own code,
 * through the system's `push` call (one attempt per run, keyed by the order's version and the
 * run: a system that refused once is asked again by the next run). A refusal (a non-retryable
 * answer: 4xx) is raised once per order, system and version as a `drift_refused` exception.
 */
export async function repairDrift(
  deps: RepairDeps,
  flow: CompiledFlow,
  system: string,
  order: StoredOrder,
  now: string,
): Promise<{ outcome: RepairOutcome; error?: string; exceptionId?: number }> {
  const push = repairPush(flow.doc, system, order, {
    now,
    actor: systemActor('reconciliation'),
  });
  const instance = push && flow.doc.connectors?.[push.call.connector];
  const connector = instance && deps.registry.get(instance.type);
  if (!push || !instance || !connector) return { outcome: 'not_pushable' };
  const idempotencyKey = `repair:${system}:${order.id}:${order.version}:${now}`;
  try {
    await runAction(connector, push.call.action, {
      input: push.input,
      settings: instance.settings,
      ...(await deps.credentials.forCall(instance.credential)),
      http: deps.http,
      idempotencyKey,
      timeoutMs: durationMs(instance.timeout),
      log: connectorLog(connector.id, push.call.action, idempotencyKey),
    });
    return { outcome: 'repaired' };
  } catch (error) {
    const message = describeError(error);
    if (!(error instanceof ConnectorError) || error.retryable)
      return { outcome: 'failed', error: message };
    const { record } = await deps.exceptions.raise(flow.doc, {
      sourceKey: `${driftSource(flow.doc.key, system, order.id)}${order.version}`,
      order,
      exception: {
        kind: 'drift_refused',
        system,
        connector: push.call.connector,
        state: order.state,
        error: `${system} refused ${push.code} (our state ${order.state}): ${message}`,
        ...(error.status !== undefined && { status: error.status }),
      },
    });
    return { outcome: 'refused', error: message, ...(record && { exceptionId: record.id }) };
  }
}
