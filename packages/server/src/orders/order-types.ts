import type { HistoryEntry, Order } from '@ordo/engine';

/** Columns beside the order's data that lists filter on. */
export interface OrderColumns {
  customer: string | null;
  channel: string;
  externalRef: string | null;
  searchText: string;
}

/** A stored order: the engine's order plus where it came from. */
export type StoredOrder = Order & { channel: string; externalRef: string | null };

/**
 * A stored history entry: the engine's, or one the server wrote — a migration to another
 * version (`migrated`), or the first state entry of an order imported from an event log
 * (`imported`, in place of `created`).
 */
export interface StoredHistoryEntry extends Omit<HistoryEntry, 'kind'> {
  kind: HistoryEntry['kind'] | 'migrated' | 'imported';
}
