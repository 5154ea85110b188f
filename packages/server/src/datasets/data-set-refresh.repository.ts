import { Inject, Injectable } from '@nestjs/common';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import type { DataSetRefresh, RefreshRun, RefreshSpec } from './data-set-refresh.schema';

/** The `flow_schedules` key of a data set's refresh (its next run and its lease). */
export const refreshScheduleKey = (dataSet: string) => `dataset:${dataSet}`;

const refreshFrom = (r: Record<string, unknown>): DataSetRefresh => ({
  dataSet: r.data_set as string,
  spec: JSON.parse(r.spec as string) as RefreshSpec,
  updatedAt: r.updated_at as string,
  updatedBy: r.updated_by as string,
  nextRunAt: (r.next_run_at as string | null) ?? null,
  lastRun:
    r.run_at == null
      ? null
      : {
          at: r.run_at as string,
          outcome: r.outcome as RefreshRun['outcome'],
          message: r.message as string,
          version: r.version == null ? null : Number(r.version),
          errors: r.errors == null ? [] : (JSON.parse(r.errors as string) as unknown[]),
        },
});

const SELECT = `SELECT r.*, s.next_run_at FROM data_set_refreshes r
  LEFT JOIN flow_schedules s ON s.key = 'dataset:' || r.data_set`;

/** Refresh specs and the outcome of each one's last run. */
@Injectable()
export class DataSetRefreshRepository {
  constructor(@Inject(DB) readonly db: Db) {}

  async list(): Promise<DataSetRefresh[]> {
    return (await this.db.query(`${SELECT} ORDER BY r.data_set`)).map(refreshFrom);
  }

  async get(dataSet: string): Promise<DataSetRefresh | undefined> {
    const [row] = await this.db.query(`${SELECT} WHERE r.data_set = ?`, [dataSet]);
    return row && refreshFrom(row);
  }

  /** Stores a spec (replacing one); its schedule runs next at `firstRun` unless a run holds it. */
  async put(dataSet: string, spec: RefreshSpec, by: string, now: string, firstRun: string) {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO data_set_refreshes (data_set, spec, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (data_set) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [dataSet, JSON.stringify(spec), now, by],
      );
      const key = refreshScheduleKey(dataSet);
      await tx.run(
        'INSERT INTO flow_schedules (key, next_run_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
        [key, firstRun],
      );
      await tx.run(
        'UPDATE flow_schedules SET next_run_at = ? WHERE key = ? AND lease_token IS NULL',
        [firstRun, key],
      );
    });
  }

  /** Stops a refresh: a run under way loses its schedule row, so it writes nothing. */
  async delete(dataSet: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const gone = await tx.run('DELETE FROM data_set_refreshes WHERE data_set = ?', [dataSet]);
      await tx.run('DELETE FROM flow_schedules WHERE key = ?', [refreshScheduleKey(dataSet)]);
      return gone === 1;
    });
  }

  /** Records a run's outcome (in the transaction that ends its lease). */
  async record(tx: SqlExecutor, dataSet: string, run: RefreshRun): Promise<void> {
    await tx.run(
      'UPDATE data_set_refreshes SET run_at = ?, outcome = ?, message = ?, errors = ?, version = ? WHERE data_set = ?',
      [
        run.at,
        run.outcome,
        run.message,
        run.errors.length ? JSON.stringify(run.errors) : null,
        run.version,
        dataSet,
      ],
    );
  }
}
