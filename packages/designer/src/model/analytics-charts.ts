import type { Analytics } from './analytics-view';

/** One bucket of `GET …/analytics/series` without a measure. */
export interface VolumeBucket {
  bucket: string;
  created: number;
  completed: number;
  cycleTime: { p50Ms: number | null };
}

/** The words a chart shows, in the page's language. */
export interface ChartWords {
  created: string;
  completed: string;
  cycleP50: string;
  p50: string;
  p90: string;
  target: string;
  withinTarget: string;
  attainment: string;
  automatic: string;
  byPerson: string;
  open: string;
  hours: string;
}

const HOUR = 3_600_000;
const hours = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : Math.round((ms / HOUR) * 100) / 100;
const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? null : Math.round(share * 1000) / 10;

/** ISO-8601 duration (`PT4H`, `P1DT2H`) in ms, as measures' targets are written. */
export function isoDurationMs(iso: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return null;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((d * 24 + h) * 60 + min) * 60_000 + s * 1000;
}

const base = { tooltip: { trigger: 'axis' }, grid: { left: 56, right: 56, top: 36, bottom: 40 } };

/** Orders created and completed per bucket (bars), and the cycle time's median (line, hours). */
export function volumeChart(items: VolumeBucket[], w: ChartWords) {
  return {
    ...base,
    legend: { top: 0 },
    xAxis: { type: 'category', data: items.map((i) => i.bucket) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', name: w.hours, position: 'right' },
    ],
    series: [
      { name: w.created, type: 'bar', data: items.map((i) => i.created) },
      { name: w.completed, type: 'bar', data: items.map((i) => i.completed) },
      {
        name: w.cycleP50,
        type: 'line',
        yAxisIndex: 1,
        connectNulls: true,
        data: items.map((i) => hours(i.cycleTime.p50Ms)),
      },
    ],
  };
}

/**
 * Each measure's median and p90 (hours) beside its target, and the share within the target
 * (line, %): the measures against targets.
 */
export function measuresChart(a: Analytics, labels: (id: string) => string, w: ChartWords) {
  return {
    ...base,
    legend: { top: 0 },
    xAxis: { type: 'category', data: a.measures.map((m) => labels(m.id)) },
    yAxis: [
      { type: 'value', name: w.hours },
      { type: 'value', name: '%', max: 100, position: 'right' },
    ],
    series: [
      { name: w.p50, type: 'bar', data: a.measures.map((m) => hours(m.time.p50Ms)) },
      { name: w.p90, type: 'bar', data: a.measures.map((m) => hours(m.time.p90Ms)) },
      {
        name: w.target,
        type: 'scatter',
        symbol: 'rect',
        symbolSize: [28, 3],
        data: a.measures.map((m) => hours(m.target ? isoDurationMs(m.target) : null)),
      },
      {
        name: w.withinTarget,
        type: 'line',
        yAxisIndex: 1,
        data: a.measures.map((m) => percent(m.withinTarget)),
      },
    ],
  };
}

/** SLA attainment per state with an SLA (%). */
export function slaChart(a: Analytics, labels: (id: string) => string, w: ChartWords) {
  return {
    ...base,
    xAxis: { type: 'category', data: a.sla.map((s) => labels(s.state)) },
    yAxis: { type: 'value', max: 100, name: '%' },
    series: [{ name: w.attainment, type: 'bar', data: a.sla.map((s) => percent(s.attainment)) }],
  };
}

/** Exceptions per kind, stacked: settled by the system, by a person, still open. */
export function exceptionsChart(a: Analytics, labels: (id: string) => string, w: ChartWords) {
  const kinds = a.exceptions.byKind;
  const name = (k: (typeof kinds)[number]) => (k.source === 'state' ? labels(k.kind) : k.kind);
  const stack = (label: string, pick: (k: (typeof kinds)[number]) => number) => ({
    name: label,
    type: 'bar',
    stack: 'all',
    data: kinds.map(pick),
  });
  return {
    ...base,
    legend: { top: 0 },
    xAxis: { type: 'category', data: kinds.map(name) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      stack(w.automatic, (k) => k.settledAutomatically),
      stack(w.byPerson, (k) => k.settledByPerson),
      stack(w.open, (k) => k.open),
    ],
  };
}
