import { Button, DatePicker, Input, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReactFlowProvider } from '@xyflow/react';
import { labelIn } from '../../model/flow-graph';
import { BeforeAfter } from './BeforeAfter';
import { CustomerHealthReport } from './CustomerHealthReport';
import { Dashboard } from './Dashboard';
import { HeatMap } from './HeatMap';
import { SimulatedRuns } from './SimulatedRuns';
import { type DashboardFilter, defaultFilter, useAnalytics } from './use-analytics';

const VIEWS = ['dashboard', 'heatmap', 'compare', 'report', 'simulations'] as const;
type View = (typeof VIEWS)[number];

/** The filter a link carries (`#/analytics/<flow>/<view>?from&to&channel&customer&origin`). */
function filterFromHash(): DashboardFilter {
  const p = new URLSearchParams(window.location.hash.split('?')[1]);
  const f = defaultFilter();
  const date = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  const origin = p.get('origin');
  return {
    from: date(p.get('from')) ?? f.from,
    to: date(p.get('to')) ?? f.to,
    ...(p.get('channel') && { channel: p.get('channel')! }),
    ...(p.get('customer') && { customer: p.get('customer')! }),
    ...((origin === 'imported' || origin === 'ordo') && { origin }),
  };
}

/**
 * What a flow achieves (docs/analytics.md): the dashboard, the canvas as a heat map, the
 * before/after table and the customer fulfilment-health report, over one filter kept in the
 * address so a view can be shared.
 */
export default function AnalyticsPage({
  flowKey,
  view,
  item,
}: {
  flowKey: string;
  view?: string;
  /** The simulation job a `simulations` view opens. */
  item?: string;
}) {
  const { t, i18n } = useTranslation();
  const current: View = VIEWS.includes(view as View) ? (view as View) : 'dashboard';
  const [filter, setFilter] = useState<DashboardFilter>(filterFromHash);
  const [reload, setReload] = useState(0);
  const { flow, figures, volume, error } = useAnalytics(flowKey, filter, reload);

  // The filter stays in the address (shareable, and the back button restores it).
  useEffect(() => {
    const q = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])),
    );
    if (current === 'simulations') return;
    const hash = `#/analytics/${flowKey}/${current}?${q}`;
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [filter, flowKey, current]);

  const set = (patch: Partial<DashboardFilter>) => setFilter((f) => ({ ...f, ...patch }));
  return (
    <main className="page analytics">
      <h1>
        {t('analytics.title')} · {flow ? labelIn(flow.name, i18n.language, flowKey) : flowKey}
      </h1>
      <nav className="tabs no-print">
        {VIEWS.map((v) => (
          <a
            key={v}
            className={v === current ? 'active' : ''}
            href={`#/analytics/${flowKey}/${v}`}
            data-view={v}
          >
            {t(`analytics.views.${v}`)}
          </a>
        ))}
        <a className="ghost" href={`#/flows/${flowKey}`}>
          {t('analytics.openFlow')}
        </a>
      </nav>
      {current !== 'report' && current !== 'simulations' && (
        <div className="filters-bar no-print" data-testid="analytics-filters">
          <DatePicker.RangePicker
            allowClear={false}
            aria-label={`${t('analytics.from')} – ${t('analytics.to')}`}
            placeholder={[t('analytics.from'), t('analytics.to')]}
            value={[dayjs(filter.from), dayjs(filter.to)]}
            onChange={(range) =>
              range?.[0] &&
              range[1] &&
              set({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') })
            }
          />
          <Select
            data-testid="analytics-channel"
            className="filter-channel"
            aria-label={t('analytics.channel')}
            value={filter.channel ?? ''}
            onChange={(channel: string) => set({ channel: channel || undefined })}
            options={[
              { value: '', label: t('orders.anyChannel') },
              ...[
                ...new Set([
                  ...(figures?.channels.map((c) => c.channel) ?? []),
                  ...(filter.channel ? [filter.channel] : []),
                ]),
              ].map((c) => ({ value: c, label: c })),
            ]}
          />
          <Input
            name="analytics-customer"
            className="filter-text"
            placeholder={t('analytics.customer')}
            defaultValue={filter.customer ?? ''}
            onPressEnter={(e) => set({ customer: e.currentTarget.value.trim() || undefined })}
            onBlur={(e) => set({ customer: e.currentTarget.value.trim() || undefined })}
          />
          <Select
            data-testid="analytics-origin"
            className="filter-flow"
            aria-label={t('analytics.origin.label')}
            value={filter.origin ?? ''}
            onChange={(origin: string) =>
              set({ origin: (origin || undefined) as DashboardFilter['origin'] })
            }
            options={[
              { value: '', label: t('analytics.origin.all') },
              { value: 'imported', label: t('analytics.origin.imported') },
              { value: 'ordo', label: t('analytics.origin.ordo') },
            ]}
          />
          <Button onClick={() => setReload((n) => n + 1)}>{t('analytics.refresh')}</Button>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      {current === 'simulations' ? (
        <SimulatedRuns flowKey={flowKey} flow={flow} jobId={item} />
      ) : current === 'report' ? (
        <CustomerHealthReport flowKey={flowKey} flow={flow} />
      ) : !figures ? (
        <p className="muted">{t('analytics.loading')}</p>
      ) : current === 'heatmap' ? (
        flow && (
          <ReactFlowProvider>
            <HeatMap flowKey={flowKey} flow={flow} figures={figures} />
          </ReactFlowProvider>
        )
      ) : current === 'compare' ? (
        <BeforeAfter flowKey={flowKey} flow={flow} figures={figures} filter={filter} />
      ) : (
        <Dashboard
          flowKey={flowKey}
          flow={flow}
          figures={figures}
          volume={volume}
          filter={filter}
        />
      )}
    </main>
  );
}
