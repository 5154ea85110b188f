import { FakeSystem, type Knobs } from '../fake-system';
import { invoicingRoutes, invoicingState } from './erp-invoices';

/** One order as the ERP keeps it: its number, customer and lines. */
export interface ErpOrder {
  number: string;
  customer: string;
  lines: { code: string; quantity: number }[];
}

/**
 * ERP: new orders since a cursor, paged — `GET /orders?since=<seq>&limit=<n>` answers
 * `{ items, next }` (`next`: the cursor after this page, null when nothing follows). Orders are
 * added with `POST /orders`; `POST /orders/_corrupt` makes the next page unreadable once. It
 * also invoices shipped orders Ordo asks it to (erp-invoices.ts).
 */
export const createErp = (knobs?: Partial<Knobs>) => {
  const system: FakeSystem<ErpState> = new FakeSystem<ErpState>(
    'erp',
    erpState,
    [
      {
        method: 'GET',
        path: '/orders',
        handle: ({ query }, state) => {
          state.pages++;
          if (state.corrupt) {
            state.corrupt = false;
            return { json: { items: 'temporarily unavailable', next: null } };
          }
          const since = Number(query.get('since') ?? 0);
          const limit = Math.min(Number(query.get('limit') ?? 2), 100);
          const items = state.orders.slice(since, since + limit);
          const end = since + items.length;
          return {
            json: {
              items,
              next: end < state.orders.length ? String(end) : items.length ? String(end) : null,
            },
          };
        },
      },
      {
        method: 'POST',
        path: '/orders/_corrupt',
        handle: (_request, state) => {
          state.corrupt = true;
          return { json: { corrupt: true } };
        },
      },
      {
        method: 'POST',
        path: '/orders',
        handle: ({ body }, state) => {
          state.orders.push(body as unknown as ErpOrder);
          return { status: 201, json: { seq: state.orders.length } };
        },
      },
      ...invoicingRoutes<ErpState>(() => system.currentKnobs),
    ],
    knobs,
  );
  return system;
};

type ErpState = ReturnType<typeof erpState>;
const erpState = () => ({
  orders: [] as ErpOrder[],
  corrupt: false,
  pages: 0,
  ...invoicingState(),
});
