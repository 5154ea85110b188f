/**
 * The data sets page in Chromium against the real server: a file with a bad cell is refused
 * by line and column, a good one is previewed, compared and written, a changed one makes
 * version 2; viewers only read; delete asks first; Chinese has no English labels left.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { datasetsEn } from '../src/i18n/datasets.en';
import { choose as pick } from './support/choose';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

const csv = (name: string, text: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text),
});

// Line 3 repeats line 2's key, line 4 has none.
const BAD = 'sku,bin,qty\nA1,B-01,5\nA1,B-02,7\n,B-03,1\n';
// Once qty is a number (version 1), "many" is not one.
const BAD_CELL = 'sku,bin,qty\nA1,B-01,5\nA2,B-02,many\n';
const GOOD = 'sku,bin,qty\nA1,B-01,5\nA2,B-02,7\nA3,B-03,1\n';
// A1 stays, A2 moves bin, A3 goes, A4 comes.
const CHANGED = 'sku,bin,qty\nA1,B-01,5\nA2,B-09,7\nA4,B-04,2\n';

/** An Excel file of these rows, made with the Excel writer of the server's tests. */
async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const server = createRequire(require.resolve('@ordo/server/package.json'));
  const { default: writeXlsxFile } = server('write-excel-file/node');
  return writeXlsxFile(rows, { sheet: 'clinics' }).toBuffer();
}

