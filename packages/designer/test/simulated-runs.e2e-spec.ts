/**
 * A finished simulation opened as the dashboard, in Chromium: the B2B template simulated by the
 * server for a day, its run listed on the analytics page's "Simulated runs", and its dashboard
 * showing the simulated day's figures — with no link to orders that went with its database —
 * in English and Chinese.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

const FLOW = 'b2b-custom-manufacturing';

describe('simulated runs in Chromium', () => {
  let session: DesignerSession;
  let page: Page;
  let job: any;

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
    expect((await session.post(`/templates/${FLOW}/deploy`, { loadSamples: false })).status).toBe(
      200,
    );
    const started = await session.post(`/flows/${FLOW}/simulations`, { days: 1, seed: 3 });
    expect(started.status).toBe(202);
    const route = `${session.url}/api/flows/${FLOW}/simulations/${(await started.json()).id}`;
    const headers = { authorization: `Bearer ${session.adminKey}` };
    for (;;) {
      job = await (await fetch(route, { headers })).json();
      if (job.finishedAt) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(job.status).toBe('done');
  }, 300_000);

  afterAll(() => session?.close());

  it('lists the finished run and opens its dashboard, whose counts open no orders', async () => {
    await page.goto(`${session.url}/#/analytics/${FLOW}/simulations`);
    const runs = page.getByTestId('simulated-runs');
    const row = runs.locator('tbody tr.ant-table-row').first();
    await row.waitFor();
    expect(await row.textContent()).toContain(String(job.progress.orders));
    await row.getByRole('link', { name: 'Open dashboard' }).click();

    const banner = page.getByTestId('simulated-run');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Simulated run: Draft, 1 day, seed 3');
    const created = page.locator('[data-kpi=created]');
    expect(await created.textContent()).toBe(String(job.result.orders.created));
    expect(Number(await page.locator('[data-kpi=open]').textContent())).toBe(
      job.result.orders.open,
    );
    // Its orders are gone: the counts are not links, and no CSV comes from the live analytics.
    expect(await page.locator('[data-testid=kpis] a[href]').count()).toBe(0);
    expect(await page.locator('[data-csv]').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, '24-analytics-simulated-run.png') });

    await page.evaluate(() => localStorage.setItem('ordo.locale', 'zh-CN'));
    await page.reload();
    await banner.waitFor();
    expect(await banner.textContent()).toContain('模拟运行：草稿，1 天，种子 3');
    await banner.getByRole('link', { name: '全部模拟运行' }).click();
    await page.getByTestId('simulated-runs').getByRole('link', { name: '打开仪表盘' }).waitFor();
    await page.evaluate(() => localStorage.setItem('ordo.locale', 'en'));
  });

  it('says why when a run cannot be opened', async () => {
    await page.goto(
      `${session.url}/#/analytics/${FLOW}/simulations/00000000-0000-4000-8000-000000000000`,
    );
    await page
      .getByText('Simulation "00000000-0000-4000-8000-000000000000" does not exist')
      .waitFor();
  });
});
