import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { DomainEvents } from '../events/domain-events';
import { ApiProblem } from '../problems/api-problem';
import type { SimulatedDashboard } from '../simulation/sim-dashboard';
import type { SimulationInput } from '../simulation/simulator';
import {
  ACTIVE,
  type JobStatus,
  type SimulationJob,
  SimulationJobStore,
} from './simulation-job-store';
import { SimulationProcess } from './simulation-process';

export type { JobStatus, SimulationJob } from './simulation-job-store';

/**
 * How many simulations run at once per process (each takes a core), how many may wait, and
 * how many finished ones of a flow are kept. A running job's lease is renewed every `renewMs`
 * (which is also how soon a cancellation asked of another process is seen); a job whose lease
 * is older than `leaseMs` is reported interrupted.
 */
export const SIMULATION_LIMITS = {
  running: 2,
  waiting: 4,
  kept: 20,
  renewMs: 2_000,
  leaseMs: 30_000,
};

/** Why a job that was running or waiting has no result (the job's `error`). */
export const INTERRUPTED = {
  stopped: 'interrupted: the server stopped while the simulation ran or waited; start it again',
  lost: 'interrupted: the server process running the simulation stopped answering; start it again',
};

type Input = Omit<SimulationInput, 'onProgress' | 'onHour'>;

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * Simulation jobs, stored in `simulation_jobs`: each runs in a child process of the server
 * process that accepted it (its owner), at most `running` at once, up to `waiting` more
 * queued, beyond that 429. Any process answers for any job from the table; progress goes out
 * as `simulation.changed`, which the live adapter carries to every process in cluster mode.
 * A job whose owner stopped is `interrupted` (on a graceful stop by the owner itself, after a
 * crash when its lease runs out or — in embedded mode — when the server starts again).
 */
