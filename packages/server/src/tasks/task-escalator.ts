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
 * system — a refused event is written on the task, never retried.
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
        await this.escalate(task, now).catch((error) =>
          log.error(`Escalating task ${task.id}: ${(error as Error).message}`),
        );
      if (due.length < BATCH) return this.tasks.nextEscalation();
    }
  }

  private async escalate(task: Task, now: string): Promise<void> {
    const { queue, event } = task.escalate ?? {};
    const move = queue
      ? { queue, roles: queueRoles((await this.flows.latest(task.flow)).doc, queue) }
      : undefined;
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
    if (!event || !task.orderId) return;
    try {
      await this.orders.fire(task.orderId, { type: event }, undefined, ESCALATION_ACTOR);
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
