import type { Flow } from '@ordo/engine';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatQuery, QueryBuilder, type RuleGroupType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import 'react-querybuilder/dist/query-builder.css';
import { ruleFields } from '../model/rule-fields';

const empty: RuleGroupType = { combinator: 'and', rules: [] };

/** `{ "and": [x] }` is just `x`: keep guards as short as people would write them. */
function unwrap(logic: unknown): unknown {
  if (logic && typeof logic === 'object' && !Array.isArray(logic)) {
    const [op] = Object.keys(logic);
    const args = (logic as Record<string, unknown>)[op];
    if ((op === 'and' || op === 'or') && Array.isArray(args) && args.length === 1)
      return unwrap(args[0]);
  }
  return logic;
}

/**
 * A guard as a visual rule builder: fields from the flow, operators by field type, nested
 * and/or groups. It reads and writes json-logic, so it stays in step with the JSON view.
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
  const { t, i18n } = useTranslation();
  const fields = useMemo(() => ruleFields(flow, i18n.language), [flow, i18n.language]);
  const parse = (value: unknown) =>
    value === undefined ? empty : parseJsonLogic(value as never, { fields });
  const [query, setQuery] = useState<RuleGroupType>(() => parse(logic));
  const emitted = useRef<string>(JSON.stringify(logic ?? null));

  useEffect(() => {
    // A change from elsewhere (the JSON view): show it.
    if (JSON.stringify(logic ?? null) !== emitted.current) {
      emitted.current = JSON.stringify(logic ?? null);
      setQuery(parse(logic));
    }
  }, [logic]);

  const representable = logic === undefined || query.rules.length > 0;
  if (!representable) return <p className="muted">{t('inspector.builderCannot')}</p>;
  return (
    <div className="rule-builder" data-testid="rule-builder">
      <QueryBuilder
        fields={fields}
        query={query}
        onQueryChange={(next) => {
          setQuery(next);
          const out = next.rules.length
            ? unwrap(formatQuery(next, { format: 'jsonlogic', parseNumbers: true }))
            : undefined;
          emitted.current = JSON.stringify(out ?? null);
          onChange(out);
        }}
        controlClassnames={{ queryBuilder: 'queryBuilder-branches' }}
      />
    </div>
  );
}
