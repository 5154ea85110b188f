/**
 * The answers of the analytics API, shared by the server that computes them and the designer
 * that shows them (docs/analytics.md).
 */

/** How long something took, over a set of orders: count, mean and continuous percentiles. */
export interface TimeSummary {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  /**
   * Set when the percentiles come from the day roll-up's duration buckets (many durations):
   * each is then within 1% of the exact value; count and mean are always exact.
   */
  approximate?: true;
}

/** The figures of a flow over a window, as `GET /api/flows/:key/analytics` answers them. */
export interface Analytics {
  flow: string;
  from: string;
  to: string;
  orders: { created: number; completed: number; open: number };
  cycleTime: TimeSummary;
  states: { state: string; entered: number; time: TimeSummary }[];
  transitions: { from: string; to: string; event: string | null; count: number }[];
  measures: {
    id: string;
    count: number;
    time: TimeSummary;
    target?: string;
    /** The share within the target; null when none ended with a due time. */
    withinTarget?: number | null;
  }[];
  counters: { id: string; count: number }[];
  sla: { state: string; attained: number; breached: number; attainment: number | null }[];
  exceptions: {
    opened: number;
    settledAutomatically: number;
    settledByPerson: number;
    open: number;
    automaticShare: number | null;
    byKind: {
      /** A state's id (`source: 'state'`) or a runtime exception's kind (`'runtime'`). */
      kind: string;
      source: 'state' | 'runtime';
      opened: number;
      settledAutomatically: number;
      settledByPerson: number;
      open: number;
    }[];
  };
  channels: { channel: string; orders: number }[];
  /** The orders of imported legacy logs (all time, not filtered): the before/after baseline. */
  baseline: { orders: number; from: string; to: string } | null;
}

/** One measure of a customer in a month, beside the month before. */
export interface CustomerMeasure {
  id: string;
  count: number;
  p50Ms: number | null;
  /** Share of the month's measures over target (null without a target or without measures). */
  lateShare: number | null;
  previous: { p50Ms: number | null; lateShare: number | null };
  /** This month minus the previous one (null where either is unknown). */
  change: { p50Ms: number | null; lateShare: number | null };
}

/** A measure that worsened month after month. */
export interface CustomerRisk {
  measure: string;
  kind: 'late_share_rising' | 'p50_rising';
  /** For how many months running it has worsened (at least 2). */
  months: number;
}

export interface CustomerHealth {
  flow: string;
  month: string;
  customers: {
    customer: string;
    orders: number;
    measures: CustomerMeasure[];
    risks: CustomerRisk[];
  }[];
}
