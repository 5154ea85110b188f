/**
 * The flow's JSON tab in Chromium: Monaco mounts without page or console errors (its services
 * and workers come from the bundle), and find/replace (Ctrl+F, Ctrl+H) works.
 */
import type { Page } from 'playwright-core';
import { type DesignerSession, signedInSession } from './support/designer-session';

describe('the JSON editor in Chromium', () => {
  let session: DesignerSession;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    const created = await session.post('/flows', {
      schemaVersion: 1,
      key: 'parcel',
      name: 'Parcel',
      fields: [],
      states: [
        { id: 'packed', initial: true },
        { id: 'shipped', final: true },
      ],
      transitions: [{ id: 'ship', from: 'packed', to: 'shipped', event: 'ship' }],
    });
    expect(created.status).toBe(201);
  });

  afterAll(() => session?.close());

  it('mounts without errors, again after leaving the tab', async () => {
    await page.goto(`${session.url}/#/flows/parcel`);
    for (let round = 0; round < 2; round++) {
      await page.click('[data-tab=json]');
      await page.locator('.monaco-editor .view-lines').waitFor();
      await page.waitForTimeout(500);
      await page.click('[data-tab=inspector]');
    }
    expect(errors).toEqual([]);
  });

  // The widget's match count ("2 of 2", "No results"), which it keeps visually hidden.
  const matches = (text: RegExp) =>
    page.waitForFunction(
      (source) =>
        new RegExp(source).test(
          document.querySelector('.find-widget .matchesCount')?.textContent ?? '',
        ),
      text.source,
    );

  it('finds and replaces with the keyboard', async () => {
    await page.goto(`${session.url}/#/flows/parcel`);
    await page.click('[data-tab=json]');
    const lines = page.locator('.monaco-editor .view-lines');
    await lines.waitFor();
    await lines.click();
    await page.keyboard.press('Control+f');
    await page.locator('.find-widget textarea[aria-label=Find]').waitFor();
    await page.keyboard.type('"packed"');
    // The state's id, the transition's source and its position (it opened laid out).
    await matches(/ of 3$/);
    // Ctrl+H opens the replace field with the focus in it; Ctrl+Alt+Enter replaces all.
    await page.keyboard.press('Control+h');
    await page.locator('.find-widget textarea[aria-label=Replace]').waitFor();
    await page.keyboard.type('"boxed"');
    await page.keyboard.press('Control+Alt+Enter');
    await matches(/^No results$/);
    await page.getByRole('button', { name: /apply/i }).click();
    const draft = await session.draftWhen('parcel', (d) => d.states[0].id === 'boxed');
    expect(draft.states[0]).toEqual({ id: 'boxed', initial: true });
    expect(draft.transitions[0].from).toBe('boxed');
    expect(errors).toEqual([]);
  });
});
