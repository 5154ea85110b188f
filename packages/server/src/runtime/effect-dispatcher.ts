import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DomainEvents } from '../events/domain-events';
import { EffectRunner } from './effect-runner';
import { type ClaimedEffect, OutboxRepository } from './outbox.repository';
import { RuntimeClock } from './runtime-clock';

/** How the dispatcher runs: one process (embedded) or several sharing PostgreSQL (cluster). */
export class DispatcherOptions {
  constructor(
    /** Effects run at once by this process. */
    readonly concurrency = 32,
    /** Longest sleep between looks at the outbox when nothing wakes the dispatcher. */
    readonly pollMs = 1000,
    /** Whether other processes share the outbox (then a process never frees others' leases). */
    readonly shared = false,
  ) {}
}

/**
 * How long a claim holds a row. Longer than any sensible attempt timeout, so a slow attempt is
 * not taken twice; short enough that a dead process's work resumes within minutes.
 */
const LEASE_MS = 120_000;

/**
 * Executes the outbox at least once. Woken by every committed change (and by a timer for
 * retries that fall due), it claims due rows under a lease and runs them concurrently. A
 * process that dies leaves `running` rows behind: in embedded mode the next start releases
 * them; with a shared database their leases run out and another process takes them.
 */
@Injectable()
export class EffectDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly runner: EffectRunner,
    private readonly events: DomainEvents,
    private readonly clock: RuntimeClock,
    private readonly options: DispatcherOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.shared) await this.outbox.releaseAll(this.iso(0));
    const wake = () => this.wake();
    this.unsubscribe = [
      this.events.on('order.created', wake),
      this.events.on('order.updated', wake),
      this.events.on('order.transitioned', wake),
    ];
    this.wake();
  }

  /** Stops claiming and waits for the attempts under way. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const off of this.unsubscribe) off();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks at the outbox soon (coalesced: many wakes, one look). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    setImmediate(() => void this.tick());
  }

  private iso(offsetMs: number): string {
    return new Date(this.clock.now() + offsetMs).toISOString();
  }

  private async tick(): Promise<void> {
    try {
      this.again = false;
      const room = this.options.concurrency - this.inFlight.size;
      if (room > 0 && !this.stopped) {
        const claimed = await this.outbox.claim(this.iso(0), this.iso(LEASE_MS), room);
        for (const effect of claimed) this.start(effect);
        if (claimed.length === room) this.again = true;
      }
    } catch (error) {
      if (!this.stopped) console.error(`Effect dispatcher: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
      if (this.again) this.wake();
      else this.sleep();
    }
  }

  private start(effect: ClaimedEffect): void {
    const attempt = this.runner
      .run(effect)
      .catch((error) =>
        console.error(`Effect ${effect.idempotencyKey}: ${(error as Error).message}`),
      )
      .finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
    this.inFlight.add(attempt);
  }

  /** Sleeps until the next retry falls due, or `pollMs` at most. */
  private sleep(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    void this.outbox
      .nextDue()
      .then((at) => {
        const until = at ? Date.parse(at) - this.clock.now() : this.options.pollMs;
        if (this.stopped) return;
        this.timer = setTimeout(
          () => this.wake(),
          Math.max(0, Math.min(until, this.options.pollMs)),
        );
        this.timer.unref();
      })
      .catch(() => undefined);
  }
}
