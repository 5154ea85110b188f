import { type Static, Type } from '@sinclair/typebox';

const Minutes = Type.Number({ minimum: 0 });

/** How long something takes, in minutes. */
export const Duration = Type.Union(
  [
    Type.Object({ fixed: Minutes }, { additionalProperties: false }),
    Type.Object(
      { uniform: Type.Tuple([Minutes, Minutes]) },
      { additionalProperties: false, description: '[min, max]' },
    ),
    Type.Object(
      { triangular: Type.Tuple([Minutes, Minutes, Minutes]) },
      { additionalProperties: false, description: '[min, mode, max]' },
    ),
    Type.Object(
      { lognormal: Type.Object({ median: Minutes, sigma: Type.Number({ minimum: 0 }) }) },
      { additionalProperties: false },
    ),
  ],
  { description: 'a distribution of minutes' },
);
export type Duration = Static<typeof Duration>;

/** How a field's value is made. */
export const Generator = Type.Union([
  Type.Object({ const: Type.Unknown() }, { additionalProperties: false }),
  Type.Object(
    {
      range: Type.Tuple([Type.Number(), Type.Number()]),
      integer: Type.Optional(Type.Boolean()),
      decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      choice: Type.Array(
        Type.Object({ value: Type.Unknown(), weight: Type.Number({ minimum: 0 }) }),
        { minItems: 1 },
      ),
    },
    { additionalProperties: false },
  ),
  /** A column of the row picked from the lines' data set. */
  Type.Object({ row: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  /** The order's customer: its code or its name. */
  Type.Object({ customer: Type.Union([Type.Literal('code'), Type.Literal('name')]) }),
  /** Σ over the lines of the product of these line fields (an order amount). */
  Type.Object(
    { sumOfLines: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
    { additionalProperties: false },
  ),
  /** The local date (`YYYY-MM-DD`) a whole number of days in [min, max] after the arrival. */
  Type.Object(
    { daysAfter: Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]) },
    { additionalProperties: false },
  ),
  /** The order's own reference (`externalRef`), for flows that keep it in a field too. */
  Type.Object({ externalRef: Type.Literal(true) }, { additionalProperties: false }),
]);
export type Generator = Static<typeof Generator>;

const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** Working days next to a holiday with more orders than usual. */
const PeakWindow = Type.Object(
  { days: Type.Integer({ minimum: 1, maximum: 14 }), factor: Type.Number({ minimum: 0 }) },
  { additionalProperties: false },
);

/**
 * A request to a fake system, made when the person is done: `{ref}` in the path or a body
 * text is the order's reference, a body text `"{at}"` the virtual time in Unix seconds.
 */
export const SystemAction = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    method: Type.Optional(Type.Union([Type.Literal('POST'), Type.Literal('DELETE')])),
    path: Type.String({ pattern: '^/' }),
    body: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type SystemAction = Static<typeof SystemAction>;

/**
 * The share of the orders waiting in a state that a handling takes: the role's handlings of
 * one state split each visit's die in their order (the last without `share` takes the rest;
 * what no share covers, nobody of the role takes).
 */
const Share = Type.Number({ minimum: 0, maximum: 1 });

/**
 * What one role does: tasks of a queue, orders waiting in a state for its event, or orders
 * waiting in a state for what the person does in another system (that system then tells Ordo).
 */
export const Handling = Type.Union([
  Type.Object(
    {
      task: Type.Object(
        {
          queue: Type.String({ minLength: 1 }),
          kind: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
      minutes: Duration,
      /** Each line's fields set to the data set's value for the line (a fix), then resolved. */
      fixLines: Type.Optional(
        Type.Object(
          {
            field: Type.String({ minLength: 1 }),
            dataset: Type.String({ minLength: 1 }),
            key: Type.String({ minLength: 1 }),
            column: Type.String({ minLength: 1 }),
          },
          { additionalProperties: false },
        ),
      ),
      event: Type.Optional(Type.String({ minLength: 1 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      state: Type.String({ minLength: 1 }),
      event: Type.String({ minLength: 1 }),
      minutes: Duration,
      share: Type.Optional(Share),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      state: Type.String({ minLength: 1 }),
      system: SystemAction,
      minutes: Duration,
      share: Type.Optional(Share),
    },
    { additionalProperties: false },
  ),
]);
export type Handling = Static<typeof Handling>;

/** One row of the manual process's figures. */
export const BeforeFigure = Type.Object(
  {
    label: Type.String({ minLength: 1 }),
    value: Type.Number(),
    unit: Type.String(),
    /** The label and unit in other languages, by language tag (`zh-CN`): for the designer. */
    translations: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
        Type.Object(
          { label: Type.String({ minLength: 1 }), unit: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
      ),
    ),
    source: Type.Optional(Type.String()),
    /** The simulated figure it compares with (docs/simulation.md lists them). */
    after: Type.Optional(
      Type.String({
        pattern:
          '^(lines\\.wrongShipped\\.percent|lines\\.wrongBlocked\\.percent|touch\\.minutesPerOrder|exceptions\\.automaticPercent|notifications\\.perOrder|orders\\.shippedPercent|orders\\.refusedPercent|orders\\.peak|status\\.ordersDisagreedPercent|status\\.disagreePercent|status\\.unrepairedPercent|counter:[A-Za-z0-9_-]+|counter:[A-Za-z0-9_-]+/day|measure:[A-Za-z0-9_-]+\\.(p50Hours|withinTargetPercent|lateTargetPercent|peakWithinTargetPercent|peakLateTargetPercent))$',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A simulation scenario: `templates/<id>/scenario.json` or any file passed by path. */
export const Scenario = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    flow: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    /** The first simulated day (midnight local time). */
    start: Type.String({ format: 'date' }),
    /** Local time's offset from UTC, in minutes (480: China). */
    utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840 }),
    days: Type.Integer({ minimum: 1, maximum: 366 }),
    /** Virtual time advances in steps of this many minutes. */
    stepMinutes: Type.Integer({ minimum: 1, maximum: 60, default: 5 }),
    orders: Type.Object(
      {
        perDay: Type.Number({ minimum: 0 }),
        /** Weights of Monday … Sunday (mean 1 keeps perDay the average). */
        weekly: Type.Array(Type.Number({ minimum: 0 }), { minItems: 7, maxItems: 7 }),
        /** Weights of the 24 local hours. */
        hourly: Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24 }),
        /** Days (0-based) with more or fewer orders (holiday peaks). */
        peaks: Type.Optional(
          Type.Array(
            Type.Object(
              {
                from: Type.Integer({ minimum: 0 }),
                to: Type.Integer({ minimum: 0 }),
                factor: Type.Number({ minimum: 0 }),
              },
              { additionalProperties: false },
            ),
          ),
        ),
        channels: Type.Optional(
          Type.Array(
            Type.Object(
              { value: Type.String({ minLength: 1 }), weight: Type.Number({ minimum: 0 }) },
              { additionalProperties: false },
            ),
            { minItems: 1 },
          ),
        ),
        externalRef: Type.String({ minLength: 1, description: 'prefix; a number follows' }),
      },
      { additionalProperties: false },
    ),
    /** Made up (`count`, `code`/`name` patterns) or the rows of a data set (`dataset`). */
    customers: Type.Object(
      {
        count: Type.Optional(Type.Integer({ minimum: 1 })),
        /** The customers are this data set's rows; `code` and `name` are its columns. */
        dataset: Type.Optional(Type.String({ minLength: 1 })),
        /** Zipf exponent: 0 even, 1 a few big customers. */
        skew: Type.Number({ minimum: 0, maximum: 4 }),
        /** `{n}` is the customer's number, zero-padded to `pad`. */
        code: Type.String({ minLength: 1 }),
        name: Type.String({ minLength: 1 }),
        pad: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
      },
      { additionalProperties: false },
    ),
    lines: Type.Optional(
      Type.Object(
        {
          path: Type.String({ minLength: 1 }),
          count: Type.Object(
            { range: Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1 })]) },
            { additionalProperties: false },
          ),
          /** The data set a line's row is picked from (uniformly); `{ row }` reads it. */
          dataset: Type.Optional(Type.String({ minLength: 1 })),
          fields: Type.Record(Type.String({ minLength: 1 }), Generator),
        },
        { additionalProperties: false },
      ),
    ),
    fields: Type.Record(Type.String({ minLength: 1 }), Generator),
    /** The states in which an order's goods have left (a wrong line there was shipped). */
    shipped: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    /** Mistakes the manual process makes, at their rate. */
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ minLength: 1 }),
            /** Share of lines affected. */
            share: Type.Number({ minimum: 0, maximum: 1 }),
            field: Type.String({ minLength: 1 }),
            /** The wrong values; never the line's row's column `unlike`. */
            values: Type.Array(Type.Unknown(), { minItems: 1 }),
            unlike: Type.Optional(Type.String({ minLength: 1 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    /** Knobs of the in-process fake systems, by system: the share of calls answered 503. */
    systems: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1 }),
        Type.Object(
          {
            failureRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            /** Status systems: the share of pushed statuses they lose (keep showing the old one). */
            driftRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            /** The ERP: simulated minutes from Ordo's invoice request to its invoice. */
            invoiceMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    /** Goods received every day before work starts: each row's bin gets `qty`. */
    restock: Type.Optional(
      Type.Object(
        {
          /** The rows: a data set's, or `rows` given here. */
          dataset: Type.Optional(Type.String({ minLength: 1 })),
          rows: Type.Optional(
            Type.Array(Type.Record(Type.String(), Type.String()), { minItems: 1 }),
          ),
          key: Type.String({ minLength: 1 }),
          bin: Type.String({ minLength: 1 }),
          qty: Type.Integer({ minimum: 1 }),
          at: Clock,
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Holidays from the flow's business calendar (docs/simulation.md#holidays): fewer orders on
     * a holiday, peaks on the working days around it, people at home but for those on duty.
     */
    calendar: Type.Optional(
      Type.Object(
        {
          /** The calendar data set; the flow's `calendar` when left out. */
          dataset: Type.Optional(Type.String({ minLength: 1 })),
          /** A holiday's orders against the same weekday's usual (0.1: a tenth). */
          holidayFactor: Type.Optional(Type.Number({ minimum: 0 })),
          /** The working days just before a holiday: how many, and their factor on orders. */
          before: Type.Optional(PeakWindow),
          /** The working days just after a holiday (the backlog). */
          after: Type.Optional(PeakWindow),
          /** People of a role who work on a holiday (the first n of the role); none by default. */
          onDuty: Type.Optional(
            Type.Record(Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Fake systems subscribed to the flow's events (a webhook subscription), that answer them
     * later on the simulated clock — the ERP invoices `invoice.requested` — reporting back
     * through a `hooks` trigger.
     */
    subscriptions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            system: Type.String({ minLength: 1 }),
            events: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    /** Fake systems that tell Ordo their own changes: each signs webhooks to a trigger of the flow. */
    hooks: Type.Optional(
      Type.Array(
        Type.Object(
          { system: Type.String({ minLength: 1 }), trigger: Type.String({ minLength: 1 }) },
          { additionalProperties: false },
        ),
      ),
    ),
    people: Type.Record(
      Type.String({ minLength: 1 }),
      Type.Object(
        {
          count: Type.Integer({ minimum: 0, maximum: 1000 }),
          /** Further roles their keys have (the order desk fixing bins needs `warehouse`). */
          roles: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
          /** Whether their handling counts as touch time (false: customers, not staff). */
          touch: Type.Optional(Type.Boolean()),
          hours: Type.Tuple([Clock, Clock]),
          /** ISO weekdays worked (1 Monday … 7 Sunday). */
          weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
            minItems: 1,
            uniqueItems: true,
          }),
          handles: Type.Array(Handling, { minItems: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** The manual process's figures (BRIEF.md), the "before" column. */
    before: Type.Object(
      {
        source: Type.Optional(Type.String()),
        figures: Type.Record(Type.String({ minLength: 1 }), BeforeFigure),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type Scenario = Static<typeof Scenario>;
