/**
 * The newcomer's task (issue 17), with the mouse and the keyboard only — no JSON, no API call
 * to build anything: from the flow list, a new flow; the brief's six status-sync states with
 * the labels a person would choose; transitions with events; the "stock locked" guard's two
 * conditions built in the rule builder (finance approved, and available quantity ≥ ordered
 * quantity, field against field); the in-browser simulation; publish with a note; an order
 * made with the "New order" form and moved to done with the next-step buttons. Afterwards the
 * API is read to check the published guard is exactly the intended json-logic. Screenshots of
 * each step go to ../screenshots (docs/images/designer takes copies).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { choose, chooseIn } from './support/choose';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

const FLOW = 'order-status-sync';
const STATES = ['Customer confirmed', 'Finance reviewed', 'Stock locked', 'Logistics booked'];
/** From → to (by label) and the event a person names. */
const TRANSITIONS: [string, string, string][] = [
  ['New', 'Customer confirmed', 'customer_confirmed'],
  ['Customer confirmed', 'Finance reviewed', 'finance_reviewed'],
  ['Finance reviewed', 'Stock locked', 'stock_locked'],
  ['Stock locked', 'Logistics booked', 'logistics_booked'],
  ['Logistics booked', 'Done', 'delivered'],
];
// Key, type (as the type select shows it: integer, boolean), label.
const FIELDS: [string, string, string][] = [
  ['qty', 'Whole number', 'Ordered quantity'],
  ['finance_approved', 'Yes / no', 'Finance approved'],
  ['available', 'Whole number', 'Available quantity'],
];
const STOCK_GUARD = {
  and: [
    { '==': [{ var: 'finance_approved' }, true] },
    { '>=': [{ var: 'available' }, { var: 'qty' }] },
  ],
};

