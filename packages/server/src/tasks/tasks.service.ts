import { Injectable } from '@nestjs/common';
import type { Actor, CompiledFlow, EngineContext, EngineResult, Flow, Order } from '@ordo/engine';
import type { SqlExecutor } from '../database/db';
import { DomainEvents } from '../events/domain-events';
import { ExceptionsRepository } from '../exceptions/exceptions.repository';
import { OrdersService } from '../orders/orders.service';
import { problems } from '../problems/api-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import { type NewTask, type Task, type TaskFilter, TasksRepository } from './tasks.repository';

/** The roles that work a queue: the role of its name, and those the flow lists for it. */
export const queueRoles = (flow: Flow, queue: string): string[] => [
  ...new Set([queue, ...(flow.queues?.[queue]?.roles ?? [])]),
];

/** What resolving a task does to its order. */
export interface TaskResolution {
  event?: string;
  payload?: unknown;
  patch?: Record<string, unknown>;
  comment?: string;
}

/** The task was closed (or moved on) by someone else while this resolution was computed. */
class TaskMoved extends Error {}

/** A patch, then an event, as ONE change of the order (both, or neither). */
function resolutionChange(
  resolution: TaskResolution,
): (flow: CompiledFlow, order: Order, ctx: EngineContext) => EngineResult {
  return (flow, order, ctx) => {
    const patched = resolution.patch ? flow.update(order, resolution.patch, ctx) : undefined;
    if (!resolution.event || (patched && !patched.ok)) return patched!;
    const fired = flow.fire(
      patched ? patched.order : order,
      { type: resolution.event, payload: resolution.payload },
      ctx,
    );
    if (!fired.ok || !patched?.ok) return fired;
    return {
      ...fired,
      history: [...patched.history, ...fired.history],
      effects: [...patched.effects, ...fired.effects],
      warnings: [...patched.warnings, ...fired.warnings],
    };
  };
}

