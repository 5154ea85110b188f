import type { Flow } from '@ordo/engine';
import { Button, Checkbox } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ruleFields } from '../model/rule-fields';
import {
  COMPARISONS,
  loadRule,
  saveRule,
  type Clause,
  type Group,
  type RuleOp,
} from '../model/rule-model';
import { LookupEditor, useLookupSets } from './LookupEditor';
import { RawClause } from './RawClause';
import { blankValueOf, type Ctx, FieldSelect, newLookup, OperandEditor, Pick } from './RuleOperand';

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
        <Checkbox
          className="ruleGroup-not"
          checked={group.not}
          onChange={(e) => set({ not: e.target.checked })}
        >
          {t('builder.not')}
        </Checkbox>
        <Pick<'and' | 'or'>
          className="ruleGroup-combinators"
          label={t('builder.pick.combinator')}
          value={group.combinator}
          onChange={(combinator) => set({ combinator, bare: false })}
          options={[
            { value: 'and', label: t('builder.and') },
            { value: 'or', label: t('builder.or') },
          ]}
        />
        <Button
          size="small"
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
        </Button>
        <Button
          size="small"
          className="ruleGroup-addGroup"
          onClick={() =>
            add({ kind: 'group', combinator: 'and', not: false, bare: false, children: [] })
          }
        >
          {t('builder.addGroup')}
        </Button>
        <Button
          size="small"
          className="ruleGroup-addLookup"
          onClick={() => add({ kind: 'found', lookup: newLookup(ctx, first, false) })}
        >
          {t('builder.addLookup')}
        </Button>
        <Button
          size="small"
          className="ruleGroup-addRaw"
          onClick={() => add({ kind: 'raw', logic: { '==': [{ var: first }, true] } })}
        >
          {t('builder.addJson')}
        </Button>
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
    <Button
      size="small"
      type="text"
      danger
      className="rule-remove"
      aria-label={t('builder.remove')}
      onClick={onClick}
    >
      ×
    </Button>
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
          <Pick<'all' | 'some' | 'none'>
            className="rule-match"
            label={t('builder.pick.match')}
            value={clause.mode}
            onChange={(mode) => onChange({ ...clause, mode })}
            options={(['all', 'some', 'none'] as const).map((m) => ({
              value: m,
              label: t(`builder.quantifier.${m}`),
            }))}
          />
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
      <Pick<string>
        className="rule-operators"
        label={t('builder.pick.op')}
        value={shown}
        onChange={pickOp}
        options={[...COMPARISONS, ...MEMBERSHIP_OPS, 'between', 'isEmpty', 'notEmpty'].map(
          (op) => ({ value: op, label: t(`builder.ops.${op}`) }),
        )}
      />
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
