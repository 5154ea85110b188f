import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import path from 'node:path';
import type { SimulationInput } from '../simulation/simulator';
import type { SimulatedDashboard } from '../simulation/sim-dashboard';
import type { SimulationResult } from '../simulation/sim-report';

/** What a finished simulation hands back: its figures, and its dashboard. */
export interface SimulationOutcome {
  result: SimulationResult;
  dashboard: SimulatedDashboard;
}

/** What the child tells its parent. */
export type ChildMessage =
  | { kind: 'progress'; hour: number; hours: number; orders: number }
  | ({ kind: 'done' } & SimulationOutcome)
  | { kind: 'failed'; message: string };

// The child is always the build: under jest the sources run through SWC, which a forked node
// does not have (the server's tests build first, as the package's test script does).
const CHILD = path.join(
  __dirname.replace(/([/\\])src([/\\]simulations)$/, '$1dist$2'),
  'simulation-child.js',
);

/** One simulation running in a child process of low priority. */
export class SimulationProcess {
  private readonly child: ChildProcess;
  private stopped = false;
  readonly finished: Promise<SimulationOutcome>;

  constructor(
    input: Omit<SimulationInput, 'onProgress' | 'onHour'>,
    onProgress: (p: { hour: number; hours: number; orders: number }) => void,
  ) {
    this.child = fork(CHILD, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    // A simulation takes a core for minutes: the server answering its clients comes first.
    try {
      if (this.child.pid) setPriority(this.child.pid, 10);
    } catch {
      // Not permitted here: it runs at normal priority.
    }
    let stderr = '';
    this.child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk).slice(-2000)));
    this.finished = new Promise((resolve, reject) => {
      let outcome: ChildMessage | undefined;
      this.child.on('message', (message: ChildMessage) => {
        if (message.kind === 'progress') onProgress(message);
        else outcome = message;
      });
      this.child.once('exit', (code, signal) => {
        if (outcome?.kind === 'done')
          resolve({ result: outcome.result, dashboard: outcome.dashboard });
        else if (this.stopped) reject(new Error('cancelled'));
        else if (outcome?.kind === 'failed') reject(new Error(outcome.message));
        else
          reject(
            new Error(`the simulation stopped (${signal ?? `exit ${code}`}): ${stderr.trim()}`),
          );
      });
    });
    this.child.send(input);
  }

  /**
   * Ends the child (cancellation, server shutdown): it stops at its next step and removes its
   * throw-away database; killed when it has not within `graceMs`.
   */
  stop(graceMs = 10_000): void {
    this.stopped = true;
    this.child.kill('SIGTERM');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    kill.unref();
    this.child.once('exit', () => clearTimeout(kill));
  }
}