/** Every English text of the page's own labels (the parts between the placeholders). */
const englishLabels = (texts: unknown): string[] =>
  typeof texts === 'string'
    ? texts
        .split(/\{\{\w+\}\}/)
        .map((part) => part.replace(/[^A-Za-z/ ,;:()'.-]/g, '').trim())
        .filter((part) => /[A-Za-z]{3}/.test(part))
    : Object.values(texts as object).flatMap(englishLabels);

describe('data sets page in Chromium', () => {
  let session: DesignerSession;
  let page: Page;
  const choose = (file: ReturnType<typeof csv>) =>
    page.setInputFiles('input[name=dataset-file]', file);
  const api = (route: string) =>
    fetch(`${session.url}/api${route}`, {
      headers: { authorization: `Bearer ${session.adminKey}` },
    });

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
  });
  afterAll(() => session?.close());

  it('refuses a CSV with a bad cell, showing each error by line and column', async () => {
    await page.locator('header a', { hasText: 'Data sets' }).click();
    await page.getByRole('heading', { name: 'Data sets', exact: true }).waitFor();
    await page.getByText('No data sets yet.').waitFor();
    await page.getByRole('button', { name: 'New data set' }).click();
    await page.fill('input[name=dataset-key]', 'Bins!');
    await page.getByText(datasetsEn.badKey).waitFor();
    await page.fill('input[name=dataset-key]', 'bins');
    await page.fill('input[name=dataset-title]', 'Bins by SKU');
    await choose(csv('bins.csv', BAD));
    const errors = page.locator('[data-testid=dataset-errors] tbody tr');
    await errors.first().waitFor();
    const rows = await errors.allTextContents();
    expect(rows.some((r) => r.startsWith('3sku') && r.includes('also on line 2'))).toBe(true);
    expect(rows.some((r) => r.startsWith('4sku'))).toBe(true);
    await expect(page.locator('button[name=dataset-write]').isDisabled()).resolves.toBe(true);
    expect((await (await api('/datasets')).json()).items).toEqual([]);
  });

  it('previews a good CSV with its diff, writes it and shows its rows', async () => {
    await choose(csv('bins.csv', GOOD));
    const preview = page.locator('[data-testid=dataset-upload] [data-testid=dataset-rows]');
    await preview.locator('td', { hasText: 'B-03' }).waitFor();
    await expect(page.locator('[data-testid=dataset-errors]').count()).resolves.toBe(0);
    await expect(page.locator('[data-name=dataset-key-column]').textContent()).resolves.toBe('sku');
    await page.getByText(datasetsEn.firstVersion).waitFor();
    await expect(page.getByTestId('dataset-diff-counts').textContent()).resolves.toBe(
      '3 added, 0 changed, 0 removed, 0 unchanged',
    );
    await page.getByRole('button', { name: 'Write version 1' }).click();
    await page.getByRole('heading', { name: /Bins by SKU/ }).waitFor();
    expect(page.url()).toMatch(/#\/datasets\/bins$/);
    const rows = page.locator('[data-testid=dataset-rows] tbody tr');
    await rows.nth(2).waitFor();
    await expect(rows.allTextContents()).resolves.toEqual(['A1B-015', 'A2B-027', 'A3B-031']);
    await page.locator('[data-testid=dataset-columns] td', { hasText: 'qty' }).waitFor();
    await expect(
      page.locator('[data-testid=dataset-columns] tr', { hasText: 'qty' }).textContent(),
    ).resolves.toContain('number');
    // Search by key.
    await page.fill('input[name=dataset-search]', 'A2');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=dataset-rows] tbody tr').length === 1,
    );
    await expect(rows.first().textContent()).resolves.toBe('A2B-027');
  });

  it('compares a changed CSV (added, changed, removed) and writes version 2', async () => {
    await page.getByRole('button', { name: 'Upload new version' }).click();
    await choose(csv('bins-december.csv', BAD_CELL));
    const error = page.locator('[data-testid=dataset-errors] tbody tr');
    await error.first().waitFor();
    await expect(error.allTextContents()).resolves.toEqual([
      expect.stringMatching(/^3qty.*not a number/),
    ]);
    await choose(csv('bins-december.csv', CHANGED));
    const diff = page.getByTestId('dataset-diff');
    await diff.getByText('Compared with version 1').waitFor();
    await expect(page.getByTestId('dataset-diff-counts').textContent()).resolves.toBe(
      '1 added, 1 changed, 1 removed, 1 unchanged',
    );
    await diff.locator('tr', { hasText: 'A2' }).getByText('bin: B-02 → B-09').waitFor();
    await diff.locator('tr.change-added', { hasText: 'A4' }).waitFor();
    await diff.locator('tr.change-removed', { hasText: 'A3' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, '24-datasets-upload.png'), fullPage: true });
    await page.getByRole('button', { name: 'Write version 2' }).click();
    await page.getByTestId('dataset-notice').getByText('Version 2 written: 3 rows.').waitFor();
    await page.getByTestId('dataset-version-1').waitFor();
    // Who wrote it, by name.
    await page
      .getByTestId('dataset-version-2')
      .getByText(/by Owner$/)
      .waitFor();
    const rows = page.locator('[data-testid=dataset-rows] tbody tr');
    await page.getByRole('heading', { name: 'Rows of version 2' }).waitFor();
    await rows.locator('td', { hasText: 'A4' }).waitFor();
    // An older version's rows.
    await page.getByTestId('dataset-version-1').getByRole('button', { name: 'View rows' }).click();
    await page.getByRole('heading', { name: 'Rows of version 1' }).waitFor();
    await rows.locator('td', { hasText: 'A3' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, '25-dataset.png'), fullPage: true });
    const set = await (await api('/datasets/bins')).json();
    expect(set).toMatchObject({ version: 2, rows: 3, keyColumn: 'sku' });
  });

  it('shows viewers the rows but no upload or delete', async () => {
    const made = await session.post('/users', {
      name: 'Vi',
      email: 'vi@example.com',
      password: 'long enough password',
      roles: ['viewer'],
    });
    expect(made.status).toBe(201);
    const login = await fetch(`${session.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'vi@example.com', password: 'long enough password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const viewer = await session.browser.newPage();
    await viewer.goto(session.url);
    await viewer.evaluate((value) => localStorage.setItem('ordo.token', value), token);
    await viewer.goto(`${session.url}/#/datasets/bins`);
    await viewer.reload();
    await viewer.locator('[data-testid=dataset-rows] td', { hasText: 'A4' }).waitFor();
    await expect(viewer.getByRole('button', { name: 'Upload new version' }).count()).resolves.toBe(
      0,
    );
    await expect(viewer.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);
    await viewer.getByRole('link', { name: datasetsEn.back }).click();
    await viewer.locator('[data-testid=dataset-bins]').waitFor();
    await expect(viewer.getByRole('button', { name: 'New data set' }).count()).resolves.toBe(0);
    await viewer.close();
  });

  it('has no English left in its own labels in Chinese', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '版本 1 的行' }).waitFor();
    await page.getByRole('button', { name: '上传新版本' }).click();
    await choose(csv('bins.csv', BAD));
    // Only the headings of the errors: their messages are the server's.
    const errors = await page.locator('[data-testid=dataset-errors] thead').innerText();
    await choose(csv('bins-january.csv', GOOD));
    // The comparison heading may still be the bad file's: wait for this file's own diff.
    await page.getByText('新增 1，修改 1，删除 1，未变 1').waitFor();
    const detail = await page.locator('main').innerText();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, '26-datasets-zh-CN.png') });
    await page.locator('header a', { hasText: '数据集' }).click();
    await page.locator('[data-testid=dataset-bins]').waitFor();
    await page.getByRole('button', { name: '新建数据集' }).click();
    const list = await page.locator('main').innerText();
    const left = englishLabels(datasetsEn).filter((label) =>
      [errors, detail, list].some((text) => text.includes(label)),
    );
    expect(left).toEqual([]);
    expect(detail).toContain('新增 1，修改 1，删除 1，未变 1');
    await page.getByRole('button', { name: '取消' }).click();
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('takes an Excel file, whose header the server reads, with another key column', async () => {
    await page.goto(`${session.url}/#/datasets`);
    await page.getByRole('button', { name: 'New data set' }).click();
    await page.fill('input[name=dataset-key]', 'clinics');
    await page.setInputFiles('input[name=dataset-file]', {
      name: 'clinics.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await xlsx([
        ['name', 'code', 'licensed'],
        ['North', 'C1', 'yes'],
        ['South', 'C2', 'no'],
      ]),
    });
    const keyColumn = page.locator('[data-name=dataset-key-column]');
    await keyColumn.waitFor();
    await expect(keyColumn.textContent()).resolves.toBe('name');
    await pick(page, '[data-name=dataset-key-column]', 'code');
    const preview = page.locator('[data-testid=dataset-upload] [data-testid=dataset-rows]');
    await preview.locator('th', { hasText: 'code' }).first().waitFor();
    await expect(preview.locator('thead').textContent()).resolves.toBe('Linecodenamelicensed');
    await page.getByRole('button', { name: 'Write version 1' }).click();
    await page.getByRole('heading', { name: /clinics/ }).waitFor();
    await page.locator('[data-testid=dataset-columns] tr', { hasText: 'licensed' }).waitFor();
    await expect(
      page.locator('[data-testid=dataset-columns] tr', { hasText: 'licensed' }).textContent(),
    ).resolves.toMatch(/^licensed\s*yes\/no$/);
    await page.getByRole('link', { name: datasetsEn.back }).click();
    await expect(page.getByTestId('dataset-clinics').textContent()).resolves.toContain('code');
  });

  it('reads each column as the type chosen for it, checking the file again', async () => {
    await page.goto(`${session.url}/#/datasets`);
    await page.getByRole('button', { name: 'New data set' }).click();
    await page.fill('input[name=dataset-key]', 'fees');
    await choose(
      csv('fees.csv', 'region,code,fee,since\nNorth,R1,5,2026-01-05\nSouth,R2,n/a,2026-02-01\n'),
    );
    const types = page.getByTestId('dataset-column-types');
    const typeOf = (column: string) => page.locator(typeSelect(column));
    const typeSelect = (column: string) => `[data-name="dataset-type-${column}"]`;
    const disabled = (column: string) =>
      typeOf(column).evaluate((el) => el.classList.contains('ant-select-disabled'));
    await types.waitFor();
    // Inferred: "n/a" makes fee text; the first column is the key.
    await expect(typeOf('fee').textContent()).resolves.toBe(datasetsEn.types.string);
    await expect(typeOf('since').textContent()).resolves.toBe(datasetsEn.types.date);
    await expect(disabled('region')).resolves.toBe(true);
    await pick(page, typeSelect('fee'), datasetsEn.types.number);
    const errors = page.locator('[data-testid=dataset-errors] tbody tr');
    await errors.first().waitFor();
    await expect(errors.allTextContents()).resolves.toEqual([
      expect.stringMatching(/^3fee.*not a number/),
    ]);
    await expect(page.locator('button[name=dataset-write]').isDisabled()).resolves.toBe(true);
    // Another key column: the old one becomes an ordinary (typed) column.
    await pick(page, '[data-name=dataset-key-column]', 'code');
    await expect(disabled('code')).resolves.toBe(true);
    // Enabled once the check with the new key column is back.
    await page.locator(`${typeSelect('region')}:not(.ant-select-disabled)`).waitFor();
    const writable = () =>
      page.waitForFunction(
        () =>
          (document.querySelector('button[name=dataset-write]') as HTMLButtonElement)?.disabled ===
          false,
      );
    await pick(page, typeSelect('fee'), datasetsEn.types.string);
    await writable();
    await expect(errors.count()).resolves.toBe(0);
    await pick(page, typeSelect('since'), datasetsEn.types.string);
    await writable();
    await page.getByRole('button', { name: 'Write version 1' }).click();
    await page.getByRole('heading', { name: /fees/ }).waitFor();
    const set = await (await api('/datasets/fees')).json();
    expect(set).toMatchObject({
      keyColumn: 'code',
      columns: [
        { name: 'region', type: 'string' },
        { name: 'code', type: 'string' },
        { name: 'fee', type: 'string' },
        { name: 'since', type: 'string' },
      ],
    });
    const rows = await (await api('/datasets/fees/rows')).json();
    expect(rows.items[0]).toEqual({
      key: 'R1',
      values: { region: 'North', code: 'R1', fee: '5', since: '2026-01-05' },
    });
    await page.getByRole('link', { name: datasetsEn.back }).click();
  });

  it('takes a JSON file and pages through its rows', async () => {
    const zones = Array.from({ length: 60 }, (_, i) => ({
      zone: `Z${String(i + 1).padStart(2, '0')}`,
      hub: i % 2 ? 'east' : 'west',
    }));
    await page.goto(`${session.url}/#/datasets`);
    await page.getByRole('button', { name: 'New data set' }).click();
    await page.fill('input[name=dataset-key]', 'zones');
    await page.setInputFiles('input[name=dataset-file]', {
      name: 'zones.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(zones)),
    });
    await expect(page.getByTestId('dataset-diff-counts').textContent()).resolves.toBe(
      '60 added, 0 changed, 0 removed, 0 unchanged',
    );
    await page.getByRole('button', { name: 'Write version 1' }).click();
    const rows = page.locator('[data-testid=dataset-rows] tbody tr');
    await rows.nth(49).waitFor();
    await expect(rows.count()).resolves.toBe(50);
    await page.getByRole('button', { name: 'Next page' }).click();
    await rows.locator('td', { hasText: 'Z60' }).waitFor();
    await expect(rows.count()).resolves.toBe(10);
    await expect(page.getByRole('button', { name: 'Next page' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await rows.locator('td', { hasText: 'Z01' }).waitFor();
    await page.getByRole('link', { name: datasetsEn.back }).click();
  });

  it('deletes a data set after asking in a dialog', async () => {
    await page.locator('[data-testid=dataset-bins] a').click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete bins?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('dataset-zones').waitFor();
    await expect(page.getByTestId('dataset-bins').count()).resolves.toBe(0);
    expect((await api('/datasets/bins')).status).toBe(404);
  });
});
