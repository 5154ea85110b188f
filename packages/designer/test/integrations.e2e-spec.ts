/**
 * The integrations page in a real Chromium against a real server: a call the outbound policy
 * refuses dies with its error and is retried; its exception is counted; a webhook to a private
 * address is refused and one to a public address shows its secret once; a credential is stored
 * without its secret ever reaching the page, its hosts checked and changed; and a flow that
 * calls a connector is simulated with a canned answer.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

describe('integrations in Chromium', () => {
  let session: DesignerSession;
  let url: string;
  let page: Page;
  let adminKey: string;

  beforeAll(async () => {
    session = await signedInSession();
    ({ url, page, adminKey } = session);
  });

  afterAll(() => session?.close());

  it('shows dead effects with their error, retries one, and stores a credential without showing it', async () => {
    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const post = (route: string, body: unknown) =>
      fetch(`${url}/api${route}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    await post('/flows', {
      schemaVersion: 1,
      key: 'metadata-probe',
      name: 'Probe',
      connectors: { crm: { type: 'http', settings: { baseUrl: 'http://169.254.169.254' } } },
      fields: [],
      states: [
        {
          id: 'a',
          initial: true,
          entry: [{ call: { connector: 'crm', action: 'request', input: { path: '/' } } }],
        },
      ],
      transitions: [],
    });
    await post('/flows/metadata-probe/publish', {});
    await post('/orders', { flow: 'metadata-probe', data: {} });

    await page.click('text=English', { timeout: 1000 }).catch(() => undefined);
    await page.goto(`${url}/#/integrations`);
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    const row = page.locator('[data-testid=effects] tr', { hasText: 'crm.request' });
    for (let i = 0; i < 50 && !(await row.count()); i++) {
      await page.click('role=tab[name="Waiting"]');
      await page.click('role=tab[name="Dead"]');
    }
    await expect(row.locator('.error-text').textContent()).resolves.toContain('Refused to call');
    const retried = page.waitForResponse((r) => r.url().endsWith('/retry') && r.status() === 200);
    await row.locator('button', { hasText: 'Retry' }).click();
    await retried;

    // The failed call is an exception (no rule routes it): open, and counted in the share.
    await page.reload();
    await page
      .locator('[data-testid=exceptions] tr', { hasText: 'connector_failed' })
      .first()
      .waitFor();
    await expect(page.locator('[data-testid=exception-stats]').textContent()).resolves.toMatch(
      /\d+ of \d+ settled without a person/,
    );

    // A subscription to a private address is refused at once (the outbound policy).
    await page.fill('input[name=webhook-url]', 'http://10.0.0.7/ordo-events');
    await page.fill('input[name=webhook-events]', 'order.state_changed');
    await page.click('button:has-text("Subscribe")');
    await page.locator('form .error', { hasText: 'Refused to call' }).waitFor();
    // Subscribe a webhook (a public address: it is deleted below before any order changes, so
    // nothing is sent to it); Ordo generates its secret and shows it this once.
    await page.fill('input[name=webhook-url]', 'http://93.184.215.14/ordo-events');
    await page.fill('input[name=webhook-events]', 'order.state_changed, order.shipped');
    await page.click('button:has-text("Subscribe")');
    const subscription = page.locator('[data-testid=webhooks] li', { hasText: '93.184.215.14' });
    await subscription.waitFor();
    await expect(subscription.textContent()).resolves.toContain('order.shipped');
    const once = await page.locator('[data-testid=webhook-secret-once] code').textContent();
    expect(once).toMatch(/^whsec_/);
    await subscription.locator('button', { hasText: '93.184.215.14' }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await subscription.locator('button', { hasText: 'Delete' }).click();
    await subscription.waitFor({ state: 'detached' });
    await page.reload();
    expect(await page.content()).not.toContain(once!);

    await page.fill('input[name=credential-name]', 'crm-token');
    await page.fill('input[name=credential-hosts]', 'crm.example.com');
    await page.fill('input[name=field-0]', 'apiKey');
    await page.fill('input[name=secret-0]', 'very-secret-value');
    await page.click('button:has-text("Save")');
    // A host without its port is refused at its path; nothing is stored.
    await page.locator('.error', { hasText: '/hosts/0' }).waitFor();
    await page.fill('input[name=credential-hosts]', 'crm.example.com:443');
    await page.click('button:has-text("Save")');
    await page.locator('[data-testid=credentials] li', { hasText: 'crm-token' }).waitFor();
    await page
      .locator('[data-testid=hosts-crm-token]', { hasText: 'crm.example.com:443' })
      .waitFor();
    expect(await page.content()).not.toContain('very-secret-value');
    // Its hosts change without its secret.
    await page.click('[data-testid=credentials] li button:has-text("Edit hosts")');
    await page.fill(
      'input[name=edit-hosts-crm-token]',
      'crm.example.com:443, *.crm.example.com:443',
    );
    await page.click('button:has-text("Save hosts")');
    await page
      .locator('[data-testid=hosts-crm-token]', { hasText: '*.crm.example.com:443' })
      .waitFor();
    await page.locator('[data-testid=connectors] li', { hasText: 'dingtalk-session@' }).waitFor();
    await page.screenshot({ path: path.join(shots, '05-integrations.png'), fullPage: true });

    // Simulate a flow that calls a connector, with a canned answer.
    await post('/flows', {
      schemaVersion: 1,
      key: 'credit-sim',
      name: 'Credit',
      connectors: { crm: { type: 'http', settings: { baseUrl: 'https://crm.example.com' } } },
      fields: [{ key: 'crm', type: 'object', fields: [{ key: 'tier', type: 'string' }] }],
      states: [
        {
          id: 'checking',
          initial: true,
          entry: [
            {
              call: {
                connector: 'crm',
                action: 'request',
                input: { path: '/customers/1' },
                resultPath: 'crm',
                onSuccess: 'checked',
              },
            },
          ],
        },
        { id: 'approved', final: true },
      ],
      transitions: [{ id: 'approve', from: 'checking', to: 'approved', event: 'checked' }],
    });
    await page.goto(`${url}/#/flows/credit-sim`);
    await page.click('[data-tab=simulate]');
    await page.click('button:has-text("Create test order")');
    await page.locator('[data-testid=simulate-calls] li', { hasText: 'crm.request' }).waitFor();
    await page.fill('input[name=call-answer-0]', '{"tier": "A"}');
    await page.click('[data-testid=simulate-calls] button:has-text("Answer")');
    await expect(page.locator('[data-testid=simulate-state]').textContent()).resolves.toBe(
      'approved',
    );
  });
});
