import { Inject, Injectable } from '@nestjs/common';
import type {
  TaskCloseEffect,
  TaskOpenEffect,
  TimerCancelEffect,
  TimerStartEffect,
} from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { OrdersService } from '../orders/orders.service';
import { queueRoles, TasksService } from '../tasks/tasks.service';
import { DomainEvents } from '../events/domain-events';
import { TimersRepository } from '../timers/timers.repository';
import { WebhookFanout } from '../webhooks/webhook-fanout';
import { type ClaimedEffect, OutboxRepository } from './outbox.repository';
import { RuntimeClock } from './runtime-clock';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('effects');

/** A due time counted in wall-clock time because its calendar could not be used: said in the log. */
function warnCalendar(orderId: string, effect: TaskOpenEffect | TimerStartEffect): void {
  const calendar = effect.calendar;
  if (calendar && 'problem' in calendar)
    log.warn(
      `Order ${orderId}: ${effect.type} due in wall-clock time, not business time — ${calendar.problem}`,
    );
}

/**
 * Effects carried out inside Ordo: timers are stored (or cancelled), tasks opened, and events
 * (`emit`, state changes) fanned out to the webhook subscriptions — each in the transaction
 * that settles its outbox row, so none is done twice.
 */
@Injectable()
export class InternalEffects {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly outbox: OutboxRepository,
    private readonly orders: OrdersService,
    private readonly flows: FlowCache,
    private readonly timers: TimersRepository,
    private readonly tasks: TasksService,
    private readonly fanout: WebhookFanout,
    private readonly clock: RuntimeClock,
    private readonly events: DomainEvents,
  ) {}

  async run(claimed: ClaimedEffect): Promise<void> {
    const now = new Date(this.clock.now()).toISOString();
    const effect = claimed.effect;
    switch (effect.type) {
      case 'timer.start':
      case 'timer.cancel':
        if (effect.type === 'timer.start')
          warnCalendar(claimed.orderId, effect as TimerStartEffect);
        await this.db.transaction(async (tx) => {
          if (effect.type === 'timer.start')
            await this.timers.start(claimed.orderId, effect as TimerStartEffect, tx);
          else await this.timers.cancel(claimed.orderId, (effect as TimerCancelEffect).timer, tx);
          await this.outbox.settle(claimed, 'done', null, null, now, tx);
        });
        if (effect.type === 'timer.start')
          this.events.emit('timers.pending', { at: (effect as TimerStartEffect).at });
        return;
      case 'task.open':
        warnCalendar(claimed.orderId, effect as TaskOpenEffect);
        return this.openTask(claimed, effect as TaskOpenEffect, now);
      case 'task.close': {
        const { state, to } = effect as TaskCloseEffect;
        const closed = await this.db.transaction(async (tx) => {
          const tasks = await this.tasks.closeLeft(claimed.orderId, state, to, now, tx);
          await this.outbox.settle(claimed, 'done', { closed: tasks.length }, null, now, tx);
          return tasks;
        });
        return this.tasks.announceClosed(closed);
      }
      default: {
        const order = await this.orders.find(claimed.orderId);
        await this.db.transaction(async (tx) => {
          await this.fanout.fanOut(claimed, order, now, tx);
          await this.outbox.settle(claimed, 'done', null, null, now, tx);
        });
      }
    }
  }

  private async openTask(claimed: ClaimedEffect, effect: TaskOpenEffect, now: string) {
    const order = await this.orders.find(claimed.orderId);
    if (!order) {
      await this.outbox.settle(
        claimed,
        'dead',
        null,
        `Order ${claimed.orderId} no longer exists`,
        now,
      );
      return;
    }
    if (effect.state !== undefined && order.state !== effect.state) {
      // The order left the state before the task could open: it would be about nothing.
      await this.outbox.settle(claimed, 'done', { skipped: `left ${effect.state}` }, null, now);
      return;
    }
    const flow = await this.flows.get(order.flow, order.flowVersion);
    // Opened once per effect key: a second run finds the task and only settles the row.
    const task = await this.tasks.open({
      key: claimed.idempotencyKey,
      orderId: order.id,
      flow: order.flow,
      queue: effect.queue,
      roles: queueRoles(flow.doc, effect.queue),
      title: effect.title,
      priority: effect.priority,
      ...(effect.due && { dueAt: effect.due }),
      ...(effect.assignee && { assignee: effect.assignee }),
      ...(effect.state && { state: effect.state }),
      ...(effect.escalate && { escalate: effect.escalate }),
    });
    await this.outbox.settle(claimed, 'done', task ? { task: task.id } : null, null, now);
  }
}
