import type { EngineResult, OrderSource } from '@ordo/engine';

type Success = Extract<EngineResult, { ok: true }>;

export type { OrderSource };

/** The creation with its source recorded on the `created` history entry (`source`). */
export function withSource(created: Success, source: OrderSource): Success {
  const [first, ...rest] = created.history;
  return { ...created, history: [{ ...first, source }, ...rest] };
}
