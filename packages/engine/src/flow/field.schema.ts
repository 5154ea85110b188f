import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { FieldKey, Label } from './common.schema';
import { OwnerSource, RoleList } from './ownership.schema';

/** The value types a field may have. */
export const FieldTypeName = Type.Union([
  Type.Literal('string'),
  Type.Literal('text'),
  Type.Literal('number'),
  Type.Literal('integer'),
  Type.Literal('boolean'),
  Type.Literal('date'),
  Type.Literal('datetime'),
  Type.Literal('enum'),
  Type.Literal('money'),
  Type.Literal('object'),
  Type.Literal('array'),
]);
export type FieldTypeName = Static<typeof FieldTypeName>;

/** One option of an enum field: a bare value or a value with a label. */
export const EnumOption = Type.Union([
  Type.String(),
  Type.Object(
    { value: Type.String(), label: Type.Optional(Label) },
    { additionalProperties: false },
  ),
]);
export type EnumOption = Static<typeof EnumOption>;

const fieldProperties = <T extends TSchema>(self: T) => ({
  key: FieldKey,
  type: FieldTypeName,
  label: Type.Optional(Label),
  description: Type.Optional(Label),
  required: Type.Optional(Type.Boolean()),
  /** number/integer/money: smallest allowed value (money: in minor units). */
  min: Type.Optional(Type.Number()),
  /** number/integer/money: largest allowed value (money: in minor units). */
  max: Type.Optional(Type.Number()),
  /** string/text: a regular expression the value must match. */
  pattern: Type.Optional(Type.String()),
  minLength: Type.Optional(Type.Integer({ minimum: 0 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
  /** enum: the allowed values. */
  options: Type.Optional(Type.Array(EnumOption, { minItems: 1 })),
  /** money: the allowed ISO-4217 currencies (any when absent). */
  currencies: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{3}$' }), { minItems: 1 })),
  /** object: the fields of the object. */
  fields: Type.Optional(Type.Array(self)),
  /** array: the fields of one element (an array of objects, such as order lines). */
  items: Type.Optional(Type.Array(self)),
  minItems: Type.Optional(Type.Integer({ minimum: 0 })),
  maxItems: Type.Optional(Type.Integer({ minimum: 0 })),
  /** A value given to the field on create when the order data has none. */
  default: Type.Optional(Type.Unknown()),
  /**
   * The roles whose people may set or change the field (and the fields inside it, unless they
   * say otherwise); anyone when absent. Admins always may; the system always may.
   */
  writableBy: Type.Optional(RoleList),
  /** `system`: a fact only the system sets (connector answers, webhooks, timers); no person. */
  source: Type.Optional(OwnerSource),
});

/**
 * A typed field of the order data. Object fields nest `fields`; array fields describe one
 * element with `items` (order lines). The engine derives the order-data JSON Schema from them.
 */
export const Field = Type.Recursive(
  (self) => Type.Object(fieldProperties(self), { additionalProperties: false }),
  { $id: 'Field' },
);

/** A typed field of the order data (see {@link Field} for the schema). */
export interface Field {
  key: string;
  type: FieldTypeName;
  label?: Label;
  description?: Label;
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  options?: EnumOption[];
  currencies?: string[];
  fields?: Field[];
  items?: Field[];
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  writableBy?: RoleList;
  source?: OwnerSource;
}
