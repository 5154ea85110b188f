/**
 * The gallery's deploy form in Chromium against the real server: each connector's address and
 * credential asked by a form from the connector's schemas, defaults that point at the fake
 * systems, a bad value refused at its field (nothing deployed), the user's own address and
 * secret deployed; in English and Chinese.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { deployEn } from '../src/i18n/deploy.en';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

/** Every English text of the form's own labels (the parts between the placeholders). */
const englishLabels = (texts: unknown): string[] =>
  typeof texts === 'string'
    ? texts
        .split(/\{\{\w+\}\}/)
        .map((part) => part.replace(/[^A-Za-z/ ,;:()'.-]/g, '').trim())
        .filter((part) => /[A-Za-z]{3}/.test(part) && !/^(HTTP|TLS|URL|API|JSON)$/.test(part))
    : Object.values(texts as object).flatMap(englishLabels);

describe('template deploy form in Chromium', () => {
  let session: DesignerSession;
  let page: Page;
  const api = (route: string) =>
    fetch(`${session.url}/api${route}`, {
      headers: { authorization: `Bearer ${session.adminKey}` },
    });
  const dialog = () => page.getByRole('dialog');
  const open = async (name: string) => {
    await page.goto(`${session.url}/#/templates`);
    const card = page.locator('[data-testid=templates] li', { hasText: name });
    await page.locator('.templates input[type=checkbox]').uncheck();
    await card.getByRole('button').click();
    await dialog().locator('fieldset').first().waitFor();
  };

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
  });
  afterAll(() => session?.close());

  it("asks each connector's address and credential, the fake systems by default", async () => {
    await open('Pharma');
    const bank = dialog().getByTestId('deploy-connector-bank');
    await expect(bank.locator('input[name="bank.baseUrl"]').inputValue()).resolves.toBe(
      'http://127.0.0.1:4105',
    );
    await expect(bank.locator('[data-name="bank.auth"]').textContent()).resolves.toBe(
      deployEn.choice.auth.bearer,
    );
    await bank.getByText(deployEn.defaults).waitFor();
    // The template's credential: a placeholder unless the real one is typed.
    await expect(bank.getByTestId('credential-state-bank').textContent()).resolves.toBe(
      'placeholder',
    );
    await expect(
      bank.locator('input[name="bank.credential.token"]').getAttribute('placeholder'),
    ).resolves.toBe(deployEn.credentialPlaceholder.placeholder);
    const carrier = dialog().getByTestId('deploy-connector-carrier');
    await expect(carrier.locator('input[name="carrier.baseUrl"]').inputValue()).resolves.toBe(
      'http://127.0.0.1:4104',
    );
    await expect(carrier.getByTestId('credential-state-carrier').textContent()).resolves.toBe(
      'optional',
    );
    await page.screenshot({ path: path.join(shots, '30-deploy-form.png') });
  });

  it('refuses a bad address at its field and deploys nothing', async () => {
    const bank = dialog().getByTestId('deploy-connector-bank');
    await bank.locator('input[name="bank.baseUrl"]').fill('ftp://bank.example');
    await bank.getByText(deployEn.changed).waitFor();
    await dialog().getByRole('button', { name: 'Deploy' }).click();
    const error = bank
      .locator('.setting-input', { has: page.locator('input[name="bank.baseUrl"]') })
      .locator('.error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('pattern');
    await expect(
      bank.locator('input[name="bank.baseUrl"]').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    expect((await api('/flows/pharma-distribution')).status).toBe(404);
    expect((await (await api('/credentials')).json()).items).toEqual([]);
  });

  it("deploys the user's address and secret; the rest keeps the fake systems", async () => {
    const bank = dialog().getByTestId('deploy-connector-bank');
    await bank.locator('input[name="bank.baseUrl"]').fill('https://api.bank.example');
    await bank.locator('input[name="bank.credential.token"]').fill('the-real-bank-token');
    await dialog().getByRole('button', { name: 'Deploy' }).click();
    const checklist = page.locator('[data-testid=deploy-checklist]');
    await checklist.waitFor();
    expect(page.url()).toMatch(/#\/flows\/pharma-distribution$/);
    // No placeholder for the bank's token, given; the bank's webhook secret keeps one.
    await expect(checklist.textContent()).resolves.toContain(
      'Credentials stored with placeholder secrets: bank-hook.',
    );
    await expect(checklist.textContent()).resolves.toContain(
      'Credentials stored as you typed them: bank-api.',
    );
    const flow = (await (await api('/flows/pharma-distribution')).json()).latest;
    expect(flow.connectors.bank.settings).toEqual({
      baseUrl: 'https://api.bank.example',
      auth: 'bearer',
    });
    expect(flow.connectors.carrier.settings.baseUrl).toBe('http://127.0.0.1:4104');
    const credentials = (await (await api('/credentials')).json()).items;
    expect(credentials).toEqual([
      expect.objectContaining({
        name: 'bank-api',
        fields: ['token'],
        hosts: ['api.bank.example:443'],
      }),
      // The bank's settlement webhook secret (inbound: no hosts), a placeholder to replace.
      expect.objectContaining({ name: 'bank-hook', fields: ['secret'], hosts: [] }),
    ]);
  });

  it('keeps every default when nothing is changed: the fake systems and placeholders', async () => {
    await open('Status sync');
    await dialog().getByRole('button', { name: 'Deploy' }).click();
    await page.locator('[data-testid=deploy-checklist]').waitFor();
    const flow = (await (await api('/flows/status-sync')).json()).latest;
    for (const instance of Object.values(flow.connectors) as { settings: { baseUrl?: string } }[])
      if (instance.settings.baseUrl)
        expect(instance.settings.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:41\d\d$/);
    await page.locator('[data-testid=deploy-checklist] button').click();
  });

  it('shows the form in Chinese with none of its English labels, a stored secret as stored', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    await page.goto(`${session.url}/#/templates`);
    const card = page.locator('[data-testid=templates] li', { hasText: '医药' });
    await card.getByRole('button').click();
    const bank = dialog().getByTestId('deploy-connector-bank');
    await bank.getByTestId('credential-state-bank').getByText('已保存').waitFor();
    await bank.getByText('基础地址').waitFor();
    await bank.getByText('你的系统', { exact: true }).waitFor({ state: 'detached' });
    const text = await dialog().innerText();
    await page.screenshot({ path: path.join(shots, '31-deploy-form-zh-CN.png') });
    expect(englishLabels(deployEn).filter((label) => text.includes(label))).toEqual([]);
    await dialog().getByRole('button', { name: '取消' }).click();
    await page.getByRole('button', { name: 'English' }).click();
  });
});
