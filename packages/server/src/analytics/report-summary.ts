import { type Flow, formatDuration, formatShare } from '@ordo/engine';
import type { CustomerHealth } from '@ordo/engine';
import { labelOf, type ReportLanguage } from './customer-health-pdf';

/** How many customers a chat message lists (the PDF has them all). */
const LISTED = 10;

/**
 * The report as a short message for an e-mail body or a chat robot: the customers at risk
 * first, then the top customers with each measure's median and late share.
 */
export function customerHealthSummary(
  report: CustomerHealth,
  flow: Flow,
  lang: ReportLanguage,
): { title: string; text: string } {
  const zh = lang === 'zh-CN';
  const name = labelOf(flow.name, lang, flow.key);
  const measure = (id: string) => labelOf(flow.measures?.find((m) => m.id === id)?.label, lang, id);
  const title = zh
    ? `客户履约健康报告 ${report.month} — ${name}`
    : `Customer fulfilment health ${report.month} — ${name}`;
  if (!report.customers.length)
    return { title, text: zh ? '本月没有带客户的订单。' : 'No orders with a customer this month.' };
  const atRisk = report.customers.filter((c) => c.risks.length);
  const lines = [title, ''];
  lines.push(
    zh
      ? `${report.customers.length} 位客户，${atRisk.length} 位有风险。`
      : `${report.customers.length} customers, ${atRisk.length} at risk.`,
  );
  for (const c of atRisk.slice(0, LISTED))
    lines.push(
      `⚠ ${c.customer}: ${c.risks
        .map((r) =>
          zh
            ? `${measure(r.measure)}${r.kind === 'late_share_rising' ? '超时占比' : '中位数'}连续 ${r.months} 个月上升`
            : `${measure(r.measure)} ${r.kind === 'late_share_rising' ? 'late share' : 'median'} rising ${r.months} months running`,
        )
        .join('; ')}`,
    );
  lines.push(
    '',
    zh ? `订单最多的 ${Math.min(LISTED, report.customers.length)} 位：` : 'Top customers:',
  );
  for (const c of report.customers.slice(0, LISTED))
    lines.push(
      `${c.customer} (${c.orders}): ${c.measures
        .map(
          (m) =>
            `${measure(m.id)} p50 ${formatDuration(m.p50Ms, lang)}${m.lateShare === null ? '' : `, ${zh ? '超时' : 'late'} ${formatShare(m.lateShare)}`}`,
        )
        .join('; ')}`,
    );
  return { title, text: lines.join('\n') };
}
