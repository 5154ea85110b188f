import type { Db } from '../database/db';
import type { DispatcherOptions } from '../runtime/effect-dispatcher';
import type { RuntimeClock } from '../runtime/runtime-clock';
import { FlowSchedules, type ScheduleLease } from '../systems/flow-schedules';
import { Poller } from './poller';

/**
 * A poller over schedules in `flow_schedules` (reconciliations, ERP pulls, mailboxes, data-set
 * refreshes): each run is claimed under a lease, so one process of a cluster runs it.
 */
export abstract class ScheduledPoller extends Poller {
  /** The schedules' table (claims, leases). */
  readonly schedules: FlowSchedules;
  /** How long a claim holds a schedule unless renewed. */
  protected readonly leaseMs: number;

  constructor(clock: RuntimeClock, options: DispatcherOptions, db: Db) {
    super(clock, options.pollMs * 30, options.enabled);
    this.schedules = new FlowSchedules(db);
    this.leaseMs = options.leaseMs;
  }

  /** When a lease taken now ends unless renewed. */
  protected leaseEnd(): string {
    return new Date(this.clock.now() + this.leaseMs).toISOString();
  }

  /**
   * Runs the schedule `key` when it is due and this process wins it; the next run moves to
   * `following`, or to the time `run` answers (a mailbox backing off). Answers when the
   * schedule is next due; a schedule seen for the first time is due at `firstRun`.
   */
  protected async runDue(
    key: string,
    now: string,
    following: string,
    run: (held: ScheduleLease) => Promise<unknown>,
    firstRun = now,
  ): Promise<string> {
    const due = await this.schedules.next(key, firstRun);
    if (due > now) return due;
    const held = await this.schedules.claim(key, now, following, this.leaseEnd());
    const answered = held && (await run(held));
    return typeof answered === 'string' ? answered : following;
  }

  /**
   * Claims the schedule `key` for a run now, whenever it is next due (an operator's "run
   * now"); undefined while another process runs it.
   */
  protected async claimNow(
    key: string,
    following: (now: string) => string,
  ): Promise<ScheduleLease | undefined> {
    const now = new Date(this.clock.now()).toISOString();
    await this.schedules.next(key, now);
    await this.schedules.moveUp(key, now);
    return this.schedules.claim(key, now, following(now), this.leaseEnd());
  }
}

/** The earlier of two due times (undefined: none yet). */
export const earliest = (a: string | undefined, b: string): string => (a && a < b ? a : b);
