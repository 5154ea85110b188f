import { Inject, Injectable } from '@nestjs/common';
import type { Flow, Problem } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';

/** A flow's row: its one draft and the number of its latest published version. */
export interface FlowRecord {
  key: string;
  name: unknown;
  draft: unknown;
  draftProblems: Problem[];
  draftValid: boolean;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

/** One immutable published version. */
export interface FlowVersionRecord {
  flow: string;
  version: number;
  document: Flow;
  note: string | null;
  publishedAt: string;
  publishedBy: string | null;
}

const flowFrom = (r: Record<string, unknown>): FlowRecord => ({
  key: r.key as string,
  name: JSON.parse(r.name as string),
  draft: JSON.parse(r.draft as string),
  draftProblems: JSON.parse(r.draft_problems as string),
  draftValid: Number(r.draft_valid) === 1,
  latestVersion: r.latest_version === null ? null : Number(r.latest_version),
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  updatedBy: r.updated_by as string | null,
});

const versionFrom = (r: Record<string, unknown>): FlowVersionRecord => ({
  flow: r.flow_key as string,
  version: Number(r.version),
  document: JSON.parse(r.document as string),
  note: r.note as string | null,
  publishedAt: r.published_at as string,
  publishedBy: r.published_by as string | null,
});

/** Stores flows (`flows`) and their published versions (`flow_versions`). */
@Injectable()
export class FlowsRepository {
  constructor(@Inject(DB) readonly db: Db) {}

  async get(key: string, tx: SqlExecutor = this.db): Promise<FlowRecord | undefined> {
    const [row] = await tx.query('SELECT * FROM flows WHERE key = ?', [key]);
    return row && flowFrom(row);
  }

  /** Whether the flow exists, and its latest published version: a cheap read for every create. */
  async latestVersion(key: string): Promise<{ latest: number | null } | undefined> {
    const [row] = await this.db.query<{ latest_version: number | string | null }>(
      'SELECT latest_version FROM flows WHERE key = ?',
      [key],
    );
    return row && { latest: row.latest_version === null ? null : Number(row.latest_version) };
  }

  async list(): Promise<FlowRecord[]> {
    return (await this.db.query('SELECT * FROM flows ORDER BY key')).map(flowFrom);
  }

  /** Creates the flow or replaces its draft. */
  async saveDraft(
    rec: Omit<FlowRecord, 'latestVersion' | 'createdAt' | 'updatedAt'>,
    now: string,
    tx: SqlExecutor = this.db,
  ): Promise<void> {
    const values = [
      JSON.stringify(rec.name ?? rec.key),
      JSON.stringify(rec.draft),
      JSON.stringify(rec.draftProblems),
      rec.draftValid ? 1 : 0,
      now,
      rec.updatedBy,
    ];
    const changed = await tx.run(
      'UPDATE flows SET name = ?, draft = ?, draft_problems = ?, draft_valid = ?, updated_at = ?, updated_by = ? WHERE key = ?',
      [...values, rec.key],
    );
    if (changed === 0)
      await tx.run(
        'INSERT INTO flows (name, draft, draft_problems, draft_valid, updated_at, updated_by, key, created_at, latest_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)',
        [...values, rec.key, now],
      );
  }

  async insertVersion(v: FlowVersionRecord, tx: SqlExecutor): Promise<void> {
    await tx.run(
      'INSERT INTO flow_versions (flow_key, version, document, note, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?)',
      [v.flow, v.version, JSON.stringify(v.document), v.note, v.publishedAt, v.publishedBy],
    );
    await tx.run('UPDATE flows SET latest_version = ? WHERE key = ?', [v.version, v.flow]);
  }

  async version(key: string, version: number): Promise<FlowVersionRecord | undefined> {
    const [row] = await this.db.query(
      'SELECT * FROM flow_versions WHERE flow_key = ? AND version = ?',
      [key, version],
    );
    return row && versionFrom(row);
  }

  async versions(key: string): Promise<Omit<FlowVersionRecord, 'document'>[]> {
    const rows = await this.db.query(
      'SELECT flow_key, version, note, published_at, published_by FROM flow_versions WHERE flow_key = ? ORDER BY version',
      [key],
    );
    return rows.map((r) => ({
      flow: r.flow_key as string,
      version: Number(r.version),
      note: r.note as string | null,
      publishedAt: r.published_at as string,
      publishedBy: r.published_by as string | null,
    }));
  }
}
