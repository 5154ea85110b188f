import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerHealth, Flow } from '@ordo/engine';
import { api, download } from '../../api';
import { formatDuration, formatShare } from '../../model/analytics-view';
import { messageOf } from '../integrations/message-of';
import { labelIn } from '../../model/flow-graph';
import { flowLabels } from './Dashboard';

const lastMonth = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

/**
 * The month's customer fulfilment-health report (BRIEF.md scenario 5), as a printable page:
 * the top customers by orders, each measure's median and late share beside the month before,
 * and the risks. The print button prints it; the PDF comes from the server.
 */
export function CustomerHealthReport({
  flowKey,
  flow,
}: {
  flowKey: string;
  flow: Flow | undefined;
}) {
  const { t, i18n } = useTranslation();
  const label = flowLabels(flow, i18n.language);
  const [month, setMonth] = useState(
    () => new URLSearchParams(window.location.hash.split('?')[1]).get('month') ?? lastMonth(),
  );
  const [top, setTop] = useState(100);
  const [report, setReport] = useState<CustomerHealth>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setError(undefined);
    api<CustomerHealth>(
      'GET',
      `/flows/${flowKey}/reports/customer-health?month=${month}&top=${top}`,
    )
      .then(setReport)
      .catch((e) => setError(messageOf(e)));
  }, [flowKey, month, top]);

  async function pdf() {
    const status = await download(
      `/flows/${flowKey}/reports/customer-health?month=${month}&top=${top}&format=pdf&lang=${i18n.language}`,
      `${flowKey}-customer-health-${month}.pdf`,
    );
    if (status !== 200) setError(`PDF: HTTP ${status}`);
  }

  const dur = (ms: number | null) => formatDuration(ms, i18n.language);
  const measureIds = report?.customers[0]?.measures.map((m) => m.id) ?? [];
  const trend = (change: number | null) =>
    change === null ? '' : change > 0 ? ' ▲' : change < 0 ? ' ▼' : '';

  return (
    <section className="report" data-testid="customer-health">
      <div className="inline no-print">
        <label>
          {t('analytics.report.month')}{' '}
          <input
            type="month"
            name="report-month"
            value={month}
            onChange={(e) => e.target.value && setMonth(e.target.value)}
          />
        </label>
        <label>
          {t('analytics.report.top')}{' '}
          <input
            type="number"
            name="report-top"
            min={1}
            max={1000}
            value={top}
            onChange={(e) => setTop(Math.min(1000, Math.max(1, Number(e.target.value) || 1)))}
          />
        </label>
        <button onClick={() => window.print()}>{t('analytics.report.print')}</button>
        <button className="ghost" onClick={() => void pdf()}>
          PDF
        </button>
      </div>
      <h2>
        {t('analytics.report.title', { month })} —{' '}
        {flow ? labelIn(flow.name, i18n.language, flowKey) : flowKey}
      </h2>
      {error && <p className="error">{error}</p>}
      {report && report.customers.length === 0 && (
        <p className="muted">{t('analytics.report.empty')}</p>
      )}
      {report && report.customers.length > 0 && (
        <table className="figures report-table">
          <thead>
            <tr>
              <th>{t('analytics.report.customer')}</th>
              <th>{t('analytics.report.orders')}</th>
              {measureIds.map((id) => (
                <th key={id} colSpan={2}>
                  {label(id)}
                </th>
              ))}
              <th>{t('analytics.report.risks')}</th>
            </tr>
            <tr>
              <th />
              <th />
              {measureIds.map((id) => [
                <th key={`${id}-p50`}>p50 ({t('analytics.report.previous')})</th>,
                <th key={`${id}-late`}>{t('analytics.report.late')}</th>,
              ])}
              <th />
            </tr>
          </thead>
          <tbody>
            {report.customers.map((c) => (
              <tr
                key={c.customer}
                data-customer={c.customer}
                className={c.risks.length ? 'risk' : ''}
              >
                <td>{c.customer}</td>
                <td>{c.orders}</td>
                {c.measures.map((m) => [
                  <td key={`${m.id}-p50`}>
                    {dur(m.p50Ms)}
                    {trend(m.change.p50Ms)} <small>({dur(m.previous.p50Ms)})</small>
                  </td>,
                  <td key={`${m.id}-late`}>
                    {formatShare(m.lateShare)}
                    {trend(m.change.lateShare)} <small>({formatShare(m.previous.lateShare)})</small>
                  </td>,
                ])}
                <td>
                  {c.risks.map((r) => (
                    <div key={`${r.measure}:${r.kind}`} className="badge bad">
                      {t(`analytics.report.${r.kind}`, {
                        measure: label(r.measure),
                        months: r.months,
                      })}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
