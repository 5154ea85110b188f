import { FakeSystem, type Knobs, need } from '../fake-system';

type Status = 'pending' | 'paid' | 'failed';

/** Bank: payments by order, created pending and settled paid or failed. */
export const createBank = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'bank',
    () => ({ payments: new Map<string, { orderId: string; amount: number; status: Status }>() }),
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
          if (state.payments.has(orderId))
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
          return { json: payment };
        },
      },
    ],
    knobs,
  );
