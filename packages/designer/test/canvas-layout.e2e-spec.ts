/**
 * The canvas in Chromium: Auto-layout of a 24-state flow (no overlapping nodes, no edge label
 * over a node, positions kept over a reload), a flow without fields or positions opening
 * without page errors, and the deploy checklist clear of Publish at 1280×800 and 1920×1080.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** 24 states in a chain with a back edge every fourth, a self-loop and two parallel transitions. */
function bigFlow() {
  const states = Array.from({ length: 24 }, (_, i) => ({
    id: `s${i}`,
    label: `Step ${i}`,
    ...(i === 0 && { initial: true }),
    ...(i === 23 && { final: true }),
  }));
  const transitions = [
    ...states.slice(1).map((s, i) => ({
      id: `go${i}`,
      from: `s${i}`,
      to: s.id,
      event: `go${i}`,
      ...(i % 3 === 0 && { guard: { '>': [{ var: 'qty' }, i] } }),
    })),
    ...[4, 8, 12, 16, 20].map((i) => ({
      id: `back${i}`,
      from: `s${i}`,
      to: `s${i - 3}`,
      event: `back${i}`,
    })),
    { id: 'note', from: 's2', to: 's2', event: 'note' },
    { id: 'rush', from: 's5', to: 's6', event: 'rush' },
  ];
  return {
    schemaVersion: 1,
    key: 'big',
    name: 'Big',
    fields: [{ key: 'qty', type: 'integer' }],
    states,
    transitions,
    // Everything piled up in one corner: the layout has work to do.
    layout: { states: Object.fromEntries(states.map((s, i) => [s.id, { x: i * 10, y: 0 }])) },
  };
}

const boxes = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, text: e.textContent ?? '' };
    }),
  );
const positions = (page: Page) =>
  page
    .locator('.react-flow__node')
    .evaluateAll((nodes) =>
      Object.fromEntries(
        nodes.map((n) => [n.getAttribute('data-id'), (n as HTMLElement).style.transform]),
      ),
    );

describe('canvas layout in Chromium', () => {
  let session: DesignerSession;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(() => session?.close());

  it('lays out a 24-state flow: no overlaps, labels clear of nodes, kept after a reload', async () => {
    expect((await session.post('/flows', bigFlow())).status).toBe(201);
    await page.goto(`${session.url}/#/flows/big`);
    await page.locator('.react-flow__node').nth(23).waitFor();
    await page.click('[data-testid=auto-layout]');
    const draft = await session.draftWhen(
      'big',
      (d) => Object.keys(d.layout?.edges ?? {}).length === 30,
    );
    await page.locator('[data-testid=save-status]', { hasText: 'Draft saved' }).waitFor();
    await page.click('.react-flow__controls-fitview');
    await page.waitForTimeout(300); // the fit-view transition
    const nodes = await boxes(page, '.react-flow__node');
    expect(nodes).toHaveLength(24);
    for (const [i, a] of nodes.entries())
      for (const b of nodes.slice(i + 1))
        expect([a.text, b.text, overlaps(a, b)]).toEqual([a.text, b.text, false]);
    const labels = await boxes(page, '.react-flow__edge-textwrapper');
    expect(labels).toHaveLength(30);
    for (const label of labels)
      for (const node of nodes)
        expect([label.text, node.text, overlaps(label, node)]).toEqual([
          label.text,
          node.text,
          false,
        ]);
    // The self-loop and the two transitions s5 → s6 are drawn apart.
    const paths = await page
      .locator('.react-flow__edge-path')
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
    expect(new Set(paths).size).toBe(30);
    expect(draft.layout.edges['note:s2'].points.length).toBeGreaterThan(2);
    await page.screenshot({ path: path.join(shots, '20-auto-layout.png') });

    // Undone and redone like any edit (and autosaved each time).
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await session.draftWhen('big', (d) => !Object.keys(d.layout?.edges ?? {}).length);
    await page.keyboard.press('Control+Shift+z');
    await session.draftWhen('big', (d) => Object.keys(d.layout?.edges ?? {}).length === 30);
    await page.locator('[data-testid=save-status]', { hasText: 'Draft saved' }).waitFor();
    const before = await positions(page);
    await page.reload();
    await page.locator('.react-flow__node').nth(23).waitFor();
    expect(await positions(page)).toEqual(before);
    expect(pageErrors).toEqual([]);
  });

  it('opens flows without fields, without positions, without states, with no page errors', async () => {
    const bare = {
      schemaVersion: 1,
      key: 'no-fields',
      name: 'No fields',
      states: [
        { id: 'new', initial: true },
        { id: 'done', final: true },
      ],
      transitions: [{ id: 'finish', from: 'new', to: 'done', event: 'finish' }],
    };
    expect((await session.post('/flows', bare)).status).toBe(201);
    await page.goto(`${session.url}/#/flows/no-fields`);
    await page.locator('.react-flow__node').nth(1).waitFor();
    // No positions: laid out by ELK when opened, the route drawn with it.
    const [a, b] = await boxes(page, '.react-flow__node');
    expect(overlaps(a, b)).toBe(false);
    for (const tab of ['fields', 'inspector', 'integration', 'problems', 'versions'])
      await page.click(`[data-tab=${tab}]`);
    await page.click('[data-tab=problems]');
    await page.locator('[data-testid=problems]').waitFor();
    await page.locator('.react-flow__edge').filter({ hasText: 'finish' }).click();
    await page.locator('[data-testid=rule-builder]').waitFor();
    await page.click('[data-tab=fields]');
    await page.fill('input[name=new-field-root]', 'qty');
    await page.click('button:has-text("+ Field")');
    await session.draftWhen('no-fields', (d) => d.fields?.[0]?.key === 'qty');

    const empty = { schemaVersion: 1, key: 'empty', name: 'Empty', states: [], transitions: [] };
    expect((await session.post('/flows', empty)).status).toBe(201);
    await page.goto(`${session.url}/#/flows/empty`);
    await page.locator('[data-testid=save-status]').waitFor();
    await page.click('[data-testid=auto-layout]');
    await page.click('text=+ Add state');
    await page.fill('[role=dialog] input[name=new-state-label]', 'Review');
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__node', { hasText: 'Review' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('keeps the deploy checklist clear of Publish at 1280×800 and 1920×1080', async () => {
    const deployed = {
      flow: 'big',
      version: 1,
      published: true,
      samples: { created: 5, existing: 0, refused: [] },
      credentials: { placeholders: ['crm.apiKey', 'wms.apiKey'] },
      checklist: Array.from({ length: 8 }, (_, i) => `Checklist item ${i + 1}: a step to take`),
    };
    for (const [width, height] of [
      [1280, 800],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width, height });
      await page.goto(`${session.url}/#/`);
      await page.evaluate(
        (value) => sessionStorage.setItem('ordo.checklist.big', value),
        JSON.stringify(deployed),
      );
      await page.goto(`${session.url}/#/flows/big`);
      const checklist = page.locator('[data-testid=deploy-checklist]');
      await checklist.waitFor();
      const publish = page.locator('.toolbar button', { hasText: 'Publish' });
      const [list, button] = [await checklist.boundingBox(), await publish.boundingBox()];
      expect(overlaps(list!, button!)).toBe(false);
      // Publish is what a click at its centre hits.
      const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent, {
        x: button!.x + button!.width / 2,
        y: button!.y + button!.height / 2,
      });
      expect(hit).toBe('Publish');
      await page.screenshot({ path: path.join(shots, `21-checklist-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
