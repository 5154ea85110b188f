import type { OrderSource } from '../intake/order-source';
import type { DataSets } from '../rules/data-sets';
import type { TimerKind } from './effect';

/**
 * Where a change comes from: a `person` (a signed-in user or an API key, with roles) or the
 * `system` (a connector's answer, an inbound webhook, a timer or schedule, reconciliation).
 */
export type ActorKind = 'person' | 'system';

/**
 * Who fires an event or changes an order. `admin` may fire any transition a person may.
 * Field and transition ownership (`writableBy`, `source: "system"`) is checked for people
 * only; an actor without `kind` is a person. System actors also carry the role `system`, so
 * history rows written before `kind` existed still read as the system.
 */
export interface Actor {
  id: string;
  roles: string[];
  kind?: ActorKind;
}

/**
 * Everything impure the engine needs, passed in: the clock, the actor, and the id of an order
 * being created. The engine never reads a clock or makes ids itself.
 */
export interface EngineContext {
  /** The current time, ISO-8601 UTC. */
  now: string;
  actor: Actor;
  /** Id of the order being created (`create` only). */
  id?: string;
  /** The reference data its rules' `lookup` reads (rules/data-sets.ts); none when absent. */
  dataSets?: DataSets;
}

/** The order data: the values of the flow's fields. */
export type OrderData = Record<string, unknown>;

/** An order as the engine sees it. The server stores exactly this. */
export interface Order {
  id: string;
  /** Key of the flow that runs the order. */
  flow: string;
  /** The published flow version the order is pinned to. */
  flowVersion: number;
  state: string;
  data: OrderData;
  /** Grows by one with every change (create = 1). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An event fired on an order, by a person, a connector answer, a webhook or a timer. */
export interface OrderEvent {
  type: string;
  payload?: unknown;
  /** The external system the change came from: it is not told of it again (no echo). */
  source?: string;
}

/** A timer that fell due, as the runtime stored it from its `timer.start` effect. */
export interface DueTimer {
  timer: string;
  /** Absent on timers recorded before kinds were a field: `timerKind` reads the id's prefix. */
  kind?: TimerKind;
  state: string;
  at: string;
  since?: string;
}

/** What a history entry records. */
export type HistoryKind = 'created' | 'transition' | 'updated' | 'timer';

/** One append-only history entry. Its `version` is the order's version after the change. */
export interface HistoryEntry {
  kind: HistoryKind;
  version: number;
  at: string;
  actor: Actor;
  /** The state before (null on create). */
  from: string | null;
  /** The state after. */
  to: string;
  /** The transition taken (kind `transition`). */
  transition?: string;
  /** The event that fired it (absent for auto transitions and data updates). */
  event?: string;
  /** The event payload (transition), the merge patch (update) or the timer (timer). */
  payload?: unknown;
  /** The version of each data set the change's rules read, by name (so a replay reads the same). */
  dataSets?: Readonly<Record<string, number>>;
  /** Where the order came from (creation; set by the server's intake, never by the engine). */
  source?: OrderSource;
}
