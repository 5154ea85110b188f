import { Checkbox, Input, Select, type SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleField } from '../model/rule-fields';
import {
  COMPUTED,
  type ComputedOp,
  type Literal,
  type Lookup,
  type Operand,
} from '../model/rule-model';
import { LookupEditor, type LookupSet } from './LookupEditor';

/** What a rule builder's rows offer: the flow's fields and the data sets. */
export type Ctx = { fields: RuleField[]; sets: LookupSet[] };

/** One of the builder's small selects, named for screen readers by `label`. */
export function Pick<V extends string>(props: {
  className: string;
  label: string;
  value: V;
  options: SelectProps<V>['options'];
  onChange(value: V): void;
}) {
  return (
    <Select<V>
      size="small"
      className={props.className}
      aria-label={props.label}
      popupMatchSelectWidth={false}
      value={props.value}
      options={props.options}
      onChange={props.onChange}
    />
  );
}

/** The value a comparison with the field starts from: yes/no fields compare with true, not "". */
export const blankValueOf = (field: RuleField | undefined): Literal =>
  field?.valueEditorType === 'checkbox' ? true : '';

/** A new lookup: the first data set, keyed by the first field, its first other column. */
export function newLookup(ctx: Ctx, first: string, withColumn: boolean): Lookup {
  const set = ctx.sets[0];
  const column = set?.columns.find((c) => c !== set.keyColumn);
  return {
    kind: 'lookup',
    set: set?.key ?? '',
    key: { kind: 'var', path: first },
    ...(withColumn && column !== undefined && { column }),
  };
}

/** How many operands a computed value starts with, and their kinds. */
function newComputed(op: ComputedOp, first: string): Operand {
  const field: Operand = { kind: 'var', path: first };
  const now: Operand = { kind: 'var', path: '$now' };
  const args: Record<ComputedOp, Operand[]> = {
    days_between: [field, now],
    hours_between: [field, now],
    date_add: [now, { kind: 'value', value: 'P1D' }],
    round: [field, { kind: 'value', value: 2 }],
    sum: [field],
    count: [field],
  };
  return { kind: 'computed', op, args: args[op] };
}

/** One side of a comparison: a field, a value, or a computed value of other operands. */
export function OperandEditor({
  operand,
  ctx,
  like,
  list,
  onChange,
}: {
  operand: Operand;
  ctx: Ctx;
  like?: RuleField;
  list?: boolean;
  onChange: (operand: Operand) => void;
}) {
  const { t } = useTranslation();
  const first = ctx.fields[0]?.name ?? '';
  const kind = operand.kind === 'computed' ? operand.op : operand.kind;
  const pick = (next: string) => {
    if (next === 'var') onChange({ kind: 'var', path: first });
    else if (next === 'value') onChange({ kind: 'value', value: '' });
    else if (next === 'lookup') onChange(newLookup(ctx, first, true));
    else onChange(newComputed(next as ComputedOp, first));
  };
  return (
    <span className="operand">
      <Pick<string>
        className="operand-kind"
        label={t('builder.pick.kind')}
        value={kind}
        onChange={pick}
        options={[
          { value: 'var', label: t('builder.kind.var') },
          { value: 'value', label: t('builder.kind.value') },
          { value: 'lookup', label: t('builder.kind.lookup') },
          {
            label: t('builder.kind.computed'),
            options: COMPUTED.map((op) => ({ value: op, label: t(`builder.computed.${op}`) })),
          },
        ]}
      />
      {operand.kind === 'var' && (
        <FieldSelect
          path={operand.path}
          fields={ctx.fields}
          onChange={(path) => onChange({ kind: 'var', path })}
        />
      )}
      {operand.kind === 'value' && (
        <ValueInput
          value={operand.value}
          like={like}
          list={list}
          onChange={(value) => onChange({ kind: 'value', value })}
        />
      )}
      {operand.kind === 'lookup' && (
        <LookupEditor
          lookup={operand}
          sets={ctx.sets}
          keyEditor={(key, change) => <OperandEditor operand={key} ctx={ctx} onChange={change} />}
          onChange={onChange}
        />
      )}
      {operand.kind === 'computed' && (
        <span className="operand-args">
          (
          {operand.args.map((arg, i) => (
            <OperandEditor
              key={i}
              operand={arg}
              ctx={ctx}
              onChange={(next) =>
                onChange({ ...operand, args: operand.args.map((a, j) => (j === i ? next : a)) })
              }
            />
          ))}
          )
        </span>
      )}
    </span>
  );
}

/** A field by path; a path the flow does not declare stays selectable, so it is never lost. */
export function FieldSelect({
  path,
  fields,
  onChange,
}: {
  path: string;
  fields: RuleField[];
  onChange: (path: string) => void;
}) {
  const { t } = useTranslation();
  const known = fields.some((f) => f.name === path);
  return (
    <Pick<string>
      className="rule-fields"
      label={t('builder.pick.field')}
      value={path}
      onChange={onChange}
      options={[
        ...(known ? [] : [{ value: path, label: path }]),
        ...fields.map((f) => ({ value: f.name, label: f.label })),
      ]}
    />
  );
}

/** Text typed into a value box as the literal the compared field expects. */
function parseScalar(text: string, like?: RuleField): Literal {
  if (like?.inputType === 'number' && text.trim() !== '' && Number.isFinite(Number(text)))
    return Number(text);
  return text;
}

function ValueInput({
  value,
  like,
  list,
  onChange,
}: {
  value: Literal;
  like?: RuleField;
  list?: boolean;
  onChange: (value: Literal) => void;
}) {
  const { t } = useTranslation();
  const shown = Array.isArray(value) ? value.join(', ') : value === null ? '' : String(value);
  const [text, setText] = useState(shown);
  // Keep what is typed ("1," on the way to "1, 2") unless the value changed from elsewhere.
  const typed = list
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .join(', ')
    : text;
  useEffect(() => {
    if (typed !== shown) setText(shown);
  }, [shown]);
  if (like?.valueEditorType === 'checkbox' && typeof value === 'boolean')
    return (
      <Checkbox
        className="rule-value"
        aria-label={t('builder.kind.value')}
        checked={value}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  const options = like?.values ? `values-${like.name}` : undefined;
  return (
    <>
      <Input
        size="small"
        className="rule-value"
        placeholder={list ? t('builder.listHint') : like?.inputType}
        list={options}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(
            list
              ? e.target.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean)
                  .map((s) => parseScalar(s, like) as string)
              : parseScalar(e.target.value, like),
          );
        }}
      />
      {options && (
        <datalist id={options}>
          {like!.values!.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </datalist>
      )}
    </>
  );
}
