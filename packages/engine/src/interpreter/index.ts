// PLACEHOLDER — replaced by the interpreter work (create/update/fire/available).
import type { Flow } from '../flow';
import type { EngineContext, Order, OrderData, OrderEvent } from '../order';
import type { EngineResult, Problem } from '../result';

export interface AvailableTransition {
  id: string;
  event?: string;
  to: string;
  enabled: boolean;
  reason?: string;
}
export interface CompiledFlow {
  readonly doc: Flow;
  create(data: OrderData, ctx: EngineContext): EngineResult;
  update(order: Order, mergePatch: unknown, ctx: EngineContext): EngineResult;
  fire(order: Order, event: OrderEvent, ctx: EngineContext): EngineResult;
  available(order: Order, ctx: EngineContext): AvailableTransition[];
}
export class FlowValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super('invalid flow');
  }
}
export function compileFlow(_doc: unknown): CompiledFlow {
  throw new FlowValidationError([]);
}
