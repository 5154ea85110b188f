import type { Field, Flow } from '@ordo/engine';
import { labelIn } from './flow-graph';

/** A field the rule builder offers, with the operators and editor its type allows. */
export type RuleField = {
  name: string;
  value: string;
  label: string;
  operators: Option[];
  valueEditorType?: 'text' | 'select' | 'checkbox';
  inputType?: 'number' | 'text' | 'date' | 'datetime-local';
  values?: Option[];
  /** List fields: a condition on all, some or none of their items (json-logic `all`/`some`/`none`). */
  matchModes?: ('all' | 'some' | 'none')[];
  /** List fields: what a condition on one item can test, relative to the item. */
  subproperties?: RuleField[];
};

/** An option of a select: name and value are the same. */
export type Option = {
  name: string;
  value: string;
  label: string;
};

// Only operators the rule builder exports as standard json-logic the engine understands.
const op = (name: string, label: string): Option => ({ name, value: name, label });
const EQUALITY = [
  op('=', '='),
  op('!=', '≠'),
  op('null', 'is empty'),
  op('notNull', 'is not empty'),
];
const ORDER = [op('<', '<'), op('<=', '≤'), op('>', '>'), op('>=', '≥'), op('between', 'between')];
const BY_TYPE: Record<string, Option[]> = {
  string: [
    ...EQUALITY,
    op('contains', 'contains'),
    op('in', 'is one of'),
    op('notIn', 'is not one of'),
  ],
  number: [...EQUALITY, ...ORDER],
  boolean: [op('=', '=')],
  date: [...EQUALITY, ...ORDER],
  enum: [
    op('=', '='),
    op('!=', '≠'),
    op('in', 'is one of'),
    op('notIn', 'is not one of'),
    op('null', 'is empty'),
    op('notNull', 'is not empty'),
  ],
};

function ruleField(path: string, field: Field, locale: string): RuleField | undefined {
  const label = labelIn(field.label, locale, path);
  switch (field.type) {
    case 'string':
    case 'text':
      return { name: path, value: path, label, operators: BY_TYPE.string };
    case 'number':
    case 'integer':
      return { name: path, value: path, label, operators: BY_TYPE.number, inputType: 'number' };
    case 'boolean':
      return {
        name: path,
        value: path,
        label,
        operators: BY_TYPE.boolean,
        valueEditorType: 'checkbox',
      };
    case 'date':
      return { name: path, value: path, label, operators: BY_TYPE.date, inputType: 'date' };
    case 'datetime':
      return {
        name: path,
        value: path,
        label,
        operators: BY_TYPE.date,
        inputType: 'datetime-local',
      };
    case 'enum': {
      const values = (field.options ?? []).map((o) =>
        typeof o === 'string' ? op(o, o) : op(o.value, labelIn(o.label, locale, o.value)),
      );
      return {
        name: path,
        value: path,
        label,
        operators: BY_TYPE.enum,
        valueEditorType: 'select',
        values,
      };
    }
    default:
      return undefined;
  }
}

/** The fields a condition can test, as dot paths from `prefix` (scalars, objects, money). */
function scalarFields(fields: readonly Field[], locale: string, prefix = ''): RuleField[] {
  const out: RuleField[] = [];
  const walk = (fields: readonly Field[], prefix: string) => {
    for (const f of fields) {
      const path = prefix + f.key;
      if (f.type === 'object') walk(f.fields ?? [], `${path}.`);
      else if (f.type === 'array') {
        // Order lines and other lists: a condition on all, some or none of their items.
        const items = scalarFields(f.items ?? [], locale);
        if (items.length)
          out.push({
            name: path,
            value: path,
            label: labelIn(f.label, locale, path),
            operators: [op('=', '=')],
            matchModes: ['all', 'some', 'none'],
            subproperties: items,
          });
      } else if (f.type === 'money') {
        out.push({
          name: `${path}.amount`,
          value: `${path}.amount`,
          label: `${labelIn(f.label, locale, path)} (amount)`,
          operators: BY_TYPE.number,
          inputType: 'number',
        });
        out.push({
          name: `${path}.currency`,
          value: `${path}.currency`,
          label: `${labelIn(f.label, locale, path)} (currency)`,
          operators: BY_TYPE.string,
        });
      } else {
        const rule = ruleField(path, f, locale);
        if (rule) out.push(rule);
      }
    }
  };
  walk(fields, prefix);
  return out;
}

/**
 * The fields a guard can test, as dot paths: scalar fields, nested object fields, money
 * amounts and currencies, lists (all/some/none of their items), and the context values
 * (`$actor.id`, `$order.state`, `$now`).
 */
export function ruleFields(flow: Flow, locale = 'en'): RuleField[] {
  const out = scalarFields(Array.isArray(flow.fields) ? flow.fields : [], locale);
  out.push(
    { name: '$actor.id', value: '$actor.id', label: '$actor.id', operators: BY_TYPE.string },
    {
      name: '$actor.roles',
      value: '$actor.roles',
      label: '$actor.roles',
      operators: [op('contains', 'contains')],
    },
    {
      name: '$order.state',
      value: '$order.state',
      label: '$order.state',
      operators: BY_TYPE.string,
    },
    {
      name: '$now',
      value: '$now',
      label: '$now',
      operators: BY_TYPE.date,
      inputType: 'datetime-local',
    },
  );
  return out;
}
