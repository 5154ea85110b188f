import { FakeSystem, Invalid, type Knobs, need } from '../fake-system';

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

/** WMS: stock by SKU and bin; reservations that really take stock, and their release. */
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
          return { status: 204 };
        },
      },
    ],
    knobs,
  );
