import { FakeSystem, type Knobs, need } from '../fake-system';
import { type HookTarget, signDelivery } from './status-system';

type Status = 'pending' | 'paid' | 'failed';

/**
 * Bank: payments by order, created pending and settled paid or failed (with a `reason`); a
 * failed payment may be requested again. With `POST /_test/hook {url, secret}` it also tells
 * Ordo each settlement at once: a webhook `{ orderId, amount, status, reason? }` signed by
 * Standard Webhooks.
 */
export const createBank = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'bank',
    () => ({
      payments: new Map<
        string,
        { orderId: string; amount: number; status: Status; reason?: string }
      >(),
      hook: undefined as HookTarget | undefined,
      deliveries: 0,
    }),
    [
      {
        method: 'GET',
        path: '/payments/:orderId',
        handle: ({ params }, state) => {
          const payment = state.payments.get(params.orderId);
          return payment ? { json: payment } : { status: 404, json: { error: 'unknown_payment' } };
        },
      },
      {
        method: 'POST',
        path: '/payments',
        handle: ({ body }, state) => {
          const orderId = need.string(body, 'orderId');
          const amount = need.number(body, 'amount');
          // A failed payment may be requested again (a new attempt); any other exists already.
          if (
            state.payments.get(orderId)?.status === 'pending' ||
            state.payments.get(orderId)?.status === 'paid'
          )
            return { status: 409, json: { error: 'already_exists' } };
          const payment = { orderId, amount, status: 'pending' as Status };
          state.payments.set(orderId, payment);
          return { status: 201, json: payment };
        },
      },
      {
        method: 'POST',
        path: '/payments/:orderId/settle',
        handle: async ({ params, body }, state) => {
          const payment = state.payments.get(params.orderId);
          if (!payment) return { status: 404, json: { error: 'unknown_payment' } };
          payment.status = body.failed === true ? 'failed' : 'paid';
          if (payment.status === 'failed')
            payment.reason = typeof body.reason === 'string' ? body.reason : 'insufficient_funds';
          else delete payment.reason;
          if (!state.hook) return { json: payment };
          const raw = JSON.stringify(payment);
          const id = `bank-${++state.deliveries}`;
          const told = await fetch(state.hook.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...signDelivery(state.hook.secret, id, raw, Math.floor(Date.now() / 1000)),
            },
            body: raw,
          });
          return { json: { ...payment, delivery: { id, status: told.status } } };
        },
      },
      {
        method: 'POST',
        path: '/_test/hook',
        handle: ({ body }, state) => {
          state.hook = { url: need.string(body, 'url'), secret: need.string(body, 'secret') };
          return { json: { url: state.hook.url } };
        },
      },
    ],
    knobs,
  );
