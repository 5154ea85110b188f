import type { Flow } from '@ordo/engine';
import { actorKind } from '@ordo/engine';
import type { Db } from '../database/db';
import type { StoredHistoryEntry } from '../orders/orders.repository';
import type { OrdersService } from '../orders/orders.service';

/** One state entry of an order's journey: what every event-log format is made of. */
export interface LogEntry {
  /** The order's reference (its external reference, or its id). */
  reference: string;
  orderId: string;
  state: string;
  event: string | null;
  at: string;
  actor: string;
  /** Whether the system (a connector answer, webhook or timer) or a person made the change. */
  by: 'system' | 'person';
  customer: string | null;
  channel: string;
}

/** An order with the entries of its journey, in time order. */
export interface LoggedOrder {
  id: string;
  reference: string;
  customer: string | null;
  channel: string;
  state: string;
  data: Record<string, unknown>;
  entries: LogEntry[];
}

const PAGE = 500;

/** Whether a stored history entry brings the order into a state. */
export const entersState = (e: StoredHistoryEntry) =>
  e.kind === 'created' ||
  e.kind === 'imported' ||
  e.kind === 'transition' ||
  (e.kind === 'migrated' && e.from !== e.to);

/**
 * The flow's orders with their state entries, page by page (keyset over creation time), so an
 * export of any size streams in constant memory.
 */
export async function* loggedOrders(
  db: Db,
  orders: OrdersService,
  flow: Flow,
): AsyncGenerator<LoggedOrder[]> {
  let after = { at: '', id: '' };
  for (;;) {
    const rows = await db.query(
      `SELECT id, external_ref, customer, channel, state, data, created_at FROM orders
       WHERE flow_key = ? AND (created_at > ? OR (created_at = ? AND id > ?))
       ORDER BY created_at, id LIMIT ${PAGE}`,
      [flow.key, after.at, after.at, after.id],
    );
    if (!rows.length) return;
    const histories = await orders.histories(rows.map((r) => r.id as string));
    yield rows.map((r) => {
      const id = r.id as string;
      const reference = (r.external_ref as string | null) ?? id;
      const customer = (r.customer as string | null) ?? null;
      const channel = r.channel as string;
      return {
        id,
        reference,
        customer,
        channel,
        state: r.state as string,
        data: JSON.parse(r.data as string),
        entries: (histories.get(id) ?? []).filter(entersState).map((e) => ({
          reference,
          orderId: id,
          state: e.to,
          event: e.event ?? null,
          at: e.at,
          actor: e.actor.id,
          by: actorKind(e.actor),
          customer,
          channel,
        })),
      };
    });
    const last = rows[rows.length - 1];
    after = { at: last.created_at as string, id: last.id as string };
    if (rows.length < PAGE) return;
  }
}
