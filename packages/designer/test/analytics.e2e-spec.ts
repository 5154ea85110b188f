/**
 * Analytics in Chromium: the dashboard (KPI cards, ECharts charts, tables that open the orders
 * behind a figure), the canvas as a heat map, the before/after table against an imported
 * legacy log, and the printable customer fulfilment-health report, in both languages.
 * The flow, the legacy log and today's orders are made through the API before the tests.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { choose } from './support/choose';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

const flow = {
  schemaVersion: 1,
  key: 'pharma-lite',
  name: { en: 'Pharma orders', 'zh-CN': '医药订单' },
  customer: 'clinic.id',
  fields: [{ key: 'clinic', type: 'object', fields: [{ key: 'id', type: 'string' }] }],
  states: [
    { id: 'received', initial: true, label: { en: 'Received', 'zh-CN': '已接收' } },
    { id: 'hold', exception: true, label: { en: 'On hold', 'zh-CN': '暂停' } },
    { id: 'shipped', label: { en: 'Shipped', 'zh-CN': '已发货' } },
    { id: 'closed', final: true, label: { en: 'Closed', 'zh-CN': '已关闭' } },
  ],
  transitions: [
    { id: 'hold', from: 'received', to: 'hold', event: 'hold' },
    { id: 'release', from: 'hold', to: 'shipped', event: 'release' },
    { id: 'ship', from: 'received', to: 'shipped', event: 'ship' },
    { id: 'close', from: 'shipped', to: 'closed', event: 'close' },
  ],
  measures: [
    {
      id: 'to_ship',
      label: { en: 'Order to shipment', 'zh-CN': '下单到发货' },
      from: { state: 'received' },
      to: { state: 'shipped' },
      target: 'PT4H',
    },
  ],
  counters: [{ id: 'held', label: { en: 'Held', 'zh-CN': '暂停过' }, state: 'hold' }],
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
/** The first day of the month `back` months ago (UTC). */
const monthStart = (back: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
};
const iso = (ms: number) => new Date(ms).toISOString();
const ymd = (ms: number) => iso(ms).slice(0, 10);

/** A legacy log over three months: slow shipments, getting slower for clinic K1 each month. */
function legacyLog(): string {
  const rows = ['reference,state,event,at,actor,customer,channel,by'];
  let n = 0;
  for (const [back, slow] of [
    [4, 1],
    [3, 3],
    [2, 6],
  ] as const)
    for (let i = 0; i < 6; i++) {
      const t0 = monthStart(back) + (i + 1) * DAY;
      const ref = `L-${++n}`;
      const clinic = i % 2 ? 'K2' : 'K1';
      const hours = clinic === 'K1' ? slow + i : 2;
      rows.push(`${ref},received,,${iso(t0)},clerk,${clinic},email,person`);
      if (i === 4) rows.push(`${ref},hold,hold,${iso(t0 + HOUR)},clerk,,,person`);
      rows.push(
        `${ref},shipped,${i === 4 ? 'release' : 'ship'},${iso(t0 + hours * HOUR)},erp,,,system`,
      );
      rows.push(`${ref},closed,close,${iso(t0 + (hours + 24) * HOUR)},clerk,,,person`);
    }
  return rows.join('\n');
}

