import { Injectable } from '@nestjs/common';
import { SmtpPool } from '../connectors/smtp-pool';
import { connectorLog } from '../logging/connector-log';
import {
  backoffDelay,
  ConnectorError,
  RateLimiter,
  runAction,
  SafeHttpClient,
} from '@ordo/connectors';
import {
  type Actor,
  applyCallAnswer,
  type CompiledFlow,
  type ConnectorCallEffect,
  type ConnectorInstance,
  type RaisedException,
  systemActor,
} from '@ordo/engine';
import { CredentialsService } from '../credentials/credentials.service';
import { FlowCache } from '../flows/flow-cache';
import type { StoredOrder } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { OrderRefused } from '../orders/order-errors';
import { LeaseLostError, logLeaseLost } from '../database/lease';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { type ClaimedEffect, OutboxRepository } from './outbox.repository';
import { describeError, durationMs, policyOf } from './effect-support';
import { NotificationDelivery } from './notification-delivery';
import { RuntimeClock } from './runtime-clock';
import { InternalEffects } from './internal-effects';
import { ExceptionRouter } from '../exceptions/exception-router';

/** The instance a call names, with its connector, in the flow version the order runs on. */
interface Target {
  order: StoredOrder;
  flow: CompiledFlow;
  instance: ConnectorInstance;
}

/** Whether a status push is outdated: the order has moved on to a state its system has a code for. */
function staleFor({ order, flow }: Target, push: { system: string; state: string }): boolean {
  if (order.state === push.state) return false;
  return (flow.doc.systems?.[push.system]?.statuses ?? []).some((s) => s.state === order.state);
}

/**
 * Carries out one claimed `connector.call`: one attempt of the action under the instance's
 * policies, then — in one transaction with settling the outbox row — the answer written at
 * `resultPath` and `onSuccess` fired, or after the last attempt `onFailure` fired. A failure
 * worth retrying goes back in the queue after an exponential, fully jittered back-off.
 */
