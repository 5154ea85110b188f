import { Injectable } from '@nestjs/common';
import {
  type Actor,
  calendarProblems,
  canonicalJson,
  type DataSetRow,
  HOURS_COLUMN,
  type Label,
} from '@ordo/engine';
import { AuditLog } from '../audit/audit-log';
import type { SqlExecutor } from '../database/db';
import { type ProblemDetail, problems } from '../problems/api-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import { buildVersion } from './data-set-build';
import { type DataSetDiff, diffRows, sameRow } from './data-set-diff';
import { type DataSetFormat, readDataSetFile, UnreadableFile } from './data-set-file';
import { DataSetRefreshRepository } from './data-set-refresh.repository';
import type { DataSetRefresh } from './data-set-refresh.schema';
import { DataSetStore } from './data-set-store';
import type { DataSetColumn, DataSetSummary, DataSetVersion, RowError } from './data-set-types';
import { DataSetsRepository } from './data-sets.repository';

/** A new version as uploaded. */
export interface PutDataSet {
  format: DataSetFormat;
  content: string;
  keyColumn?: string;
  columns?: DataSetColumn[];
  title?: Label;
  /** Where it came from (a file name, a connector), shown with the version. */
  source?: string;
  /** Check and compare only: write nothing. */
  dryRun?: boolean;
}

/** The answer to an upload: the (would-be) version, the first rows, the diff, the errors. */
export interface PutAnswer {
  dataset: DataSetSummary;
  written: boolean;
  /** The upload holds exactly the current version: nothing new was written. */
  unchanged: boolean;
  preview: { line: number | undefined; key: string; values: DataSetRow }[];
  diff: DataSetDiff;
  /** With `dryRun`: what a write would refuse (a write answers 422 instead). */
  errors: ProblemDetail[];
}

export const DATA_SET_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_ROWS = 500_000;
const PREVIEW = 20;

/** A row or cell problem as a problem detail of the upload's content. */
const detailOf = (e: RowError): ProblemDetail & Omit<RowError, 'code' | 'message'> => ({
  path: '/content',
  code: e.code,
  message: `${e.line === undefined ? '' : `line ${e.line}`}${e.column === undefined ? '' : `${e.line === undefined ? '' : ', '}column ${e.column}`}: ${e.message}`,
  ...(e.line !== undefined && { line: e.line }),
  ...(e.column !== undefined && { column: e.column }),
});

/**
 * A business calendar (key column `day`, a column `hours`: docs/datasets.md#business-calendars)
 * is checked as one before it is written: a calendar that cannot be counted in writes nothing.
 */
function calendarErrors(built: ReturnType<typeof buildVersion>): RowError[] {
  if (built.keyColumn !== 'day' || !built.columns.some((c) => c.name === HOURS_COLUMN)) return [];
  return calendarProblems(built.rows).map((p) => ({
    line: built.lines.get(p.key),
    column: p.column ?? 'day',
    code: 'bad_calendar',
    message: p.message,
  }));
}

const sameColumns = (a: readonly DataSetColumn[], b: readonly DataSetColumn[]) =>
  a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type);

/**
 * Reference data sets: uploads checked row by row and compared with the current version, each
 * accepted upload a new version (only the rows that differ are written), read by rules through
 * the in-memory store.
 */
@Injectable()
export class DataSetsService {
  constructor(
    private readonly repository: DataSetsRepository,
    private readonly store: DataSetStore,
    private readonly audit: AuditLog,
    private readonly clock: RuntimeClock,
    private readonly refreshes: DataSetRefreshRepository,
  ) {}

  list(): Promise<DataSetSummary[]> {
    return this.repository.list();
  }

  /** The data set, its versions and — when it is refreshed from a connector — that refresh. */
  async get(
    key: string,
  ): Promise<DataSetSummary & { versions: DataSetVersion[]; refresh: DataSetRefresh | null }> {
    const found = await this.repository.get(key);
    if (!found) throw problems.notFound('Data set', key);
    return {
      ...found,
      versions: await this.repository.versions(key),
      refresh: (await this.refreshes.get(key)) ?? null,
    };
  }

  async rows(
    key: string,
    options: { version?: number; q?: string; after?: string; limit: number },
  ) {
    const found = await this.repository.get(key);
    if (!found) throw problems.notFound('Data set', key);
    const version = options.version ?? found.version;
    if (version < 1 || version > found.version)
      throw problems.invalidQuery(
        '/version',
        `data set "${key}" has versions 1 to ${found.version}`,
      );
    return { version, ...(await this.repository.page(key, version, { ...options, q: options.q })) };
  }