describe("the newcomer's task in Chromium", () => {
  let session: DesignerSession;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(() => session?.close());

  const node = (label: string) => page.locator('.react-flow__node', { hasText: label });
  const edge = (event: string) => page.locator('.react-flow__edge-textwrapper', { hasText: event });

  it('builds the six-state status-sync flow, simulates, publishes and runs an order to done', async () => {
    // The flow list: a name, the key suggested from it.
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    await page.fill('input[name=name]', 'Order status sync');
    await expect(page.inputValue('input[name=key]')).resolves.toBe(FLOW);
    await shot('40-newcomer-flow-list');
    await page.click('button:has-text("New flow")');
    await node('New').waitFor();
    await page.locator('.toolbar h2', { hasText: 'Order status sync' }).waitFor();

    // The blank flow's New → Done shortcut goes: select it, Delete.
    await edge('finish').click();
    await page.keyboard.press('Delete');
    await edge('finish').waitFor({ state: 'detached' });

    // The four states between, each named by its label (the id follows it).
    for (const label of STATES) {
      await page.click('text=+ Add state');
      await page.fill('[role=dialog] input[name=new-state-label]', label);
      await page.keyboard.press('Enter');
      await node(label).waitFor();
    }
    await page.click('[data-testid=auto-layout]');

    // The fields the guard and the order form need, with labels.
    await page.click('[data-tab=fields]');
    for (const [key, type, label] of FIELDS) {
      await page.fill('input[name=new-field-root]', key);
      await choose(page, '[data-testid=new-field-type-root]', type);
      await page.click('button:has-text("+ Field")');
      await page.fill(`input[name=${key}-label]`, label);
    }
    await page.locator('.form-preview label', { hasText: 'Available quantity' }).waitFor();
    await shot('41-newcomer-fields');

    // Transitions from each state's inspector: the target chosen by its label, the event typed.
    for (const [from, to, event] of TRANSITIONS) {
      await node(from).click();
      await choose(page, '[data-testid=new-transition-to]', to);
      await page.fill('input[name=new-transition-event]', event);
      await page.keyboard.press('Enter');
      await edge(event).waitFor();
    }
    await page.click('[data-testid=auto-layout]');
    await page.click('.react-flow__controls-fitview');

    // The "stock locked" guard in the rule builder: finance approved AND available ≥ ordered.
    await edge('stock_locked').click();
    await expect(page.locator('[data-testid=transition-ends]').textContent()).resolves.toContain(
      'Finance reviewed',
    );
    const rules = page.locator('[data-testid=rule-builder] .rule');
    await page.click('[data-testid=rule-builder] .ruleGroup-addRule');
    await chooseIn(rules.nth(0).locator('.rule-fields'), 'Finance approved');
    await expect(
      rules.nth(0).locator('.rule-value input[type=checkbox]').isChecked(),
    ).resolves.toBe(true);
    await page.click('[data-testid=rule-builder] .ruleGroup-addRule');
    const second = rules.nth(1);
    await chooseIn(second.locator('.rule-fields').first(), 'Available quantity');
    await chooseIn(second.locator('.rule-operators'), '≥');
    await chooseIn(second.locator('.operand').last().locator('.operand-kind'), 'Field');
    await chooseIn(second.locator('.operand').last().locator('.rule-fields'), 'Ordered quantity');
    await session.draftWhen(
      FLOW,
      (d) =>
        JSON.stringify(d.transitions.find((t: any) => t.event === 'stock_locked')?.guard) ===
        JSON.stringify(STOCK_GUARD),
    );
    await shot('42-newcomer-guard');
    // Reselecting the transition shows both clauses again and rewrites nothing.
    await node('Done').click();
    await edge('stock_locked').click();
    await expect(rules.count()).resolves.toBe(2);
    await expect(
      second.locator('.operand').last().locator('.rule-fields').innerText(),
    ).resolves.toBe('Ordered quantity');
    // The transition gets a label: the canvas, the next-step button and the timeline say it.
    await page.fill('input[name=transition-label]', 'Lock the stock');
    await edge('Lock the stock').waitFor();
    await page.click('[data-tab=problems]');
    await page.locator('[data-testid=problems] li', { hasText: 'No problems' }).waitFor();

    // Simulate in the browser with data from the form, not JSON.
    await page.click('[data-tab=simulate]');
    const data = page.locator('[data-testid=simulate-data]');
    await data.locator('input[name=qty]').fill('5');
    await data.locator('input[name=finance_approved]').check();
    await data.locator('input[name=available]').fill('12');
    await page.click('button:has-text("Create test order")');
    const simState = page.locator('[data-testid=simulate-state]');
    await expect(simState.textContent()).resolves.toBe('New');
    for (const [, to, event] of TRANSITIONS) {
      await page.click(`[data-event=${event}] button`);
      await page.locator('[data-testid=simulate-state]', { hasText: to }).waitFor();
    }
    await expect(page.locator('[data-testid=simulate-path]').textContent()).resolves.toBe(
      ['New', ...STATES, 'Done'].join(' → '),
    );
    await shot('43-newcomer-simulated');

    // Publish through the dialog, with a note.
    await page.locator('[data-testid=save-status]', { hasText: 'Draft saved' }).waitFor();
    await page.click('.toolbar button:has-text("Publish")');
    await page.fill('[role=dialog] input[name=publish-note]', 'Six standard states');
    await page.keyboard.press('Enter');
    await page.locator('.notice', { hasText: 'Published version 1' }).waitFor();

    // An order from the "New order" form, moved to done with the next-step buttons.
    await page.click('.toolbar a:has-text("New order")');
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name=qty]').waitFor();
    await dialog.locator('input[name=new-order-ref]').fill('PO-1001');
    await dialog.locator('input[name=qty]').fill('5');
    await dialog.locator('input[name=finance_approved]').check();
    await dialog.locator('input[name=available]').fill('12');
    await shot('44-newcomer-new-order');
    await dialog.locator('button[type=submit]').click();
    const detail = page.locator('[data-testid=order-detail]');
    await detail.waitFor();
    for (const [, to] of TRANSITIONS) {
      const step = detail.locator('[data-testid=next-steps] button', { hasText: to });
      await step.click();
      await detail.locator('[data-testid=timeline] li', { hasText: to }).waitFor();
    }
    await detail.locator('[data-testid=timeline] li', { hasText: 'Done' }).waitFor();
    await detail.locator('[data-testid=timeline] li', { hasText: 'Lock the stock' }).waitFor();
    await shot('45-newcomer-order-done');
    const timeline = (await detail.locator('[data-testid=timeline]').textContent()) ?? '';
    for (const label of STATES) expect(timeline).toContain(label);

    // After the fact, through the API: the published guard is exactly the intended rule.
    const headers = { authorization: `Bearer ${session.adminKey}` };
    const version = await fetch(`${session.url}/api/flows/${FLOW}/versions/1`, { headers }).then(
      (r) => r.json() as Promise<{ document: any; note?: string }>,
    );
    const lock = version.document.transitions.find((t: any) => t.event === 'stock_locked');
    expect(lock.guard).toEqual(STOCK_GUARD);
    expect(lock.from).toBe('finance_reviewed');
    expect(lock.to).toBe('stock_locked');
    const orders = await fetch(`${session.url}/api/orders?flow=${FLOW}`, { headers }).then(
      (r) => r.json() as Promise<{ items: { state: string; externalRef?: string }[] }>,
    );
    expect(orders.items).toEqual([
      expect.objectContaining({ state: 'done', externalRef: 'PO-1001' }),
    ]);
    expect(pageErrors).toEqual([]);
  });

  it("renames a state's id in the inspector, and every reference in the draft follows", async () => {
    await page.goto(`${session.url}/#/flows/${FLOW}`);
    await node('Logistics booked').click();
    const id = page.locator('input[name=state-id]');
    await expect(id.inputValue()).resolves.toBe('logistics_booked');
    // A taken id is refused where it is typed.
    await id.fill('done');
    await page.keyboard.press('Enter');
    await page
      .locator('.form [role=alert]', { hasText: 'There is already a state done' })
      .waitFor();
    await id.fill('shipped');
    await page.keyboard.press('Enter');
    const draft = await session.draftWhen(FLOW, (d) =>
      d.states.some((s: { id: string }) => s.id === 'shipped'),
    );
    // No state, transition end or layout key names the old id (the transition and its event,
    // named logistics_booked by the newcomer, are not states and keep their names).
    const ends = draft.transitions.flatMap((t: any) => [t.from, t.to].flat());
    expect([...draft.states.map((s: any) => s.id), ...ends]).not.toContain('logistics_booked');
    expect(Object.keys(draft.layout.edges)).toContain('delivered:shipped');
    expect(draft.transitions.map((t: any) => `${t.from}>${t.to}`)).toContain(
      'stock_locked>shipped',
    );
    expect(draft.transitions.map((t: any) => `${t.from}>${t.to}`)).toContain('shipped>done');
    expect(Object.keys(draft.layout.states)).toContain('shipped');
    // Still selected under its new id; the lint has nothing to say.
    await expect(id.inputValue()).resolves.toBe('shipped');
    await page.click('[data-tab=problems]');
    await page.locator('[data-testid=problems] li', { hasText: 'No problems' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
