import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { download as downloadFile } from '../../api';
import { SimulatedRun } from './simulated-run';
import { analyticsQuery, type DashboardFilter } from './use-analytics';

/** Downloads one table of the analytics as CSV (with the person's token, so not a plain link). */
export function CsvLink({
  flowKey,
  filter,
  table,
}: {
  flowKey: string;
  filter: DashboardFilter;
  table: string;
}) {
  const { t } = useTranslation();
  const simulated = useContext(SimulatedRun);
  async function download() {
    const q = analyticsQuery(filter);
    q.set('format', 'csv');
    q.set('table', table);
    await downloadFile(`/flows/${flowKey}/analytics?${q}`, `${flowKey}-${table}.csv`);
  }
  if (simulated) return null;
  return (
    <button className="ghost small" data-csv={table} onClick={() => void download()}>
      {t('analytics.csv')}
    </button>
  );
}
