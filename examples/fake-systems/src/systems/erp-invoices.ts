import type { FakeAnswer, FakeRequest, Knobs, Route } from '../fake-system';
import { need } from '../fake-system';
import {
  client,
  type HookTarget,
  hookRoute,
  signDelivery,
  subscriptionRoute,
} from './status-system';

/** An invoice the ERP was asked for, issued once due. */
export interface ErpInvoice {
  /** Ordo's order id and reference, from the `invoice.requested` delivery. */
  orderId: string;
  externalRef?: string;
  amount?: number;
  /** When it is issued and reported (Unix seconds of the sender's clock). */
  dueAt: number;
  number?: string;
  /** When Ordo took the report (2xx); until then it is reported again at each tick. */
  reportedAt?: number;
  /** Ordo refused the report (4xx): the ERP gives up on it, as a real one logs and stops. */
  refusedStatus?: number;
}

export interface InvoicingState {
  /** The secret of Ordo's webhook subscription to the ERP (`POST /_test/subscription`). */
  subscriptionSecret?: string;
  /** Where it reports invoices: an Ordo inbound webhook and its secret (`POST /_test/hook`). */
  hook?: HookTarget;
  /** Every delivery id taken once (Ordo re-sends a delivery until it is answered 2xx). */
  seen: Set<string>;
  invoices: ErpInvoice[];
  issued: number;
}

export const invoicingState = (): InvoicingState => ({ seen: new Set(), invoices: [], issued: 0 });

/**
 * The ERP invoicing shipped orders as a real one does: Ordo's `invoice.requested` deliveries
 * (its webhook subscription, verified by Standard Webhooks) are queued, each issued
 * `invoiceMinutes` after the delivery's own timestamp — the sender's clock, so a simulation's
 * virtual time — and reported to Ordo as a signed webhook `{ event: "invoiced", orderId,
 * invoiceNo, amount }`. Nothing runs by itself: `POST /_test/tick { at }` (Unix seconds) issues
 * and reports what is due by `at`, which a simulation calls at each step of its clock.
 */
export function invoicingRoutes<S extends InvoicingState>(
  knobs: () => Readonly<Knobs>,
): Route<S>[] {
  return [
    {
      method: 'POST',
      path: '/events',
      handle: (request, state) => requested(request, state, knobs()),
    },
    subscriptionRoute<S>(),
    hookRoute<S>(),
    {
      method: 'POST',
      path: '/_test/tick',
      handle: ({ body }, state) => tick(state, need.number(body, 'at')),
    },
    {
      method: 'GET',
      path: '/invoices',
      handle: (_request, state) => ({ json: { items: state.invoices } }),
    },
  ];
}

function requested({ raw, headers }: FakeRequest, state: InvoicingState, knobs: Knobs): FakeAnswer {
  if (!state.subscriptionSecret)
    return {
      status: 409,
      json: { error: 'no_subscription', message: 'POST /_test/subscription first' },
    };
  // The signature is checked at the delivery's own timestamp, with no window around the
  // ERP's wall clock: the ERP keeps the sender's time (a simulation's virtual clock).
  const id = headers['webhook-id'];
  const at = Number(headers['webhook-timestamp']);
  const expected =
    id && Number.isInteger(at)
      ? client(state.subscriptionSecret).sign(id, new Date(at * 1000), raw)
      : undefined;
  if (!expected || !(headers['webhook-signature'] ?? '').split(' ').includes(expected))
    return { status: 401, json: { error: 'unverified', message: 'no valid webhook-signature' } };
  const delivery = JSON.parse(raw) as {
    event: string;
    order?: { id: string; externalRef?: string };
    data?: { amount?: number };
  };
  if (delivery.event !== 'invoice.requested' || state.seen.has(id)) return { status: 204 };
  if (!delivery.order?.id) return { status: 422, json: { error: 'invalid', field: 'order.id' } };
  state.seen.add(id);
  state.invoices.push({
    orderId: delivery.order.id,
    externalRef: delivery.order.externalRef,
    amount: delivery.data?.amount,
    dueAt: at + (knobs.invoiceMinutes ?? 0) * 60,
  });
  return { status: 202, json: { queued: state.invoices.length } };
}

/** Issues and reports the invoices due by `at`; a report Ordo did not take goes again next tick. */
async function tick(state: InvoicingState, at: number): Promise<FakeAnswer> {
  const waiting = (i: ErpInvoice) => i.reportedAt === undefined && i.refusedStatus === undefined;
  const due = state.invoices.filter((i) => waiting(i) && i.dueAt <= at);
  if (due.length && !state.hook)
    return { status: 409, json: { error: 'no_hook', message: 'POST /_test/hook first' } };
  let reported = 0;
  const refused: { orderId: string; status: number }[] = [];
  for (const invoice of due) {
    invoice.number ??= `INV-${String(++state.issued).padStart(6, '0')}`;
    const payload = JSON.stringify({
      event: 'invoiced',
      orderId: invoice.orderId,
      invoiceNo: invoice.number,
      amount: invoice.amount,
    });
    const answer = await fetch(state.hook!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signDelivery(state.hook!.secret, `erp-invoice-${invoice.number}`, payload, at),
      },
      body: payload,
    });
    await answer.arrayBuffer();
    if (answer.ok) {
      invoice.reportedAt = at;
      reported++;
      continue;
    }
    // Ordo down or busy: again at the next tick. A refusal (the order is not waiting for its
    // invoice): given up.
    if (answer.status < 500 && answer.status !== 429) invoice.refusedStatus = answer.status;
    refused.push({ orderId: invoice.orderId, status: answer.status });
  }
  return { json: { reported, refused, waiting: state.invoices.filter(waiting).length } };
}
