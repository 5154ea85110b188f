/**
 * The designer in a real Chromium (Debian's, driven by playwright-core) against a real server
 * with the built app: first-run sign-in, build a flow on the canvas, a guard that the lint
 * refuses and then accepts, a blocked and an allowed simulated transition, publish, and an
 * order created through the API on the published version. Screenshots go to ../screenshots.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { choose } from './support/choose';
import { type DesignerSession, shots, startDesignerSession } from './support/designer-session';

describe('designer in Chromium', () => {
  let session: DesignerSession;
  let url: string;
  let page: Page;
  let adminKey: string;

  beforeAll(async () => {
    session = await startDesignerSession();
    ({ url, page, adminKey } = session);
  });

  afterAll(() => session?.close());

  it('signs in, builds, checks, simulates and publishes a flow', async () => {
    await page.goto(url);
    await page.getByRole('heading', { name: 'Create the owner account' }).waitFor();
    await page.screenshot({ path: path.join(shots, '01-setup.png') });
    await page.fill('input[name=name]', 'Owner');
    await page.fill('input[name=email]', 'owner@example.com');
    await page.fill('input[name=password]', 'correct horse');
    await page.click('button[type=submit]');

    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    await page.fill('input[name=key]', 'returns');
    await page.click('text=New flow');
    await page.locator('.state-node', { hasText: 'New' }).waitFor();

    // Add a state and connect New → it by dragging from handle to handle.
    // A new state is named in a modal: a label is required, the id follows it until typed.
    await page.click('text=+ Add state');
    await page.keyboard.press('Enter');
    await page.locator('[role=dialog] [role=alert]').waitFor();
    await page.fill('[role=dialog] input[name=new-state-label]', 'Review');
    await expect(page.inputValue('[role=dialog] input[name=new-state-id]')).resolves.toBe('review');
    await page.fill('[role=dialog] input[name=new-state-id]', 'state');
    await page.keyboard.press('Enter');
    const added = page.locator('.react-flow__node', { hasText: 'Review' });
    await added.waitFor();
    await page.click('text=Auto-layout');
    // ELK runs in a worker: the handles move once it has answered.
    await page.locator('[data-testid=auto-layout]:not([disabled])').waitFor();
    await page.click('.react-flow__controls-fitview');
    const from = await page
      .locator('.react-flow__node', { hasText: 'New' })
      .locator('.react-flow__handle-right')
      .boundingBox();
    const to = await added.locator('.react-flow__handle-left').boundingBox();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height / 2, { steps: 12 });
    await page.mouse.up();
    // The event is named in a modal: an empty name is refused inline, Enter confirms.
    const eventName = page.locator('[role=dialog] input[name=new-event]');
    await eventName.fill('');
    await page.keyboard.press('Enter');
    await page.locator('[role=dialog] [role=alert]').waitFor();
    await eventName.fill('submit');
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__edge-text', { hasText: 'submit' }).waitFor();
    await expectDoc((doc) =>
      doc.transitions.some(
        (t: { id: string; to: string }) => t.id === 'submit' && t.to === 'state',
      ),
    );

    // Fields: add one and see it in the order form preview.
    await page.click('[data-tab=fields]');
    await page.fill('input[name=new-field-root]', 'reason');
    await page.click('button:has-text("+ Field")');
    await page.locator('.form-preview label', { hasText: 'reason' }).waitFor();
    await expectDoc((doc) => doc.fields.some((f: { key: string }) => f.key === 'reason'));
    // Its constraints in the table: a maximum length, saved in the document.
    await page.fill('input[name=reason-maxLength]', '200');
    await expectDoc((doc) =>
      doc.fields.some((f: { key: string; maxLength?: number }) => f.maxLength === 200),
    );
    await page.screenshot({ path: path.join(shots, '01b-fields.png') });

    // A guard built with the rule builder; a guard reading a field that does not exist is a
    // problem; fixing it in the JSON view clears it and shows it in the builder again.
    await page.click('text=Auto-layout');
    await page.click('.react-flow__controls-fitview');
    await page.locator('.react-flow__edge-textwrapper', { hasText: 'submit' }).click();
    await page.click('[data-testid=rule-builder] .ruleGroup-addRule');
    await choose(page, '[data-testid=rule-builder] .rule-fields', '$actor.roles');
    await choose(page, '[data-testid=rule-builder] .rule-operators', 'contains');
    await page.fill('[data-testid=rule-builder] .rule-value', 'manager');
    await expectDoc(
      (doc) =>
        JSON.stringify(doc.transitions.find((t: { id: string }) => t.id === 'submit').guard) ===
        '{"in":["manager",{"var":"$actor.roles"}]}',
    );
    await page.screenshot({ path: path.join(shots, '02a-rule-builder.png') });
    await setGuardText('{ "==": [ { "var": "approvedd" }, true ] }');
    await page.click('text=Apply');
    await page.click('[data-tab=problems]');
    await page.locator('[data-testid=problems] li', { hasText: 'approvedd' }).waitFor();
    await page.screenshot({ path: path.join(shots, '02-problem.png') });
    expect(await page.locator('button', { hasText: 'Publish' }).isDisabled()).toBe(true);
    await page.locator('[data-testid=problems] li', { hasText: 'approvedd' }).click();
    await setGuardText('{ "in": [ "manager", { "var": "$actor.roles" } ] }');
    await page.click('text=Apply');
    await expect(page.locator('[data-testid=rule-builder] .rule-value').inputValue()).resolves.toBe(
      'manager',
    );
    await page.click('[data-tab=problems]');
    await page
      .locator('[data-testid=problems] li', { hasText: 'approvedd' })
      .waitFor({ state: 'detached' });

    // A field-versus-field clause and one the builder has no row for survive reselecting the
    // transition; the raw block is edited as json-logic, refusing text that is not JSON.
    const compare = { '>=': [{ var: 'reason' }, { var: '$order.state' }] };
    await page.locator('.react-flow__edge-textwrapper', { hasText: 'submit' }).click();
    await setGuardText(JSON.stringify({ and: [compare, { '!!': [{ var: 'reason' }] }] }));
    await page.click('text=Apply');
    await page.locator('.react-flow__node', { hasText: 'New' }).click();
    await page.locator('.react-flow__edge-textwrapper', { hasText: 'submit' }).click();
    const raw = page.locator('[data-testid=rule-builder] .rule-raw-text');
    await raw.fill('{"!": [{"var": "reason"}');
    await page.locator('[data-testid=rule-builder] .rule-raw [role=alert]').waitFor();
    await raw.fill('{"!": [{"var": "reason"}]}');
    await expectDoc(
      (doc) =>
        JSON.stringify(doc.transitions.find((t: { id: string }) => t.id === 'submit').guard) ===
        JSON.stringify({ and: [compare, { '!': [{ var: 'reason' }] }] }),
    );
    await page.screenshot({ path: path.join(shots, '02c-rule-builder-raw.png') });
    await setGuardText('{ "in": [ "manager", { "var": "$actor.roles" } ] }');
    await page.click('text=Apply');
    await expectDoc(
      (doc) =>
        JSON.stringify(doc.transitions.find((t: { id: string }) => t.id === 'submit').guard) ===
        '{"in":["manager",{"var":"$actor.roles"}]}',
    );

    // The whole document in Monaco (bundled, schema-validated), applied back to the canvas.
    await page.click('[data-tab=json]');
    await page.locator('.monaco-editor .view-lines', { hasText: '"schemaVersion": 1' }).waitFor();
    await page.click('text=Apply to canvas');
    await page.locator('.react-flow__edge').filter({ hasText: 'submit' }).waitFor();
    await page.screenshot({ path: path.join(shots, '02b-json.png') });

    // Simulate in the browser: blocked as a clerk (with the failed clause), allowed as a manager.
    await page.click('[data-tab=simulate]');
    await page.fill('input[name=simulate-roles]', 'clerk');
    await page.click('text=Create test order');
    await expect(page.locator('[data-testid=simulate-state]').textContent()).resolves.toBe('New');
    await page.click('button:has-text("Fire submit")');
    await expect(page.locator('[data-testid=simulate-refusal]').textContent()).resolves.toContain(
      '$actor.roles was ["clerk"], needed to contain "manager"',
    );
    await page.fill('input[name=simulate-roles]', 'manager');
    await page.click('button:has-text("Fire submit")');
    await expect(page.locator('[data-testid=simulate-state]').textContent()).resolves.toBe(
      'Review',
    );
    await page.screenshot({ path: path.join(shots, '03-simulate.png') });

    // Publish, then create an order through the API on the published version.
    await page.locator('[data-testid=save-status]', { hasText: 'Draft saved' }).waitFor();
    await page.click('button:has-text("Publish")');
    await page.fill('[role=dialog] input[name=publish-note]', 'first version');
    await page.keyboard.press('Enter');
    await page.locator('.notice', { hasText: 'Published version 1' }).waitFor();
    const order = await fetch(`${url}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ flow: 'returns', data: {} }),
    }).then((r) => r.json());
    expect(order).toMatchObject({ flow: 'returns', flowVersion: 1, state: 'new' });

    // Drag a state from the palette onto the canvas.
    await page
      .locator('[data-testid=palette-state]')
      .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 120, y: 420 } });
    await page.fill('[role=dialog] input[name=new-state-label]', 'Second look');
    await page.fill('[role=dialog] input[name=new-state-id]', 'state');
    await page.keyboard.press('Enter');
    await page
      .locator('[role=dialog] [role=alert]', { hasText: 'already a state state' })
      .waitFor();
    await page.fill('[role=dialog] input[name=new-state-id]', 'state_2');
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__node', { hasText: 'Second look' }).waitFor();
    await expectDoc((doc) => doc.states.some((st: { id: string }) => st.id === 'state_2'));

    // What the draft changes against the published version: a list, and the JSON diff.
    await page.click('[data-tab=versions]');
    await page
      .locator('[data-testid=versions] [data-section=states] .added', { hasText: 'state_2' })
      .waitFor();
    await page.click('text=Show the JSON diff');
    await page.locator('.monaco-diff-editor').waitFor();
    await page.screenshot({ path: path.join(shots, '06-versions.png') });

    // The real order replayed on the draft behaves the same.
    await page.click('[data-testid=replay] button');
    await page
      .locator('[data-testid=replay] p', { hasText: '1 order replayed: 1 the same.' })
      .waitFor();

    // Publish version 2, then move the order of version 1 onto it: preview, then move.
    await page.click('button:has-text("Publish")');
    await page.keyboard.press('Enter');
    await page.locator('.notice', { hasText: 'Published version 2' }).waitFor();
    await page.click('[data-tab=inspector]');
    await page.click('[data-tab=versions]');
    await choose(page, '[data-testid=migration-target]', 'v2');
    await page.click('[data-testid=migration] button:has-text("Preview")');
    await page.locator('[data-testid=migration] li', { hasText: 'v1 new → new: 1' }).waitFor();
    await page.click('[data-testid=migration] button:has-text("Move 1 order")');
    await page.click('[role=dialog] button[type=submit]');
    await page
      .locator('[data-testid=migration] .notice', { hasText: 'Moved 1 order to v2' })
      .waitFor();
    await page.screenshot({ path: path.join(shots, '07-migration.png') });
    // Version against version: v2 added state_2 to v1.
    await page.click('[data-testid=versions] .version-list button:has-text("v1")');
    await choose(page, '[data-testid=compare-against]', 'v2');
    await page
      .locator('[data-testid=versions] [data-section=states] .added', { hasText: 'state_2' })
      .waitFor();
    const moved = await fetch(`${url}/api/orders/${order.id}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    }).then((r) => r.json());
    expect(moved).toMatchObject({ flowVersion: 2, state: 'new' });

    // Every screen in Simplified Chinese too.
    await page.click('text=中文');
    await page.locator('button', { hasText: '发布' }).waitFor();
    await page.screenshot({ path: path.join(shots, '04-zh-CN.png') });
  });

  it('works the canvas with the keyboard alone: add a state, select, connect, delete, undo', async () => {
    await page.goto(`${url}/#/flows/returns`);
    await page.locator('.react-flow__node').first().waitFor();
    // Edges are drawn once the nodes are measured: count from a settled canvas.
    await page.locator('.react-flow__edge').first().waitFor();
    /**
     * Presses Tab until the focused element matches, as a keyboard user would (the bound is a
     * safety net only: the page, its menu and an open inspector hold a few hundred stops).
     */
    const tabTo = async (matches: string) => {
      for (let i = 0; i < 600; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, matches))
          return;
      }
      throw new Error(`Tab never reached ${matches}`);
    };
    const nodes = page.locator('.react-flow__node');
    const edges = page.locator('.react-flow__edge');
    const countIs = async (what: typeof nodes, want: number) => {
      for (let i = 0; i < 100 && (await what.count()) !== want; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await what.count()).toBe(want);
    };
    /** The count once it has held still for a few frames (the canvas draws edges after nodes). */
    const settledCount = async (what: typeof nodes) => {
      let last = -1;
      for (let stable = 0, i = 0; stable < 6 && i < 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const now = await what.count();
        stable = now === last && now > 0 ? stable + 1 : 0;
        last = now;
      }
      return last;
    };
    const before = await settledCount(nodes);
    await page.locator('body').focus();
    await tabTo('.toolbar button:first-of-type');
    await page.keyboard.press('Enter');
    // The modal takes the focus once it has opened (as a person would, wait for it): type the
    // label, Enter adds the state.
    await page.waitForFunction(() => !!document.activeElement?.closest('[role=dialog]'));
    await page.keyboard.type('Keyboard check');
    await page.keyboard.press('Enter');
    await countIs(nodes, before + 1);

    // Focus a state on the canvas, select it with Enter; the inspector makes a transition.
    await tabTo('.react-flow__node');
    await page.keyboard.press('Enter');
    await page.locator('input[name=new-transition-event]').waitFor();
    const edgesBefore = await settledCount(edges);
    await tabTo('input[name=new-transition-event]');
    await page.keyboard.type('kb_event');
    await page.keyboard.press('Enter');
    await countIs(edges, edgesBefore + 1);

    // Delete the new state from the keyboard, then undo.
    await tabTo('.react-flow__node[data-id="keyboard_check"]');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Delete');
    await countIs(nodes, before);
    await page.keyboard.press('Control+z');
    await countIs(nodes, before + 1);
    await page.keyboard.press('Control+Shift+z');
    await countIs(nodes, before);
  });

  it('deploys a template from the gallery and lands in its flow with the checklist', async () => {
    await page.goto(`${url}/#/`);
    await page.click('text=English', { timeout: 1000 }).catch(() => undefined);
    await page.click('a:has-text("New from a template")');
    const card = page.locator('[data-testid=templates] li', { hasText: 'Status sync' });
    await card.locator('svg.flow-preview').waitFor();
    await page.screenshot({ path: path.join(shots, '08-templates.png'), fullPage: true });
    await card.locator('button', { hasText: 'Deploy' }).click();
    // The deploy form, kept at its defaults (the fake systems).
    await page.getByRole('dialog').locator('input[name="crm.baseUrl"]').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Deploy' }).click();
    const checklist = page.locator('[data-testid=deploy-checklist]');
    await checklist.waitFor();
    await expect(checklist.textContent()).resolves.toContain('status-sync v1 is published');
    await expect(checklist.textContent()).resolves.toContain('Sample orders: 5 created');
    await expect(page.locator('.react-flow__node').count()).resolves.toBe(6);
    await page.screenshot({ path: path.join(shots, '09-deployed.png') });
    await checklist.locator('button', { hasText: 'Done' }).click();
    await checklist.waitFor({ state: 'detached' });
    const orders = await fetch(`${url}/api/orders?flow=status-sync`, {
      headers: { authorization: `Bearer ${adminKey}` },
    }).then((r) => r.json() as Promise<{ items: unknown[] }>);
    expect(orders.items).toHaveLength(5);
  });

  it('imports orders from a CSV: maps its columns, shows the refused rows, imports the valid ones', async () => {
    await page.goto(`${url}/#/import?flow=status-sync`);
    await page.getByRole('heading', { name: 'Import orders' }).waitFor();
    await choose(page, '[data-testid=import-flow]', 'status-sync');
    await page.setInputFiles('input[name=import-file]', {
      name: 'orders.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Order No,Ref,Client,Pieces\nIM-1,IM-1,Kunming Motor,12\nIM-2,IM-2,Guiyang Gear,0\n',
      ),
    });
    await page.locator('[data-testid=import-mapping]').waitFor();
    const column = (name: string) => `[data-testid=import-mapping] [data-column="${name}"]`;
    await choose(page, column('Order No'), 'external reference');
    await choose(page, column('Ref'), 'ref');
    await choose(page, column('Client'), 'customer');
    await choose(page, column('Pieces'), 'qty');
    await page
      .locator('[data-testid=import-summary]', { hasText: '1 can be imported, 1 problems' })
      .waitFor();
    const refused = page.locator('[data-testid=import-refused] tr', { hasText: 'Pieces' });
    await expect(refused.textContent()).resolves.toContain('3');
    await page.screenshot({ path: path.join(shots, '10-import.png'), fullPage: true });
    await page.click('button:has-text("Import 1 orders")');
    await page.locator('[data-testid=import-result]', { hasText: '1 orders imported' }).waitFor();
  });

  /** Replaces the guard's text in its Monaco editor, typed as a person would. */
  async function setGuardText(text: string): Promise<void> {
    const editor = page.locator('[data-testid=guard-editor] .monaco-editor');
    await editor.waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid=guard-editor] .view-lines')?.textContent ?? '')
          .length > 0,
    );
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(text, { delay: 5 });
    await page.keyboard.press('Escape');
  }

  async function expectDoc(check: (doc: any) => boolean): Promise<void> {
    await session.draftWhen('returns', check);
  }
});
