/**
 * A data set refreshed from another system, set up on the data sets page in Chromium against
 * the real server: bad settings are named at their field, a run against a master that answers
 * a bad row writes nothing and says why, a good answer writes a version; in Chinese too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { type DesignerSession, signedInSession } from './support/designer-session';

describe('data set refresh in Chromium', () => {
  let session: DesignerSession;
  let page: Page;
  let master: Server;
  // What the bin master answers; a test changes it.
  let bins: unknown[] = [
    { sku: 'A1', bin: 'B-01' },
    { sku: 'A2', bin: 'B-02' },
  ];

  beforeAll(async () => {
    master = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { bins } }));
    });
    await new Promise<void>((resolve) => master.listen(0, '127.0.0.1', resolve));
    const port = (master.address() as AddressInfo).port;
    session = await signedInSession({ outboundAllow: [`127.0.0.1:${port}`] });
    page = session.page;
    await session.post('/flows', {
      schemaVersion: 1,
      key: 'bins',
      name: 'Bins',
      connectors: {
        master: { type: 'http', settings: { baseUrl: `http://127.0.0.1:${port}` } },
      },
      fields: [{ key: 'sku', type: 'string' }],
      states: [
        { id: 'new', initial: true },
        { id: 'done', final: true },
      ],
      transitions: [{ id: 'finish', from: 'new', to: 'done', event: 'finish' }],
    });
    expect((await session.post('/flows/bins/publish', {})).status).toBe(201);
    // A data set to refresh: version 1 uploaded by hand.
    const put = await fetch(`${session.url}/api/datasets/sku-bins`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${session.adminKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ format: 'csv', content: 'sku,bin\nA1,B-09\n', keyColumn: 'sku' }),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await session?.close();
    await new Promise((resolve) => master.close(resolve));
  });

  it('refuses bad settings at their field, then refreshes from the connector', async () => {
    await page.goto(`${session.url}/#/datasets/sku-bins`);
    const panel = page.getByTestId('dataset-refresh');
    await expect(panel.textContent()).resolves.toContain('uploaded by hand');
    await page.click('[name=refresh-edit]');
    await page.selectOption('[name=refresh-flow]', 'bins');
    await page.selectOption('[name=refresh-connector]', 'master');
    await page.fill('[name=refresh-input]', '{"path": "/master/bins"}');
    await page.fill('[name=refresh-rows]', '/body/data/bins');
    await page.fill('[name=refresh-schedule]', 'soon');
    await page.click('[name=refresh-save]');
    await panel.locator('.error-text').first().waitFor();
    await expect(panel.locator('.error-text').first().textContent()).resolves.toMatch(/\S/);
    await page.fill('[name=refresh-input]', '{oops');
    await page.click('[name=refresh-save]');
    await panel.getByText('not valid JSON').waitFor();

    await page.fill('[name=refresh-input]', '{"path": "/master/bins"}');
    await page.fill('[name=refresh-schedule]', 'PT1H');
    await page.click('[name=refresh-save]');
    await panel.getByText('Refreshed from bins/master.request, schedule PT1H.').waitFor();
    // The first run is due at once: run it now rather than wait for the poller.
    await page.click('[name=refresh-run]');
    await page.getByTestId('refresh-last-run').getByText('Last run').waitFor();
    const set = await fetch(`${session.url}/api/datasets/sku-bins`, {
      headers: { authorization: `Bearer ${session.adminKey}` },
    }).then((r) => r.json());
    expect(set.version).toBe(2);
    expect(set.rows).toBe(2);
  });

  it('a bad answer writes nothing and the page says which row', async () => {
    bins = [{ sku: 'A1', bin: 'B-01' }, { bin: 'B-07' }];
    await page.goto(`${session.url}/#/datasets/sku-bins`);
    await page.click('[name=refresh-run]');
    await page.getByTestId('refresh-last-run').getByText('failed, nothing written').waitFor();
    await page.getByTestId('dataset-errors').waitFor();
    const set = await fetch(`${session.url}/api/datasets/sku-bins`, {
      headers: { authorization: `Bearer ${session.adminKey}` },
    }).then((r) => r.json());
    expect(set.version).toBe(2);
  });

  it('speaks Chinese', async () => {
    await page.evaluate(() => localStorage.setItem('ordo.locale', 'zh-CN'));
    await page.goto(`${session.url}/#/datasets/sku-bins`);
    await page.reload();
    await page.getByTestId('dataset-refresh').getByText('从外部系统刷新').first().waitFor();
    await page.getByText('立即刷新').waitFor();
    await expect(page.getByTestId('dataset-refresh').textContent()).resolves.not.toMatch(
      /Refresh|schedule|Last run/,
    );
    await page.evaluate(() => localStorage.setItem('ordo.locale', 'en'));
  });
});
