import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DomainEvents } from '../events/domain-events';
import { EffectRunner } from './effect-runner';
import { type ClaimedEffect, OutboxRepository } from './outbox.repository';
import { RuntimeClock } from './runtime-clock';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('effects');

/** How the dispatcher runs: one process (embedded) or several sharing PostgreSQL (cluster). */
export class DispatcherOptions {
  /** Effects run at once by this process. */
  readonly concurrency: number;
  /** Longest sleep between looks at the outbox when nothing wakes the dispatcher. */
  readonly pollMs: number;
  /** Whether other processes share the outbox (then a process never frees others' leases). */
  readonly shared: boolean;
  /** How long a claim holds a row unless renewed; renewed every third of it while running. */
  readonly leaseMs: number;
  /** False in processes that only write (CLI commands): they never claim or release rows. */
  readonly enabled: boolean;

  constructor(options: Partial<DispatcherOptions> = {}) {
    this.concurrency = options.concurrency ?? 32;
    this.pollMs = options.pollMs ?? 1000;
    this.shared = options.shared ?? false;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.enabled = options.enabled ?? true;
  }
}

/**
 * Executes the outbox at least once. Woken by every committed change that wrote effects to run (and by a timer for
 * retries that fall due), it claims due rows under a lease and runs them concurrently. A
 * process that dies leaves `running` rows behind: in embedded mode the next start releases
 * them; with a shared database their leases run out and another process takes them.
 */
@Injectable()
export class EffectDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  /** The attempts under way, by outbox row, with the claim (lease) each holds. */
  private readonly inFlight = new Map<number, { claim: ClaimedEffect; attempt: Promise<void> }>();
  private timer?: NodeJS.Timeout;
  private renewer?: NodeJS.Timeout;
  /** A look at the outbox is scheduled for this turn of the event loop. */
  private scheduled = false;
  /** Slots that claims under way may fill. */
  private reserved = 0;
  /** A sleep's timer is set. */
  private timerArmed = false;
  private stopped = false;
  /** The fewest free slots claimed while attempts run (a quarter of the concurrency). */
  private readonly batch: number;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly runner: EffectRunner,
    private readonly events: DomainEvents,
    private readonly clock: RuntimeClock,
    private readonly options: DispatcherOptions,
  ) {
    this.batch = Math.max(1, Math.floor(options.concurrency / 4));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.enabled) {
      this.stopped = true;
      return;
    }
    if (!this.options.shared) await this.outbox.releaseAll(this.iso(0));
    // Driven from outside (a simulation): drain() runs the due effects, nothing else does.
    if (this.clock.manual) return;
    // Woken only by changes that wrote effects to run (not by every change).
    this.unsubscribe = [this.events.on('outbox.pending', () => this.wake())];
    // A live process keeps its leases; a dead one's run out and other processes take its work.
    this.renewer = setInterval(() => void this.renew(), this.options.leaseMs / 3);
    this.renewer.unref();
    this.wake();
  }

  /** Keeps this process's leases, and frees those a dead process left to run out. */
  private async renew(): Promise<void> {
    try {
      if (this.inFlight.size)
        await this.outbox.renew(
          [...this.inFlight.values()].map((f) => f.claim),
          this.iso(this.options.leaseMs),
        );
      if (await this.outbox.reclaimExpired(this.iso(0))) this.wake();
    } catch (error) {
      if (!this.stopped) log.error(`Effect dispatcher: leases: ${(error as Error).message}`);
    }
  }

  /** Stops claiming and waits for the attempts under way. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.renewer);
    for (const off of this.unsubscribe) off();
    await Promise.allSettled([...this.inFlight.values()].map((f) => f.attempt));
  }

  /**
   * Runs every effect due now, one at a time in outbox order, until none is due (effects that
   * write more effects included); returns how many ran. Only for a manually driven clock: the
   * order of calls to other systems, and so their answers, is then the same on every run.
   */
  async drain(): Promise<number> {
    if (!this.clock.manual) throw new Error('drain() is for a manually driven clock');
    let ran = 0;
    while (!this.stopped) {
      const [effect] = await this.outbox.claim(this.iso(0), this.iso(this.options.leaseMs), 1);
      if (!effect) return ran;
      await this.runner.run(effect);
      ran++;
    }
    return ran;
  }

  /**
   * Looks at the outbox soon: once per turn of the event loop however many wakes (commits,
   * finished attempts) came in it. A claim already under way does not hold the next one back:
   * slots freed meanwhile are claimed at once, beside it (its own slots stay reserved).
   */
  wake(): void {
    if (this.stopped || this.clock.manual || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.tick();
    });
  }

  private iso(offsetMs: number): string {
    return new Date(this.clock.now() + offsetMs).toISOString();
  }

  private async tick(): Promise<void> {
    const room = this.options.concurrency - this.inFlight.size - this.reserved;
    if (room <= 0 || this.stopped) return;
    // While attempts run (each wakes the dispatcher as it ends), slots are claimed a batch at
    // a time, not one claim statement per attempt that ended: under a backlog that is most of
    // the claims' cost. Idle, whatever room there is is claimed at once.
    if (room < this.batch && this.inFlight.size + this.reserved > 0) return;
    this.reserved += room;
    let full = false;
    try {
      const claimed = await this.outbox.claim(this.iso(0), this.iso(this.options.leaseMs), room);
      for (const effect of claimed) this.start(effect);
      full = claimed.length === room;
    } catch (error) {
      if (!this.stopped) log.error(`Effect dispatcher: ${(error as Error).message}`);
    } finally {
      this.reserved -= room;
      // A full claim may have left more due rows: look again. Otherwise sleep until the next
      // retry falls due; while attempts are under way their ends wake the dispatcher, and a
      // look every `pollMs` at least finds what they do not (others' work, a retry due).
      if (full) this.wake();
      else this.sleep(this.inFlight.size > 0 || this.reserved > 0);
    }
  }

  private start(effect: ClaimedEffect): void {
    const attempt = this.runner
      .run(effect)
      .catch((error) => log.error(`Effect ${effect.idempotencyKey}: ${(error as Error).message}`))
      .finally(() => {
        this.inFlight.delete(effect.id);
        this.wake();
      });
    this.inFlight.set(effect.id, { claim: effect, attempt });
  }

  /**
   * Sleeps until the next retry falls due, or `pollMs` at most (also when the database fails).
   * `busy` (attempts under way, each waking it at its end): a look in `pollMs` is enough, and
   * the outbox is not read for it.
   */
  private sleep(busy: boolean): void {
    if (this.stopped || (busy && this.timerArmed)) return;
    const wakeIn = (ms: number) => {
      if (this.stopped) return;
      clearTimeout(this.timer);
      this.timerArmed = true;
      this.timer = setTimeout(
        () => {
          this.timerArmed = false;
          this.wake();
        },
        Math.max(0, Math.min(ms, this.options.pollMs)),
      );
      this.timer.unref();
    };
    if (busy) return wakeIn(this.options.pollMs);
    this.outbox.nextDue().then(
      (at) => wakeIn(at ? Date.parse(at) - this.clock.now() : this.options.pollMs),
      () => wakeIn(this.options.pollMs),
    );
  }
}
