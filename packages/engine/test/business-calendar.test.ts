import fc from 'fast-check';
import {
  addBusinessDuration,
  calendarOf,
  calendarProblems,
  CalendarError,
  compileFlow,
  compileJourney,
  type DataSetRow,
  dueAfter,
  exceptionTask,
  type Flow,
  inWorkingHours,
  parseBusinessDuration,
  validateFlow,
  workedBetween,
} from '../src';
import { memoryDataSets, testContext } from '../src/testing';

/** A Chinese office: 09:00–12:00 and 13:00–18:00 Monday to Friday, National Day off, two make-up days. */
const SHANGHAI: Record<string, DataSetRow> = {
  timezone: { day: 'timezone', hours: 'Asia/Shanghai' },
  mon: { day: 'mon', hours: '09:00-12:00 13:00-18:00' },
  tue: { day: 'tue', hours: '09:00-12:00 13:00-18:00' },
  wed: { day: 'wed', hours: '09:00-12:00 13:00-18:00' },
  thu: { day: 'thu', hours: '09:00-12:00 13:00-18:00' },
  fri: { day: 'fri', hours: '09:00-12:00 13:00-18:00' },
  sat: { day: 'sat', hours: '' },
  ...Object.fromEntries(
    ['01', '02', '03', '04', '05', '06', '07'].map((d) => [
      `2026-10-${d}`,
      { day: `2026-10-${d}`, hours: null, note: 'National Day' },
    ]),
  ),
  '2026-09-20': { day: '2026-09-20', hours: '09:00-12:00 13:00-18:00', note: 'make-up day' },
  '2026-10-10': { day: '2026-10-10', hours: '09:00-12:00 13:00-18:00', note: 'make-up day' },
};

/** A Berlin shop with a late shift and daylight saving (29 March and 25 October 2026). */
const BERLIN: Record<string, DataSetRow> = {
  timezone: { hours: 'Europe/Berlin' },
  mon: { hours: '08:00-16:30' },
  tue: { hours: '08:00-16:30' },
  wed: { hours: '08:00-16:30' },
  thu: { hours: '08:00-16:30' },
  fri: { hours: '08:00-14:00' },
  sat: { hours: '22:00-24:00' },
  '2026-12-25': { hours: 'closed' },
};

const sets = memoryDataSets({
  'work-hours': { version: 4, rows: SHANGHAI },
  berlin: { version: 1, rows: BERLIN },
  broken: { version: 2, rows: { ...SHANGHAI, wed: { hours: '9-17' } } },
  'bad-holiday': { version: 1, rows: { ...SHANGHAI, '2026-12-08': { hours: '18:00-09:00' } } },
});
const shanghai = calendarOf(sets, 'work-hours');
const berlin = calendarOf(sets, 'berlin');
const add = (from: string, d: string) => addBusinessDuration(from, d, shanghai);
const H = 3_600_000;

