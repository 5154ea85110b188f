import { FakeSystem, type Knobs, need } from '../fake-system';

type Status = 'pending' | 'paid' | 'failed';

/**
 * Bank: payments by order, created pending and settled paid or failed (with a `reason`); a
 * failed payment may be requested again.
 */
export const createBank = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'bank',
    () => ({
      payments: new Map<
        string,
        { orderId: string; amount: number; status: Status; reason?: string }
      >(),
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
        handle: ({ params, body }, state) => {
          const payment = state.payments.get(params.orderId);
          if (!payment) return { status: 404, json: { error: 'unknown_payment' } };
          payment.status = body.failed === true ? 'failed' : 'paid';
          if (payment.status === 'failed')
            payment.reason = typeof body.reason === 'string' ? body.reason : 'insufficient_funds';
          else delete payment.reason;
          return { json: payment };
        },
      },
    ],
    knobs,
  );
