import { Inject, Injectable } from '@nestjs/common';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';

/** A person (email + password) or an API key, with its roles. */
export interface Principal {
  id: string;
  kind: 'user' | 'key';
  name: string;
  email: string | null;
  passwordHash: string | null;
  keyPrefix: string | null;
  keyHash: string | null;
  roles: string[];
  createdAt: string;
  revokedAt: string | null;
  /** When a person was disabled: their tokens and keys stop working (null: enabled). */
  disabledAt: string | null;
  /** Carried in login tokens as `gen`; bumped on disabling, so older tokens stay dead. */
  generation: number;
  /** Who created an API key (null for people and for keys made before this was kept). */
  createdBy: string | null;
}

interface Row {
  id: string;
  kind: 'user' | 'key';
  name: string;
  email: string | null;
  password_hash: string | null;
  key_prefix: string | null;
  key_hash: string | null;
  roles: string;
  created_at: string;
  revoked_at: string | null;
  disabled_at: string | null;
  generation: number | string;
  created_by: string | null;
}

const fromRow = (r: Row): Principal => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  email: r.email,
  passwordHash: r.password_hash,
  keyPrefix: r.key_prefix,
  keyHash: r.key_hash,
  roles: JSON.parse(r.roles),
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  disabledAt: r.disabled_at,
  generation: Number(r.generation),
  createdBy: r.created_by,
});

/** Stores principals (table `principals`). */
@Injectable()
export class PrincipalsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async byId(id: string, tx: SqlExecutor = this.db): Promise<Principal | undefined> {
    const [row] = await tx.query<Row>('SELECT * FROM principals WHERE id = ?', [id]);
    return row && fromRow(row);
  }

  async byEmail(email: string): Promise<Principal | undefined> {
    const [row] = await this.db.query<Row>('SELECT * FROM principals WHERE email = ?', [
      email.toLowerCase(),
    ]);
    return row && fromRow(row);
  }

  async byKeyHash(hash: string): Promise<Principal | undefined> {
    const [row] = await this.db.query<Row>(
      'SELECT * FROM principals WHERE key_hash = ? AND revoked_at IS NULL',
      [hash],
    );
    return row && fromRow(row);
  }

  async list(kind: 'user' | 'key'): Promise<Principal[]> {
    return (
      await this.db.query<Row>('SELECT * FROM principals WHERE kind = ? ORDER BY created_at', [
        kind,
      ])
    ).map(fromRow);
  }

  async countUsers(tx: SqlExecutor = this.db): Promise<number> {
    const [row] = await tx.query<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM principals WHERE kind = 'user'",
    );
    return Number(row.n);
  }

  async insert(p: Principal, tx: SqlExecutor = this.db): Promise<void> {
    await tx.run(
      'INSERT INTO principals (id, kind, name, email, password_hash, key_prefix, key_hash, roles, created_at, revoked_at, disabled_at, generation, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        p.id,
        p.kind,
        p.name,
        p.email?.toLowerCase() ?? null,
        p.passwordHash,
        p.keyPrefix,
        p.keyHash,
        JSON.stringify(p.roles),
        p.createdAt,
        p.revokedAt,
        p.disabledAt,
        p.generation,
        p.createdBy,
      ],
    );
  }

  /** Replaces a person's password hash only if it is still `previous` (a login's rehash). */
  async replacePasswordHash(id: string, previous: string, next: string): Promise<void> {
    await this.db.run(
      'UPDATE principals SET password_hash = ? WHERE id = ? AND password_hash = ?',
      [next, id, previous],
    );
  }

  async revoke(id: string, at: string, tx: SqlExecutor = this.db): Promise<boolean> {
    return (
      (await tx.run(
        "UPDATE principals SET revoked_at = ? WHERE id = ? AND kind = 'key' AND revoked_at IS NULL",
        [at, id],
      )) > 0
    );
  }

  /**
   * The enabled people with the admin role, locked until the transaction ends on PostgreSQL
   * (SQLite transactions run one at a time): two admins disabling each other at once cannot
   * both see the other as the remaining admin.
   */
  async lockActiveAdmins(tx: SqlExecutor): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      `SELECT id FROM principals WHERE kind = 'user' AND disabled_at IS NULL AND roles LIKE ? ORDER BY id${this.db.kind === 'postgres' ? ' FOR UPDATE' : ''}`,
      ['%"admin"%'],
    );
    return rows.map((r) => r.id);
  }

  /** Sets a person's roles and whether they are disabled (disabling bumps the generation). */
  async updateUser(
    id: string,
    set: { roles: string[]; disabledAt: string | null; bump: boolean },
    tx: SqlExecutor,
  ): Promise<void> {
    await tx.run(
      `UPDATE principals SET roles = ?, disabled_at = ?, generation = generation + ? WHERE id = ? AND kind = 'user'`,
      [JSON.stringify(set.roles), set.disabledAt, set.bump ? 1 : 0, id],
    );
  }

  /** Revokes the unrevoked keys a principal created; their ids. */
  async revokeCreatedBy(creator: string, at: string, tx: SqlExecutor): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      "UPDATE principals SET revoked_at = ? WHERE kind = 'key' AND created_by = ? AND revoked_at IS NULL RETURNING id",
      [at, creator],
    );
    return rows.map((r) => r.id);
  }

  async remove(id: string, tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM principals WHERE id = ?', [id]);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }
}
