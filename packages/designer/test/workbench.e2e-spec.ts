/**
 * The operator workbench in Chromium: the task inbox, the live order list and its detail, a
 * long list paged as it scrolls, and the operator scenario from template to a second page.
 * The owner is signed in and the status-sync template deployed (with its samples and one
 * imported CSV order) before the tests, through the API.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { choose } from './support/choose';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

describe('operator workbench in Chromium', () => {
  let session: DesignerSession;
  let url: string;
  let page: Page;
  let adminKey: string;
  const secondPage = (route: string) => session.secondPage(route);

  beforeAll(async () => {
    session = await signedInSession();
    ({ url, page, adminKey } = session);
    await session.post('/templates/status-sync/deploy', { loadSamples: true });
    await session.post('/flows/status-sync/imports', {
      format: 'csv',
      content: 'Order No,Ref,Client,Pieces\nIM-1,IM-1,Kunming Motor,12\n',
      mapping: { 'Order No': 'externalRef', Ref: 'ref', Client: 'customer', Pieces: 'qty' },
    });
  });

  afterAll(() => session?.close());

  it('shows new tasks live in the inbox, claimed and resolved with the keyboard', async () => {
    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const post = (route: string, body: unknown) =>
      fetch(`${url}/api${route}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    await post('/flows', {
      schemaVersion: 1,
      key: 'callbacks',
      name: 'Call-backs',
      fields: [{ key: 'customer', type: 'string' }],
      states: [
        {
          id: 'waiting',
          initial: true,
          entry: [
            {
              task: {
                queue: 'operator',
                title: 'Call {{customer}} back',
                priority: 'urgent',
                due: 'PT30M',
              },
            },
          ],
        },
      ],
      transitions: [],
    });
    await post('/flows/callbacks/publish', {});
    await page.goto(`${url}/#/tasks`);
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    await post('/orders', { flow: 'callbacks', data: { customer: 'Mrs Wang' } });
    const row = page.locator('[data-testid=tasks] tr', { hasText: 'Call Mrs Wang back' });
    await row.waitFor();
    await expect(row.locator('td.due').getAttribute('class')).resolves.toContain('soon');
    await page.screenshot({ path: path.join(shots, '11-tasks.png') });
    // Move to the new task with the arrow keys (it is the last one), then claim and resolve.
    const index = await page.locator('[data-testid=tasks] tbody tr').count();
    for (let i = 1; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('c');
    await row.locator('td', { hasText: 'claimed by' }).waitFor();
    await row.locator('td', { hasText: 'claimed by Owner' }).waitFor();
    // Give it to someone else, picked by name in a dialog (no browser prompt), then resolve it.
    await post('/users', {
      email: 'li.na@example.com',
      password: 'long enough password',
      name: 'Li Na',
      roles: ['operator'],
    });
    await row.locator('button', { hasText: 'Give to' }).click();
    const give = page.getByRole('dialog', { name: 'Give the task to someone' });
    await give.getByRole('button', { name: 'Give', exact: true }).click();
    await give.getByRole('alert').filter({ hasText: 'Choose who gets the task' }).waitFor();
    await choose(page, '[role=dialog] [data-name=reassign-to]', 'Li Na');
    await give.getByRole('button', { name: 'Give', exact: true }).click();
    await row.locator('td', { hasText: 'claimed by Li Na' }).waitFor();
    await page.keyboard.press('r');
    await row.waitFor({ state: 'detached' });
  });

  it('works the live order list: counts, detail with next steps, a change seen live on a second page, bulk', async () => {
    await page.goto(`${url}/#/orders?flow=status-sync`);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    const counts = page.locator('[data-testid=state-counts]');
    await counts.locator('button', { hasText: 'new' }).waitFor();
    // A second operator's browser, signed in with the same account.
    const second = await secondPage('#/orders?flow=status-sync');
    const row = (p: typeof page, ref: string) => p.locator('.order-row', { hasText: ref });
    await row(second, 'SS-1001').locator('[data-state=new]').waitFor();

    await row(page, 'SS-1001').locator('button').click();
    const detail = page.locator('[data-testid=order-detail]');
    await detail.locator('button', { hasText: 'Move to Customer confirmed' }).click();
    await detail.locator('.badge', { hasText: 'Customer confirmed' }).waitFor();
    await detail
      .locator('[data-testid=timeline] li', { hasText: 'New → Customer confirmed' })
      .waitFor();
    // The other page sees the order move without a reload.
    await row(second, 'SS-1001').locator('[data-state=customer_confirmed]').waitFor();
    await page.screenshot({ path: path.join(shots, '12-orders.png'), fullPage: true });
    await second.close();

    // The order on its flow's map, and its data edited as an operator may.
    await detail.locator('svg.flow-preview .preview-node.current').waitFor();
    await detail.locator('input[name=qty]').waitFor();
    expect(await detail.locator('input[name=qty]').isDisabled()).toBe(true);
    await detail.locator('button', { hasText: 'Edit the data' }).click();
    await detail.locator('input[name=qty]').fill('999');
    await detail.locator('button', { hasText: 'Save' }).click();
    await detail
      .locator('[data-testid=timeline] li', { hasText: 'changed the data' })
      .filter({ hasText: '999' })
      .waitFor();
    expect(await detail.locator('input[name=qty]').inputValue()).toBe('999');

    await row(page, 'SS-1002').locator('input[type=checkbox]').check();
    await row(page, 'SS-1001').locator('input[type=checkbox]').check();
    await page.fill('input[name=bulk-event]', 'customer_confirmed');
    await page.click('button:has-text("Fire on the selected orders")');
    await page
      .locator('[data-testid=bulk-result]', { hasText: '1 orders moved, 1 refused' })
      .waitFor();

    // Filter by channel, keep it as a saved view, and come back to it.
    const rows = page.locator('.order-row');
    await choose(page, '[data-testid=orders-channel]', 'csv');
    await row(page, 'SS-1003').waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(1);
    await page.click('button:has-text("Save this view")');
    await page.fill('input[name=view-name]', 'From CSV');
    await page.check('input[name=view-shared]');
    await page.click('[data-testid=saved-views] button:has-text("Save")');
    await choose(page, '[data-testid=orders-channel]', 'any channel');
    await row(page, 'SS-1003').waitFor();
    // Views are kept on the server for the person (and shared here): they survive a reload.
    await page.reload();
    await page.click('[data-testid=saved-views] button:has-text("From CSV")');
    await row(page, 'SS-1003').waitFor({ state: 'detached' });
    await choose(page, '[data-testid=orders-channel]', 'any channel');
    await row(page, 'SS-1003').waitFor();

    // The keyboard: move down the list and open an order with Enter.
    await page.locator('h1').click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const third = await rows.nth(2).locator('button').textContent();
    await page.locator('[data-testid=order-detail] h2', { hasText: third! }).waitFor();
    // The first step it can take has the focus: Enter takes it.
    await page
      .locator('[data-testid=order-detail] button:focus', { hasText: 'Customer confirmed' })
      .waitFor();
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid=order-detail] h2 .badge', { hasText: 'Customer confirmed' })
      .waitFor();
  });

  it('pages a long order list as it is scrolled, drawing only the rows in view', async () => {
    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const post = (route: string, body: unknown) =>
      fetch(`${url}/api${route}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    await post('/flows', {
      schemaVersion: 1,
      key: 'long-list',
      name: 'Long list',
      fields: [{ key: 'n', type: 'integer' }],
      states: [{ id: 'open', initial: true }],
      transitions: [],
    });
    await post('/flows/long-list/publish', {});
    const content = Array.from({ length: 450 }, (_, n) =>
      JSON.stringify({ externalRef: `L-${n}`, data: { n } }),
    ).join('\n');
    await post('/flows/long-list/imports', { format: 'jsonl', content });
    await page.goto(`${url}/#/orders?flow=long-list`);
    const loaded = page.locator('[data-testid=orders-loaded]');
    await page.locator('[data-testid=orders-loaded]', { hasText: '200 of 450' }).waitFor();
    expect(await page.locator('.order-row').count()).toBeLessThan(60);
    for (let i = 0; i < 20 && !(await loaded.textContent())?.startsWith('450 of 450'); i++) {
      // The mouse wheel over the list, as a person scrolls it.
      const box = (await page.locator('[data-testid=orders]').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.75);
      await page.mouse.wheel(0, 8000);
      await new Promise((r) => setTimeout(r, 150));
    }
    await page.locator('[data-testid=orders-loaded]', { hasText: '450 of 450' }).waitFor();
    expect(await page.locator('.order-row').count()).toBeLessThan(60);
  });

  it('runs the operator scenario: deploy from the gallery, import the sample CSV, work the task, see the order move on a second page', async () => {
    await page.goto(`${url}/#/templates`);
    const card = page.locator('[data-testid=templates] li', { hasText: 'FMCG distribution' });
    await page.locator('.templates input[type=checkbox]').uncheck();
    await card.locator('button', { hasText: 'Deploy' }).click();
    await page.getByRole('dialog').locator('input[name="wms.baseUrl"]').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Deploy' }).click();
    await page.locator('[data-testid=deploy-checklist]').waitFor();

    await page.goto(`${url}/#/import?flow=fmcg-distribution`);
    await choose(page, '[data-testid=import-flow]', 'fmcg-distribution');
    await page.setInputFiles(
      'input[name=import-file]',
      path.join(
        __dirname,
        '..',
        '..',
        '..',
        'templates',
        'fmcg-distribution',
        'samples',
        'orders.csv',
      ),
    );
    await page.locator('[data-testid=import-summary]', { hasText: '6 can be imported' }).waitFor();
    await page.click('button:has-text("Import 6 orders")');
    await page.locator('[data-testid=import-result]', { hasText: '6 orders imported' }).waitFor();

    // The WMS cannot be reached from here: the reservation fails, the order waits short of
    // stock, and a task opens in the order desk.
    await page.goto(`${url}/#/tasks`);
    const task = page.locator('[data-testid=tasks] tr', {
      hasText: 'Not enough stock for Hongqiao Store',
    });
    await task.waitFor();
    await task.locator('button', { hasText: 'Claim' }).click();
    await task.locator('td', { hasText: 'claimed by' }).waitFor();
    await task.locator('button', { hasText: 'Resolve' }).click();
    await task.waitFor({ state: 'detached' });

    const second = await secondPage('#/orders?flow=fmcg-distribution');
    const watched = second.locator('.order-row', { hasText: 'FM-2001' });
    await watched.locator('[data-state=stock_short]').waitFor();

    await page.goto(`${url}/#/orders?flow=fmcg-distribution`);
    await page.locator('.order-row', { hasText: 'FM-2001' }).locator('button').click();
    // The timeline says where it came from: the file and its two rows.
    await page
      .locator('[data-testid=timeline] [data-testid=order-source]', {
        hasText: 'from the file orders.csv, rows 2–3',
      })
      .waitFor();
    await page
      .locator('[data-testid=order-detail] button', { hasText: 'Move to Cancelled' })
      .click();
    await watched.locator('[data-state=cancelled]').waitFor();
    await second.close();

    // Order lines are added and removed in the form (a merge patch through the engine).
    const lines = async () =>
      (
        await fetch(`${url}/api/orders?flow=fmcg-distribution&externalRef=FM-2003`, {
          headers: { authorization: `Bearer ${adminKey}` },
        }).then((r) => r.json() as Promise<{ items: { data: { lines: unknown[] } }[] }>)
      ).items[0].data.lines;
    expect(await lines()).toHaveLength(1);
    await page.locator('.order-row', { hasText: 'FM-2003' }).locator('button').click();
    const detail = page.locator('[data-testid=order-detail]');
    await detail.locator('button', { hasText: 'Edit the data' }).click();
    await detail.locator('button[name="lines.add"]').click();
    await detail.locator('input[name="lines.1.sku"]').fill('SKU-TEA-500');
    await detail.locator('input[name="lines.1.qty"]').fill('24');
    await detail.locator('input[name="lines.1.bin"]').fill('P-03');
    await detail.locator('button', { hasText: /^Save$/ }).click();
    await detail.locator('button', { hasText: 'Edit the data' }).waitFor();
    expect(await lines()).toEqual([
      expect.objectContaining({ sku: 'SKU-RICE-5KG' }),
      { sku: 'SKU-TEA-500', qty: 24, bin: 'P-03' },
    ]);
    await detail.locator('button', { hasText: 'Edit the data' }).click();
    await detail.locator('button[name="lines.0.remove"]').click();
    // The field needs one line at least: the last one cannot be removed.
    expect(await detail.locator('button[name="lines.0.remove"]').isDisabled()).toBe(true);
    await detail.locator('button', { hasText: /^Save$/ }).click();
    await detail.locator('button', { hasText: 'Edit the data' }).waitFor();
    expect(await lines()).toEqual([expect.objectContaining({ sku: 'SKU-TEA-500' })]);
  });
});