@Injectable()
export class SimulationJobs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SimulationJobs');
  private readonly store: SimulationJobStore;
  private readonly clustered: boolean;
  /** This process's queued and running jobs: the newest state, ahead of the table. */
  private readonly own = new Map<string, SimulationJob>();
  private readonly inputs = new Map<string, Input>();
  private readonly running = new Map<string, SimulationProcess>();
  private readonly queue: string[] = [];
  /** Writes of the table, one after another (a late progress never overwrites the end). */
  private writes: Promise<unknown> = Promise.resolve();
  private renewer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly events: DomainEvents,
    @Inject(DB) db: Db,
    @Inject(ORDO_CONFIG) config: OrdoConfig,
  ) {
    const owner = `${hostname().slice(0, 20)}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.store = new SimulationJobStore(db, owner);
    this.clustered = Boolean(config.redisUrl);
  }

  async onModuleInit(): Promise<void> {
    // Embedded: this is the only process, so whatever another left active no one runs.
    const now = new Date().toISOString();
    if (this.clustered) await this.store.interrupt(INTERRUPTED.lost, now, { everyOther: false });
    else await this.store.interrupt(INTERRUPTED.stopped, now, { everyOther: true });
    this.renewer = setInterval(() => void this.renew(), SIMULATION_LIMITS.renewMs);
    this.renewer.unref();
  }

  async start(
    flow: string,
    version: 'draft' | number,
    days: number,
    input: Input,
  ): Promise<SimulationJob> {
    if (this.queue.length >= SIMULATION_LIMITS.waiting)
      throw new ApiProblem(
        429,
        'too_many_simulations',
        'Too many simulations',
        `${SIMULATION_LIMITS.running} simulations are running and ${this.queue.length} wait: retry when one has finished`,
        { retryAfter: 60 },
      );
    const job: SimulationJob = {
      id: randomUUID(),
      flow,
      version,
      days,
      seed: input.seed,
      status: 'queued',
      progress: { hours: 0, of: days * 24, orders: 0, percent: 0 },
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
    };
    this.own.set(job.id, job);
    this.inputs.set(job.id, input);
    this.queue.push(job.id);
    // Inserted ahead of every later write of the job (they queue behind it).
    const inserted = this.write(() => this.store.insert(job, later(SIMULATION_LIMITS.leaseMs)));
    this.next();
    await inserted.catch((error: Error) => {
      this.queue.splice(this.queue.indexOf(job.id), 1);
      this.running.get(job.id)?.stop();
      this.own.delete(job.id);
      throw error;
    });
    return this.view(job);
  }

  /** The job (with its result once done), from whichever process runs or ran it. */
  async get(flow: string, id: string): Promise<SimulationJob | undefined> {
    const mine = this.own.get(id);
    if (mine) return mine.flow === flow ? this.view(mine) : undefined;
    const job = await this.store.get(flow, id);
    if (!job || !ACTIVE.includes(job.status)) return job;
    await this.interruptLost();
    return this.store.get(flow, id);
  }

  /** A finished job's dashboard (docs/simulation.md): undefined while it runs or when it failed. */
  dashboard(flow: string, id: string): Promise<SimulatedDashboard | undefined> {
    return this.store.dashboard(flow, id);
  }

  /** The flow's jobs, newest first, without results. */
  async list(flow: string): Promise<SimulationJob[]> {
    await this.interruptLost();
    const jobs = await this.store.list(flow);
    return jobs.map((j) => (this.own.has(j.id) ? this.view(this.own.get(j.id)!) : j));
  }

  /**
   * Stops a queued or running job; a finished one stays as it was. A job of another process
   * is asked to stop (it does within `renewMs`) and answered as it is now.
   */
  async cancel(job: SimulationJob): Promise<SimulationJob> {
    const mine = this.own.get(job.id);
    if (!mine) {
      if (ACTIVE.includes(job.status)) await this.store.requestCancel(job.id);
      return job;
    }
    if (mine.status === 'queued') {
      this.queue.splice(this.queue.indexOf(mine.id), 1);
      await this.finish(mine, 'cancelled', null);
    } else this.running.get(mine.id)?.stop();
    return this.view(mine);
  }

  /** The job without its result (the live events, and the answer before it is done). */
  view({ result: _result, ...job }: SimulationJob): SimulationJob {
    return { ...job, progress: { ...job.progress } };
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.renewer);
    this.queue.length = 0;
    for (const process of this.running.values()) process.stop();
    // What this process ran or kept waiting is interrupted: a restart shows why, not nothing.
    await this.writes;
    await this.store.interrupt(INTERRUPTED.stopped, new Date().toISOString(), { own: true });
  }

  private next(): void {
    while (!this.stopping && this.running.size < SIMULATION_LIMITS.running && this.queue.length) {
      const job = this.own.get(this.queue.shift()!)!;
      const input = this.inputs.get(job.id)!;
      this.inputs.delete(job.id);
      job.status = 'running';
      job.startedAt = new Date().toISOString();
      this.save(job);
      this.changed(job);
      const process = new SimulationProcess(input, (p) => {
        if (this.stopping) return;
        job.progress = {
          hours: p.hour,
          of: p.hours,
          orders: p.orders,
          percent: Math.floor((100 * p.hour) / p.hours),
        };
        this.save(job);
        this.changed(job);
      });
      this.running.set(job.id, process);
      process.finished.then(
        ({ result, dashboard }) => {
          job.result = result;
          job.progress = { ...job.progress, hours: job.progress.of, percent: 100 };
          return this.finish(job, 'done', null, dashboard);
        },
        (error: Error) =>
          this.finish(job, error.message === 'cancelled' ? 'cancelled' : 'failed', error.message),
      );
    }
  }

  private async finish(
    job: SimulationJob,
    status: JobStatus,
    error: string | null,
    dashboard?: SimulatedDashboard,
  ) {
    // Stopping: onModuleDestroy writes these jobs as interrupted.
    if (this.stopping) return;
    job.status = status;
    job.error = status === 'failed' ? error : null;
    job.finishedAt = new Date().toISOString();
    this.running.delete(job.id);
    this.inputs.delete(job.id);
    // Written before it is told: a client that reads the job on `done` finds its result.
    await this.save(job, dashboard);
    this.own.delete(job.id);
    await this.store
      .forgetOld(job.flow, SIMULATION_LIMITS.kept)
      .catch((e: Error) => this.logger.error(`old simulations not removed: ${e.message}`));
    this.changed(job);
    this.next();
  }

  /** Queues the write of the job as it is now (with its dashboard once done). */
  private save(job: SimulationJob, dashboard?: SimulatedDashboard): Promise<void> {
    const snapshot = { ...job, progress: { ...job.progress } };
    return this.write(() => this.store.save(snapshot, dashboard)).catch((e: Error) =>
      this.logger.error(`simulation ${job.id} not saved: ${e.message}`),
    );
  }

  /** Runs a write of the table after those queued before it; its own failure is the caller's. */
  private write(fn: () => Promise<void>): Promise<void> {
    const done = this.writes.then(fn);
    this.writes = done.catch(() => undefined);
    return done;
  }

  /** Keeps this process's jobs leased, and stops those another process was asked to cancel. */
  private async renew(): Promise<void> {
    if (!this.own.size || this.stopping) return;
    try {
      const cancel = await this.store.renew(later(SIMULATION_LIMITS.leaseMs));
      for (const id of cancel) {
        const job = this.own.get(id);
        if (job) await this.cancel(job);
      }
    } catch (error) {
      this.logger.error(`simulation leases not renewed: ${(error as Error).message}`);
    }
  }

  /** Jobs of other processes whose lease ran out are interrupted. */
  private interruptLost(): Promise<number> {
    return this.store.interrupt(INTERRUPTED.lost, new Date().toISOString(), { everyOther: false });
  }

  private changed(job: SimulationJob): void {
    this.events.emit('simulation.changed', { simulation: this.view(job) });
  }
}
