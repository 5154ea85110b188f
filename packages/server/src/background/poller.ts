import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { RuntimeClock } from '../runtime/runtime-clock';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('poller');

/**
 * A background loop over a table of due work (timers, webhook deliveries, schedules): it
 * sleeps until the next item falls due (at most `pollMs`, so work written by other processes
 * is seen), takes a batch, and works it. `wake()` looks again at once.
 */
export abstract class Poller implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  /** When the armed timer looks again (ms since the epoch, the clock's time). */
  private nextLook = Infinity;
  private running?: Promise<void>;
  private again = false;
  protected stopped = false;

  constructor(
    protected readonly clock: RuntimeClock,
    private readonly pollMs: number,
    private readonly enabled: boolean,
  ) {}

  /** Works what is due now; returns when the next item falls due, if known. */
  protected abstract work(now: string): Promise<string | undefined>;

  /** Name for error messages. */
  protected abstract readonly name: string;

  onApplicationBootstrap(): void {
    if (!this.enabled) this.stopped = true;
    else if (!this.clock.manual) this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Looks for due work now (coalesced while a look is under way). */
  wake(): void {
    // Driven from outside (a simulation): only drain() works, at the moment it is called.
    if (this.stopped || this.clock.manual) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.nextLook = Infinity;
    this.running = this.tick().finally(() => (this.running = undefined));
  }

  /**
   * Work was written that falls due at `at` (a timer another change stored): looks then if
   * that is before the next look already set. A look under way may have read the table before
   * it was written: it looks once more.
   */
  wakeBy(at: string): void {
    if (this.stopped || this.clock.manual) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const due = Date.parse(at);
    if (!(due < this.nextLook)) return;
    clearTimeout(this.timer);
    this.arm(due - this.clock.now());
  }

  /** Works until nothing is due; resolves when done (tests drive time with this). */
  async drain(): Promise<void> {
    await this.running;
    if (this.clock.manual && !this.stopped)
      this.running = this.tick().finally(() => (this.running = undefined));
    else this.wake();
    await this.running;
  }

  private async tick(): Promise<void> {
    let next: string | undefined;
    try {
      do {
        this.again = false;
        next = await this.work(new Date(this.clock.now()).toISOString());
      } while (this.again && !this.stopped);
    } catch (error) {
      if (!this.stopped) log.error(`${this.name}: ${(error as Error).message}`);
    }
    if (this.stopped || this.clock.manual) return;
    this.arm(next ? Date.parse(next) - this.clock.now() : this.pollMs);
  }

  private arm(wait: number): void {
    const ms = Math.max(0, Math.min(wait, this.pollMs));
    this.nextLook = this.clock.now() + ms;
    this.timer = setTimeout(() => {
      this.nextLook = Infinity;
      this.wake();
    }, ms);
    this.timer.unref();
  }
}
