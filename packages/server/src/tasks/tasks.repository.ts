import { Inject, Injectable } from '@nestjs/common';
import type { Label } from '@ordo/engine';
import { DB } from '../database/database.module';
import { pageOf } from '../problems/page-query';
import type { Db, SqlExecutor } from '../database/db';

export type TaskStatus = 'open' | 'claimed' | 'closed';
export type TaskPriority = 'low' | 'normal' | 'high' | 'urgent';

/** A human task as the API shows it. */
export interface Task {
  id: number;
  /** What opened it: an effect's key, or `exception:<id>`. */
  key: string;
  /** The order the task is about (none for a delivery that matched no order). */
  orderId: string | null;
  flow: string;
  queue: string;
  /** The roles that work the queue. */
  roles: string[];
  title: Label;
  priority: TaskPriority;
  status: TaskStatus;
  assignee: string | null;
  dueAt: string | null;
  exceptionId: number | null;
  /** The state whose entry opened it: it closes by itself when the order leaves it. */
  state: string | null;
  /** Still open at its due time: moved to this queue and/or this event fired on the order. */
  escalate: { queue?: string; event?: string } | null;
  escalatedAt: string | null;
  resolution: unknown;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

/** What opening a task needs. */
export interface NewTask {
  key: string;
  orderId: string | null;
  flow: string;
  queue: string;
  roles: string[];
  title: Label;
  priority: TaskPriority;
  assignee?: string;
  dueAt?: string;
  exceptionId?: number;
  state?: string;
  escalate?: { queue?: string; event?: string };
}

// Roles are stored space-padded (" a b ") so that one LIKE finds a role among them.
const packRoles = (roles: string[]) => ` ${roles.join(' ')} `;

const taskFrom = (r: Record<string, unknown>): Task => ({
  id: Number(r.id),
  key: r.effect_key as string,
  orderId: (r.order_id as string | null) ?? null,
  flow: r.flow_key as string,
  queue: r.queue as string,
  roles: (r.roles as string).trim().split(' ').filter(Boolean),
  title: JSON.parse(r.title as string) as Label,
  priority: r.priority as TaskPriority,
  status: r.status as TaskStatus,
  assignee: (r.assignee as string | null) ?? null,
  dueAt: (r.due_at as string | null) ?? null,
  exceptionId: r.exception_id === null ? null : Number(r.exception_id),
  state: (r.state as string | null) ?? null,
  escalate: r.escalate ? JSON.parse(r.escalate as string) : null,
  escalatedAt: (r.escalated_at as string | null) ?? null,
  resolution: r.resolution ? JSON.parse(r.resolution as string) : null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  closedAt: (r.closed_at as string | null) ?? null,
  closedBy: (r.closed_by as string | null) ?? null,
});

/**
 * Puts the open and claimed tasks assigned to a person back in their queues (open, nobody's),
 * in the caller's transaction: when the person is deleted. The tasks after.
 */
export async function releaseAssignments(
  tx: SqlExecutor,
  user: string,
  now: string,
): Promise<Task[]> {
  const rows = await tx.query(
    `UPDATE tasks SET status = 'open', assignee = NULL, updated_at = ? WHERE assignee = ? AND status IN ('open', 'claimed') RETURNING *`,
    [now, user],
  );
  return rows.map(taskFrom);
}

/** A filter of the task list. `visibleTo` limits it to the queues of those roles or user. */
export interface TaskFilter {
  queue?: string;
  status?: TaskStatus;
  assignee?: string;
  orderId?: string;
  visibleTo?: { user: string; roles: string[] };
  limit: number;
  cursor?: number;
}

@Injectable()
export class TasksRepository {
  constructor(@Inject(DB) readonly db: Db) {}

  /** Opens a task once per key; undefined when it was opened before. */
  async insertOnce(task: NewTask, now: string, tx: SqlExecutor = this.db) {
    const rows = await tx.query(
      `INSERT INTO tasks (effect_key, order_id, flow_key, queue, roles, title, priority, status, assignee, due_at, exception_id, state, escalate, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (effect_key) DO NOTHING RETURNING *`,
      [
        task.key,
        task.orderId,
        task.flow,
        task.queue,
        packRoles(task.roles),
        JSON.stringify(task.title),
        task.priority,
        task.assignee ? 'claimed' : 'open',
        task.assignee ?? null,
        task.dueAt ?? null,
        task.exceptionId ?? null,
        task.state ?? null,
        task.escalate ? JSON.stringify(task.escalate) : null,
        now,
        now,
      ],
    );
    return rows[0] && taskFrom(rows[0]);
  }

  /**
   * Closes the order's open and claimed tasks that the entry of `state` opened, with
   * `resolution` and by `system`, in the caller's transaction; the tasks after.
   */
  async closeLeft(
    orderId: string,
    state: string,
    resolution: unknown,
    now: string,
    tx: SqlExecutor,
  ): Promise<Task[]> {
    const rows = await tx.query(
      `UPDATE tasks SET status = 'closed', resolution = ?, closed_by = 'system', closed_at = ?, updated_at = ?
       WHERE order_id = ? AND state = ? AND status IN ('open', 'claimed') RETURNING *`,
      [JSON.stringify(resolution), now, now, orderId, state],
    );
    return rows.map(taskFrom);
  }

