import path from 'node:path';
import { type Flow, formatDuration, formatShare } from '@ordo/engine';
import PDFDocument from 'pdfkit';
import type { CustomerHealth } from '@ordo/engine';

/** Noto Sans SC (SIL Open Font License, assets/fonts/OFL.txt): Latin and simplified Chinese. */
const FONT = path.join(__dirname, '..', '..', 'assets', 'fonts', 'NotoSansSC-Regular.ttf');

export type ReportLanguage = 'en' | 'zh-CN';

const WORDS = {
  en: {
    title: (month: string, flow: string) => `Customer fulfilment health, ${month} — ${flow}`,
    intro: (top: number, generated: string) =>
      `The top ${top} customers by orders in the month; each measure's median and share over its target, the month before in brackets. Generated ${generated}.`,
    customer: 'Customer',
    orders: 'Orders',
    late: 'late',
    risks: 'Risks',
    none: 'No orders with a customer in this month.',
    late_share_rising: (m: string, n: number) => `${m}: late share rising ${n} months running`,
    p50_rising: (m: string, n: number) => `${m}: median rising ${n} months running`,
  },
  'zh-CN': {
    title: (month: string, flow: string) => `客户履约健康报告，${month} — ${flow}`,
    intro: (top: number, generated: string) =>
      `本月订单最多的前 ${top} 位客户；每个指标的中位数与超时占比，括号内为上月。生成于 ${generated}。`,
    customer: '客户',
    orders: '订单',
    late: '超时',
    risks: '风险',
    none: '本月没有带客户的订单。',
    late_share_rising: (m: string, n: number) => `${m}：超时占比连续 ${n} 个月上升`,
    p50_rising: (m: string, n: number) => `${m}：中位数连续 ${n} 个月上升`,
  },
};

/** A flow label in a language (falling back to English, then any, then the id). */
export const labelOf = (label: unknown, lang: string, id: string): string =>
  typeof label === 'string'
    ? label
    : label && typeof label === 'object'
      ? ((label as Record<string, string>)[lang] ??
        (label as Record<string, string>).en ??
        Object.values(label as Record<string, string>)[0] ??
        id)
      : id;

/**
 * The customer fulfilment-health report as a PDF (A4 landscape), drawn on the server with an
 * embedded font so Chinese renders without a browser or system fonts. Rows that do not fit
 * continue on the next page under the header row again.
 */
export function customerHealthPdf(
  report: CustomerHealth,
  flow: Flow,
  lang: ReportLanguage,
  generatedAt: string,
  top: number,
): Promise<Buffer> {
  const w = WORDS[lang];
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: w.title(report.month, labelOf(flow.name, lang, flow.key)), Creator: 'Ordo' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', FONT);
  doc.font('body');

  const measureLabel = (id: string) =>
    labelOf(flow.measures?.find((m) => m.id === id)?.label, lang, id);
  doc.fontSize(16).text(w.title(report.month, labelOf(flow.name, lang, flow.key)));
  doc
    .moveDown(0.3)
    .fontSize(9)
    .fillColor('#555')
    .text(w.intro(top, generatedAt.slice(0, 16)));
  doc.fillColor('#000').moveDown(0.8);

  if (!report.customers.length) {
    doc.fontSize(11).text(w.none);
    doc.end();
    return done;
  }
  const measures = report.customers[0].measures.map((m) => m.id);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const fixed = [110, 45];
  const risksWidth = 170;
  const per = (width - fixed[0] - fixed[1] - risksWidth) / Math.max(1, measures.length);
  const columns = [...fixed, ...measures.map(() => per), risksWidth];
  const dur = (ms: number | null) => formatDuration(ms, lang);

  const row = (cells: string[], bold = false) => {
    doc.fontSize(bold ? 8.5 : 8);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: columns[i] - 6 }));
    const h = Math.max(...heights) + 6;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!bold) header();
    }
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.text(c, x + 3, y + 3, { width: columns[i] - 6 });
      x += columns[i];
    });
    doc
      .moveTo(left, y + h)
      .lineTo(left + width, y + h)
      .strokeColor('#ccc')
      .lineWidth(0.5)
      .stroke();
    doc.x = left;
    doc.y = y + h;
  };
  const header = () =>
    row(
      [
        w.customer,
        w.orders,
        ...measures.map((m) => `${measureLabel(m)}: p50 / ${w.late}`),
        w.risks,
      ],
      true,
    );

  header();
  for (const c of report.customers)
    row([
      c.customer,
      String(c.orders),
      ...c.measures.map(
        (m) =>
          `${dur(m.p50Ms)} (${dur(m.previous.p50Ms)})\n${formatShare(m.lateShare)} (${formatShare(m.previous.lateShare)})`,
      ),
      c.risks.map((r) => w[r.kind](measureLabel(r.measure), r.months)).join('\n'),
    ]);
  doc.end();
  return done;
}
