import { FakeSystem, Invalid, type Knobs, need } from '../fake-system';

const DAILY_CAPACITY = 1000;
const day = (from: string, offset: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * Production schedule: capacity per line and day; bookings that fill it, each issued the shop
 * floor's work order number.
 */
export const createProduction = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'production',
    () => ({ booked: new Map<string, number>(), next: 1, workOrders: new Map<string, number>() }),
    [
      {
        method: 'GET',
        path: '/capacity',
        handle: ({ query }, state) => {
          const line = query.get('line') ?? 'L1';
          const from = query.get('from') ?? '';
          const days = Number(query.get('days') ?? 7);
          if (!/^\d{4}-\d{2}-\d{2}$/.test(from))
            throw new Invalid('from', 'from must be YYYY-MM-DD');
          if (!Number.isInteger(days) || days < 1 || days > 90)
            throw new Invalid('days', 'days must be 1 to 90');
          return {
            json: {
              line,
              days: Array.from({ length: days }, (_, i) => {
                const date = day(from, i);
                const booked = state.booked.get(`${line}|${date}`) ?? 0;
                return { date, capacity: DAILY_CAPACITY, booked, free: DAILY_CAPACITY - booked };
              }),
            },
          };
        },
      },
      {
        method: 'POST',
        path: '/bookings',
        handle: ({ body }, state) => {
          const orderId = need.string(body, 'orderId');
          const line = need.string(body, 'line');
          const date = need.string(body, 'date');
          const qty = need.number(body, 'qty', 1);
          const key = `${line}|${date}`;
          const booked = state.booked.get(key) ?? 0;
          if (booked + qty > DAILY_CAPACITY)
            return { status: 409, json: { error: 'line_full', free: DAILY_CAPACITY - booked } };
          state.booked.set(key, booked + qty);
          // The shop floor's work order number: a counter per year, never issued twice.
          const year = date.slice(0, 4);
          const n = (state.workOrders.get(year) ?? 0) + 1;
          state.workOrders.set(year, n);
          const workOrderNo = `WO-${year}-${String(n).padStart(6, '0')}`;
          return {
            status: 201,
            json: { bookingId: `B-${state.next++}`, workOrderNo, orderId, line, date, qty },
          };
        },
      },
    ],
    knobs,
  );
