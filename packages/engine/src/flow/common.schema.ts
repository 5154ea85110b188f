import { Type, type Static } from '@sinclair/typebox';

/**
 * A json-logic expression (https://jsonlogic.com) — any JSON value. Its operators and the
 * variables it reads are checked by the lint, not by the JSON Schema.
 */
export const Logic = Type.Unknown({
  title: 'Logic',
  description: 'A json-logic expression; see docs/flow-document.md#rules-and-guards',
});
export type Logic = Static<typeof Logic>;

/**
 * A regular-expression guard that refuses the names that reach an object's prototype
 * (`__proto__`, `constructor`, `prototype`) as a whole key or path segment.
 */
const NOT_UNSAFE = '(?!(?:__proto__|constructor|prototype)(?:\\.|$))';

/** Identifier of a state, transition, rule or field: letters, digits, `_` and `-`. */
export const Id = Type.String({
  pattern: `^${NOT_UNSAFE}[A-Za-z_][A-Za-z0-9_-]*$`,
  maxLength: 64,
});
export type Id = Static<typeof Id>;

/**
 * Text shown to people: a plain string, or one string per locale
 * (`{ "en": "Stock locked", "zh-CN": "已锁库存" }`).
 */
export const Label = Type.Union([
  Type.String({ maxLength: 500 }),
  Type.Record(
    Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }),
    Type.String({ maxLength: 500 }),
    // A key that is not a language tag is a mistake, not a label nobody can show.
    { additionalProperties: false },
  ),
]);
export type Label = Static<typeof Label>;

/** An ISO-8601 duration such as `PT4H`, `P2D` or `PT15M`. */
export const Duration = Type.String({
  pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$',
  description: 'ISO-8601 duration, e.g. PT4H',
});
export type Duration = Static<typeof Duration>;

/**
 * How a duration is counted: `calendar` (the default) is wall-clock time; `business` is
 * working time in the flow's `calendar` (nights, days off and holidays do not count).
 */
export const TimeBasis = Type.Union([Type.Literal('calendar'), Type.Literal('business')], {
  description: 'business: counted in working hours of the flow calendar',
});
export type TimeBasis = Static<typeof TimeBasis>;

/** The key of a field: letters, digits and `_`, never `__proto__`, `constructor`, `prototype`. */
export const FieldKey = Type.String({
  pattern: `^${NOT_UNSAFE}[A-Za-z_][A-Za-z0-9_]*$`,
  maxLength: 64,
});

/**
 * A dot path into the order data (`customer.tier`, `lines.0.qty`); no segment may be
 * `__proto__`, `constructor` or `prototype`.
 */
export const DataPath = Type.String({
  pattern: `^${NOT_UNSAFE}[A-Za-z_][A-Za-z0-9_]*(?:\\.${NOT_UNSAFE}[A-Za-z0-9_]+)*$`,
});
export type DataPath = Static<typeof DataPath>;

// As NOT_UNSAFE, also before the `[]` of a per-line target.
const SAFE = '(?!(?:__proto__|constructor|prototype)(?:\\.|\\[|$))';
const SEGMENTS = `${SAFE}[A-Za-z_][A-Za-z0-9_]*(?:\\.${SAFE}[A-Za-z0-9_]+)*`;

/**
 * What a `set` writes: a dot path, or a per-line target `<array>[].<path>` (`lines[].bin`) —
 * the value computed for each element of the array, with the element's fields in scope.
 */
export const SetTarget = Type.String({ pattern: `^${SEGMENTS}(?:\\[\\]\\.${SEGMENTS})?$` });
export type SetTarget = Static<typeof SetTarget>;