describe('business time', () => {
  it('skips nights and weekends', () => {
    // Friday 17:00 in Shanghai is 09:00 UTC.
    expect(add('2026-12-04T09:00:00.000Z', 'PT2H')).toBe('2026-12-07T02:00:00.000Z'); // Monday 10:00
    expect(add('2026-12-04T09:00:00.000Z', 'PT1H')).toBe('2026-12-04T10:00:00.000Z'); // Friday 18:00
    // Saturday morning counts from Monday 09:00.
    expect(add('2026-12-05T02:00:00.000Z', 'PT30M')).toBe('2026-12-07T01:30:00.000Z');
  });

  it('skips the lunch break', () => {
    // Monday 11:00 + 2 h: 11–12, then 13–14.
    expect(add('2026-12-07T03:00:00.000Z', 'PT2H')).toBe('2026-12-07T06:00:00.000Z');
  });

  it('skips holidays and counts make-up working days', () => {
    // Wednesday 30 September 17:00 + 2 h: the holiday runs to 7 October, Thursday 8th 10:00.
    expect(add('2026-09-30T09:00:00.000Z', 'PT2H')).toBe('2026-10-08T02:00:00.000Z');
    // Friday 9 October 17:00 + 2 h: Saturday 10th is a make-up working day.
    expect(add('2026-10-09T09:00:00.000Z', 'PT2H')).toBe('2026-10-10T02:00:00.000Z');
    // Sunday 20 September (make-up day) 09:00 + 1 h: counted that Sunday.
    expect(add('2026-09-20T01:00:00.000Z', 'PT1H')).toBe('2026-09-20T02:00:00.000Z');
  });

  it('counts days as working days at the same point of the day', () => {
    // Tuesday 11:00 + P1D = Wednesday 11:00; Friday 11:00 + P1D = Monday 11:00.
    expect(add('2026-12-01T03:00:00.000Z', 'P1D')).toBe('2026-12-02T03:00:00.000Z');
    expect(add('2026-12-04T03:00:00.000Z', 'P1D')).toBe('2026-12-07T03:00:00.000Z');
    // Saturday + P1D: one whole working day after the last one — Monday 18:00.
    expect(add('2026-12-05T03:00:00.000Z', 'P1D')).toBe('2026-12-07T10:00:00.000Z');
    // 30 September 11:00 + P2D: 8 and 9 October.
    expect(add('2026-09-30T03:00:00.000Z', 'P2D')).toBe('2026-10-09T03:00:00.000Z');
    // Days then hours: Friday 17:00 + P1DT2H = Monday 17:00 + 2 h = Tuesday 10:00.
    expect(add('2026-12-04T09:00:00.000Z', 'P1DT2H')).toBe('2026-12-08T02:00:00.000Z');
  });

  it('keeps a zero duration in working hours', () => {
    expect(add('2026-12-07T03:00:00.000Z', 'PT0S')).toBe('2026-12-07T03:00:00.000Z');
    expect(add('2026-12-05T03:00:00.000Z', 'PT0S')).toBe('2026-12-07T01:00:00.000Z');
    expect(add('2026-12-07T04:30:00.000Z', 'PT0S')).toBe('2026-12-07T05:00:00.000Z'); // lunch
  });

  it('reads wall-clock hours in the calendar zone across daylight saving', () => {
    // Friday 27 March 13:00 CET (12:00 UTC) + 2 h: 13–14 Friday, Saturday 22:00 CET (21:00 UTC) + 1 h.
    expect(addBusinessDuration('2026-03-27T12:00:00.000Z', 'PT2H', berlin)).toBe(
      '2026-03-28T22:00:00.000Z',
    );
    // Monday 30 March (summer time) opens at 08:00 CEST = 06:00 UTC.
    expect(addBusinessDuration('2026-03-28T23:00:00.000Z', 'PT1H', berlin)).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    // A period to 24:00 ends at midnight; 25 December closed.
    expect(inWorkingHours(berlin, '2026-03-28T23:00:00.000Z')).toBe(true);
    // Thursday 24 December 16:00 CET + 1 h: 30 min, Friday closed, Saturday 22:00 + 30 min.
    expect(addBusinessDuration('2026-12-24T15:00:00.000Z', 'PT1H', berlin)).toBe(
      '2026-12-26T21:30:00.000Z',
    );
  });

  it('refuses durations with years, months or weeks', () => {
    expect(parseBusinessDuration('P1M')).toBeUndefined();
    expect(parseBusinessDuration('P1W')).toBeUndefined();
    expect(parseBusinessDuration('P1DT1H30M')).toEqual({ days: 1, ms: 1.5 * H + 24 * H - 24 * H });
    expect(() => add('2026-12-07T03:00:00.000Z', 'P1M')).toThrow(RangeError);
  });
});