/**
 * Human tasks: opened by `task` actions, SLA breaches and exception rules; seen and worked by
 * the roles of their queue (admins see all). Every change is announced live as `task.opened`,
 * `task.claimed`, `task.reassigned` or `task.closed`.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly orders: OrdersService,
    private readonly exceptions: ExceptionsRepository,
    private readonly events: DomainEvents,
    private readonly clock: RuntimeClock,
  ) {}

  private now() {
    return new Date(this.clock.now()).toISOString();
  }

  /**
   * Opens a task once per key (a second run of the same effect finds it), with the system's
   * `note` as its first comment.
   */
  async open(task: NewTask, note?: string): Promise<Task | undefined> {
    const now = this.now();
    const opened = await this.tasks.insertOnce(task, now);
    if (opened && note) await this.tasks.comment(opened.id, 'system', note, now);
    if (opened) this.events.emit('task.changed', { task: opened, change: 'opened' });
    return opened;
  }

  /**
   * Closes the tasks the entry of `state` opened on the order, which has left it for `to`
   * (with a note saying so), in the caller's transaction; announce them after the commit.
   */
  async closeLeft(orderId: string, state: string, to: string, now: string, tx: SqlExecutor) {
    const note = `Closed by itself: the order left ${state} for ${to}`;
    const closed = await this.tasks.closeLeft(orderId, state, { auto: true, note }, now, tx);
    for (const task of closed) {
      await this.tasks.comment(task.id, 'system', note, now, tx);
      // An SLA breach's task: the order no longer waits there, so the breach is settled too.
      await this.exceptions.settleByTaskKey(task.key, note, now, tx, 'system');
    }
    return closed;
  }

  /**
   * Closes the tasks of exceptions the system settled by itself (a drift later repaired), each
   * with the note as its resolution and a comment, and tells the live screens.
   */
  async closeForExceptions(exceptionIds: readonly number[], note: string): Promise<Task[]> {
    const now = this.now();
    const closed = await this.tasks.closeForExceptions(exceptionIds, { auto: true, note }, now);
    for (const task of closed) {
      await this.tasks.comment(task.id, 'system', note, now);
      this.announce(task, 'closed');
    }
    return closed;
  }

  /** Tells the live screens about tasks closed by `closeLeft`. */
  announceClosed(tasks: readonly Task[]): void {
    for (const task of tasks) this.announce(task, 'closed');
  }

  /** Tells the live screens about a task changed by the runtime (closed, escalated). */
  announce(task: Task, change: 'closed' | 'escalated'): void {
    this.events.emit('task.changed', { task, change });
  }

  list(filter: Omit<TaskFilter, 'visibleTo'>, actor: Actor) {
    return this.tasks.list({
      ...filter,
      ...(!actor.roles.includes('admin') && { visibleTo: { user: actor.id, roles: actor.roles } }),
    });
  }

  async get(id: number, actor: Actor): Promise<Task & { comments: unknown[] }> {
    const task = await this.visible(id, actor);
    return { ...task, comments: await this.tasks.comments(id) };
  }

  async claim(id: number, actor: Actor): Promise<Task> {
    await this.visible(id, actor);
    const task = await this.tasks.update(
      id,
      ['open'],
      { status: 'claimed', assignee: actor.id },
      this.now(),
    );
    if (!task) throw await this.notAs(id, 'open');
    this.events.emit('task.changed', { task, change: 'claimed' });
    return task;
  }

  async reassign(id: number, assignee: string | null, actor: Actor): Promise<Task> {
    await this.visible(id, actor);
    const task = await this.tasks.update(
      id,
      ['open', 'claimed'],
      { status: assignee === null ? 'open' : 'claimed', assignee },
      this.now(),
    );
    if (!task) throw await this.notAs(id, 'open or claimed');
    this.events.emit('task.changed', { task, change: 'reassigned' });
    return task;
  }

  /**
   * Resolves a task: what it does to the order (a data patch, then an event, as the person
   * resolving — refused changes leave the task open), the comment, the task closed and the
   * exception it settles marked settled by a person — all in ONE transaction, so that a retry
   * after a crash, or a second person resolving at once, does none of it twice: the task is
   * closed with all of it, or nothing happened.
   */
  async resolve(
    id: number,
    resolution: TaskResolution,
    actor: Actor,
    /** A keyed request's answer (the closed task), stored in the resolution's transaction. */
    keyed?: (tx: SqlExecutor, task: Task) => Promise<void>,
  ): Promise<Task> {
    const before = await this.visible(id, actor);
    if (before.status === 'closed') throw await this.notAs(id, 'open or claimed');
    if ((resolution.patch || resolution.event) && !before.orderId)
      throw problems.unprocessable(
        'no_order',
        `Task ${id} is about no order: it can be resolved with a comment only`,
      );
    const now = this.now();
    let task: Task | undefined;
    const close = async (tx: SqlExecutor) => {
      if (resolution.comment) await this.tasks.comment(id, actor.id, resolution.comment, now, tx);
      task = await this.tasks.update(
        id,
        ['open', 'claimed'],
        { status: 'closed', resolution, closedBy: actor.id, assignee: before.assignee ?? actor.id },
        now,
        tx,
      );
      if (!task) throw new TaskMoved();
      const note = `Resolved by ${actor.id}`;
      if (task.exceptionId !== null)
        await this.exceptions.settle(task.exceptionId, 'person', note, now, tx);
      else await this.exceptions.settleByTaskKey(task.key, note, now, tx);
      await keyed?.(tx, task);
    };
    try {
      if (resolution.patch || resolution.event)
        await this.orders.applyOutcome(before.orderId!, resolutionChange(resolution), actor, close);
      else await this.tasks.db.transaction(close);
    } catch (error) {
      if (error instanceof TaskMoved) throw await this.notAs(id, 'open or claimed');
      throw error;
    }
    this.events.emit('task.changed', { task: task!, change: 'closed' });
    return task!;
  }

  async comment(id: number, body: string, actor: Actor) {
    await this.visible(id, actor);
    return this.tasks.comment(id, actor.id, body, this.now());
  }

  /** The task, if the actor may see it (admin, assignee, or a role of its queue); else 404. */
  private async visible(id: number, actor: Actor): Promise<Task> {
    const task = await this.tasks.get(id);
    const may =
      task &&
      (actor.roles.includes('admin') ||
        task.assignee === actor.id ||
        task.roles.some((r) => actor.roles.includes(r)));
    if (!may) throw problems.notFound('Task', String(id));
    return task;
  }

  private async notAs(id: number, expected: string) {
    const task = await this.tasks.get(id);
    return problems.conflict(
      'task_state',
      `Task ${id} is ${task?.status ?? 'gone'}${task?.assignee ? ` (assigned to ${task.assignee})` : ''}, not ${expected}`,
      { task },
    );
  }
}