@Injectable()
export class EffectRunner {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly orders: OrdersService,
    private readonly flows: FlowCache,
    private readonly registry: ConnectorRegistry,
    private readonly credentials: CredentialsService,
    private readonly http: SafeHttpClient,
    private readonly smtp: SmtpPool,
    private readonly clock: RuntimeClock,
    private readonly notifications: NotificationDelivery,
    private readonly internal: InternalEffects,
    private readonly exceptions: ExceptionRouter,
  ) {}

  async run(claimed: ClaimedEffect): Promise<void> {
    if (claimed.effect.type === 'notify') return this.notifications.deliver(claimed);
    if (claimed.effect.type === 'connector.call') return this.call(claimed);
    return this.internal.run(claimed);
  }

  private async call(claimed: ClaimedEffect): Promise<void> {
    const effect = claimed.effect as ConnectorCallEffect;
    let target: Target;
    try {
      target = await this.target(claimed);
    } catch (error) {
      return this.fail(claimed, effect, error as Error);
    }
    if (effect.push && staleFor(target, effect.push)) {
      const { system, state } = effect.push;
      const note = `${system} was not told ${state}: the order is ${target.order.state} now, which ${system} is told instead`;
      const now = new Date(this.clock.now()).toISOString();
      await this.outbox.settle(claimed, 'done', { dropped: 'stale', note }, null, now);
      return;
    }
    const { instance } = target;
    const connector = this.registry.get(instance.type)!;
    const action = connector.actions[effect.action];
    const policy = policyOf(instance, action?.retry);
    let output: unknown;
    try {
      if (action?.rateLimit) await this.waitForRate(claimed, action.rateLimit.perSecond);
      output = await runAction(connector, effect.action, {
        input: effect.input,
        settings: instance.settings,
        ...(await this.credentials.forCall(instance.credential)),
        http: this.http,
        smtp: this.smtp,
        idempotencyKey: claimed.idempotencyKey,
        timeoutMs: durationMs(instance.timeout),
        log: connectorLog(connector.id, effect.action, claimed.idempotencyKey),
      });
    } catch (error) {
      const retryable = error instanceof ConnectorError ? error.retryable : true;
      if (retryable && claimed.attempt < policy.attempts) {
        const delay = backoffDelay(
          claimed.attempt,
          policy,
          this.clock.random,
          error instanceof ConnectorError ? error.retryAfterMs : undefined,
        );
        const at = new Date(this.clock.now() + delay).toISOString();
        await this.outbox.reschedule(claimed, at, describeError(error));
        return;
      }
      return this.fail(claimed, effect, error as Error, target);
    }
    await this.succeed(claimed, effect, output, target.order);
  }

  private async target(claimed: ClaimedEffect): Promise<Target> {
    const effect = claimed.effect as ConnectorCallEffect;
    const order = await this.orders.find(claimed.orderId);
    if (!order) throw new Error(`Order ${claimed.orderId} no longer exists`);
    const flow = await this.flows.get(order.flow, order.flowVersion);
    const instance = flow.doc.connectors?.[effect.connector];
    if (!instance)
      throw new Error(
        `Flow ${order.flow} v${order.flowVersion} declares no connector instance "${effect.connector}"`,
      );
    if (!this.registry.get(instance.type))
      throw new Error(
        `Connector "${instance.type}" is not installed on this server (connector instance "${effect.connector}")`,
      );
    return { order, flow, instance };
  }

  private actor(effect: ConnectorCallEffect): Actor {
    return systemActor(`connector:${effect.connector}`);
  }

  private async succeed(
    claimed: ClaimedEffect,
    effect: ConnectorCallEffect,
    output: unknown,
    known: StoredOrder,
  ) {
    const now = new Date(this.clock.now()).toISOString();
    if (effect.resultPath === undefined && effect.onSuccess === undefined) {
      await this.outbox.settle(claimed, 'done', { output }, null, now);
      return;
    }
    try {
      await this.orders.applyOutcome(
        claimed.orderId,
        (flow, order, ctx) => applyCallAnswer(flow, order, effect, { ok: true, output }, ctx),
        this.actor(effect),
        this.outbox.settlement(claimed, 'done', { output, applied: true }, null, now),
        known,
      );
      this.outbox.countSettled(claimed, 'done');
    } catch (error) {
      // Another runner holds the row now: the answer was not applied here (it was rolled back
      // with the settle), the holder applies its own.
      if (error instanceof LeaseLostError) return logLeaseLost(error.what);
      // The order moved on (no transition for the answer now): the call is done, its answer
      // is kept on the effect. Anything else is a flow problem an operator must see.
      const moved = error instanceof OrderRefused && error.code === 'no_transition';
      await this.outbox.settle(
        claimed,
        moved ? 'done' : 'dead',
        { output, applied: false },
        `The answer could not be applied to the order: ${describeError(error)}`,
        now,
      );
    }
  }

  /**
   * Dead-letters the effect; with the call's target known, `onFailure` is fired first. A call
   * without `onFailure` (or whose failure event went nowhere) is a `connector_failed`
   * exception: its rule may run the call again later, fire another event, patch the order or
   * open a task.
   */
  private async fail(
    claimed: ClaimedEffect,
    effect: ConnectorCallEffect,
    error: Error,
    target?: Target,
  ) {
    const now = new Date(this.clock.now()).toISOString();
    const message = describeError(error);
    const failure = {
      code: error instanceof ConnectorError ? error.code : 'failed',
      message,
      ...(error instanceof ConnectorError &&
        error.status !== undefined && { status: error.status }),
    };
    if (target && effect.onFailure !== undefined) {
      try {
        await this.orders.applyOutcome(
          claimed.orderId,
          (f, order, ctx) => applyCallAnswer(f, order, effect, { ok: false, error: failure }, ctx),
          this.actor(effect),
          this.outbox.settlement(claimed, 'dead', { error: failure }, message, now),
          target.order,
        );
        this.outbox.countSettled(claimed, 'dead');
        return;
      } catch (error) {
        if (error instanceof LeaseLostError) return logLeaseLost(error.what);
        // The failure event found no transition: the effect is dead all the same.
      }
    }
    const retries = (claimed.result as { exceptionRetries?: number } | null)?.exceptionRetries ?? 0;
    if (target) {
      const { retryAt } = await this.exceptions.raise(target.flow.doc, {
        sourceKey: `call:${claimed.idempotencyKey}:${retries}`,
        order: target.order,
        exception: {
          kind: 'connector_failed',
          connector: effect.connector,
          retries,
          error: message,
          ...(failure.status !== undefined && { status: failure.status }),
        } as RaisedException,
      });
      if (retryAt) {
        await this.outbox.reschedule(claimed, retryAt, message, { exceptionRetries: retries + 1 });
        return;
      }
    }
    await this.outbox.settle(claimed, 'dead', { error: failure }, message, now);
  }

  private async waitForRate(claimed: ClaimedEffect, perSecond: number): Promise<void> {
    const effect = claimed.effect as ConnectorCallEffect;
    const key = `${effect.connector}.${effect.action}`;
    let limiter = this.limiters.get(key);
    if (!limiter) this.limiters.set(key, (limiter = new RateLimiter(perSecond, this.clock.now)));
    const wait = limiter.reserve();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
