import type { Field } from '../flow';
import type { Problem } from '../result';
import { pointer } from './json-pointer';

/** Checks one value; pushes problems found at `path`. */
type Check = (value: unknown, path: (string | number)[], problems: Problem[]) => void;

/** Validates order data against a flow's fields; returns the problems (empty when valid). */
export type DataValidator = (data: unknown) => Problem[];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const CURRENCY = /^[A-Z]{3}$/;

function problem(
  problems: Problem[],
  path: (string | number)[],
  code: string,
  message: string,
): void {
  problems.push({ path: pointer(path), code, message, severity: 'error' });
}

function isValidDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function rangeCheck(
  field: Field,
): (n: number, path: (string | number)[], problems: Problem[]) => void {
  const { min, max } = field;
  return (n, path, problems) => {
    if (min !== undefined && n < min)
      problem(problems, path, 'min', `${field.key} must be at least ${min}, was ${n}`);
    if (max !== undefined && n > max)
      problem(problems, path, 'max', `${field.key} must be at most ${max}, was ${n}`);
  };
}

function stringCheck(field: Field): Check {
  const regex = field.pattern !== undefined ? new RegExp(field.pattern, 'u') : undefined;
  return (value, path, problems) => {
    if (typeof value !== 'string')
      return problem(problems, path, 'type', `${field.key} must be a string, was ${kindOf(value)}`);
    if (field.minLength !== undefined && value.length < field.minLength)
      problem(
        problems,
        path,
        'minLength',
        `${field.key} must have at least ${field.minLength} characters`,
      );
    if (field.maxLength !== undefined && value.length > field.maxLength)
      problem(
        problems,
        path,
        'maxLength',
        `${field.key} must have at most ${field.maxLength} characters`,
      );
    if (regex && !regex.test(value))
      problem(
        problems,
        path,
        'pattern',
        `${field.key} must match ${field.pattern}, was ${JSON.stringify(value)}`,
      );
  };
}

function compileField(field: Field): Check {
  const range = rangeCheck(field);
  switch (field.type) {
    case 'string':
    case 'text':
      return stringCheck(field);
    case 'number':
    case 'integer': {
      const integer = field.type === 'integer';
      return (value, path, problems) => {
        if (
          typeof value !== 'number' ||
          !Number.isFinite(value) ||
          (integer && !Number.isInteger(value))
        )
          return problem(
            problems,
            path,
            'type',
            `${field.key} must be ${integer ? 'an integer' : 'a number'}, was ${JSON.stringify(value)}`,
          );
        range(value, path, problems);
      };
    }
    case 'boolean':
      return (value, path, problems) => {
        if (typeof value !== 'boolean')
          problem(
            problems,
            path,
            'type',
            `${field.key} must be true or false, was ${JSON.stringify(value)}`,
          );
      };
    case 'date':
      return (value, path, problems) => {
        if (typeof value !== 'string' || !isValidDate(value))
          problem(
            problems,
            path,
            'format',
            `${field.key} must be a date YYYY-MM-DD, was ${JSON.stringify(value)}`,
          );
      };
    case 'datetime':
      return (value, path, problems) => {
        if (typeof value !== 'string' || !DATETIME.test(value) || Number.isNaN(Date.parse(value)))
          problem(
            problems,
            path,
            'format',
            `${field.key} must be an ISO-8601 date-time with a zone, was ${JSON.stringify(value)}`,
          );
      };
    case 'enum': {
      const allowed = new Set(
        (field.options ?? []).map((o) => (typeof o === 'string' ? o : o.value)),
      );
      const list = [...allowed].join(', ');
      return (value, path, problems) => {
        if (typeof value !== 'string' || !allowed.has(value))
          problem(
            problems,
            path,
            'enum',
            `${field.key} must be one of ${list}, was ${JSON.stringify(value)}`,
          );
      };
    }
    case 'money':
      return compileMoney(field, range);
    case 'object': {
      const inner = compileFields(field.fields ?? []);
      return (value, path, problems) => {
        if (kindOf(value) !== 'object')
          return problem(
            problems,
            path,
            'type',
            `${field.key} must be an object, was ${kindOf(value)}`,
          );
        inner(value as Record<string, unknown>, path, problems);
      };
    }
    case 'array':
      return compileArray(field);
    default: {
      const unknownType: never = field.type;
      throw new Error(`Unknown field type ${String(unknownType)}`);
    }
  }
}

