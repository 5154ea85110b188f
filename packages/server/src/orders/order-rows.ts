// The rows a change writes, as positional values in the column order of order-tables.ts —
// one definition for the row-by-row statements and for PostgreSQL's batched ones.
import { actorKind, type Actor, type Order, SYSTEM_ROLE } from '@ordo/engine';
import type { OrderColumns, StoredHistoryEntry } from './order-types';
import type { StoredEffect } from '../webhooks/state-change-feed';

/**
 * What caused a change, recorded with it: an inbound delivery (`hook_deliveries`), so that a
 * delivery is applied once — its key is unique — and a repeat gets the recorded answer.
 */
export interface Receipt {
  key: string;
  flow: string;
  trigger: string;
  status: number;
  answer: Record<string, unknown>;
  at: string;
}

/** A receipt's row; its answer carries the order as written (id, state, version). */
export const receiptRows = (
  receipt: Receipt | undefined,
  order: Pick<Order, 'id' | 'state' | 'version'>,
): unknown[][] =>
  receipt
    ? [
        [
          receipt.key,
          receipt.flow,
          receipt.trigger,
          receipt.status,
          JSON.stringify({
            ...receipt.answer,
            orderId: order.id,
            state: order.state,
            version: order.version,
          }),
          receipt.at,
        ],
      ]
    : [];

export const orderRow = (order: Order, columns: OrderColumns): unknown[] => [
  order.id,
  order.flow,
  order.flowVersion,
  order.state,
  JSON.stringify(order.data),
  order.version,
  columns.customer,
  columns.channel,
  columns.externalRef,
  columns.searchText,
  order.createdAt,
  order.updatedAt,
];

/**
 * The roles a history row stores: a system actor's always include `system` and a person's
 * never do, so the row's kind reads back from its roles alone (`actorKind`).
 */
const storedRoles = (actor: Actor): string[] =>
  actorKind(actor) === 'system'
    ? [...new Set([...actor.roles, SYSTEM_ROLE])]
    : actor.roles.filter((r) => r !== SYSTEM_ROLE);

export const historyRows = (orderId: string, entries: readonly StoredHistoryEntry[]): unknown[][] =>
  entries.map((h) => [
    orderId,
    h.version,
    h.kind,
    h.event ?? null,
    h.transition ?? null,
    h.from,
    h.to,
    h.actor.id,
    JSON.stringify(storedRoles(h.actor)),
    h.payload === undefined ? null : JSON.stringify(h.payload),
    h.at,
    h.dataSets === undefined ? null : JSON.stringify(h.dataSets),
    h.source === undefined ? null : JSON.stringify(h.source),
  ]);

/**
 * Outbox rows, keyed (order, history version, index among that version's effects). Effects
 * `idle` says need no work (an `emit` nobody subscribes to) are written already done.
 */
export function outboxRows(
  orderId: string,
  effects: readonly StoredEffect[],
  now: string,
  idle: (effect: StoredEffect) => boolean = () => false,
): unknown[][] {
  const seen = new Map<number, number>();
  return effects.map((effect) => {
    const index = seen.get(effect.version) ?? 0;
    seen.set(effect.version, index + 1);
    return [
      orderId,
      effect.version,
      index,
      `${orderId}:${effect.version}:${index}`,
      effect.type,
      JSON.stringify(effect),
      idle(effect) ? 'done' : 'pending',
      0,
      now,
      now,
    ];
  });
}

/** A change's conditional update, in ORDER_UPDATE's columns. */
export const updateRow = (
  order: Order,
  expectedVersion: number,
  columns: Pick<OrderColumns, 'customer' | 'searchText'>,
): unknown[] => [
  order.flowVersion,
  order.state,
  JSON.stringify(order.data),
  order.version,
  columns.customer,
  columns.searchText,
  order.updatedAt,
  order.id,
  expectedVersion,
];

/** How a claimed outbox row is settled, with the lease of the claim that holds it. */
export interface Settlement {
  id: number;
  lease: string;
  status: 'done' | 'dead';
  result: unknown;
  error: string | null;
  at: string;
}

/** SETTLE_IF_LEASED's values. */
export const settleParams = (s: Settlement): unknown[] => [
  s.status,
  JSON.stringify(s.result ?? null),
  s.error,
  s.at,
  s.id,
  s.lease,
];

/** A settlement's row in OUTBOX_SETTLE's columns (none without one). */
export const settleRows = (orderId: string, s: Settlement | undefined): unknown[][] =>
  s ? [[orderId, s.id, s.lease, s.status, JSON.stringify(s.result ?? null), s.error, s.at]] : [];
