import { FakeSystem, Invalid, type Knobs, need } from '../fake-system';
import { type HookTarget, hookRoute, signDelivery } from './status-system';

interface Line {
  sku: string;
  qty: number;
  bin?: string;
}

/** Every SKU starts with stock in two primary bins. */
const initialBins = () => [
  { bin: 'P-01', available: 1000 },
  { bin: 'P-02', available: 500 },
];

function lines(body: Record<string, unknown>): Line[] {
  // One SKU may be reserved without a list: `{ orderId, sku, qty }`.
  if (body.lines === undefined && body.sku !== undefined)
    return [{ sku: need.string(body, 'sku'), qty: need.number(body, 'qty', 1) }];
  const raw = body.lines;
  if (!Array.isArray(raw) || !raw.length)
    throw new Invalid('lines', 'lines must be a non-empty array');
  return raw.map((l, i) => {
    const line = l as Record<string, unknown>;
    if (typeof line.sku !== 'string' || typeof line.qty !== 'number' || line.qty < 1)
      throw new Invalid(`lines/${i}`, 'each line needs a sku and a qty ≥ 1');
    return { sku: line.sku, qty: line.qty, ...(typeof line.bin === 'string' && { bin: line.bin }) };
  });
}

type PickStatus = 'released' | 'picked' | 'packed' | 'cancelled';
export interface PickList {
  pickId: string;
  orderId: string;
  reservationId: string;
  status: PickStatus;
  parcels?: number;
}
/** The step a pick list takes from each status. */
const NEXT: Record<string, { from: PickStatus; to: PickStatus }> = {
  picked: { from: 'released', to: 'picked' },
  packed: { from: 'picked', to: 'packed' },
};

/**
 * WMS: stock by SKU and bin; reservations that really take stock, and their release; pick
 * lists for reserved stock that the warehouse picks and packs, each step reported to Ordo by
 * a signed webhook.
 */
export const createWms = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'wms',
    () => ({
      stock: new Map<string, { bin: string; available: number }[]>(),
      reservations: new Map<
        string,
        { orderId: string; taken: { sku: string; bin: string; qty: number }[] }
      >(),
      next: 1,
      picks: new Map<string, PickList>(),
      hook: undefined as HookTarget | undefined,
      deliveries: 0,
    }),
    [
      {
        method: 'GET',
        path: '/stock/:sku',
        handle: ({ params }, state) => ({
          json: { sku: params.sku, bins: state.stock.get(params.sku) ?? initialBins() },
        }),
      },
      {
        method: 'POST',
        path: '/reservations',
        handle: ({ body }, state) => {
          const orderId = need.string(body, 'orderId');
          const wanted = lines(body);
          const taken: { sku: string; bin: string; qty: number }[] = [];
          // Check everything first: a reservation is all or nothing.
          const plan = new Map<string, { bin: string; available: number }[]>();
          for (const line of wanted) {
            const bins =
              plan.get(line.sku) ?? structuredClone(state.stock.get(line.sku) ?? initialBins());
            plan.set(line.sku, bins);
            let left = line.qty;
            for (const bin of bins.filter((b) => !line.bin || b.bin === line.bin)) {
              const take = Math.min(left, bin.available);
              if (!take) continue;
              bin.available -= take;
              left -= take;
              taken.push({ sku: line.sku, bin: bin.bin, qty: take });
              if (!left) break;
            }
            if (left) return { status: 409, json: { error: 'insufficient_stock', sku: line.sku } };
          }
          for (const [sku, bins] of plan) state.stock.set(sku, bins);
          const reservationId = `R-${state.next++}`;
          state.reservations.set(reservationId, { orderId, taken });
          return { status: 201, json: { reservationId, orderId, lines: taken } };
        },
      },
      {
        method: 'DELETE',
        path: '/reservations/:id',
        handle: ({ params }, state) => {
          const reservation = state.reservations.get(params.id);
          if (!reservation) return { status: 404, json: { error: 'unknown_reservation' } };
          for (const t of reservation.taken) {
            const bins = state.stock.get(t.sku)!;
            bins.find((b) => b.bin === t.bin)!.available += t.qty;
          }
          state.reservations.delete(params.id);
          // Its pick lists are void: the warehouse stops picking them (a scan is refused).
          for (const pick of state.picks.values())
            if (pick.reservationId === params.id) pick.status = 'cancelled';
          return { status: 204 };
        },
      },
      {
        method: 'GET',
        path: '/reservations/:id',
        handle: ({ params }, state) => {
          const reservation = state.reservations.get(params.id);
          return reservation
            ? { json: { reservationId: params.id, ...reservation } }
            : { status: 404, json: { error: 'unknown_reservation' } };
        },
      },
      {
        method: 'POST',
        path: '/picks',
        handle: ({ body }, state) => {
          const orderId = need.string(body, 'orderId');
          const reservationId = need.string(body, 'reservationId');
          const reservation = state.reservations.get(reservationId);
          if (!reservation) return { status: 404, json: { error: 'unknown_reservation' } };
          const pick: PickList = {
            pickId: `PK-${state.next++}`,
            orderId,
            reservationId,
            status: 'released',
          };
          state.picks.set(pick.pickId, pick);
          return { status: 201, json: { ...pick, lines: reservation.taken } };
        },
      },
      {
        method: 'GET',
        path: '/picks/:id',
        handle: ({ params }, state) => {
          const pick = state.picks.get(params.id);
          return pick ? { json: pick } : { status: 404, json: { error: 'unknown_pick' } };
        },
      },
      {
        // The warehouse's scanners: a pick list picked, then packed; Ordo hears each step.
        method: 'POST',
        path: '/picks/:id/:step',
        handle: async ({ params, body }, state) => {
          const pick = state.picks.get(params.id);
          const step = NEXT[params.step];
          if (!pick || !step) return { status: 404, json: { error: 'unknown_pick' } };
          if (pick.status !== step.from)
            return {
              status: 409,
              json: { error: 'wrong_step', status: pick.status, needed: step.from },
            };
          if (step.to === 'packed') pick.parcels = need.number(body, 'parcels', 1);
          pick.status = step.to;
          if (!state.hook) return { json: { pick } };
          const payload = JSON.stringify({ event: step.to, ...pick });
          const delivery = `wms-${++state.deliveries}`;
          const response = await fetch(state.hook.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...signDelivery(state.hook.secret, delivery, payload, Math.floor(Date.now() / 1000)),
            },
            body: payload,
          });
          return { json: { pick, delivery, status: response.status } };
        },
      },
      hookRoute(),
      {
        // Goods received into a bin (a simulation's daily replenishment).
        method: 'POST',
        path: '/_test/goods-in',
        handle: ({ body }, state) => {
          const sku = need.string(body, 'sku');
          const bin = need.string(body, 'bin');
          const qty = need.number(body, 'qty', 1);
          const bins = state.stock.get(sku) ?? initialBins();
          const found = bins.find((b) => b.bin === bin);
          if (found) found.available += qty;
          else bins.push({ bin, available: qty });
          state.stock.set(sku, bins);
          return { json: { sku, bins } };
        },
      },
    ],
    knobs,
  );
