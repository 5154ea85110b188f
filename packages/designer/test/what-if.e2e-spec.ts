/**
 * What if, on the flow editor's Simulate tab in Chromium: the FMCG template deployed, its draft
 * and version 1 simulated by the server for one day with one seed, the progress bars filled
 * from the live socket, and the figures compared side by side; after a reload the last
 * comparison shows again, in the chosen language.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

describe('what-if in Chromium', () => {
  let session: DesignerSession;
  let page: Page;

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
    const deployed = await session.post('/templates/fmcg-distribution/deploy', {
      loadSamples: false,
    });
    expect(deployed.status).toBe(200);
    // The draft asks the sales manager to approve orders from 5,000 CNY instead of 20,000.
    const headers = {
      authorization: `Bearer ${session.adminKey}`,
      'content-type': 'application/json',
    };
    const flow = `${session.url}/api/flows/fmcg-distribution`;
    const { draft } = await (await fetch(flow, { headers })).json();
    const lower = JSON.stringify(draft).replaceAll('20000', '5000');
    const saved = await fetch(`${flow}/draft`, { method: 'PUT', headers, body: lower });
    expect(saved.status).toBe(200);
  });

  afterAll(() => session?.close());

  it('simulates the draft and the published version and compares their figures', async () => {
    await page.goto(`${session.url}/#/flows/fmcg-distribution`);
    await page.click('[data-tab=simulate]');
    const panel = page.getByTestId('what-if');
    await panel.getByRole('heading', { name: 'What if' }).waitFor();
    await page.fill('[name=what-if-days]', '1');
    await page.fill('[name=what-if-seed]', '4');
    await panel.getByRole('button', { name: 'Run what-if' }).click();

    const draftBar = page.getByTestId('what-if-progress-draft');
    const publishedBar = page.getByTestId('what-if-progress-published');
    await draftBar.waitFor();
    await publishedBar.waitFor();
    const table = page.getByTestId('what-if-table');
    await table.waitFor({ timeout: 200_000 });
    expect(await draftBar.getAttribute('value')).toBe('100');
    expect(await publishedBar.getAttribute('value')).toBe('100');
    expect(await table.locator('th').allTextContents()).toEqual([
      'Figure',
      'Before (manual)',
      'Published v1',
      'Draft',
      'Draft − published',
    ]);
    // Every group of figures is there. One seed: the same orders arrive in both runs, but the
    // draft's lower threshold sends more of them to approval, which the figures show.
    for (const group of ['table', 'orders', 'measure', 'counter', 'utilisation'])
      expect(await table.locator(`tr[data-group=${group}]`).count()).toBeGreaterThan(0);
    const created = table.locator('tr[data-group=orders]').first().locator('td');
    expect(Number(await created.nth(2).textContent())).toBeGreaterThan(100);
    expect(await created.nth(3).textContent()).toBe(await created.nth(2).textContent());
    expect(await created.nth(4).textContent()).toBe('0');
    const changed = table.locator('tr.changed');
    expect(await changed.count()).toBeGreaterThan(0);
    const shown = await changed.first().locator('td').allTextContents();
    expect(Number(shown[3]) - Number(shown[2])).toBeCloseTo(Number(shown[4]), 1);
    await page.screenshot({ path: path.join(shots, 'what-if.png'), fullPage: true });

    // In Chinese, the section speaks Chinese.
    await page.evaluate(() => localStorage.setItem('ordo.locale', 'zh-CN'));
    await page.reload();
    await page.click('[data-tab=simulate]');
    await page.getByTestId('what-if').getByRole('heading', { name: '假设分析' }).waitFor();
    // The last comparison is still there after the reload, its scenario figures in Chinese.
    const again = page.getByTestId('what-if-table');
    await again.waitFor();
    const figures = await again.locator('tr[data-group=table] td:first-child').allTextContents();
    expect(figures.join('\n')).toContain('错 SKU 发货的行');
    expect(figures.join('\n')).not.toMatch(/Lines shipped|% of lines/);
    expect(await page.getByTestId('what-if').textContent()).not.toMatch(/What if|Run what-if/);

    // Each run opens as its own dashboard on the analytics page.
    const draftCreated = await again
      .locator('tr[data-group=orders]')
      .first()
      .locator('td')
      .nth(3)
      .textContent();
    await page.getByTestId('what-if-progress-draft-dashboard').click();
    await page.getByTestId('simulated-run').getByText('模拟运行：草稿，1 天，种子 4').waitFor();
    expect(await page.locator('[data-kpi=created]').textContent()).toBe(draftCreated);
    await page.evaluate(() => localStorage.setItem('ordo.locale', 'en'));
  }, 240_000);
});
