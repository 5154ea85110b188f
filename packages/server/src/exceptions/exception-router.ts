import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  type Actor,
  addDuration,
  type DueCalendar,
  exceptionPatch,
  exceptionTask,
  type ExceptionKind,
  type Flow,
  type RaisedException,
  resolutionOf,
  routeException,
  systemActor,
} from '@ordo/engine';
import { DomainEvents } from '../events/domain-events';
import { FlowCache } from '../flows/flow-cache';
import { OrdersService } from '../orders/orders.service';
import { RuntimeClock } from '../runtime/runtime-clock';
import { queueRoles, TasksService } from '../tasks/tasks.service';
import { type ExceptionRecord, ExceptionsRepository } from './exceptions.repository';
import { runtimeLog } from '../logging/runtime-log';
import { OrdoMetrics } from '../metrics/ordo-metrics';

const log = runtimeLog('exceptions');

/**
 * What a task's due time was counted in, kept as its first comment: an exception task has no
 * order change whose history records the calendar version.
 */
function dueNote(calendar: DueCalendar | undefined): string | undefined {
  if (!calendar) return undefined;
  if ('version' in calendar)
    return `Due in the working hours of the calendar "${calendar.name}", version ${calendar.version}`;
  log.warn(`An exception task is due in wall-clock time, not business time — ${calendar.problem}`);
  return `Due in wall-clock time, not business time: ${calendar.problem}`;
}

/** The actor that settles exceptions automatically. */
export const EXCEPTIONS_ACTOR: Actor = systemActor('exceptions');

/** What the caller must do itself: run the failed call again at `at` (a `retry` rule). */
export interface RetryDecision {
  retryAt: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Raises exceptions: records each once (by a key of its source), routes it through the flow's
 * `exceptions` rules (pure, in the engine) and settles it — fires the alternative event, writes
 * the patch, or opens a task whose resolution settles it. A `retry` is left to the caller.
 */
@Injectable()
export class ExceptionRouter implements OnModuleInit {
  constructor(
    private readonly exceptions: ExceptionsRepository,
    private readonly orders: OrdersService,
    private readonly tasks: TasksService,
    private readonly flows: FlowCache,
    private readonly events: DomainEvents,
    private readonly clock: RuntimeClock,
    private readonly metrics: OrdoMetrics,
  ) {}

  onModuleInit(): void {
    // Warning rules hit by a change are exceptions when the flow routes them.
    this.events.on('order.warned', ({ order, warnings }) => {
      void (async () => {
        const flow = await this.flows.get(order.flow, order.flowVersion);
        if (!flow.doc.exceptions?.some((r) => r.kind === 'rule_warning')) return;
        for (const w of warnings)
          await this.raise(flow.doc, {
            // Once per order and rule: the same warning on later changes is the same exception.
            sourceKey: `warning:${order.id}:${w.rule}`,
            order,
            exception: { kind: 'rule_warning', rule: w.rule, error: w.message },
          });
      })().catch((error) => log.error(`Exception routing: ${message(error)}`));
    });
  }

  private now() {
    return new Date(this.clock.now()).toISOString();
  }

  /**
   * Settles by the system the open exceptions raised from one source (their source keys start
   * with `prefix`: say, one order's refused drift repairs) once the cause is gone, and closes
   * their tasks with the note; the settled records after.
   */
  async settleGone(prefix: string, note: string): Promise<ExceptionRecord[]> {
    const settled = await this.exceptions.settleOpenByPrefix(prefix, note, this.now());
    await this.tasks.closeForExceptions(
      settled.map((e) => e.id),
      note,
    );
    return settled;
  }

  /** Order ids with an open exception of the flow and kind whose source keys start with `prefix`. */
  openOrders(flow: string, kind: ExceptionKind, prefix: string): Promise<Set<string>> {
    return this.exceptions.openOrdersByPrefix(flow, kind, prefix);
  }

  /**
   * Records and settles one exception. Returns the record (undefined when this source was
   * raised before) and, for a `retry` rule, when to run the call again.
   */
  async raise(
    flow: Flow,
    input: {
      sourceKey: string;
      order?: { id: string; data: Record<string, unknown> };
      exception: RaisedException;
      /** Settled already by the flow itself (an SLA's onBreach): recorded, not routed. */
      settled?: { resolution: 'event' | 'task'; taskKey?: string };
    },
  ): Promise<{ record?: ExceptionRecord } & Partial<RetryDecision>> {
    const { order, exception } = input;
    const now = this.now();
    const route = input.settled ? undefined : routeException(flow, exception, order?.data);
    const resolution = input.settled?.resolution ?? (route ? resolutionOf(route.rule) : 'none');
    const record = await this.exceptions.insertOnce(
      {
        sourceKey: input.settled?.taskKey ? `task:${input.settled.taskKey}` : input.sourceKey,
        flow: flow.key,
        orderId: order?.id,
        kind: exception.kind,
        detail: { ...exception },
        rule: route?.index,
        resolution,
      },
      now,
    );
    if (!record) return {};
    this.metrics.exceptions.inc({ kind: exception.kind });
    if (input.settled) {
      if (input.settled.resolution === 'event')
        await this.exceptions.settle(record.id, 'system', `Settled by the flow`, now);
      return { record };
    }
    if (!route) return { record };
    const { rule } = route;
    try {
      if (rule.retry) {
        await this.exceptions.settle(record.id, 'system', `Retried after ${rule.retry.after}`, now);
        return { record, retryAt: addDuration(now, rule.retry.after) };
      }
      if (rule.task) {
        const task = exceptionTask(rule, order?.data ?? {}, exception, now, {
          name: flow.calendar,
          sets: await this.orders.dataSetSnapshot(),
        });
        await this.tasks.open(
          {
            key: `exception:${record.id}`,
            orderId: order?.id ?? null,
            flow: flow.key,
            queue: task.queue,
            roles: queueRoles(flow, task.queue),
            title: task.title,
            priority: task.priority,
            ...(task.due && { dueAt: task.due }),
            ...(task.assignee && { assignee: task.assignee }),
            exceptionId: record.id,
          },
          dueNote(task.calendar),
        );
        return { record };
      }
      if (!order) throw new Error('There is no order to change');
      if (rule.patch)
        await this.orders.update(
          order.id,
          exceptionPatch(rule, order.data, exception),
          EXCEPTIONS_ACTOR,
        );
      if (rule.event)
        await this.orders.fire(
          order.id,
          { type: rule.event, payload: { exception } },
          undefined,
          EXCEPTIONS_ACTOR,
        );
      await this.exceptions.settle(record.id, 'system', null, now);
    } catch (error) {
      // The automatic settlement was refused: the exception stays open for a person to see.
      await this.exceptions.settle(record.id, null, `Not settled: ${message(error)}`, now);
    }
    return { record };
  }
}