function compileMoney(field: Field, range: ReturnType<typeof rangeCheck>): Check {
  const currencies = field.currencies ? new Set(field.currencies) : undefined;
  return (value, path, problems) => {
    if (kindOf(value) !== 'object')
      return problem(
        problems,
        path,
        'type',
        `${field.key} must be money {amount, currency}, was ${kindOf(value)}`,
      );
    const { amount, currency, ...rest } = value as Record<string, unknown>;
    if (!Number.isInteger(amount))
      problem(
        problems,
        [...path, 'amount'],
        'type',
        `${field.key}.amount must be an integer in minor units (cents), was ${JSON.stringify(amount)}`,
      );
    else range(amount as number, [...path, 'amount'], problems);
    if (typeof currency !== 'string' || !CURRENCY.test(currency))
      problem(
        problems,
        [...path, 'currency'],
        'format',
        `${field.key}.currency must be an ISO-4217 code such as CNY, was ${JSON.stringify(currency)}`,
      );
    else if (currencies && !currencies.has(currency))
      problem(
        problems,
        [...path, 'currency'],
        'enum',
        `${field.key}.currency must be one of ${[...currencies].join(', ')}`,
      );
    for (const key of Object.keys(rest))
      problem(
        problems,
        [...path, key],
        'unknown_field',
        `money has only amount and currency, not ${key}`,
      );
  };
}

function compileArray(field: Field): Check {
  const element = field.items ? compileFields(field.items) : undefined;
  return (value, path, problems) => {
    if (!Array.isArray(value))
      return problem(problems, path, 'type', `${field.key} must be a list, was ${kindOf(value)}`);
    if (field.minItems !== undefined && value.length < field.minItems)
      problem(
        problems,
        path,
        'minItems',
        `${field.key} needs at least ${field.minItems} item(s), has ${value.length}`,
      );
    if (field.maxItems !== undefined && value.length > field.maxItems)
      problem(
        problems,
        path,
        'maxItems',
        `${field.key} allows at most ${field.maxItems} item(s), has ${value.length}`,
      );
    if (!element) return;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (kindOf(item) !== 'object')
        problem(
          problems,
          [...path, i],
          'type',
          `${field.key}[${i}] must be an object, was ${kindOf(item)}`,
        );
      else element(item as Record<string, unknown>, [...path, i], problems);
    }
  };
}

type ObjectCheck = (
  value: Record<string, unknown>,
  path: (string | number)[],
  problems: Problem[],
) => void;

function compileFields(fields: readonly Field[]): ObjectCheck {
  const checks = fields.map((f) => ({
    key: f.key,
    required: f.required === true,
    check: compileField(f),
  }));
  const known = new Set(fields.map((f) => f.key));
  return (value, path, problems) => {
    for (const { key, required, check } of checks) {
      const v = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
      if (v === undefined || v === null) {
        if (required) problem(problems, [...path, key], 'required', `${key} is required`);
      } else check(v, [...path, key], problems);
    }
    for (const key in value) {
      if (!known.has(key))
        problem(
          problems,
          [...path, key],
          'unknown_field',
          `${key} is not a field of this flow — remove it or add the field`,
        );
    }
  };
}

/**
 * Compiles a validator for order data from the flow's fields, once per flow. Problems point
 * at the offending value itself: a missing required field at its own path (`/customer/id`),
 * a bad line item at `/lines/0/qty`. Keys that are not fields are refused (`unknown_field`);
 * `null` counts as absent.
 */
export function compileDataValidator(fields: readonly Field[]): DataValidator {
  const root = compileFields(fields);
  return (data) => {
    const problems: Problem[] = [];
    if (kindOf(data) !== 'object')
      problem(problems, [], 'type', `order data must be an object, was ${kindOf(data)}`);
    else root(data as Record<string, unknown>, [], problems);
    return problems;
  };
}

/** Fills field defaults into data that lacks them (objects recursively, array items each). */
export function applyDefaults(
  fields: readonly Field[],
  data: Record<string, unknown>,
): Record<string, unknown> {
  let out = data;
  for (const field of fields) {
    const current = out[field.key];
    let next = current;
    if (current === undefined && field.default !== undefined)
      next = JSON.parse(JSON.stringify(field.default));
    else if (field.type === 'object' && field.fields && kindOf(current) === 'object')
      next = applyDefaults(field.fields, current as Record<string, unknown>);
    else if (field.type === 'array' && field.items && Array.isArray(current)) {
      const items = field.items;
      const mapped = current.map((item) =>
        kindOf(item) === 'object' ? applyDefaults(items, item) : item,
      );
      if (mapped.some((item, i) => item !== current[i])) next = mapped;
    }
    if (next !== current)
      out =
        out === data ? { ...data, [field.key]: next } : Object.assign(out, { [field.key]: next });
  }
  return out;
}
