import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { AnyObject, ListOf, Nullable, Time } from './shared';

const Ms = Nullable(Type.Number());

/** Durations: count, mean and percentiles in milliseconds (null without any). */
export const TimeSummary = component(
  'TimeSummary',
  Type.Object({
    count: Type.Integer(),
    meanMs: Ms,
    p50Ms: Ms,
    p90Ms: Ms,
    p95Ms: Ms,
    approximate: Type.Optional(Type.Boolean()),
  }),
);

/** A flow's figures in a window (docs/analytics.md). */
export const Analytics = component(
  'Analytics',
  Type.Object({
    flow: Type.String(),
    from: Time,
    to: Time,
    orders: Type.Object({
      created: Type.Integer(),
      completed: Type.Integer(),
      open: Type.Integer(),
    }),
    cycleTime: TimeSummary,
    states: Type.Array(
      Type.Object({ state: Type.String(), entered: Type.Integer(), time: TimeSummary }),
    ),
    transitions: Type.Array(
      Type.Object({
        from: Type.String(),
        to: Type.String(),
        event: Nullable(Type.String()),
        count: Type.Integer(),
      }),
    ),
    measures: Type.Array(
      Type.Object({
        id: Type.String(),
        count: Type.Integer(),
        time: TimeSummary,
        target: Type.Optional(Type.String()),
        withinTarget: Type.Optional(Nullable(Type.Number())),
      }),
    ),
    counters: Type.Array(Type.Object({ id: Type.String(), count: Type.Integer() })),
    sla: Type.Array(AnyObject),
    exceptions: AnyObject,
    channels: Type.Array(Type.Object({ channel: Type.String(), orders: Type.Integer() })),
    baseline: Nullable(
      Type.Object({ orders: Type.Integer(), from: Type.String(), to: Type.String() }),
    ),
  }),
);

/** The figures per bucket: a measure's times, or orders created and completed. */
export const AnalyticsSeries = component(
  'AnalyticsSeries',
  Type.Object({
    bucket: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
    measure: Type.Optional(Type.String()),
    items: Type.Array(
      Type.Object({
        bucket: Type.String({ description: 'the first day of the bucket' }),
        time: Type.Optional(TimeSummary),
        withinTarget: Type.Optional(Nullable(Type.Number())),
        created: Type.Optional(Type.Integer()),
        completed: Type.Optional(Type.Integer()),
        cycleTime: Type.Optional(TimeSummary),
      }),
    ),
  }),
);

/** A month's top customers, their measures beside the month before, and their risks. */
export const CustomerHealth = component(
  'CustomerHealth',
  Type.Object({
    flow: Type.String(),
    month: Type.String(),
    customers: Type.Array(
      Type.Object({
        customer: Type.String(),
        orders: Type.Integer(),
        measures: Type.Array(AnyObject),
        risks: Type.Array(AnyObject),
      }),
    ),
  }),
);

/** One scheduled report of a month. */
export const ReportRun = component(
  'ReportRun',
  Type.Object({
    flow: Type.String(),
    report: Type.String(),
    month: Type.String(),
    status: Type.Union(['sending', 'sent', 'failed', 'skipped'].map((s) => Type.Literal(s))),
    delivered: Type.Array(Type.String()),
    attempts: Type.Integer(),
    nextAt: Nullable(Time),
    error: Nullable(Type.String()),
    createdAt: Time,
    updatedAt: Time,
  }),
);

export const ReportRunList = component('ReportRunList', ListOf(ReportRun));

/** An imported (or, `dryRun`, checked) legacy event log. */
export const EventLogImport = component(
  'EventLogImport',
  Type.Object({
    rows: Type.Integer(),
    orders: Type.Integer(),
    entries: Type.Integer(),
    dryRun: Type.Optional(Type.Literal(true)),
    imported: Type.Optional(Type.Integer()),
  }),
);
