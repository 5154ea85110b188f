import { planOrders } from './order-maker';
import type { Scenario } from './scenario.schema';
import { ScenarioCalendar } from './sim-calendar';
import { onShift } from './sim-people';

/** A plant that works Monday to Friday, with National Day off and two make-up Sundays. */
const rows = new Map<string, Record<string, unknown>>([
  ['timezone', { hours: 'Asia/Shanghai' }],
  ...['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { hours: '08:30-17:30' }] as const),
  ['sat', { hours: '' }],
  ['sun', { hours: '' }],
  ['2026-09-27', { hours: '08:30-17:30' }],
  ...[1, 2, 3, 4, 5, 6, 7].map((n) => [`2026-10-0${n}`, { hours: '' }] as const),
  ['2026-10-11', { hours: '08:30-17:30' }],
]);

const scenario = (calendar: Scenario['calendar']): Scenario =>
  ({
    flow: 'f',
    start: '2026-09-21',
    utcOffsetMinutes: 480,
    days: 28,
    stepMinutes: 5,
    orders: {
      perDay: 200,
      weekly: [1, 1, 1, 1, 1, 0.5, 0.5],
      hourly: Array.from({ length: 24 }, (_, h) => (h >= 9 && h < 17 ? 1 : 0)),
      externalRef: 'T-',
    },
    customers: { count: 10, skew: 0, code: 'C{n}', name: 'C {n}' },
    fields: {},
    shipped: ['done'],
    calendar,
    people: {
      clerk: { count: 3, hours: ['09:00', '17:00'], weekdays: [1, 2, 3, 4, 5], handles: [] },
    },
    before: { figures: {} },
  }) as unknown as Scenario;

const perDay = (s: Scenario, calendar?: ScenarioCalendar) => {
  const counts = new Array<number>(s.days).fill(0);
  const midnight = Date.parse(`${s.start}T00:00:00+08:00`);
  for (const o of planOrders(s, 7, s.days, () => [], calendar))
    counts[Math.floor((o.at - midnight) / 86_400_000)]++;
  return counts;
};

describe('a scenario that follows the flow’s business calendar', () => {
  const s = scenario({
    holidayFactor: 0.1,
    before: { days: 3, factor: 2 },
    after: { days: 2, factor: 1.5 },
    onDuty: { clerk: 1 },
  });
  const calendar = new ScenarioCalendar(s, rows, s.days);

  it('knows holidays, make-up days, closed weekends and the peak days around the holidays', () => {
    expect(calendar.kind(10)).toBe('holiday'); // 2026-10-01, a Thursday
    expect(calendar.kind(6)).toBe('makeup'); // Sunday 2026-09-27
    expect(calendar.kind(5)).toBe('closed'); // Saturday 2026-09-26
    expect(calendar.kind(0)).toBe('working');
    // Three working days before 1 October: 28, 29, 30 September; two after the 7th: 8, 9.
    const peak = [...calendar.peakDays].sort((a, b) => a - b).map((d) => calendar.dateOf(d));
    expect(peak).toEqual([
      '2026-09-28',
      '2026-09-29',
      '2026-09-30',
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `2026-10-0${n}`),
      '2026-10-08',
      '2026-10-09',
    ]);
    expect(calendar.orderFactor(8)).toBe(2);
    expect(calendar.orderFactor(10)).toBe(0.1);
    expect(calendar.orderFactor(17)).toBe(1.5);
    expect(calendar.orderFactor(0)).toBe(1);
  });

  it('thins orders on holidays and piles them up on the days around them', () => {
    const plain = perDay(scenario(undefined));
    const followed = perDay(s, calendar);
    const sum = (a: number[], from: number, to: number) =>
      a.slice(from, to + 1).reduce((x, y) => x + y, 0);
    expect(sum(followed, 10, 16)).toBeLessThan(sum(plain, 10, 16) / 5);
    expect(sum(followed, 7, 9)).toBeGreaterThan(sum(plain, 7, 9) * 1.6);
    expect(sum(followed, 17, 18)).toBeGreaterThan(sum(plain, 17, 18) * 1.2);
    // A make-up Sunday takes an average day's orders, not a Sunday's half.
    expect(followed[6]).toBeGreaterThan(plain[6] * 1.4);
    // The same seed gives the same orders.
    expect(perDay(s, calendar)).toEqual(followed);
  });

  it('sends people home on holidays, but for those on duty, and brings them in on make-up days', () => {
    const at = (date: string, time: string) => Date.parse(`${date}T${time}:00+08:00`);
    const clerk = (n: number) => ({ role: 'clerk', n });
    expect(onShift(s, clerk(1), at('2026-10-02', '10:00'), calendar)).toBe(true);
    expect(onShift(s, clerk(2), at('2026-10-02', '10:00'), calendar)).toBe(false);
    expect(onShift(s, clerk(2), at('2026-09-27', '10:00'), calendar)).toBe(true);
    expect(onShift(s, clerk(2), at('2026-09-26', '10:00'), calendar)).toBe(false);
    expect(onShift(s, clerk(2), at('2026-09-28', '08:00'), calendar)).toBe(false);
    expect(onShift(s, clerk(2), at('2026-09-28', '16:59'), calendar)).toBe(true);
    // Without a calendar a holiday is a weekday like any other.
    expect(onShift(s, clerk(2), at('2026-10-02', '10:00'))).toBe(true);
  });

  it('refuses a calendar it cannot read, naming the row', () => {
    const broken = new Map(rows);
    broken.set('mon', { hours: '9 to 5' });
    expect(() => new ScenarioCalendar(s, broken, s.days)).toThrow(/row "mon"/);
  });
});