describe('analytics in Chromium', () => {
  let session: DesignerSession;
  let url: string;
  let page: Page;
  const range = `from=${ymd(monthStart(4))}&to=${ymd(now)}`;

  beforeAll(async () => {
    session = await signedInSession();
    ({ url, page } = session);
    expect((await session.post('/flows', flow)).status).toBe(201);
    expect((await session.post('/flows/pharma-lite/publish', {})).status).toBe(201);
    const imported = await session.post('/flows/pharma-lite/event-log', {
      format: 'csv',
      content: legacyLog(),
    });
    expect(imported.status).toBe(200);
    // Today's orders, run by Ordo: shipped at once, one still waiting.
    for (const clinic of ['K1', 'K2', 'K3']) {
      const order = (await (
        await session.post('/orders', { flow: 'pharma-lite', data: { clinic: { id: clinic } } })
      ).json()) as { id: string };
      if (clinic !== 'K3')
        expect((await session.post(`/orders/${order.id}/events`, { type: 'ship' })).status).toBe(
          200,
        );
    }
  });
  afterAll(() => session?.close());

  it('shows the dashboard: KPI cards, charts and tables; a count opens the orders behind it', async () => {
    await page.goto(`${url}/#/analytics/pharma-lite/dashboard?${range}`);
    await page.getByRole('heading', { name: /Analytics · Pharma orders/ }).waitFor();
    const kpi = (name: string) => page.locator(`[data-kpi=${name}]`);
    await kpi('created').filter({ hasText: '21' }).waitFor();
    await expect(kpi('completed').textContent()).resolves.toBe('18');
    await expect(kpi('open').textContent()).resolves.toBe('3');
    // The ECharts canvases are drawn.
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    const measures = page.locator('[data-testid=measures] tbody tr');
    await expect(measures.first().locator('td').first().textContent()).resolves.toBe(
      'Order to shipment',
    );
    await page.screenshot({ path: path.join(shots, '20-analytics-dashboard.png'), fullPage: true });

    // The channel filter narrows every figure.
    await choose(page, '[data-testid=analytics-channel]', 'api');
    await kpi('created').filter({ hasText: /^3$/ }).waitFor();
    await choose(page, '[data-testid=analytics-channel]', 'any channel');
    await kpi('created').filter({ hasText: '21' }).waitFor();

    // The counter's count opens the orders it counted.
    await page.locator('[data-testid=counters] a').first().click();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await page.locator('[data-testid=drill-down]', { hasText: 'counter=held' }).waitFor();
    await page.locator('[data-testid=orders-loaded]', { hasText: /^3 of/ }).waitFor();
  });

  it('paints the canvas as a heat map: orders now and median time per state, moves per edge', async () => {
    await page.goto(`${url}/#/analytics/pharma-lite/heatmap?${range}`);
    const map = page.locator('[data-testid=heat-map]');
    await map.waitFor();
    const received = map.locator('.react-flow__node[data-id=received]');
    await received.locator('[data-now]', { hasText: '1 now' }).waitFor();
    await received.locator('[data-p50]').waitFor();
    // The busiest edge (received → shipped by `ship`) carries its moves.
    await map.locator('.react-flow__edge-text', { hasText: /^17$/ }).waitFor();
    // An order created now shows up live.
    await session.post('/orders', { flow: 'pharma-lite', data: { clinic: { id: 'K4' } } });
    await received.locator('[data-now]', { hasText: '2 now' }).waitFor();
    await page.screenshot({ path: path.join(shots, '21-analytics-heatmap.png') });
  });

  it('compares the imported baseline with the orders Ordo ran', async () => {
    await page.goto(`${url}/#/analytics/pharma-lite/compare?from=${ymd(now - DAY)}&to=${ymd(now)}`);
    const table = page.locator('[data-testid=before-after]');
    await table.waitFor();
    const row = (id: string) => table.locator(`tr[data-row="${id}"] td`);
    await expect(row('orders:created').nth(1).textContent()).resolves.toBe('18');
    await row('orders:created').nth(2).filter({ hasText: /^4$/ }).waitFor();
    // Ordo ships at once: the median falls, the share within target rises.
    await expect(row('measure:to_ship').nth(3).textContent()).resolves.toMatch(/^−/);
    await expect(row('target:to_ship').nth(3).textContent()).resolves.toMatch(/^\+/);
    await page.screenshot({ path: path.join(shots, '22-analytics-before-after.png') });
  });

  it('prints the customer fulfilment-health report, with risks, in both languages', async () => {
    const month = iso(monthStart(2)).slice(0, 7);
    await page.goto(`${url}/#/analytics/pharma-lite/report?month=${month}`);
    const report = page.locator('[data-testid=customer-health]');
    const k1 = report.locator('tr[data-customer=K1]');
    await k1.waitFor();
    await expect(report.locator('tr[data-customer]').count()).resolves.toBe(2);
    await expect(k1.getAttribute('class')).resolves.toBe('risk');
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(shots, '23-analytics-report.png') });
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: '中文' }).click();
    await report.getByRole('heading', { name: /客户履约健康报告/ }).waitFor();
    await report.locator('th', { hasText: '下单到发货' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
  });
});
