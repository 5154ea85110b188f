import { Injectable } from '@nestjs/common';
import { systemActor } from '@ordo/engine';
import type { Actor, Effect, EngineResult } from '@ordo/engine';
import { DomainEvents } from '../events/domain-events';
import { ExceptionRouter } from '../exceptions/exception-router';
import { FlowCache } from '../flows/flow-cache';
import { OrdersService } from '../orders/orders.service';
import { OrderRefused } from '../orders/order-errors';
import { Poller } from '../background/poller';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { RuntimeClock } from '../runtime/runtime-clock';
import { type ClaimedTimer, type StoredTimer, TimersRepository } from './timers.repository';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('timers');

/** Timers fire as this actor. */
export const TIMER_ACTOR: Actor = systemActor('timer');

/** A timer that another process fired (or that was cancelled) while this one computed. */
class TimerGone extends Error {}

/** How long a claimed timer is held; and the retry delay of one that failed to fire. */
const LEASE_MS = 60_000;
const RETRY_MS = 30_000;

/**
 * Fires due timers. A timer is claimed under a lease, its effect computed by the engine
 * (`flow.timer`) and committed with the order in the transaction that deletes it — so it fires
 * once, also with several processes. A blocked-autos watch raises an `auto_blocked`
 * exception; an SLA breach is recorded as `sla_breached`, settled by the state's onBreach.
 */
@Injectable()
export class TimerRunner extends Poller {
  protected readonly name = 'Timers';

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    private readonly timers: TimersRepository,
    private readonly orders: OrdersService,
    private readonly flows: FlowCache,
    private readonly exceptions: ExceptionRouter,
    events: DomainEvents,
  ) {
    super(clock, options.pollMs, options.enabled);
    // A timer stored here or by another process (ClusterWake) may fall due before the next look.
    events.on('timers.pending', ({ at }) => this.wakeBy(at));
  }

  protected async work(now: string): Promise<string | undefined> {
    const lease = new Date(this.clock.now() + LEASE_MS).toISOString();
    for (;;) {
      const due = await this.timers.claim(now, lease, 64);
      for (const timer of due)
        await this.fire(timer).catch(async (error) => {
          log.error(`Timer ${timer.timer} of order ${timer.orderId}: ${(error as Error).message}`);
          await this.timers.release(timer, new Date(this.clock.now() + RETRY_MS).toISOString());
        });
      if (due.length < 64) return this.timers.nextDue();
    }
  }

  /**
   * Fires one claimed timer. Every write matches the claim's lease: a runner that stalled past
   * it changes nothing (another runner fired the timer).
   */
  async fire(timer: ClaimedTimer): Promise<void> {
    const order = await this.orders.find(timer.orderId);
    if (!order || order.state !== timer.state) {
      await this.timers.remove(timer);
      return;
    }
    const flow = await this.flows.get(order.flow, order.flowVersion);
    if (timer.kind === 'blocked') {
      // Raised by the holder only (the exception is keyed by its source as well).
      if (!(await this.timers.remove(timer))) return;
      const blocked = flow
        .available(order, {
          now: new Date(this.clock.now()).toISOString(),
          actor: TIMER_ACTOR,
          dataSets: await this.orders.dataSetSnapshot(),
        })
        .filter((t) => t.auto && !t.enabled);
      await this.exceptions.raise(flow.doc, {
        sourceKey: `blocked:${order.id}:${timer.state}:${timer.since ?? timer.at}`,
        order,
        exception: {
          kind: 'auto_blocked',
          state: timer.state,
          error: blocked.map((t) => `${t.id}: ${t.reason}`).join('; '),
        },
      });
      return;
    }
    let fired: Extract<EngineResult, { ok: true }> | undefined;
    try {
      await this.orders.applyOutcome(
        order.id,
        (f, o, ctx) => {
          const result = f.timer(o, timer, ctx);
          // Nothing to do (the timer no longer applies): leave the order as it is.
          if (result.ok && !result.history.length) throw new TimerGone();
          if (result.ok) fired = result;
          return result;
        },
        TIMER_ACTOR,
        async (tx) => {
          if ((await this.timers.remove(timer, tx)) !== 1) throw new TimerGone();
        },
        order,
      );
    } catch (error) {
      if (error instanceof TimerGone) {
        await this.timers.remove(timer);
        return;
      }
      // The engine refused (the data no longer fits, a rule): the timer is spent all the same.
      if (error instanceof OrderRefused) {
        await this.timers.remove(timer);
        log.warn(`Timer ${timer.timer} of order ${order.id}: ${error.message}`);
        return;
      }
      throw error;
    }
    if (fired && timer.kind === 'sla') await this.recordBreach(timer, order.id, fired, flow.doc);
  }

  /** An SLA breach is an exception, settled by the state's own onBreach. */
  private async recordBreach(
    timer: StoredTimer,
    orderId: string,
    fired: Extract<EngineResult, { ok: true }>,
    flow: Parameters<ExceptionRouter['raise']>[0],
  ): Promise<void> {
    const taskIndex = fired.effects.findIndex((e: Effect) => e.type === 'task.open');
    const version = fired.history[0].version;
    const moved = fired.history.some((h) => h.kind === 'transition');
    const sameVersion = fired.effects.filter((e) => e.version === version);
    const taskKey =
      taskIndex >= 0
        ? `${orderId}:${version}:${sameVersion.indexOf(fired.effects[taskIndex])}`
        : undefined;
    await this.exceptions.raise(flow, {
      sourceKey: `sla:${orderId}:${version}`,
      order: fired.order,
      exception: { kind: 'sla_breached', state: timer.state },
      settled: taskKey
        ? { resolution: 'task', taskKey }
        : moved
          ? { resolution: 'event' }
          : undefined,
    });
  }
}
