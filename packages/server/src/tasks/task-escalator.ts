import { Injectable } from '@nestjs/common';
import { systemActor } from '@ordo/engine';
import { Poller } from '../background/poller';
import { FlowCache } from '../flows/flow-cache';
import { runtimeLog } from '../logging/runtime-log';
import { OrdersService } from '../orders/orders.service';
import { OrderError } from '../orders/order-errors';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { RuntimeClock } from '../runtime/runtime-clock';
import { type Task, TasksRepository } from './tasks.repository';
import { queueRoles, TasksService } from './tasks.service';

const log = runtimeLog('tasks');

/** Escalations fire their events as this actor. */
export const ESCALATION_ACTOR = systemActor('task-escalation');

const BATCH = 64;

/**
 * Escalates the tasks still open at their due time, once each: moved to the escalation's
 * queue (made urgent) with a comment saying why, then its event fired on the order as the
 * system (unless the order has left the task's state) — a refused event, or an escalation
 * that failed, is written on the task and never retried.
 */
@Injectable()
export class TaskEscalator extends Poller {
  protected readonly name = 'Task escalations';

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    private readonly tasks: TasksRepository,
    private readonly taskService: TasksService,
    private readonly orders: OrdersService,
    private readonly flows: FlowCache,
  ) {
    super(clock, options.pollMs, options.enabled);
  }

  protected async work(now: string): Promise<string | undefined> {
    for (;;) {
      const due = await this.tasks.dueForEscalation(now, BATCH);
      for (const task of due)
        await this.escalate(task, now).catch(async (error) => {
          // Marked escalated all the same, with why: a failing task must not be retried forever.
          const message = (error as Error).message;
          log.error(`Escalating task ${task.id}: ${message}`);
          await this.tasks.db.transaction(async (tx) => {
            if (await this.tasks.escalate(task.id, undefined, now, tx))
              await this.tasks.comment(
                task.id,
                'system',
                `Could not escalate: ${message}`,
                now,
                tx,
              );
          });
        });
      if (due.length < BATCH) return this.tasks.nextEscalation();
    }
  }

  private async escalate(task: Task, now: string): Promise<void> {
    const { queue, event } = task.escalate ?? {};
    const order = task.orderId ? await this.orders.find(task.orderId) : undefined;
    // The queue's roles in the flow version the order runs on, as when the task was opened.
    const flow = order
      ? await this.flows.get(order.flow, order.flowVersion)
      : await this.flows.latest(task.flow);
    const move = queue ? { queue, roles: queueRoles(flow.doc, queue) } : undefined;
    const what = [queue && `moved from ${task.queue} to ${queue}`, event && `fires ${event}`];
    const escalated = await this.tasks.db.transaction(async (tx) => {
      const done = await this.tasks.escalate(task.id, move, now, tx);
      if (done)
        await this.tasks.comment(
          task.id,
          'system',
          `Escalated: still ${task.status} at its due time ${task.dueAt}; ${what.filter(Boolean).join(', ')}`,
          now,
          tx,
        );
      return done;
    });
    if (!escalated) return;
    this.taskService.announce(escalated, 'escalated');
    if (!event || !order) return;
    if (task.state !== null && order.state !== task.state) {
      // The order left the task's state meanwhile (its task.close is on the way): nothing to chase.
      await this.tasks.comment(
        task.id,
        'system',
        `The event ${event} was not fired: the order is ${order.state} now`,
        now,
      );
      return;
    }
    try {
      await this.orders.fire(
        order.id,
        { type: event },
        undefined,
        ESCALATION_ACTOR,
        undefined,
        order,
      );
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
      await this.tasks.comment(
        task.id,
        'system',
        `The event ${event} was refused: ${error.message}`,
        now,
      );
    }
  }
}