  /** Closes the open and claimed tasks of exceptions settled without them; the tasks after. */
  async closeForExceptions(
    exceptionIds: readonly number[],
    resolution: unknown,
    now: string,
    tx: SqlExecutor = this.db,
  ): Promise<Task[]> {
    if (!exceptionIds.length) return [];
    const rows = await tx.query(
      `UPDATE tasks SET status = 'closed', resolution = ?, closed_by = 'system', closed_at = ?, updated_at = ?
       WHERE exception_id IN (${exceptionIds.map(() => '?').join(', ')}) AND status IN ('open', 'claimed') RETURNING *`,
      [JSON.stringify(resolution), now, now, ...exceptionIds],
    );
    return rows.map(taskFrom);
  }

  /** Open tasks with an escalation whose due time has come, oldest due first. */
  async dueForEscalation(now: string, limit: number): Promise<Task[]> {
    const rows = await this.db.query(
      `SELECT * FROM tasks WHERE escalate IS NOT NULL AND escalated_at IS NULL AND status <> 'closed'
       AND due_at <= ? ORDER BY due_at, id LIMIT ?`,
      [now, limit],
    );
    return rows.map(taskFrom);
  }

  /** When the next escalation falls due, if any. */
  async nextEscalation(): Promise<string | undefined> {
    const [row] = await this.db.query<{ at: string | null }>(
      `SELECT MIN(due_at) AS at FROM tasks WHERE escalate IS NOT NULL AND escalated_at IS NULL AND status <> 'closed'`,
    );
    return row?.at ?? undefined;
  }

  /**
   * Escalates a task once (the first process to get here wins): moved to `queue` with its
   * roles and made urgent, or only marked; the task after, or undefined if another did it.
   */
  async escalate(
    id: number,
    move: { queue: string; roles: string[] } | undefined,
    now: string,
    tx: SqlExecutor,
  ): Promise<Task | undefined> {
    const rows = await tx.query(
      `UPDATE tasks SET escalated_at = ?, updated_at = ?, queue = COALESCE(?, queue), roles = COALESCE(?, roles),
         priority = CASE WHEN ? = 1 THEN 'urgent' ELSE priority END
       WHERE id = ? AND escalated_at IS NULL AND status <> 'closed' RETURNING *`,
      [now, now, move?.queue ?? null, move ? packRoles(move.roles) : null, move ? 1 : 0, id],
    );
    return rows[0] && taskFrom(rows[0]);
  }

  async get(id: number): Promise<Task | undefined> {
    const [row] = await this.db.query('SELECT * FROM tasks WHERE id = ?', [id]);
    return row && taskFrom(row);
  }

  async list(filter: TaskFilter) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (filter.queue !== undefined) add('queue = ?', filter.queue);
    if (filter.status !== undefined) add('status = ?', filter.status);
    else add("status <> 'closed'");
    if (filter.assignee !== undefined) add('assignee = ?', filter.assignee);
    if (filter.orderId !== undefined) add('order_id = ?', filter.orderId);
    if (filter.cursor !== undefined) add('id > ?', filter.cursor);
    if (filter.visibleTo) {
      const { user, roles } = filter.visibleTo;
      add(
        `(assignee = ?${roles.map(() => ' OR roles LIKE ?').join('')})`,
        user,
        ...roles.map((r) => `% ${r} %`),
      );
    }
    const rows = await this.db.query(
      `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`,
      [...params, filter.limit + 1],
    );
    return pageOf(rows, filter.limit, taskFrom);
  }

  /** Moves a task on if it is still as the caller saw it; the task after, or undefined. */
  async update(
    id: number,
    from: TaskStatus[],
    set: { status?: TaskStatus; assignee?: string | null; resolution?: unknown; closedBy?: string },
    now: string,
    tx: SqlExecutor = this.db,
  ): Promise<Task | undefined> {
    const rows = await tx.query(
      `UPDATE tasks SET status = COALESCE(?, status), assignee = CASE WHEN ? = 1 THEN ? ELSE assignee END, resolution = COALESCE(?, resolution),
         closed_by = COALESCE(?, closed_by), closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END, updated_at = ?
       WHERE id = ? AND status IN (${from.map(() => '?').join(', ')}) RETURNING *`,
      [
        set.status ?? null,
        set.assignee === undefined ? 0 : 1,
        set.assignee ?? null,
        set.resolution === undefined ? null : JSON.stringify(set.resolution),
        set.closedBy ?? null,
        set.status ?? null,
        now,
        now,
        id,
        ...from,
      ],
    );
    return rows[0] && taskFrom(rows[0]);
  }

  async comment(
    taskId: number,
    author: string,
    body: string,
    now: string,
    tx: SqlExecutor = this.db,
  ) {
    const [row] = await tx.query(
      'INSERT INTO task_comments (task_id, author, body, created_at) VALUES (?, ?, ?, ?) RETURNING *',
      [taskId, author, body, now],
    );
    return { id: Number(row.id), author, body, createdAt: now };
  }

  async comments(taskId: number) {
    const rows = await this.db.query('SELECT * FROM task_comments WHERE task_id = ? ORDER BY id', [
      taskId,
    ]);
    return rows.map((r) => ({
      id: Number(r.id),
      author: r.author as string,
      body: r.body as string,
      createdAt: r.created_at as string,
    }));
  }
}
