import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '@ordo/engine';
import { api } from '../../api';
import { ListTable } from '../../components/ListTable';
import {
  type Analytics,
  type ComparisonRow,
  compareAnalytics,
  formatDuration,
  formatShare,
} from '../../model/analytics-view';
import { messageOf } from '../integrations/message-of';
import { flowLabels } from './Dashboard';
import { analyticsQuery, type DashboardFilter } from './use-analytics';

/** A period of the comparison: its dates and which orders (imported baseline or Ordo's). */
interface Period {
  from: string;
  to: string;
  origin: 'imported' | 'ordo' | '';
}

/**
 * The brief's before/after table for the user's own company: a baseline period (by default the
 * imported legacy log) beside an Ordo period (by default the dashboard's window), on every
 * measure, counter, the cycle time and the share of exceptions the system settled, with the
 * absolute and relative change.
 */
export function BeforeAfter({
  flowKey,
  flow,
  figures,
  filter,
}: {
  flowKey: string;
  flow: Flow | undefined;
  figures: Analytics;
  filter: DashboardFilter;
}) {
  const { t, i18n } = useTranslation();
  const label = flowLabels(flow, i18n.language);
  const [before, setBefore] = useState<Period>(() =>
    figures.baseline
      ? {
          from: figures.baseline.from.slice(0, 10),
          to: figures.baseline.to.slice(0, 10),
          origin: 'imported',
        }
      : { from: filter.from, to: filter.to, origin: '' },
  );
  const [after, setAfter] = useState<Period>({ from: filter.from, to: filter.to, origin: 'ordo' });
  const [rows, setRows] = useState<ComparisonRow[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const get = (p: Period) =>
      api<Analytics>(
        'GET',
        `/flows/${flowKey}/analytics?${analyticsQuery({
          ...filter,
          from: p.from,
          to: p.to,
          origin: p.origin || undefined,
        })}`,
      );
    setError(undefined);
    Promise.all([get(before), get(after)])
      .then(([b, a]) => setRows(compareAnalytics(b, a)))
      .catch((e) => setError(messageOf(e)));
  }, [flowKey, filter, before, after]);

  const show = (unit: ComparisonRow['unit'], v: number | null) =>
    v === null
      ? '—'
      : unit === 'duration'
        ? formatDuration(Math.abs(v), i18n.language)
        : unit === 'share'
          ? formatShare(Math.abs(v))
          : String(Math.abs(v));
  const signed = (r: ComparisonRow) =>
    r.change === null
      ? '—'
      : `${r.change < 0 ? '−' : r.change > 0 ? '+' : ''}${show(r.unit, r.change)}`;
  const name = (r: ComparisonRow) =>
    r.kind === 'orders'
      ? t('analytics.created')
      : r.kind === 'cycle'
        ? t('analytics.cycleTime')
        : r.kind === 'automatic'
          ? t('analytics.automaticShare')
          : r.kind === 'target'
            ? `${label(r.id)} · ${t('analytics.chart.withinTarget')}`
            : r.kind === 'counter'
              ? `${label(r.id)} · ${t('analytics.perOrder')}`
              : `${label(r.id)} · p50`;

  const periodInputs = (p: Period, set: (p: Period) => void, name: string) => (
    <fieldset className="inline">
      <legend>{t(`analytics.compare.${name}`)}</legend>
      <input
        type="date"
        name={`${name}-from`}
        value={p.from}
        onChange={(e) => e.target.value && set({ ...p, from: e.target.value })}
      />
      <input
        type="date"
        name={`${name}-to`}
        value={p.to}
        onChange={(e) => e.target.value && set({ ...p, to: e.target.value })}
      />
      <select
        name={`${name}-origin`}
        value={p.origin}
        onChange={(e) => set({ ...p, origin: e.target.value as Period['origin'] })}
      >
        <option value="">{t('analytics.origin.all')}</option>
        <option value="imported">{t('analytics.origin.imported')}</option>
        <option value="ordo">{t('analytics.origin.ordo')}</option>
      </select>
    </fieldset>
  );

  return (
    <section className="before-after">
      {!figures.baseline && <p className="muted">{t('analytics.compare.noBaseline')}</p>}
      <div className="inline">
        {periodInputs(before, setBefore, 'before')}
        {periodInputs(after, setAfter, 'after')}
      </div>
      {error && <p className="error">{error}</p>}
      {rows && (
        <ListTable<(typeof rows)[number]>
          className="figures"
          data-testid="before-after"
          size="small"
          rowKey={(r) => `${r.kind}:${r.id}`}
          onRow={(r) => ({ 'data-row': `${r.kind}:${r.id}` }) as object}
          dataSource={rows}
          columns={[
            { key: 'name', render: (_, r) => name(r) },
            {
              key: 'before',
              title: t('analytics.compare.before'),
              render: (_, r) => show(r.unit, r.before),
            },
            {
              key: 'after',
              title: t('analytics.compare.after'),
              render: (_, r) => show(r.unit, r.after),
            },
            { key: 'change', title: t('analytics.compare.change'), render: (_, r) => signed(r) },
            {
              key: 'relative',
              title: t('analytics.compare.relative'),
              render: (_, r) =>
                r.relative === null
                  ? '—'
                  : `${r.relative > 0 ? '+' : r.relative < 0 ? '−' : ''}${formatShare(Math.abs(r.relative))}`,
            },
          ]}
        />
      )}
    </section>
  );
}
