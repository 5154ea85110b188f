import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@ordo/engine';
import { AuditLog } from '../audit/audit-log';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import { DomainEvents } from '../events/domain-events';
import { problems } from '../problems/api-problem';
import { releaseAssignments, type Task } from '../tasks/tasks.repository';
import { AuthService, publicPrincipal } from './auth.service';
import { type Principal, PrincipalsRepository } from './principals.repository';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const isAdmin = (roles: string[]) => roles.includes('admin');

/** What deleting a person did besides removing them. */
export interface DeletedPerson {
  id: string;
  /** Their open and claimed tasks, now open in their queues again. */
  releasedTasks: number[];
  /** Their private saved views (shared ones stay, for the people who use them). */
  deletedViews: number;
  /** The API keys they created, now revoked. */
  revokedKeys: string[];
}

/**
 * People and API keys as admins manage them: roles, disabling, deleting, creating and
 * revoking keys. Every change is written to the audit log in its own transaction and
 * announced (`principal.changed`) after commit, so caches forget it and live sockets follow.
 */
@Injectable()
export class PeopleService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly principals: PrincipalsRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
  ) {}

  async listUsers() {
    return (await this.principals.list('user')).map(publicPrincipal);
  }

  /** People and keys as the names screens show for their ids (tasks, timelines, authors). */
  async directory() {
    const all = [...(await this.principals.list('user')), ...(await this.principals.list('key'))];
    return all.map((p) => ({
      id: p.id,
      kind: p.kind,
      name: p.name,
      roles: p.roles,
      active: p.kind === 'user' ? !p.disabledAt : !p.revokedAt,
    }));
  }

  /** Adds a person with roles (admin only). */
  async createUser(
    input: { email: string; password: string; name: string; roles: string[] },
    actor: Actor,
  ) {
    const user = await this.auth.createUser(input);
    await this.audit.record({
      actor: actor.id,
      entity: 'user',
      entityId: user.id,
      action: 'created',
      after: user,
    });
    return user;
  }

  /**
   * Changes a person's roles and/or disables or enables them. Refused with 409 when it would
   * leave no enabled admin, or when an admin would disable themselves.
   */
  async updateUser(id: string, set: { roles?: string[]; disabled?: boolean }, actor: Actor) {
    const { before, after, keys } = await this.db.transaction(async (tx) => {
      const before = await this.user(id, tx);
      const roles = set.roles ? [...new Set(set.roles)] : before.roles;
      const disabled = set.disabled ?? Boolean(before.disabledAt);
      if (disabled && !before.disabledAt && id === actor.id)
        throw problems.conflict(
          'self_lockout',
          'You cannot disable yourself: ask another admin, so that someone can still sign in',
        );
      await this.keepAnAdmin(before, isAdmin(roles) && !disabled, tx);
      const disabledAt = disabled ? (before.disabledAt ?? new Date().toISOString()) : null;
      await this.principals.updateUser(
        id,
        { roles, disabledAt, bump: disabled && !before.disabledAt },
        tx,
      );
      const after = (await this.principals.byId(id, tx))!;
      await this.audit.record(
        {
          actor: actor.id,
          entity: 'user',
          entityId: id,
          action:
            disabled !== Boolean(before.disabledAt)
              ? disabled
                ? 'disabled'
                : 'enabled'
              : 'updated',
          before: publicPrincipal(before),
          after: publicPrincipal(after),
        },
        tx,
      );
      return { before, after, keys: await this.keysOf(id, tx) };
    });
    this.announce(before, after, keys);
    return publicPrincipal(after);
  }

  /**
   * Deletes a person: their open and claimed tasks go back to their queues, their private
   * saved views go, the API keys they created are revoked (they knew the secrets). History,
   * comments and closed tasks keep their id, as a record of who did what.
   */
  async deleteUser(id: string, actor: Actor): Promise<DeletedPerson> {
    if (id === actor.id)
      throw problems.conflict(
        'self_lockout',
        'You cannot delete yourself: ask another admin, so that someone can still sign in',
      );
    const now = new Date().toISOString();
    const { before, tasks, result, keys } = await this.db.transaction(async (tx) => {
      const before = await this.user(id, tx);
      await this.keepAnAdmin(before, false, tx);
      const keys = await this.keysOf(id, tx);
      const tasks = await releaseAssignments(tx, id, now);
      const deletedViews = await tx.run('DELETE FROM saved_views WHERE owner = ? AND shared = 0', [
        id,
      ]);
      const revokedKeys = await this.principals.revokeCreatedBy(id, now, tx);
      await this.principals.remove(id, tx);
      const result: DeletedPerson = {
        id,
        releasedTasks: tasks.map((t) => t.id),
        deletedViews,
        revokedKeys,
      };
      await this.audit.record(
        {
          actor: actor.id,
          entity: 'user',
          entityId: id,
          action: 'deleted',
          before: publicPrincipal(before),
          after: result,
        },
        tx,
      );
      for (const key of keys)
        await this.audit.record(
          {
            actor: actor.id,
            entity: 'key',
            entityId: key.id,
            action: 'revoked',
            before: publicPrincipal(key),
            after: { ...publicPrincipal(key), revokedAt: now, reason: `creator ${id} deleted` },
          },
          tx,
        );
      return { before, tasks, result, keys };
    });
    this.announce(before, undefined, keys);
    for (const task of tasks as Task[])
      this.events.emit('task.changed', { task, change: 'reassigned' });
    return result;
  }

  /**
   * Creates an API key; the key itself is returned this once and stored only as a hash. Its
   * roles may not exceed its creator's (an admin may give any): 403 naming the role.
   */
  async createKey(name: string, roles: string[], actor: Actor) {
    if (!isAdmin(actor.roles)) {
      const index = roles.findIndex((r) => !actor.roles.includes(r));
      if (index >= 0)
        throw problems.forbidden(
          `/roles/${index}: a key cannot have the role ${roles[index]}, which you do not have`,
          {
            errors: [
              {
                path: `/roles/${index}`,
                code: 'role_not_held',
                message: `you do not have the role ${roles[index]}`,
              },
            ],
          },
        );
    }
    const secret = randomBytes(24).toString('base64url');
    const key = `ordo_${secret}`;
    const principal = this.auth.newPrincipal('key', name, roles, {
      keyPrefix: secret.slice(0, 8),
      keyHash: sha256(key),
      createdBy: actor.id,
    });
    await this.db.transaction(async (tx) => {
      await this.principals.insert(principal, tx);
      await this.audit.record(
        {
          actor: actor.id,
          entity: 'key',
          entityId: principal.id,
          action: 'created',
          after: publicPrincipal(principal),
        },
        tx,
      );
    });
    return { ...publicPrincipal(principal), key };
  }

  /** Every key for an admin; one's own keys for anyone else. */
  async listKeys(actor: Actor) {
    const keys = await this.principals.list('key');
    return (isAdmin(actor.roles) ? keys : keys.filter((k) => k.createdBy === actor.id)).map(
      publicPrincipal,
    );
  }

  /** Revokes a key (an admin any key, anyone else their own); 404 when there is none to revoke. */
  async revokeKey(id: string, actor: Actor): Promise<void> {
    const at = new Date().toISOString();
    const before = await this.db.transaction(async (tx) => {
      const key = await this.principals.byId(id, tx);
      const mine = key?.kind === 'key' && (isAdmin(actor.roles) || key.createdBy === actor.id);
      if (!key || !mine || !(await this.principals.revoke(id, at, tx)))
        throw problems.notFound('API key', id);
      await this.audit.record(
        {
          actor: actor.id,
          entity: 'key',
          entityId: id,
          action: 'revoked',
          before: publicPrincipal(key),
          after: publicPrincipal({ ...key, revokedAt: at }),
        },
        tx,
      );
      return key;
    });
    this.events.emit('principal.changed', {
      id,
      before: before.roles,
      after: [],
      closed: true,
    });
  }

  private async user(id: string, tx: SqlExecutor): Promise<Principal> {
    const user = await this.principals.byId(id, tx);
    if (!user || user.kind !== 'user') throw problems.notFound('User', id);
    return user;
  }

  /** 409 when `before` is an enabled admin who would stop being one and is the last. */
  private async keepAnAdmin(before: Principal, staysAdmin: boolean, tx: SqlExecutor) {
    const admins = await this.principals.lockActiveAdmins(tx);
    if (staysAdmin || !admins.includes(before.id)) return;
    if (admins.length <= 1)
      throw problems.conflict(
        'last_admin',
        `${before.name} is the last enabled admin: make someone else an admin first`,
      );
  }

  private async keysOf(creator: string, tx: SqlExecutor): Promise<Principal[]> {
    const rows = await tx.query<{ id: string }>(
      "SELECT id FROM principals WHERE kind = 'key' AND created_by = ? AND revoked_at IS NULL",
      [creator],
    );
    return (await Promise.all(rows.map((r) => this.principals.byId(r.id, tx)))).filter(
      (k): k is Principal => Boolean(k),
    );
  }

  /**
   * After commit: the person changed (or is gone), and so did what the keys they created may
   * do (a key never exceeds its creator's roles and stops with its creator).
   */
  private announce(before: Principal, after: Principal | undefined, keys: Principal[]) {
    const closed = !after || Boolean(after.disabledAt);
    const roles = (p: Principal | undefined) => (p && !p.disabledAt ? p.roles : []);
    this.events.emit('principal.changed', {
      id: before.id,
      before: roles(before),
      after: roles(after),
      closed,
    });
    const within = (key: Principal, creator: Principal | undefined) =>
      !creator || creator.disabledAt
        ? []
        : isAdmin(creator.roles)
          ? key.roles
          : key.roles.filter((r) => creator.roles.includes(r));
    for (const key of keys)
      this.events.emit('principal.changed', {
        id: key.id,
        before: within(key, before),
        after: within(key, after),
        closed,
      });
  }
}