describe('calendars as data sets', () => {
  it('names the row a bad calendar trips on', () => {
    expect(() => calendarOf(sets, 'broken')).toThrow(
      expect.objectContaining({ name: 'CalendarError', key: 'wed' }),
    );
    // A date's row is read when the count reaches that day.
    const badHoliday = calendarOf(sets, 'bad-holiday');
    expect(addBusinessDuration('2026-12-07T02:00:00.000Z', 'PT1H', badHoliday)).toBe(
      '2026-12-07T03:00:00.000Z',
    );
    expect(() => addBusinessDuration('2026-12-07T09:00:00.000Z', 'PT2H', badHoliday)).toThrow(
      expect.objectContaining({ name: 'CalendarError', key: '2026-12-08' }),
    );
    expect(() => calendarOf(sets, 'missing')).toThrow(CalendarError);
    const noZone = memoryDataSets({ c: { version: 1, rows: { mon: { hours: '09:00-17:00' } } } });
    expect(() => calendarOf(noZone, 'c')).toThrow(/timezone/);
    const closed = memoryDataSets({ c: { version: 1, rows: { timezone: { hours: 'UTC' } } } });
    expect(() => calendarOf(closed, 'c')).toThrow(/no working hours/);
  });

  it('checks a whole table: keys, hours, zone, a working weekday', () => {
    expect(calendarProblems(Object.entries(SHANGHAI))).toEqual([]);
    const problems = calendarProblems(
      Object.entries({
        timezone: { hours: 'Mars/Olympus' },
        monday: { hours: '09:00-17:00' },
        tue: { hours: '09:00-12:00 11:00-17:00' },
        wed: { hours: '17:00-09:00' },
        '2026-02-30': { hours: '' },
        thu: { hours: 9 },
      }),
    );
    expect(problems.map((p) => [p.key, p.column])).toEqual([
      ['timezone', 'hours'],
      ['monday', undefined],
      ['tue', 'hours'],
      ['wed', 'hours'],
      ['2026-02-30', undefined],
      ['thu', 'hours'],
    ]);
    expect(calendarProblems([['sun', { hours: '' }]]).map((p) => p.key)).toEqual([
      'timezone',
      'mon',
    ]);
  });

  it('counts a due time in the calendar, or in wall-clock time naming the problem', () => {
    expect(dueAfter({ dataSets: sets }, '2026-12-04T09:00:00.000Z', 'PT2H', 'work-hours')).toEqual({
      at: '2026-12-07T02:00:00.000Z',
      calendar: { name: 'work-hours', version: 4 },
    });
    expect(dueAfter({ dataSets: sets }, '2026-12-04T09:00:00.000Z', 'PT2H', undefined)).toEqual({
      at: '2026-12-04T11:00:00.000Z',
    });
    const fallback = dueAfter({ dataSets: sets }, '2026-12-04T09:00:00.000Z', 'PT2H', 'missing');
    expect(fallback).toEqual({
      at: '2026-12-04T11:00:00.000Z',
      calendar: { name: 'missing', problem: 'The calendar data set "missing" does not exist' },
    });
  });
});

describe('business time properties', () => {
  // Any instant from 2026-01-01 to 2027-12-31, in whole seconds.
  const instant = fc
    .integer({ min: Date.UTC(2026, 0, 1) / 1000, max: Date.UTC(2027, 11, 31) / 1000 })
    .map((s) => new Date(s * 1000).toISOString());
  const minutes = fc.integer({ min: 0, max: 60 * 200 });
  const calendars = fc.constantFrom(shanghai, berlin);
  const duration = (m: number) => `PT${m}M`;

  it('lands in working hours, never before the start', () => {
    fc.assert(
      fc.property(calendars, instant, minutes, fc.integer({ min: 0, max: 15 }), (cal, t, m, d) => {
        const due = addBusinessDuration(t, `P${d}DT${m}M`, cal);
        expect(inWorkingHours(cal, due)).toBe(true);
        expect(Date.parse(due)).toBeGreaterThanOrEqual(Date.parse(t));
      }),
    );
  });

  it('counts exactly the working time asked for', () => {
    fc.assert(
      fc.property(calendars, instant, minutes, (cal, t, m) => {
        expect(workedBetween(cal, t, addBusinessDuration(t, duration(m), cal))).toBe(m * 60_000);
      }),
    );
  });

  it('is monotonic in the start and in the duration', () => {
    fc.assert(
      fc.property(calendars, instant, instant, minutes, minutes, (cal, a, b, m, n) => {
        const [early, late] = Date.parse(a) <= Date.parse(b) ? [a, b] : [b, a];
        const [less, more] = m <= n ? [m, n] : [n, m];
        expect(Date.parse(addBusinessDuration(early, duration(m), cal))).toBeLessThanOrEqual(
          Date.parse(addBusinessDuration(late, duration(m), cal)),
        );
        expect(Date.parse(addBusinessDuration(a, duration(less), cal))).toBeLessThanOrEqual(
          Date.parse(addBusinessDuration(a, duration(more), cal)),
        );
        expect(Date.parse(addBusinessDuration(early, `P${less % 9}D`, cal))).toBeLessThanOrEqual(
          Date.parse(addBusinessDuration(late, `P${less % 9}D`, cal)),
        );
      }),
    );
  });

  it('leaves a working moment unchanged for a zero duration', () => {
    fc.assert(
      fc.property(calendars, instant, (cal, t) => {
        const zero = addBusinessDuration(t, 'PT0S', cal);
        expect(inWorkingHours(cal, zero)).toBe(true);
        expect(workedBetween(cal, t, zero)).toBe(0);
        if (
          inWorkingHours(cal, t) &&
          workedBetween(cal, t, addBusinessDuration(t, 'PT1S', cal)) === 1000
        )
          expect(zero).toBe(t);
      }),
    );
  });
});

