import { useContext, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '@ordo/engine';
import { EChart } from '../../components/EChart';
import { ListTable } from '../../components/ListTable';
import {
  type ChartWords,
  exceptionsChart,
  measuresChart,
  slaChart,
  type VolumeBucket,
  volumeChart,
} from '../../model/analytics-charts';
import {
  type Analytics,
  formatDuration,
  formatShare,
  ordersLink,
} from '../../model/analytics-view';
import { labelIn } from '../../model/flow-graph';
import { analyticsQuery, type DashboardFilter } from './use-analytics';
import { CsvLink } from './CsvLink';
import { SimulatedRun } from './simulated-run';

type Measure = Analytics['measures'][number];
type StateFigure = Analytics['states'][number];
/** The props every figures table shares (its test id names it). */
const figures = (testId: string) => ({
  className: 'figures',
  'data-testid': testId,
  size: 'small' as const,
});

/** The words of the charts in the page's language. */
export function useChartWords(): ChartWords {
  const { t } = useTranslation();
  return useMemo(
    () =>
      Object.fromEntries(
        (
          [
            'created',
            'completed',
            'cycleP50',
            'p50',
            'p90',
            'target',
            'withinTarget',
            'attainment',
            'automatic',
            'byPerson',
            'open',
            'hours',
          ] as const
        ).map((k) => [k, t(`analytics.chart.${k}`)]),
      ) as unknown as ChartWords,
    [t],
  );
}

/** Labels of a flow's states, measures and counters in a locale. */
export function flowLabels(flow: Flow | undefined, locale: string) {
  const named = new Map<string, unknown>();
  for (const s of flow?.states ?? []) named.set(s.id, s.label);
  for (const m of flow?.measures ?? []) named.set(m.id, m.label);
  for (const c of flow?.counters ?? []) named.set(c.id, c.label);
  return (id: string) => labelIn(named.get(id) as never, locale, id);
}

/**
 * KPI cards, charts (volume and cycle time, measures against targets, SLA attainment,
 * exceptions) and the tables behind them; every count opens the orders behind it.
 */
export function Dashboard({
  flowKey,
  flow,
  figures: a,
  volume,
  filter,
}: {
  flowKey: string;
  flow: Flow | undefined;
  figures: Analytics;
  volume: VolumeBucket[];
  filter: DashboardFilter;
}) {
  const { t, i18n } = useTranslation();
  const words = useChartWords();
  const label = flowLabels(flow, i18n.language);
  // ≈: percentiles from the period sums' buckets, within 1% (docs/analytics.md).
  const dur = (ms: number | null | undefined, approximate?: boolean) =>
    `${approximate && ms !== null && ms !== undefined ? '≈' : ''}${formatDuration(ms, i18n.language)}`;
  const q = analyticsQuery(filter);
  const span = { from: q.get('from')!, to: q.get('to')! };
  const scope = { channel: filter.channel, customer: filter.customer };
  // A simulated run's orders are gone with its database: its counts open nothing.
  const simulated = useContext(SimulatedRun);
  const go = (extra: Record<string, string | undefined>) => {
    if (!simulated) window.location.hash = ordersLink(flowKey, { ...scope, ...extra });
  };
  const link = (extra: Record<string, string | undefined>) =>
    simulated ? undefined : ordersLink(flowKey, { ...scope, ...extra });
  // The median and the 90th percentile of a measure's or a state's time, as columns.
  type Timed = { time: Measure['time'] };
  const percentiles = (['p50', 'p90'] as const).map((p) => ({
    key: p,
    title: p,
    render: (_: unknown, x: Timed) => dur(x.time[`${p}Ms`], x.time.approximate),
  }));
  const sla = a.sla.reduce((acc, s) => [acc[0] + s.attained, acc[1] + s.breached], [0, 0]);

  const volumeOption = useMemo(() => volumeChart(volume, words), [volume, words]);
  const measuresOption = useMemo(() => measuresChart(a, label, words), [a, label, words]);
  const slaOption = useMemo(() => slaChart(a, label, words), [a, label, words]);
  const exceptionsOption = useMemo(() => exceptionsChart(a, label, words), [a, label, words]);

  return (
    <>
      <section className="kpis" data-testid="kpis">
        <a className="kpi" href={link({ createdFrom: span.from, createdTo: span.to })}>
          <span>{t('analytics.created')}</span>
          <strong data-kpi="created">{a.orders.created}</strong>
        </a>
        <a className="kpi" href={link({ completed: 'true', ...span })}>
          <span>{t('analytics.completed')}</span>
          <strong data-kpi="completed">{a.orders.completed}</strong>
        </a>
        <a className="kpi" href={link({ completed: 'false', ...span })}>
          <span>{t('analytics.open')}</span>
          <strong data-kpi="open">{a.orders.open}</strong>
        </a>
        <div className="kpi">
          <span>{t('analytics.cycleTime')}</span>
          <strong data-kpi="cycle">{dur(a.cycleTime.p50Ms, a.cycleTime.approximate)}</strong>
          <small>p90 {dur(a.cycleTime.p90Ms, a.cycleTime.approximate)}</small>
        </div>
        <div className="kpi">
          <span>{t('analytics.automaticShare')}</span>
          <strong data-kpi="automatic">{formatShare(a.exceptions.automaticShare)}</strong>
          <small>{t('analytics.exceptionsOpened', { count: a.exceptions.opened })}</small>
        </div>
        <div className="kpi">
          <span>{t('analytics.slaAttainment')}</span>
          <strong data-kpi="sla">
            {formatShare(sla[0] + sla[1] ? sla[0] / (sla[0] + sla[1]) : null)}
          </strong>
        </div>
      </section>

      <section className="charts">
        <figure>
          <figcaption>{t('analytics.volume')}</figcaption>
          <EChart option={volumeOption} label={t('analytics.volume')} />
        </figure>
        {a.measures.length > 0 && (
          <figure>
            <figcaption>{t('analytics.measures')}</figcaption>
            <EChart
              option={measuresOption}
              label={t('analytics.measures')}
              onPick={(i) => go({ measure: a.measures[i]?.id, over: 'true', ...span })}
            />
          </figure>
        )}
        {a.sla.length > 0 && (
          <figure>
            <figcaption>{t('analytics.sla')}</figcaption>
            <EChart
              option={slaOption}
              label={t('analytics.sla')}
              onPick={(i) => go({ enteredState: a.sla[i]?.state, ...span })}
            />
          </figure>
        )}
        {a.exceptions.byKind.length > 0 && (
          <figure>
            <figcaption>{t('analytics.exceptions')}</figcaption>
            <EChart
              option={exceptionsOption}
              label={t('analytics.exceptions')}
              onPick={(i) => {
                const k = a.exceptions.byKind[i];
                if (k?.source === 'state') go({ enteredState: k.kind, ...span });
                else window.location.hash = '#/tasks';
              }}
            />
          </figure>
        )}
      </section>

      <section>
        <h2>
          {t('analytics.measures')} <CsvLink flowKey={flowKey} filter={filter} table="measures" />
        </h2>
        <ListTable<Measure>
          {...figures('measures')}
          rowKey="id"
          dataSource={a.measures}
          columns={[
            { key: 'measure', title: t('analytics.measure'), render: (_, m) => label(m.id) },
            {
              key: 'count',
              title: t('analytics.count'),
              render: (_, m) => <a href={link({ measure: m.id, ...span })}>{m.count}</a>,
            },
            ...percentiles,
            {
              key: 'target',
              title: t('analytics.chart.target'),
              render: (_, m) => m.target ?? '—',
            },
            {
              key: 'within',
              title: t('analytics.chart.withinTarget'),
              render: (_, m) =>
                m.target ? (
                  <a href={link({ measure: m.id, over: 'true', ...span })}>
                    {formatShare(m.withinTarget)}
                  </a>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </section>

      <section className="two-columns">
        <div>
          <h2>
            {t('analytics.states')} <CsvLink flowKey={flowKey} filter={filter} table="states" />
          </h2>
          <ListTable<StateFigure>
            {...figures('states')}
            rowKey="state"
            dataSource={a.states}
            columns={[
              { key: 'state', title: t('analytics.state'), render: (_, x) => label(x.state) },
              {
                key: 'entered',
                title: t('analytics.entered'),
                render: (_, x) => (
                  <a href={link({ enteredState: x.state, ...span })}>{x.entered}</a>
                ),
              },
              ...percentiles,
            ]}
          />
        </div>
        <div>
          <h2>
            {t('analytics.counters')} <CsvLink flowKey={flowKey} filter={filter} table="counters" />
          </h2>
          <ListTable<Analytics['counters'][number]>
            {...figures('counters')}
            showHeader={false}
            dataSource={a.counters}
            columns={[
              { key: 'counter', render: (_, c) => label(c.id) },
              {
                key: 'count',
                render: (_, c) => <a href={link({ counter: c.id, ...span })}>{c.count}</a>,
              },
            ]}
          />
          <h2>
            {t('analytics.channels')} <CsvLink flowKey={flowKey} filter={filter} table="channels" />
          </h2>
          <ListTable<Analytics['channels'][number]>
            {...figures('channels')}
            showHeader={false}
            rowKey="channel"
            dataSource={a.channels}
            columns={[
              { key: 'channel', dataIndex: 'channel' },
              {
                key: 'orders',
                render: (_, c) => (
                  <a
                    href={link({ channel: c.channel, createdFrom: span.from, createdTo: span.to })}
                  >
                    {c.orders}
                  </a>
                ),
              },
            ]}
          />
        </div>
      </section>

      <section>
        <h2>
          {t('analytics.transitions')}{' '}
          <CsvLink flowKey={flowKey} filter={filter} table="transitions" />
        </h2>
        <ListTable<Analytics['transitions'][number]>
          {...figures('transitions')}
          showHeader={false}
          rowKey={(x) => `${x.from}>${x.to}:${x.event}`}
          dataSource={a.transitions}
          columns={[
            { key: 'move', render: (_, x) => `${label(x.from)} → ${label(x.to)}` },
            { key: 'event', render: (_, x) => <code>{x.event ?? 'auto'}</code> },
            {
              key: 'count',
              render: (_, x) => <a href={link({ enteredState: x.to, ...span })}>{x.count}</a>,
            },
          ]}
        />
      </section>
    </>
  );
}
