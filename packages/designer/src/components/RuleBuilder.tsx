import type { Flow } from '@ordo/engine';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ruleFields, type RuleField } from '../model/rule-fields';
import {
  COMPARISONS,
  COMPUTED,
  loadRule,
  saveRule,
  type Clause,
  type ComputedOp,
  type Group,
  type Literal,
  type Lookup,
  type Operand,
  type RuleOp,
} from '../model/rule-model';
import { LookupEditor, type LookupSet, useLookupSets } from './LookupEditor';
import { RawClause } from './RawClause';

type Ctx = { fields: RuleField[]; sets: LookupSet[] };

/**
 * A guard as a visual rule builder: nested and/or/not groups, comparisons of a field with a
 * value, another field or a computed value (days between, date plus duration, sum, count…),
 * `in` lists, lookups in a data set (a column's value, or whether a row exists), and any other
 * clause as an editable json-logic block — never dropped. It only
 * writes when someone edits: showing a guard never rewrites it.
 */
export function RuleBuilder({
  flow,
  logic,
  onChange,
}: {
  flow: Flow;
  logic: unknown;
  onChange: (logic: unknown) => void;
}) {
  const { i18n } = useTranslation();
  const fields = useMemo(() => ruleFields(flow, i18n.language), [flow, i18n.language]);
  const sets = useLookupSets();
  const [model, setModel] = useState<Group>(() => loadRule(logic));
  const emitted = useRef<string>(JSON.stringify(logic ?? null));
  useEffect(() => {
    // A change from elsewhere (the JSON view, another transition): show it.
    if (JSON.stringify(logic ?? null) !== emitted.current) {
      emitted.current = JSON.stringify(logic ?? null);
      setModel(loadRule(logic));
    }
  }, [logic]);
  const edit = (next: Clause) => {
    const group = next as Group;
    setModel(group);
    const out = saveRule(group);
    emitted.current = JSON.stringify(out ?? null);
    onChange(out);
  };
  return (
    <div className="rule-builder" data-testid="rule-builder">
      <GroupEditor group={model} ctx={{ fields, sets }} onChange={edit} root />
    </div>
  );
}

function GroupEditor({
  group,
  ctx,
  onChange,
  onRemove,
  root,
}: {
  group: Group;
  ctx: Ctx;
  onChange: (group: Clause) => void;
  onRemove?: () => void;
  root?: boolean;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<Group>) => onChange({ ...group, ...patch });
  const setChild = (i: number, child: Clause) =>
    set({ children: group.children.map((c, j) => (j === i ? child : c)) });
  const add = (child: Clause) => set({ children: [...group.children, child] });
  const first = ctx.fields[0]?.name ?? '';
  return (
    <div className={`ruleGroup${root ? ' ruleGroup-root' : ''}`}>
      <div className="ruleGroup-header">
        <label className="check">
          <input
            type="checkbox"
            className="ruleGroup-not"
            checked={group.not}
            onChange={(e) => set({ not: e.target.checked })}
          />
          {t('builder.not')}
        </label>
        <select
          className="ruleGroup-combinators"
          aria-label={t('builder.and')}
          value={group.combinator}
          onChange={(e) => set({ combinator: e.target.value as 'and' | 'or', bare: false })}
        >
          <option value="and">{t('builder.and')}</option>
          <option value="or">{t('builder.or')}</option>
        </select>
        <button
          type="button"
          className="ruleGroup-addRule"
          onClick={() =>
            add({
              kind: 'rule',
              op: '==',
              left: { kind: 'var', path: first },
              right: { kind: 'value', value: ctx.fields[0] ? blankValueOf(ctx.fields[0]) : '' },
            })
          }
        >
          {t('builder.addRule')}
        </button>
        <button
          type="button"
          className="ruleGroup-addGroup"
          onClick={() =>
            add({ kind: 'group', combinator: 'and', not: false, bare: false, children: [] })
          }
        >
          {t('builder.addGroup')}
        </button>
        <button
          type="button"
          className="ruleGroup-addLookup"
          onClick={() => add({ kind: 'found', lookup: newLookup(ctx, first, false) })}
        >
          {t('builder.addLookup')}
        </button>
        <button
          type="button"
          className="ruleGroup-addRaw"
          onClick={() => add({ kind: 'raw', logic: { '==': [{ var: first }, true] } })}
        >
          {t('builder.addJson')}
        </button>
        {onRemove && <RemoveButton onClick={onRemove} />}
      </div>
      {root && group.children.length === 0 && <p className="muted">{t('builder.empty')}</p>}
      <div className="ruleGroup-body">
        {group.children.map((child, i) => (
          <ClauseEditor
            key={i}
            clause={child}
            ctx={ctx}
            onChange={(next) => setChild(i, next)}
            onRemove={() => set({ children: group.children.filter((_, j) => j !== i) })}
          />
        ))}
      </div>
    </div>
  );
}

function RemoveButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="rule-remove"
      aria-label={t('builder.remove')}
      onClick={onClick}
    >
      ×
    </button>
  );
}

function ClauseEditor({
  clause,
  ctx,
  onChange,
  onRemove,
}: {
  clause: Clause;
  ctx: Ctx;
  onChange: (clause: Clause) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  switch (clause.kind) {
    case 'group':
      return <GroupEditor group={clause} ctx={ctx} onChange={onChange} onRemove={onRemove} />;
    case 'raw':
      return (
        <RawClause logic={clause.logic} onChange={(logic) => onChange({ kind: 'raw', logic })}>
          <RemoveButton onClick={onRemove} />
        </RawClause>
      );
    case 'quantifier': {
      const list = ctx.fields.find((f) => f.name === clause.list);
      return (
        <div className="rule rule-quantifier">
          <select
            className="rule-match"
            value={clause.mode}
            onChange={(e) => onChange({ ...clause, mode: e.target.value as 'all' })}
          >
            {(['all', 'some', 'none'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`builder.quantifier.${m}`)}
              </option>
            ))}
          </select>
          <FieldSelect
            path={clause.list}
            fields={ctx.fields.filter((f) => f.subproperties)}
            onChange={(path) => onChange({ ...clause, list: path })}
          />
          <RemoveButton onClick={onRemove} />
          <GroupEditor
            group={clause.body}
            ctx={{ ...ctx, fields: list?.subproperties ?? [] }}
            onChange={(body) => onChange({ ...clause, body: body as Group })}
          />
        </div>
      );
    }
    case 'between':
      return (
        <div className="rule">
          <OperandEditor
            operand={clause.value}
            ctx={ctx}
            onChange={(value) => onChange({ ...clause, value })}
          />
          <span>{t('builder.ops.between')}</span>
          <OperandEditor
            operand={clause.low}
            ctx={ctx}
            onChange={(low) => onChange({ ...clause, low })}
          />
          <span>{clause.op === '<' ? '<…<' : '≤…≤'}</span>
          <OperandEditor
            operand={clause.high}
            ctx={ctx}
            onChange={(high) => onChange({ ...clause, high })}
          />
          <RemoveButton onClick={onRemove} />
        </div>
      );
    case 'rule':
      return <RuleRow rule={clause} ctx={ctx} onChange={onChange} onRemove={onRemove} />;
    case 'found':
      return (
        <div className="rule rule-found">
          <LookupEditor
            lookup={clause.lookup}
            sets={ctx.sets}
            clause
            keyEditor={(key, change) => <OperandEditor operand={key} ctx={ctx} onChange={change} />}
            onChange={(lookup) => onChange({ ...clause, lookup })}
          />
          <RemoveButton onClick={onRemove} />
        </div>
      );
  }
}

type Rule = Extract<Clause, { kind: 'rule' }>;

/** The value a comparison with the field starts from: yes/no fields compare with true, not "". */
const blankValueOf = (field: RuleField | undefined): Literal =>
  field?.valueEditorType === 'checkbox' ? true : '';
const MEMBERSHIP_OPS = ['in', 'not_in', 'contains', 'not_contains'] as const;