describe('flows in business time', () => {
  const flow = (over: Partial<Flow> = {}): Flow => ({
    schemaVersion: 1,
    key: 'holds',
    name: 'Holds',
    calendar: 'work-hours',
    fields: [],
    states: [
      { id: 'new', initial: true },
      {
        id: 'hold',
        sla: { within: 'PT4H', in: 'business', onBreach: { event: 'late' } },
        entry: [{ task: { queue: 'sales', title: 'Release', due: 'PT2H', in: 'business' } }],
      },
      { id: 'done', final: true },
    ],
    transitions: [
      { id: 'hold', from: 'new', to: 'hold', event: 'hold' },
      { id: 'release', from: 'hold', to: 'done', event: 'release' },
    ],
    ...over,
  });

  it('opens tasks and starts SLA timers due in business time', () => {
    const compiled = compileFlow(flow());
    const ctx = testContext({ now: '2026-12-04T09:00:00.000Z', dataSets: sets, id: 'o1' });
    const created = compiled.create({}, ctx);
    if (!created.ok) throw new Error(created.error.message);
    const fired = compiled.fire(created.order, { type: 'hold' }, ctx);
    if (!fired.ok) throw new Error(fired.error.message);
    const task = fired.effects.find((e) => e.type === 'task.open');
    const timer = fired.effects.find((e) => e.type === 'timer.start');
    expect(task).toMatchObject({
      due: '2026-12-07T02:00:00.000Z',
      calendar: { name: 'work-hours', version: 4 },
    });
    // Friday 17:00 + 4 h: 17–18, Monday 09–12 = Monday 12:00 (04:00 UTC).
    expect(timer).toMatchObject({ at: '2026-12-07T04:00:00.000Z', calendar: { version: 4 } });
  });

  it('counts durations without "in" in wall-clock time', () => {
    const doc = flow();
    delete doc.states[1].sla!.in;
    const compiled = compileFlow(doc);
    const ctx = testContext({ now: '2026-12-04T09:00:00.000Z', dataSets: sets, id: 'o1' });
    const created = compiled.create({}, ctx);
    const fired = created.ok && compiled.fire(created.order, { type: 'hold' }, ctx);
    expect(fired && fired.ok && fired.effects.find((e) => e.type === 'timer.start')).toMatchObject({
      at: '2026-12-04T13:00:00.000Z',
    });
  });

  it('lints business time without a calendar, with months, and a calendar used by nothing', () => {
    const noCalendar = validateFlow(flow({ calendar: undefined }));
    expect(noCalendar.problems.filter((p) => p.code === 'no_calendar').map((p) => p.path)).toEqual([
      '/states/1/sla/in',
      '/states/1/entry/0/task/in',
    ]);
    const months = flow();
    months.states[1].sla!.within = 'P1M';
    expect(validateFlow(months).problems).toContainEqual(
      expect.objectContaining({ path: '/states/1/sla/within', code: 'business_duration' }),
    );
    const unused = flow({
      states: [{ id: 'new', initial: true }, { id: 'hold' }, { id: 'done', final: true }],
    });
    expect(validateFlow(unused).problems).toContainEqual(
      expect.objectContaining({ path: '/calendar', code: 'unused_calendar', severity: 'warning' }),
    );
    expect(validateFlow(flow({ calendar: 'Work Hours' })).problems).toContainEqual(
      expect.objectContaining({ path: '/calendar' }),
    );
    expect(validateFlow(flow()).ok).toBe(true);
  });

  it("counts an exception task's due in business time when its rule says so", () => {
    const rule = {
      kind: 'connector_failed' as const,
      task: { queue: 'desk', title: 'Call failed', due: 'PT2H', in: 'business' as const },
    };
    const exception = { kind: 'connector_failed' as const, error: 'timeout' };
    const calendar = { name: 'work-hours', sets };
    expect(exceptionTask(rule, {}, exception, '2026-12-04T09:00:00.000Z', calendar)).toMatchObject({
      due: '2026-12-07T02:00:00.000Z',
      calendar: { name: 'work-hours', version: 4 },
    });
    const wallClock = { ...rule, task: { ...rule.task, in: 'calendar' as const } };
    expect(exceptionTask(wallClock, {}, exception, '2026-12-04T09:00:00.000Z', calendar)).toEqual(
      expect.objectContaining({ due: '2026-12-04T11:00:00.000Z' }),
    );
  });

  it('gives a journey stay the business-time due of its SLA, from the sets its entry read', () => {
    const compiled = compileFlow(flow());
    const ctx = testContext({ now: '2026-12-04T09:00:00.000Z', dataSets: sets, id: 'o1' });
    const created = compiled.create({}, ctx);
    const fired = created.ok && compiled.fire(created.order, { type: 'hold' }, ctx);
    if (!created.ok || !fired || !fired.ok) throw new Error('refused');
    const history = [...created.history, ...fired.history];
    const journey = compileJourney(flow());
    expect(journey(history, undefined, () => sets).stays[1]).toMatchObject({
      state: 'hold',
      dueAt: '2026-12-07T04:00:00.000Z',
    });
    // Without the sets (an older caller): wall-clock time.
    expect(journey(history).stays[1].dueAt).toBe('2026-12-04T13:00:00.000Z');
  });

  it('measures an order in business time: Friday 17:00 to Monday 10:00 is two working hours', () => {
    const doc = flow({
      measures: [
        {
          id: 'to_hold',
          from: { state: 'new' },
          to: { state: 'hold' },
          target: 'PT3H',
          in: 'business',
        },
        { id: 'wall', from: { state: 'new' }, to: { state: 'hold' }, target: 'PT3H' },
      ],
    });
    const compiled = compileFlow(doc);
    const created = compiled.create(
      {},
      testContext({ now: '2026-12-04T09:00:00.000Z', dataSets: sets, id: 'o1' }),
    );
    if (!created.ok) throw new Error(created.error.message);
    const fired = compiled.fire(
      created.order,
      { type: 'hold' },
      testContext({ now: '2026-12-07T02:00:00.000Z', dataSets: sets }),
    );
    if (!fired.ok) throw new Error(fired.error.message);
    const history = [...created.history, ...fired.history];
    const [business, wall] = compileJourney(doc)(history, undefined, () => sets).measures;
    // 17:00–18:00 Friday and 09:00–10:00 Monday (Shanghai); due Monday 11:00 = 03:00 UTC.
    expect(business).toMatchObject({ durationMs: 2 * H, dueAt: '2026-12-07T03:00:00.000Z' });
    expect(wall).toMatchObject({ durationMs: 65 * H, dueAt: '2026-12-04T12:00:00.000Z' });
    // A calendar that cannot be read (or no sets at all): wall-clock time, never a failure.
    expect(compileJourney(doc)(history).measures[0]).toMatchObject({ durationMs: 65 * H });
    const broken = compileJourney({ ...doc, calendar: 'missing' })(history, undefined, () => sets);
    expect(broken.measures[0].durationMs).toBe(65 * H);
  });

  it('lints a business measure without a calendar, or with a target in months', () => {
    const measure = {
      id: 'm',
      from: { state: 'new' },
      to: { state: 'done' },
      in: 'business' as const,
    };
    const doc = flow({ calendar: undefined, measures: [measure] });
    expect(validateFlow(doc).problems).toContainEqual(
      expect.objectContaining({ path: '/measures/0/in', code: 'no_calendar' }),
    );
    const months = flow({ measures: [{ ...measure, target: 'P1M' }] });
    expect(validateFlow(months).problems).toContainEqual(
      expect.objectContaining({ path: '/measures/0/target', code: 'business_duration' }),
    );
    // A business measure alone uses the calendar.
    const only = flow({
      states: [{ id: 'new', initial: true }, { id: 'hold' }, { id: 'done', final: true }],
      measures: [measure],
    });
    expect(validateFlow(only).problems.filter((p) => p.code === 'unused_calendar')).toEqual([]);
  });
});
