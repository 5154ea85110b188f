import type { Field, Label } from '../flow';

/** A JSON Schema (draft-07 subset) object. */
export type JsonSchema = Record<string, unknown>;

const title = (label: Label | undefined, key: string): string =>
  label === undefined
    ? key
    : typeof label === 'string'
      ? label
      : (label.en ?? Object.values(label)[0] ?? key);

function fieldSchema(field: Field): JsonSchema {
  const base: JsonSchema = { title: title(field.label, field.key) };
  if (field.default !== undefined) base.default = field.default;
  switch (field.type) {
    case 'string':
    case 'text':
      return {
        ...base,
        type: 'string',
        minLength: field.minLength,
        maxLength: field.maxLength,
        pattern: field.pattern,
      };
    case 'number':
      return { ...base, type: 'number', minimum: field.min, maximum: field.max };
    case 'integer':
      return { ...base, type: 'integer', minimum: field.min, maximum: field.max };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'enum':
      return {
        ...base,
        type: 'string',
        enum: (field.options ?? []).map((o) => (typeof o === 'string' ? o : o.value)),
      };
    case 'money':
      return {
        ...base,
        type: 'object',
        required: ['amount', 'currency'],
        additionalProperties: false,
        properties: {
          amount: {
            type: 'integer',
            description: 'minor units (cents, fen)',
            minimum: field.min,
            maximum: field.max,
          },
          currency: field.currencies
            ? { type: 'string', enum: field.currencies }
            : { type: 'string', pattern: '^[A-Z]{3}$' },
        },
      };
    case 'object':
      return { ...base, ...objectSchema(field.fields ?? []) };
    case 'array':
      return {
        ...base,
        type: 'array',
        minItems: field.minItems,
        maxItems: field.maxItems,
        items: field.items ? objectSchema(field.items) : { type: 'object' },
      };
    default: {
      const unknownType: never = field.type;
      throw new Error(`Unknown field type ${String(unknownType)}`);
    }
  }
}

function objectSchema(fields: readonly Field[]): JsonSchema {
  const required = fields.filter((f) => f.required).map((f) => f.key);
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)])),
    ...(required.length ? { required } : {}),
  };
}

/**
 * The JSON Schema of a flow's order data, derived from its fields: for forms (the designer and
 * operator UI render it), API docs and external validation. The engine's own validator gives
 * the same verdicts with sharper messages.
 */
export function orderDataSchema(fields: readonly Field[]): JsonSchema {
  return JSON.parse(
    JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...objectSchema(fields) }),
  );
}
