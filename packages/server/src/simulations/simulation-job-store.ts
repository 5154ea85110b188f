import type { Db } from '../database/db';
import type { SimulatedDashboard } from '../simulation/sim-dashboard';
import type { SimulationResult } from '../simulation/sim-report';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export const ACTIVE: JobStatus[] = ['queued', 'running'];

/** A simulation job as the API and the live socket show it. */
export interface SimulationJob {
  id: string;
  flow: string;
  version: 'draft' | number;
  days: number;
  seed: number;
  status: JobStatus;
  /** Simulated hours done of all; orders created so far. */
  progress: { hours: number; of: number; orders: number; percent: number };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why a job failed or was interrupted. */
  error: string | null;
  result?: SimulationResult;
}

interface Row {
  id: string;
  flow_key: string;
  version: string;
  days: number;
  seed: number;
  status: JobStatus;
  progress: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  result?: string | null;
}

const COLUMNS =
  'id, flow_key, version, days, seed, status, progress, created_at, started_at, finished_at, error';

const jobOf = (row: Row): SimulationJob => ({
  id: row.id,
  flow: row.flow_key,
  version: row.version === 'draft' ? 'draft' : Number(row.version),
  days: Number(row.days),
  seed: Number(row.seed),
  status: row.status,
  progress: JSON.parse(row.progress),
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  error: row.error,
  ...(row.result && { result: JSON.parse(row.result) }),
});

const active = `status IN (${ACTIVE.map((s) => `'${s}'`).join(', ')})`;

/**
 * The `simulation_jobs` table. Every write of a job's run is the owner's (`owner = ?`), so a
 * process whose lease ran out — and whose job another process reported interrupted — writes
 * nothing more over it.
 */
export class SimulationJobStore {
  constructor(
    private readonly db: Db,
    /** This process: the owner of the jobs it starts. */
    readonly owner: string,
  ) {}

  async insert(job: SimulationJob, leaseUntil: string): Promise<void> {
    await this.db.run(
      `INSERT INTO simulation_jobs (${COLUMNS}, owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        job.id,
        job.flow,
        String(job.version),
        job.days,
        job.seed,
        job.status,
        JSON.stringify(job.progress),
        job.createdAt,
        job.startedAt,
        job.finishedAt,
        job.error,
        this.owner,
        leaseUntil,
      ],
    );
  }

  /** The owner's write of a job's state (and its result and dashboard once done). */
  async save(job: SimulationJob, dashboard?: SimulatedDashboard): Promise<void> {
    await this.db.run(
      `UPDATE simulation_jobs SET status = ?, progress = ?, started_at = ?, finished_at = ?, error = ?, result = ?, dashboard = ?
       WHERE id = ? AND owner = ? AND ${active}`,
      [
        job.status,
        JSON.stringify(job.progress),
        job.startedAt,
        job.finishedAt,
        job.error,
        job.result ? JSON.stringify(job.result) : null,
        dashboard ? JSON.stringify(dashboard) : null,
        job.id,
        this.owner,
      ],
    );
  }

  async get(flow: string, id: string): Promise<SimulationJob | undefined> {
    const [row] = await this.db.query<Row>(
      `SELECT ${COLUMNS}, result FROM simulation_jobs WHERE id = ? AND flow_key = ?`,
      [id, flow],
    );
    return row && jobOf(row);
  }

  /** A job's dashboard, kept apart from its result (which every read of the job carries). */
  async dashboard(flow: string, id: string): Promise<SimulatedDashboard | undefined> {
    const [row] = await this.db.query<{ dashboard: string | null }>(
      `SELECT dashboard FROM simulation_jobs WHERE id = ? AND flow_key = ? AND status = 'done'`,
      [id, flow],
    );
    return row?.dashboard ? (JSON.parse(row.dashboard) as SimulatedDashboard) : undefined;
  }

  /** The flow's jobs, newest first, without results. */
  async list(flow: string): Promise<SimulationJob[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM simulation_jobs WHERE flow_key = ? ORDER BY created_at DESC, id DESC`,
      [flow],
    );
    return rows.map(jobOf);
  }

  /** Renews the leases of this process's active jobs; the ids asked to stop. */
  async renew(leaseUntil: string): Promise<string[]> {
    await this.db.run(`UPDATE simulation_jobs SET lease_until = ? WHERE owner = ? AND ${active}`, [
      leaseUntil,
      this.owner,
    ]);
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM simulation_jobs WHERE owner = ? AND cancel_requested = 1 AND ${active}`,
      [this.owner],
    );
    return rows.map((r) => r.id);
  }

  /** Asks the job's owner (whichever process it is) to stop it. */
  async requestCancel(id: string): Promise<void> {
    await this.db.run(
      `UPDATE simulation_jobs SET cancel_requested = 1 WHERE id = ? AND ${active}`,
      [id],
    );
  }

  /**
   * Active jobs no process runs any more are `interrupted`, with the reason: those of another
   * process whose lease ran out before `now` (`everyOther`: all other processes' — there are
   * none, as in embedded mode), or this process's own (`own`: it is stopping).
   */
  async interrupt(
    reason: string,
    now: string,
    which: { own: true } | { everyOther: boolean },
  ): Promise<number> {
    const where =
      'own' in which
        ? ['owner = ?', [this.owner]]
        : which.everyOther
          ? ['owner <> ?', [this.owner]]
          : ['owner <> ? AND lease_until < ?', [this.owner, now]];
    return this.db.run(
      `UPDATE simulation_jobs SET status = 'interrupted', error = ?, finished_at = ?
       WHERE ${active} AND ${where[0] as string}`,
      [reason, now, ...(where[1] as unknown[])],
    );
  }

  /** Only the `kept` newest finished jobs of the flow are kept. */
  async forgetOld(flow: string, kept: number): Promise<void> {
    const all = this.db.kind === 'postgres' ? 'ALL' : '-1';
    const old = await this.db.query<{ id: string }>(
      `SELECT id FROM simulation_jobs WHERE flow_key = ? AND NOT ${active}
       ORDER BY created_at DESC, id DESC LIMIT ${all} OFFSET ?`,
      [flow, kept],
    );
    for (const { id } of old) await this.db.run('DELETE FROM simulation_jobs WHERE id = ?', [id]);
  }
}
