import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('database');

/** Runs SQL with `?` placeholders (translated for PostgreSQL). */
export interface SqlExecutor {
  /** Rows of a statement (empty for statements that return none). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a write; how many rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/**
 * The database under the services, over the raw driver: TypeORM owns connections and
 * migrations, but order writes must be one conditional-UPDATE transaction, fast, on both
 * databases — which TypeORM's save() is neither.
 */
export interface Db extends SqlExecutor {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Inside, use only `tx`: on SQLite the database itself waits for the transaction to end, so
   * a call on it from inside would wait forever.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

const toPg = (sql: string) => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

const sqliteParam = (v: unknown) =>
  v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;

/**
 * SQLite through better-sqlite3 (synchronous). One connection: work is queued so that a
 * transaction never starts inside another, statements are prepared once, and concurrent
 * transactions share one commit.
 */
export class SqliteDb implements Db {
  readonly kind = 'sqlite';
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending: PendingTransaction[] = [];
  private readonly direct: SqlExecutor;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.direct = {
      query: async <T>(sql: string, params: unknown[] = []) => {
        const stmt = this.prepare(sql);
        if (stmt.reader) return stmt.all(...params.map(sqliteParam)) as T[];
        stmt.run(...params.map(sqliteParam));
        return [];
      },
      run: async (sql, params = []) => this.prepare(sql).run(...params.map(sqliteParam)).changes,
    };
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn, fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.serial(() => this.direct.query<T>(sql, params));
  }

  run(sql: string, params?: unknown[]): Promise<number> {
    return this.serial(() => this.direct.run(sql, params));
  }

  /**
   * Group commit: transactions that arrive while others wait are run together inside one
   * SQLite transaction, each in its own savepoint (so one that throws is rolled back alone),
   * and committed once. Every caller is answered only after that commit.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve, reject } as PendingTransaction);
      // Wait for the rest of this event-loop turn: requests read in the same turn share a commit.
      if (this.pending.length === 1) setImmediate(() => void this.serial(() => this.flush()));
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.prepare('BEGIN IMMEDIATE').run();
      for (const item of batch) {
        this.prepare('SAVEPOINT tx').run();
        try {
          outcomes.push({ ok: true, value: await item.fn(this.direct) });
          this.prepare('RELEASE tx').run();
        } catch (error) {
          this.prepare('ROLLBACK TO tx').run();
          this.prepare('RELEASE tx').run();
          outcomes.push({ ok: false, error });
        }
      }
      this.prepare('COMMIT').run();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

interface PendingTransaction {
  fn: (tx: SqlExecutor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Statements get a name so each connection prepares them once (PostgreSQL parses them once). */
const named = new Map<string, { name: string; text: string }>();
function statement(sql: string): { name: string; text: string } {
  let found = named.get(sql);
  if (!found)
    named.set(
      sql,
      (found = {
        name: `ordo_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`,
        text: toPg(sql),
      }),
    );
  return found;
}

function pgExecutor(client: Pool | PoolClient): SqlExecutor {
  return {
    query: async <T>(sql: string, params: unknown[] = []) =>
      (await client.query({ ...statement(sql), values: params })).rows as T[],
    run: async (sql, params = []) =>
      (await client.query({ ...statement(sql), values: params })).rowCount ?? 0,
  };
}

/** PostgreSQL through the pg pool. */
export class PostgresDb implements Db {
  readonly kind = 'postgres';
  private readonly direct: SqlExecutor;

  constructor(private readonly pool: Pool) {
    this.direct = pgExecutor(pool);
    // An idle connection dropped by the server (restart, failover) must not crash the process:
    // the pool replaces it on the next query.
    pool.on('error', (error) => log.warn(`PostgreSQL connection lost: ${error.message}`));
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.direct.query<T>(sql, params);
  }

  run(sql: string, params?: unknown[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(pgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
