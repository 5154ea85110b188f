import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { Analytics, AnalyticsSeries } from './analytics.schemas';
import { ListOf, Nullable, Time } from './shared';

/** A simulation job of `POST /api/flows/:key/simulations` (docs/simulation.md). */
export const SimulationJob = component(
  'SimulationJob',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    flow: Type.String(),
    version: Type.Union([Type.Literal('draft'), Type.Integer({ minimum: 1 })]),
    days: Type.Integer(),
    seed: Type.Integer(),
    status: Type.Union(
      ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'].map((s) =>
        Type.Literal(s),
      ),
    ),
    progress: Type.Object({
      hours: Type.Integer({ description: 'simulated hours done' }),
      of: Type.Integer({ description: 'simulated hours in all' }),
      orders: Type.Integer({ description: 'orders created so far' }),
      percent: Type.Integer({ minimum: 0, maximum: 100 }),
    }),
    createdAt: Time,
    startedAt: Nullable(Time),
    finishedAt: Nullable(Time),
    error: Nullable(
      Type.String({
        description: 'why a job failed, or why it was interrupted (its server stopped)',
      }),
    ),
    result: Type.Optional(
      Type.Unknown({
        description: 'when done: what `ordo simulate --json` prints (docs/simulation.md)',
      }),
    ),
  }),
);

export const SimulationJobList = component('SimulationJobList', ListOf(SimulationJob));

/** A finished simulation's dashboard: the analytics of its simulated window, as the live ones. */
export const SimulatedDashboard = component(
  'SimulatedDashboard',
  Type.Object({
    job: SimulationJob,
    from: Time,
    to: Time,
    analytics: Analytics,
    series: AnalyticsSeries,
  }),
);
