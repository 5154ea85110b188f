import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DomainEvents } from '../events/domain-events';
import { ApiProblem } from '../problems/api-problem';
import type { SimulationInput } from '../simulation/simulator';
import type { SimulationResult } from '../simulation/sim-report';
import { SimulationProcess } from './simulation-process';

/** How many simulations run at once (each takes a core), and how many may wait. */
export const SIMULATION_LIMITS = { running: 2, waiting: 4, kept: 20 };

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

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
  error: string | null;
  result?: SimulationResult;
}

type Input = Omit<SimulationInput, 'onProgress' | 'onHour'>;

/**
 * Simulation jobs of this server process, in memory (they do not survive a restart, and in a
 * cluster each process knows its own). At most `running` run at once, each in a child process
 * of its own; up to `waiting` more are queued; beyond that the server answers 429.
 */
@Injectable()
export class SimulationJobs implements OnModuleDestroy {
  private readonly jobs = new Map<string, SimulationJob>();
  private readonly inputs = new Map<string, Input>();
  private readonly running = new Map<string, SimulationProcess>();
  private readonly queue: string[] = [];

  constructor(private readonly events: DomainEvents) {}

  start(flow: string, version: 'draft' | number, days: number, input: Input): SimulationJob {
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
    this.jobs.set(job.id, job);
    this.inputs.set(job.id, input);
    this.queue.push(job.id);
    this.forgetOld();
    this.next();
    return this.view(job);
  }

  get(flow: string, id: string): SimulationJob | undefined {
    const job = this.jobs.get(id);
    return job?.flow === flow ? job : undefined;
  }

  /** The flow's jobs, newest first, without results. */
  list(flow: string): SimulationJob[] {
    return [...this.jobs.values()]
      .filter((j) => j.flow === flow)
      .reverse()
      .map((j) => this.view(j));
  }

  /** Stops a queued or running job; a finished one stays as it was. */
  cancel(job: SimulationJob): SimulationJob {
    if (job.status === 'queued') {
      this.queue.splice(this.queue.indexOf(job.id), 1);
      this.finish(job, 'cancelled', null);
    } else if (job.status === 'running') this.running.get(job.id)?.stop();
    return this.view(job);
  }

  /** The job without its result (the live events, and the answer before it is done). */
  view({ result: _result, ...job }: SimulationJob): SimulationJob {
    return { ...job, progress: { ...job.progress } };
  }

  onModuleDestroy(): void {
    this.queue.length = 0;
    for (const process of this.running.values()) process.stop();
  }

  private next(): void {
    while (this.running.size < SIMULATION_LIMITS.running && this.queue.length) {
      const job = this.jobs.get(this.queue.shift()!)!;
      const input = this.inputs.get(job.id)!;
      this.inputs.delete(job.id);
      job.status = 'running';
      job.startedAt = new Date().toISOString();
      this.changed(job);
      const process = new SimulationProcess(input, (p) => {
        job.progress = {
          hours: p.hour,
          of: p.hours,
          orders: p.orders,
          percent: Math.floor((100 * p.hour) / p.hours),
        };
        this.changed(job);
      });
      this.running.set(job.id, process);
      process.finished.then(
        (result) => {
          job.result = result;
          job.progress = { ...job.progress, hours: job.progress.of, percent: 100 };
          this.finish(job, 'done', null);
        },
        (error: Error) =>
          this.finish(job, error.message === 'cancelled' ? 'cancelled' : 'failed', error.message),
      );
    }
  }

  private finish(job: SimulationJob, status: JobStatus, error: string | null): void {
    job.status = status;
    job.error = status === 'failed' ? error : null;
    job.finishedAt = new Date().toISOString();
    if (this.running.delete(job.id)) this.next();
    this.changed(job);
  }

  private changed(job: SimulationJob): void {
    this.events.emit('simulation.changed', { simulation: this.view(job) });
  }

  /** Only the newest finished jobs are kept. */
  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt);
    for (const job of finished.slice(0, Math.max(0, finished.length - SIMULATION_LIMITS.kept)))
      this.jobs.delete(job.id);
  }
}
