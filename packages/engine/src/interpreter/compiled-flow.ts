import type { Flow } from '../flow';
import type { DueTimer, EngineContext, Order, OrderData, OrderEvent } from '../order';
import type { EngineResult } from '../result';
import type { Explanation } from '../rules/explanation';
import type { JsonSchema } from './data-schema';

/** How many auto transitions one change may chain before the engine gives up loudly. */
export const MAX_AUTO_STEPS = 100;

/** Thrown when auto transitions do not settle: a flow bug the lint could not see. */
export class AutoTransitionLimitError extends Error {
  constructor(readonly path: string[]) {
    super(
      `Auto transitions did not settle after ${MAX_AUTO_STEPS} steps (${path.slice(-6).join(' → ')} …): make their guards exclusive`,
    );
    this.name = 'AutoTransitionLimitError';
  }
}

/** One transition out of an order's current state, and whether it can be taken now. */
export interface AvailableTransition {
  id: string;
  event?: string;
  auto: boolean;
  to: string;
  enabled: boolean;
  /** Why it is blocked: the role it needs, or the failed clause of its guard. */
  reason?: string;
  explanation?: Explanation;
}

/** A compiled flow: pure functions from an order (and an event or patch) to the next order. */
export interface CompiledFlow {
  /** The flow document it was compiled from. */
  readonly doc: Flow;
  /** The JSON Schema of the order data, derived from the fields. */
  readonly dataSchema: JsonSchema;
  /** Creates an order in the initial state (`ctx.id` is its id) and follows auto transitions. */
  create(data: OrderData, ctx: EngineContext): EngineResult;
  /** Applies a JSON merge patch (RFC 7386) to the order data and follows auto transitions. */
  update(order: Order, mergePatch: unknown, ctx: EngineContext): EngineResult;
  /** Fires an event: the first permitted transition whose guard holds is taken. */
  fire(order: Order, event: OrderEvent, ctx: EngineContext): EngineResult;
  /** The transitions out of the order's state, each enabled or with why it is blocked. */
  available(order: Order, ctx: EngineContext): AvailableTransition[];
  /**
   * A timer fell due: an SLA breach (its task, its event) or a schedule's poll (the call and
   * the next poll, or the deadline). Unchanged (no history) when the timer no longer applies.
   */
  timer(order: Order, due: DueTimer, ctx: EngineContext): EngineResult;
}
