import type { Label } from '@ordo/engine';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { labelIn } from '../model/flow-graph';
import type { Lookup, Operand } from '../model/rule-model';
import { Pick } from './RuleOperand';

/** A data set as the builder offers it: its key, title and columns. */
export interface LookupSet {
  key: string;
  title: Label;
  keyColumn: string;
  columns: string[];
}

// One list for every builder on the page, asked again after a failure.
let asked: Promise<LookupSet[]> | undefined;
function dataSets(): Promise<LookupSet[]> {
  asked ??= api<{
    items: { key: string; title: Label; keyColumn: string; columns: { name: string }[] }[];
  }>('GET', '/datasets')
    .then((r) => r.items.map((d) => ({ ...d, columns: d.columns.map((c) => c.name) })))
    .catch(() => {
      asked = undefined;
      return [];
    });
  return asked;
}

/** The data sets `lookup` may read (`GET /api/datasets`), empty until they are known. */
export function useLookupSets(): LookupSet[] {
  const [sets, setSets] = useState<LookupSet[]>([]);
  useEffect(() => {
    let live = true;
    void dataSets().then((list) => live && setSets(list));
    return () => {
      live = false;
    };
  }, []);
  return sets;
}

// No column: a name no column can have (the server refuses NUL in column names).
const EXISTS = '\u0000exists';

/**
 * A `lookup` as selects: the data set, the key (any operand: a field or a value) and the
 * column, or "has a row" for none. A set or column the list does not have stays selectable,
 * so loading a rule never changes it.
 */
export function LookupEditor({
  lookup,
  sets,
  clause,
  keyEditor,
  onChange,
}: {
  lookup: Lookup;
  sets: LookupSet[];
  /** On its own as a condition (the row exists, or the column's value holds). */
  clause?: boolean;
  keyEditor: (key: Operand, onChange: (key: Operand) => void) => ReactNode;
  onChange: (lookup: Lookup) => void;
}) {
  const { t, i18n } = useTranslation();
  const set = sets.find((s) => s.key === lookup.set);
  const columns = (set?.columns ?? []).filter((c) => c !== set?.keyColumn);
  const pickSet = (key: string) => {
    const next = sets.find((s) => s.key === key);
    const column =
      lookup.column === undefined
        ? undefined
        : (next?.columns.find((c) => c === lookup.column) ??
          next?.columns.find((c) => c !== next.keyColumn));
    const { column: _old, ...rest } = lookup;
    onChange({ ...rest, set: key, ...(column !== undefined && { column }) });
  };
  const pickColumn = (column: string) => {
    const { column: _old, ...rest } = lookup;
    onChange(column === EXISTS ? rest : { ...rest, column });
  };
  return (
    <span className="operand-lookup" data-testid="rule-lookup">
      <Pick<string>
        className="lookup-set"
        label={t('builder.lookup.set')}
        value={lookup.set}
        onChange={pickSet}
        options={[
          ...(set ? [] : [{ value: lookup.set, label: lookup.set || t('builder.lookup.noSet') }]),
          ...sets.map((s) => {
            const title = labelIn(s.title, i18n.language, s.key);
            return {
              value: s.key,
              label: title && title !== s.key ? `${title} (${s.key})` : s.key,
            };
          }),
        ]}
      />
      <span className="muted">{t('builder.lookup.key')}</span>
      {keyEditor(lookup.key, (key) => onChange({ ...lookup, key }))}
      <Pick<string>
        className="lookup-column"
        label={t('builder.lookup.column')}
        value={lookup.column ?? EXISTS}
        onChange={pickColumn}
        options={[
          { value: EXISTS, label: clause ? t('builder.lookup.exists') : t('builder.lookup.found') },
          ...(lookup.column !== undefined && !columns.includes(lookup.column)
            ? [{ value: lookup.column, label: lookup.column }]
            : []),
          ...columns.map((c) => ({ value: c, label: c })),
        ]}
      />
    </span>
  );
}
