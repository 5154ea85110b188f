import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DomainEvents } from '../events/domain-events';
import { runtimeLog } from '../logging/runtime-log';
import { DispatcherOptions } from './effect-dispatcher';

const log = runtimeLog('cluster-wake');

/** The Redis channel on which processes of one cluster wake each other. */
export const WAKE_CHANNEL = 'ordo:wake';

/** At most one publish of each kind per this many ms (the last wake of a burst still goes). */
export const WAKE_COALESCE_MS = 5;

/** What a wake message says: outbox work to claim, or a timer due at `at`. */
type Wake = { from: string; kind: 'outbox' } | { from: string; kind: 'timers'; at: string };

/**
 * Carries the wake-ups of committed changes (`outbox.pending`, `timers.pending`) to the other
 * processes of a cluster through Redis, so that work one process writes is claimed by an idle
 * other at once rather than at its next poll. Publishes are coalesced (a leading one, and a
 * trailing one if more came within WAKE_COALESCE_MS); a message from another process is
 * re-emitted here as a remote wake, which is not published again. Embedded mode (no Redis)
 * has nothing to wake. Processes that only write (CLI commands) publish but do not listen.
 */
@Injectable()
export class ClusterWake implements OnModuleInit, OnApplicationShutdown {
  private readonly id = randomUUID();
  private pub?: Redis;
  private sub?: Redis;
  private unsubscribe: (() => void)[] = [];
  /** Per kind: the coalescing window is open, and whether a trailing publish is owed. */
  private readonly windows = new Map<string, { timer: NodeJS.Timeout; owed?: Wake }>();

  constructor(
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
    private readonly events: DomainEvents,
    private readonly options: DispatcherOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const url = this.config.redisUrl;
    if (!url) return;
    this.pub = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000 });
    // ioredis reconnects by itself; meanwhile the others find the work at their next poll.
    this.pub.on('error', (error: Error) => log.warn(`publisher: ${error.message}`));
    this.unsubscribe.push(
      this.events.on('outbox.pending', (e) => {
        if (!e.remote) this.publish({ from: this.id, kind: 'outbox' });
      }),
      this.events.on('timers.pending', (e) => {
        if (!e.remote) this.publish({ from: this.id, kind: 'timers', at: e.at });
      }),
    );
    if (!this.options.enabled) return;
    this.sub = this.pub.duplicate();
    this.sub.on('error', (error: Error) => log.warn(`subscriber: ${error.message}`));
    this.sub.on('message', (_channel: string, message: string) => this.received(message));
    await this.sub.subscribe(WAKE_CHANNEL);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const off of this.unsubscribe) off();
    // The last wake of a burst still goes (a CLI import's, say), then the connections close.
    for (const w of this.windows.values()) {
      clearTimeout(w.timer);
      if (w.owed) this.send(w.owed);
    }
    this.windows.clear();
    await Promise.all(
      [this.pub, this.sub].map(async (c) => {
        if (c?.status === 'ready') await c.quit().catch(() => c.disconnect());
        else c?.disconnect();
      }),
    );
  }

  private publish(wake: Wake): void {
    // Timers of different due times are separate wakes only when they differ: the earliest
    // of a window is the one that matters (a later one is found after it).
    const window = this.windows.get(wake.kind);
    if (window) {
      const owed = window.owed;
      if (!owed || wake.kind !== 'timers' || owed.kind !== 'timers' || wake.at < owed.at)
        window.owed = wake;
      return;
    }
    this.send(wake);
    const timer = setTimeout(() => {
      const owed = this.windows.get(wake.kind)?.owed;
      this.windows.delete(wake.kind);
      if (owed) this.publish(owed);
    }, WAKE_COALESCE_MS);
    timer.unref();
    this.windows.set(wake.kind, { timer });
  }

  private send(wake: Wake): void {
    this.pub
      ?.publish(WAKE_CHANNEL, JSON.stringify(wake))
      .catch((error: Error) => log.warn(`publish: ${error.message}`));
  }

  private received(message: string): void {
    let wake: Wake;
    try {
      wake = JSON.parse(message) as Wake;
    } catch {
      return;
    }
    if (wake.from === this.id) return;
    if (wake.kind === 'outbox') this.events.emit('outbox.pending', { remote: true });
    else if (wake.kind === 'timers' && typeof wake.at === 'string')
      this.events.emit('timers.pending', { at: wake.at, remote: true });
  }
}
