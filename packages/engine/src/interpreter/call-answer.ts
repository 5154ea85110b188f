import { patchAt } from '../json/safe-path';
import type { ConnectorCallEffect, EngineContext, Order } from '../order';
import type { EngineResult } from '../result';
import type { CompiledFlow } from './flow-interpreter';

/** What came back from a connector call: its output, or its final failure. */
export type CallAnswer =
  | { ok: true; output: unknown }
  | { ok: false; error: { code: string; message: string; status?: number } };

/** Two engine steps as one change: the histories and effects of both, in order. */
function then(first: EngineResult, next: (order: Order) => EngineResult): EngineResult {
  if (!first.ok) return first;
  const second = next(first.order);
  if (!second.ok) return second;
  return {
    ok: true,
    order: second.order,
    history: [...first.history, ...second.history],
    effects: [...first.effects, ...second.effects],
    warnings: second.warnings,
  };
}

/**
 * Applies a connector's answer to the order as the call says: the output written at
 * `resultPath` (a merge patch) and `onSuccess` fired with it — when the event's guard does
 * not hold yet, the written answer stands alone; a final failure fires
 * `onFailure` with `{ error }`. An answer the call does not use changes nothing (an empty
 * result). Pure: the server's runtime and the designer's simulation both use it.
 */
export function applyCallAnswer(
  flow: CompiledFlow,
  order: Order,
  call: Pick<ConnectorCallEffect, 'resultPath' | 'onSuccess' | 'onFailure'>,
  answer: CallAnswer,
  ctx: EngineContext,
): EngineResult {
  const unchanged: EngineResult = { ok: true, order, history: [], effects: [], warnings: [] };
  if (!answer.ok)
    return call.onFailure === undefined
      ? unchanged
      : flow.fire(order, { type: call.onFailure, payload: { error: answer.error } }, ctx);
  const written =
    call.resultPath === undefined
      ? unchanged
      : flow.update(order, patchAt(call.resultPath, answer.output), ctx);
  if (call.onSuccess === undefined) return written;
  const fired = then(written, (o) =>
    flow.fire(o, { type: call.onSuccess!, payload: answer.output }, ctx),
  );
  // An answer the state expects but whose guard does not hold yet (a poll that finds the
  // payment still pending) is kept; one the order has moved past (no transition) is not.
  const waits = !fired.ok && fired.error.code === 'guard_failed';
  return waits && written.ok && written.history.length ? written : fired;
}
