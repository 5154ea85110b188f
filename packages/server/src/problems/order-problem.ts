import {
  DuplicateReference,
  OrderBusy,
  type OrderError,
  OrderNotFound,
  OrderRefused,
  VersionConflict,
} from '../orders/order-errors';
import { ApiProblem, problems } from './api-problem';

/** An engine refusal as an HTTP problem: 403 for `forbidden`, else 422. */
function refusalProblem({ refusal }: OrderRefused): ApiProblem {
  const status = refusal.code === 'forbidden' ? 403 : 422;
  return new ApiProblem(
    status,
    refusal.code,
    status === 403 ? 'Forbidden' : 'Refused by the flow',
    refusal.message,
    {
      ...(refusal.problems && {
        errors: refusal.problems.map(({ path, code, message, explanation }) => ({
          path,
          code,
          message,
          ...(explanation && { explanation }),
        })),
      }),
      ...(refusal.explanation && { explanation: refusal.explanation }),
    },
  );
}

/** A domain error of the orders as the HTTP problem a request answers with. */
export function orderProblem(error: OrderError): ApiProblem {
  if (error instanceof OrderRefused) return refusalProblem(error);
  if (error instanceof OrderNotFound) return problems.notFound('Order', error.orderId);
  if (error instanceof VersionConflict)
    return problems.conflict(error.code, error.message, { order: error.current });
  if (error instanceof DuplicateReference)
    return problems.conflict(error.code, error.message, { orderId: error.orderId });
  if (error instanceof OrderBusy) return problems.conflict(error.code, error.message);
  return problems.unprocessable(error.code, error.message);
}
