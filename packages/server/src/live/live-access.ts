import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { queueRoles } from '../tasks/tasks.service';

/** The roles that may read orders, flows, tasks and notifications over REST (`@Roles`). */
export const READING_ROLES = ['admin', 'viewer', 'operator', 'designer'];

/** Whether the roles may call the REST lists at all (the `@Roles` of the list endpoints). */
export const mayRead = (roles: string[]) => roles.some((r) => READING_ROLES.includes(r));

/**
 * Who may join which live room: the same access as the REST list each room mirrors. Flow,
 * order and all-flows rooms mirror `GET /api/orders` and `GET /api/flows` (viewer, operator,
 * designer or admin); a queue room mirrors `GET /api/tasks?queue=` — a role that works the
 * queue in some published flow (the queue's own name, or one its `queues` entry lists), or
 * admin. Which tasks a queue member then hears is decided per task by its roles (rooms
 * `queue:<name>@<role>`), as the task list decides per task.
 */
@Injectable()
export class LiveAccess {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly flows: FlowCache,
  ) {}

  /** Why `actor` may not join `room`, or undefined when it may. */
  async refusal(actor: Actor, room: string): Promise<string | undefined> {
    if (!mayRead(actor.roles))
      return `forbidden: live rooms need the role viewer, operator, designer or admin; you have ${actor.roles.join(', ') || 'none'}`;
    if (!room.startsWith('queue:') || actor.roles.includes('admin')) return undefined;
    const queue = room.slice('queue:'.length);
    const roles = await this.rolesOfQueue(queue);
    return roles.some((r) => actor.roles.includes(r))
      ? undefined
      : `forbidden: queue "${queue}" is worked by the role ${roles.join(' or ')}; you have ${actor.roles.join(', ')}`;
  }

  /** The roles that work a queue in any published flow (always including its own name). */
  async rolesOfQueue(queue: string): Promise<string[]> {
    const published = await this.db.query<{ key: string; latest_version: number | string }>(
      'SELECT key, latest_version FROM flows WHERE latest_version IS NOT NULL',
    );
    const roles = new Set([queue]);
    for (const row of published) {
      const flow = await this.flows.get(row.key, Number(row.latest_version));
      for (const role of queueRoles(flow.doc, queue)) roles.add(role);
    }
    return [...roles];
  }
}
