import { isoDurationMs, measuresChart } from '../src/model/analytics-charts';
import {
  type Analytics,
  compareAnalytics,
  formatDuration,
  heatOf,
  ordersLink,
} from '../src/model/analytics-view';

const time = (p50Ms: number | null) => ({
  count: 1,
  meanMs: p50Ms,
  p50Ms,
  p90Ms: p50Ms,
  p95Ms: p50Ms,
});
const figures = (over: Partial<Analytics> = {}): Analytics => ({
  flow: 'f',
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-02-01T00:00:00.000Z',
  orders: { created: 10, completed: 8, open: 2 },
  cycleTime: time(3_600_000),
  states: [
    { state: 'new', entered: 10, time: time(60_000) },
    { state: 'short', entered: 2, time: time(600_000) },
  ],
  transitions: [
    { from: 'new', to: 'short', event: 'short', count: 2 },
    { from: 'new', to: 'done', event: null, count: 8 },
  ],
  measures: [{ id: 'm', count: 8, time: time(7_200_000), target: 'PT1H', withinTarget: 0.25 }],
  counters: [{ id: 'c', count: 5 }],
  sla: [],
  exceptions: {
    opened: 2,
    settledAutomatically: 1,
    settledByPerson: 1,
    open: 0,
    automaticShare: 0.5,
    byKind: [],
  },
  channels: [],
  baseline: null,
  ...over,
});

describe('analytics view model', () => {
  it('says durations as people do, in both languages', () => {
    expect(formatDuration(90_061_000, 'en')).toBe('1 d 1 h');
    expect(formatDuration(3_660_000, 'zh-CN')).toBe('1 小时 1 分');
    expect(formatDuration(86_400_000 + 5 * 60_000, 'en')).toBe('1 d');
    expect(formatDuration(null, 'en')).toBe('—');
    expect(isoDurationMs('P1DT2H30M')).toBe((26 * 60 + 30) * 60_000);
    expect(isoDurationMs('nonsense')).toBeNull();
  });

  it('heats states by their median stay and counts the moves per edge, by event', () => {
    const heat = heatOf(figures(), { new: 3 }, [
      { id: 'a', source: 'new', target: 'short', event: 'short' },
      { id: 'b', source: 'new', target: 'done', event: null },
      { id: 'c', source: 'new', target: 'done', event: 'force' },
    ]);
    expect(heat.states.get('new')).toEqual({ now: 3, p50Ms: 60_000, entered: 10, level: 0.1 });
    expect(heat.states.get('short')?.level).toBe(1);
    expect([...heat.edges]).toEqual([
      ['a', 2],
      ['b', 8],
      ['c', 0],
    ]);
    expect(heat.maxEdge).toBe(8);
  });

  it('compares a baseline with an Ordo period: absolute and relative change, counters per order', () => {
    const before = figures({
      orders: { created: 20, completed: 20, open: 0 },
      counters: [{ id: 'c', count: 10 }],
      measures: [{ id: 'm', count: 20, time: time(14_400_000), target: 'PT1H', withinTarget: 0.1 }],
    });
    const rows = compareAnalytics(before, figures());
    const row = (kind: string, id: string) => rows.find((r) => r.kind === kind && r.id === id)!;
    expect(row('measure', 'm')).toMatchObject({
      before: 14_400_000,
      after: 7_200_000,
      change: -7_200_000,
      relative: -0.5,
    });
    expect(row('target', 'm').change).toBeCloseTo(0.15, 10);
    expect(row('counter', 'c')).toMatchObject({ before: 0.5, after: 0.5, change: 0 });
    expect(row('orders', 'created')).toMatchObject({ before: 20, after: 10, relative: -0.5 });
  });

  it('links a figure to its orders and charts measures against targets in hours', () => {
    expect(ordersLink('f', { measure: 'm', over: 'true', channel: undefined })).toBe(
      '#/orders?flow=f&measure=m&over=true',
    );
    const chart = measuresChart(figures(), (id) => id.toUpperCase(), {} as never);
    expect(chart.xAxis.data).toEqual(['M']);
    expect(chart.series.map((s) => s.data[0])).toEqual([2, 2, 1, 25]);
  });
});
