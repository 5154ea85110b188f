/** Helpers for tests of code that uses the engine (not part of the runtime API). */
import type { EngineContext } from '../order';

export { standardOrderFlow } from './sample-flows';

/** A fixed context: a clock at `now`, an admin actor, and an optional order id. */
export function testContext(overrides: Partial<EngineContext> = {}): EngineContext {
  return { now: '2026-01-01T00:00:00.000Z', actor: { id: 'test', roles: ['admin'] }, ...overrides };
}