/** The operator as the select shows it: `= null` is "is empty". */
function shownOp(rule: Rule): string {
  const isNull = rule.right.kind === 'value' && rule.right.value === null;
  if (isNull && rule.op === '==') return 'isEmpty';
  if (isNull && rule.op === '!=') return 'notEmpty';
  return rule.op;
}

function RuleRow({
  rule,
  ctx,
  onChange,
  onRemove,
}: {
  rule: Rule;
  ctx: Ctx;
  onChange: (clause: Clause) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const shown = shownOp(rule);
  const pickOp = (op: string) => {
    if (op === 'isEmpty' || op === 'notEmpty')
      return onChange({
        ...rule,
        op: op === 'isEmpty' ? '==' : '!=',
        right: { kind: 'value', value: null },
      });
    if (op === 'between')
      return onChange({
        kind: 'between',
        op: '<=',
        low: { kind: 'value', value: 0 },
        value: rule.left,
        high: { kind: 'value', value: 0 },
      });
    const right =
      rule.right.kind === 'value' && rule.right.value === null
        ? { kind: 'value' as const, value: '' }
        : rule.right;
    onChange({ ...rule, op: op as RuleOp, right });
  };
  const leftField =
    rule.left.kind === 'var'
      ? ctx.fields.find((f) => f.name === (rule.left as { path: string }).path)
      : undefined;
  const list = rule.op === 'in' || rule.op === 'not_in';
  return (
    <div className="rule">
      <OperandEditor
        operand={rule.left}
        ctx={ctx}
        onChange={(left) => {
          // A yes/no field compared with a typed value: the value becomes a yes/no box
          // (a text "true" would never equal the field's true).
          const field =
            left.kind === 'var' ? ctx.fields.find((f) => f.name === left.path) : undefined;
          const retype =
            rule.right.kind === 'value' &&
            field?.valueEditorType === 'checkbox' &&
            typeof rule.right.value !== 'boolean' &&
            rule.right.value !== null;
          onChange({
            ...rule,
            left,
            right: retype ? { kind: 'value', value: blankValueOf(field) } : rule.right,
          });
        }}
      />
      <select className="rule-operators" value={shown} onChange={(e) => pickOp(e.target.value)}>
        {[...COMPARISONS, ...MEMBERSHIP_OPS, 'between', 'isEmpty', 'notEmpty'].map((op) => (
          <option key={op} value={op}>
            {t(`builder.ops.${op}`)}
          </option>
        ))}
      </select>
      {shown !== 'isEmpty' && shown !== 'notEmpty' && (
        <OperandEditor
          operand={rule.right}
          ctx={ctx}
          like={leftField}
          list={list}
          onChange={(right) => onChange({ ...rule, right })}
        />
      )}
      <RemoveButton onClick={onRemove} />
    </div>
  );
}

/** A new lookup: the first data set, keyed by the first field, its first other column. */
function newLookup(ctx: Ctx, first: string, withColumn: boolean): Lookup {
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
function OperandEditor({
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
      <select className="operand-kind" value={kind} onChange={(e) => pick(e.target.value)}>
        <option value="var">{t('builder.kind.var')}</option>
        <option value="value">{t('builder.kind.value')}</option>
        <option value="lookup">{t('builder.kind.lookup')}</option>
        <optgroup label={t('builder.kind.computed')}>
          {COMPUTED.map((op) => (
            <option key={op} value={op}>
              {t(`builder.computed.${op}`)}
            </option>
          ))}
        </optgroup>
      </select>
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
function FieldSelect({
  path,
  fields,
  onChange,
}: {
  path: string;
  fields: RuleField[];
  onChange: (path: string) => void;
}) {
  const known = fields.some((f) => f.name === path);
  return (
    <select className="rule-fields" value={path} onChange={(e) => onChange(e.target.value)}>
      {!known && <option value={path}>{path}</option>}
      {fields.map((f) => (
        <option key={f.name} value={f.name}>
          {f.label}
        </option>
      ))}
    </select>
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
      <input
        type="checkbox"
        className="rule-value"
        checked={value}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  const options = like?.values ? `values-${like.name}` : undefined;
  return (
    <>
      <input
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
