import {
  DuplicateReference,
  OrderBusy,
  OrderNotFound,
  OrderRefused,
  VersionConflict,
} from '../orders/order-errors';
import type { StoredOrder } from '../orders/orders.repository';
import { orderProblem } from './order-problem';

const order = { id: 'o1', version: 3 } as StoredOrder;

describe('orderProblem: the orders’ domain errors as HTTP problems', () => {
  it('answers an engine refusal 422 with its problems, a forbidden one 403', () => {
    const refused = orderProblem(
      new OrderRefused({
        code: 'invalid_data',
        message: 'qty must be ≥ 1',
        problems: [{ path: '/qty', code: 'minimum', message: 'must be ≥ 1', severity: 'error' }],
      } as never),
    );
    expect(refused.status).toBe(422);
    expect(refused.body()).toMatchObject({
      code: 'invalid_data',
      detail: 'qty must be ≥ 1',
      errors: [{ path: '/qty', code: 'minimum', message: 'must be ≥ 1' }],
    });
    expect(orderProblem(new OrderRefused({ code: 'forbidden', message: 'no' })).status).toBe(403);
  });

  it('answers 404 for a missing order and 409 for conflicts, with what the caller needs', () => {
    expect(orderProblem(new OrderNotFound('o9')).body()).toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'Order "o9" does not exist',
    });
    expect(orderProblem(new VersionConflict(order, 2)).body()).toMatchObject({
      status: 409,
      code: 'version_conflict',
      order,
    });
    expect(orderProblem(new DuplicateReference('f', 'R-1', 'o1')).body()).toMatchObject({
      status: 409,
      code: 'duplicate_external_ref',
      orderId: 'o1',
    });
    expect(orderProblem(new OrderBusy('o1', 20)).body()).toMatchObject({
      status: 409,
      code: 'busy',
    });
  });
});
