import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { Audience, Label, Order, RuleWarning } from '@ordo/engine';
import type { SimulationJob } from '../simulations/simulation-job-store';
import type { Task } from '../tasks/tasks.repository';

/** A message for people, kept in the notification list and sent live to its audience. */
export interface Notification {
  id: number;
  orderId: string;
  flow: string;
  to: Audience;
  message: Label;
  channels: string[];
  createdAt: string;
}

/** Events published after a transaction commits; the live gateway and the runtime listen. */
export interface DomainEventMap {
  'order.created': { order: Order };
  'order.updated': { order: Order };
  'order.transitioned': {
    order: Order;
    from: string;
    to: string;
    transition: string;
    event?: string;
  };
  'flow.published': { flow: string; version: number };
  /** A simulation job was queued, started, progressed an hour, or finished (no result). */
  'simulation.changed': { simulation: SimulationJob };
  'notification.created': { notification: Notification };
  /** A credential was stored or replaced (caches of its secret are stale). */
  'credential.saved': { name: string; hosts: string[] };
  /**
   * A change wrote outbox rows that are to run (the effect dispatcher wakes); `remote`: told
   * by another process of the cluster (ClusterWake), not to be passed on again.
   */
  'outbox.pending': { remote?: boolean };
  /** A timer was stored that falls due at `at` (the timer poller looks then); `remote` as above. */
  'timers.pending': { at: string; remote?: boolean };
  /** A change that hit warning rules (after its commit). */
  'order.warned': { order: Order; warnings: RuleWarning[] };
  'task.changed': {
    task: Task;
    change: 'opened' | 'claimed' | 'reassigned' | 'closed' | 'escalated';
  };
  /**
   * A person's roles changed, or a person or key was disabled, deleted or revoked: caches of
   * it are stale and its live sockets must leave what it may no longer read (or close).
   */
  'principal.changed': {
    id: string;
    /** Its roles before and after the change. */
    before: string[];
    after: string[];
    /** True when it may no longer sign in at all (disabled, deleted, revoked). */
    closed: boolean;
  };
}

export type DomainEventName = keyof DomainEventMap;

/**
 * In-process bus for committed changes. Publishers call `emit` only after their transaction
 * has committed, so that no listener ever sees a change that could still roll back.
 */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends DomainEventName>(
    name: K,
    listener: (payload: DomainEventMap[K]) => void,
  ): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
