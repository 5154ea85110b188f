import { Alert, Button, Tag } from 'antd';
import type { TableProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '@ordo/engine';
import { api } from '../../api';
import { ListTable } from '../../components/ListTable';
import type { VolumeBucket } from '../../model/analytics-charts';
import type { Analytics } from '../../model/analytics-view';
import { messageOf } from '../integrations/message-of';
import { Dashboard } from './Dashboard';
import { SimulatedRun } from './simulated-run';

/** A simulation job as `GET /api/flows/:key/simulations` lists it. */
interface Job {
  id: string;
  version: 'draft' | number;
  days: number;
  seed: number;
  status: string;
  progress: { orders: number };
  finishedAt: string | null;
}

/** `GET …/simulations/:id/dashboard`: the run's analytics, kept after its database went. */
interface SimulatedDashboard {
  job: Job;
  from: string;
  to: string;
  analytics: Analytics;
  series: { items: VolumeBucket[] };
}

/** The last day of a window that ends (exclusive) at `to`. */
const lastDay = (to: string) => new Date(Date.parse(to) - 1).toISOString().slice(0, 10);

const when = (iso: string | null, locale: string) =>
  iso ? new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }) : '';

/**
 * The flow's finished simulations (docs/simulation.md), and one of them opened as the dashboard:
 * the same charts and tables over the simulated window, computed by the analytics on the run's
 * own database before it went. Its orders are gone with that database, so counts open nothing.
 */
export function SimulatedRuns({
  flowKey,
  flow,
  jobId,
}: {
  flowKey: string;
  flow: Flow | undefined;
  jobId?: string;
}) {
  const { t, i18n } = useTranslation();
  const [jobs, setJobs] = useState<Job[]>();
  const [opened, setOpened] = useState<SimulatedDashboard>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setError(undefined);
    setOpened(undefined);
    if (jobId)
      void api<SimulatedDashboard>('GET', `/flows/${flowKey}/simulations/${jobId}/dashboard`)
        .then(setOpened)
        .catch((e) => setError(messageOf(e)));
    else
      void api<{ items: Job[] }>('GET', `/flows/${flowKey}/simulations`)
        .then((r) => setJobs(r.items.filter((j) => j.status === 'done')))
        .catch((e) => setError(messageOf(e)));
  }, [flowKey, jobId]);

  const version = (j: Job) =>
    j.version === 'draft' ? t('whatIf.draft') : t('whatIf.published', { version: j.version });
  if (error) return <Alert type="error" showIcon message={error} />;
  if (jobId) {
    if (!opened) return <p className="muted">{t('analytics.loading')}</p>;
    const { job } = opened;
    return (
      <>
        <Alert
          type="info"
          showIcon
          data-testid="simulated-run"
          message={t('analytics.simulated.banner', {
            version: version(job),
            count: job.days,
            seed: job.seed,
            from: when(opened.from, i18n.language),
            to: when(opened.to, i18n.language),
          })}
          description={t('analytics.simulated.noOrders')}
          action={
            <Button href={`#/analytics/${flowKey}/simulations`}>
              {t('analytics.simulated.all')}
            </Button>
          }
        />
        <SimulatedRun.Provider value={true}>
          <Dashboard
            flowKey={flowKey}
            flow={flow}
            figures={opened.analytics}
            volume={opened.series.items}
            filter={{ from: opened.from.slice(0, 10), to: lastDay(opened.to) }}
          />
        </SimulatedRun.Provider>
      </>
    );
  }
  const columns: TableProps<Job>['columns'] = [
    {
      title: t('analytics.simulated.finished'),
      render: (_, j) => when(j.finishedAt, i18n.language),
    },
    { title: t('analytics.simulated.version'), render: (_, j) => <Tag>{version(j)}</Tag> },
    { title: t('whatIf.days'), dataIndex: 'days' },
    { title: t('whatIf.seed'), dataIndex: 'seed' },
    { title: t('analytics.simulated.orders'), render: (_, j) => j.progress.orders },
    {
      title: '',
      render: (_, j) => (
        <Button type="link" href={`#/analytics/${flowKey}/simulations/${j.id}`}>
          {t('analytics.simulated.open')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <p className="muted">{t('analytics.simulated.explain')}</p>
      <ListTable<Job>
        data-testid="simulated-runs"
        empty={t('analytics.simulated.none')}
        columns={columns}
        dataSource={jobs ?? []}
        loading={!jobs}
      />
    </>
  );
}
