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
});

/** Stores principals (table `principals`). */
@Injectable()
export class PrincipalsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  async byId(id: string): Promise<Principal | undefined> {
    const [row] = await this.db.query<Row>('SELECT * FROM principals WHERE id = ?', [id]);
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
      'INSERT INTO principals (id, kind, name, email, password_hash, key_prefix, key_hash, roles, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
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

  async revoke(id: string, at: string): Promise<boolean> {
    return (
      (await this.db.run(
        "UPDATE principals SET revoked_at = ? WHERE id = ? AND kind = 'key' AND revoked_at IS NULL",
        [at, id],
      )) > 0
    );
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }
}
