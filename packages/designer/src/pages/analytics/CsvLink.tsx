import { useTranslation } from 'react-i18next';
import { token } from '../../api';
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
  async function download() {
    const q = analyticsQuery(filter);
    q.set('format', 'csv');
    q.set('table', table);
    const response = await fetch(`/api/flows/${flowKey}/analytics?${q}`, {
      headers: { authorization: `Bearer ${token.get()}` },
    });
    if (!response.ok) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await response.blob());
    a.download = `${flowKey}-${table}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  }
  return (
    <button className="ghost small" data-csv={table} onClick={() => void download()}>
      {t('analytics.csv')}
    </button>
  );
}