  /** Checks an upload, compares it with the current version and (unless a dry run) writes it. */
  async put(
    key: string,
    input: PutDataSet,
    actor: Actor,
    options: {
      /** More to check in the version's transaction (a refresh's lease); it rolls back when it throws. */
      fence?: (tx: SqlExecutor) => Promise<void>;
    } = {},
  ): Promise<PutAnswer> {
    if (!DATA_SET_KEY.test(key))
      throw problems.invalidParam(
        '/key',
        'a data set key is 1 to 64 of a-z, 0-9 and -, like drug-codes',
      );
    let table;
    try {
      table = await readDataSetFile(input.format, input.content);
    } catch (error) {
      if (!(error instanceof UnreadableFile)) throw error;
      throw problems.invalidBody([
        { path: '/content', code: 'unreadable', message: error.message },
      ]);
    }
    if (table.rows.length > MAX_ROWS)
      throw problems.invalidBody([
        {
          path: '/content',
          code: 'too_many_rows',
          message: `has ${table.rows.length} rows; at most ${MAX_ROWS}`,
        },
      ]);
    const current = await this.repository.get(key);
    const last = current
      ? { version: current.version, deleted: false }
      : await this.repository.lastVersion(key);
    const built = buildVersion(table, {
      keyColumn: input.keyColumn,
      columns: input.columns,
      previous: current,
    });
    if (built.requestErrors.length) throw problems.invalidBody(built.requestErrors);
    const before = current
      ? await this.currentRows(key, current.version)
      : new Map<string, DataSetRow>();
    const diff = diffRows(before, built.rows);
    const errors = [...built.rowErrors, ...calendarErrors(built)].map(detailOf);
    const now = new Date(this.clock.now()).toISOString();
    const version: DataSetVersion = {
      version: (last?.version ?? 0) + 1,
      keyColumn: built.keyColumn,
      columns: built.columns,
      rows: built.rows.size,
      source: input.source ?? null,
      createdAt: now,
      createdBy: actor.id,
    };
    const title = input.title ?? current?.title ?? key;
    const unchanged =
      !!current &&
      !diff.added &&
      !diff.removed &&
      !diff.changed &&
      current.keyColumn === built.keyColumn &&
      sameColumns(current.columns, built.columns) &&
      canonicalJson(title) === canonicalJson(current.title);
    const summary = (v: DataSetVersion): DataSetSummary => {
      const { createdAt, createdBy, ...rest } = v;
      return { key, title, ...rest, updatedAt: createdAt, updatedBy: createdBy };
    };
    const answer = (written: boolean): PutAnswer => ({
      dataset: unchanged ? current! : summary(version),
      written,
      unchanged,
      preview: [...built.rows]
        .slice(0, PREVIEW)
        .map(([k, values]) => ({ line: built.lines.get(k), key: k, values })),
      diff,
      errors,
    });
    if (input.dryRun) return answer(false);
    if (errors.length)
      throw problems.unprocessable(
        'invalid_rows',
        `${errors.length} problem${errors.length === 1 ? '' : 's'} in the file, first: ${errors[0].message}; nothing was written`,
        { errors },
      );
    if (unchanged) return answer(false);
    const put = [...built.rows]
      .filter(([k, row]) => {
        const old = before.get(k);
        return !old || !sameRow(old, row);
      })
      .map(([k, row]) => ({ key: k, line: built.lines.get(k), row }));
    const close = [...before.keys()].filter((k) => {
      const next = built.rows.get(k);
      return !next || !sameRow(before.get(k)!, next);
    });
    const written = await this.repository.write(
      { key, title, replaces: last, version, put, close },
      async (tx) => {
        await options.fence?.(tx);
        await this.audit.record(
          {
            actor: actor.id,
            entity: 'data-set',
            entityId: key,
            action: current ? 'replaced' : 'created',
            before: current && { version: current.version, rows: current.rows },
            after: {
              version: version.version,
              rows: version.rows,
              added: diff.added,
              changed: diff.changed,
              removed: diff.removed,
            },
          },
          tx,
        );
      },
    );
    if (!written)
      throw problems.conflict(
        'data_set_changed',
        `Data set "${key}" got a new version while this one was checked: upload it again`,
      );
    this.store.install(key, version.version, built.rows);
    return answer(true);
  }

  async delete(key: string, actor: Actor): Promise<void> {
    const current = await this.repository.get(key);
    if (!current) throw problems.notFound('Data set', key);
    await this.repository.delete(key, (tx) =>
      this.audit.record(
        {
          actor: actor.id,
          entity: 'data-set',
          entityId: key,
          action: 'deleted',
          before: { version: current.version, rows: current.rows },
        },
        tx,
      ),
    );
    this.store.remove(key);
  }

  /** The rows of the current version: from memory when the store has that version. */
  private async currentRows(key: string, version: number) {
    const snapshot = await this.store.snapshot();
    return snapshot.version(key) === version
      ? snapshot.rowsOf(key)
      : this.repository.rowsAt(key, version);
  }
}
