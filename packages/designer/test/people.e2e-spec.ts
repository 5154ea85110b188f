/**
 * The admin pages in Chromium: People (add a person, change their roles, disable them, make
 * and revoke a key) and the Audit log that records each of those changes.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { choose } from './support/choose';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

describe('people and audit pages in Chromium', () => {
  let session: DesignerSession;
  let page: Page;

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
  });
  afterAll(() => session?.close());

  it('adds a person, changes their roles, disables them and revokes a key', async () => {
    await page.locator('header a', { hasText: 'People' }).click();
    await page.getByRole('heading', { name: 'People', exact: true }).waitFor();
    await page.fill('input[name=person-name]', 'Mei');
    await page.fill('input[name=person-email]', 'mei@example.com');
    await page.fill('input[name=person-password]', 'long enough password');
    await page.fill('input[name=person-roles]', 'operator');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const row = page.locator('[data-testid="person-mei@example.com"]');
    await row.waitFor();
    await row.locator('input[name=roles]').fill('viewer, finance');
    await row.getByRole('button', { name: 'Save roles' }).click();
    await row.locator('td', { hasText: 'enabled' }).waitFor();
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.locator('td', { hasText: 'disabled' }).waitFor();
    // The owner is the last admin: disabling them is refused, and the page says why.
    await page
      .locator('[data-testid="person-owner@example.com"]')
      .getByRole('button', { name: 'Disable' })
      .click();
    await page.locator('.error', { hasText: 'yourself' }).waitFor();

    await page.fill('input[name=key-name]', 'wall screen');
    await page.fill('input[name=key-roles]', 'viewer');
    await page.getByRole('button', { name: 'Make a key' }).click();
    await page.locator('[data-testid=new-key] code', { hasText: 'ordo_' }).waitFor();
    const key = page.locator('[data-testid=keys] li', { hasText: 'wall screen' });
    await key.getByRole('button', { name: 'Revoke' }).click();
    await key.locator('text=revoked').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, '20-people.png') });

    const users = await fetch(`${session.url}/api/users`, {
      headers: { authorization: `Bearer ${session.adminKey}` },
    }).then((r) => r.json());
    expect(users.items.find((u: any) => u.email === 'mei@example.com')).toMatchObject({
      roles: ['viewer', 'finance'],
      disabled: true,
    });
  });

  it('shows the audit log, filtered by what changed', async () => {
    await page.locator('header a', { hasText: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.locator('[data-testid=audit] tbody tr');
    await rows.first().waitFor();
    await expect(rows.first().textContent()).resolves.toContain('revoked');
    await choose(page, '[data-testid=audit-entity]', 'user');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('[data-testid=audit] td', { hasText: 'disabled' }).first().waitFor();
    const texts = await rows.allTextContents();
    expect(texts.every((t) => t.includes('user'))).toBe(true);
    expect(texts.join(' ')).not.toContain('ordo_');
    await page.screenshot({ path: path.join(shots, '21-audit.png') });
  });
});
