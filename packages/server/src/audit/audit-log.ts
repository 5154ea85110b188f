import { Inject, Injectable } from '@nestjs/common';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import { pageOf } from '../problems/page-query';
import { redact } from './audit-redact';

/** What an audit entry is about. */
export const AUDIT_ENTITIES = [
  'user',
  'key',
  'credential',
  'webhook',
  'flow',
  'migration',
  'template',
  'data-set',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/** One administrative change to record. `before`/`after` are redacted before they are stored. */
export interface AuditChange {
  /** Who made it: a principal id, or `admin-key` for `ORDO_ADMIN_KEY`. */
  actor: string;
  entity: AuditEntity;
  entityId: string;
  /** `created`, `updated`, `disabled`, `deleted`, `revoked`, `published`, `migrated`, `deployed`, … */
  action: string;
  before?: unknown;
  after?: unknown;
}

/** A stored audit entry. */
export interface AuditEntry extends Required<Omit<AuditChange, 'before' | 'after'>> {
  id: number;
  at: string;
  before: unknown;
  after: unknown;
}

/** Filters of the audit list; `cursor` pages back from the newest. */
export interface AuditFilter {
  actor?: string;
  entity?: AuditEntity;
  entityId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: number;
}

const entry = (r: Record<string, unknown>): AuditEntry => ({
  id: Number(r.id),
  at: r.at as string,
  actor: r.actor as string,
  entity: r.entity as AuditEntity,
  entityId: r.entity_id as string,
  action: r.action as string,
  before: r.before_value == null ? null : JSON.parse(r.before_value as string),
  after: r.after_value == null ? null : JSON.parse(r.after_value as string),
});

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(redact(v)));

/**
 * The audit log of administrative changes (table `audit_log`). Writers pass the transaction
 * of their change, so the entry commits or rolls back with it; secrets never reach it.
 */
@Injectable()
export class AuditLog {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Records a change; pass `tx` to write it in the change's own transaction. */
  async record(change: AuditChange, tx: SqlExecutor = this.db, at = new Date()): Promise<void> {
    await tx.run(
      'INSERT INTO audit_log (at, actor, entity, entity_id, action, before_value, after_value) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        at.toISOString(),
        change.actor,
        change.entity,
        change.entityId,
        change.action,
        json(change.before),
        json(change.after),
      ],
    );
  }

  /** Entries newest first, filtered, `{ items, nextCursor }`. */
  async list(filter: AuditFilter): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => (where.push(sql), params.push(value));
    if (filter.actor !== undefined) add('actor = ?', filter.actor);
    if (filter.entity !== undefined) add('entity = ?', filter.entity);
    if (filter.entityId !== undefined) add('entity_id = ?', filter.entityId);
    if (filter.from !== undefined) add('at >= ?', filter.from);
    if (filter.to !== undefined) add('at < ?', filter.to);
    if (filter.cursor !== undefined) add('id < ?', filter.cursor);
    params.push(filter.limit + 1);
    const rows = await this.db.query(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      params,
    );
    return pageOf(rows, filter.limit, entry);
  }
}
