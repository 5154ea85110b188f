/**
 * Every page of the app (App.tsx's routes, the editor's tabs, an order, a data set, the board)
 * in English and in Chinese at 1280×800, on the status-sync and FMCG templates as deployed.
 * Each page is photographed (../screenshots/pages/<lang>-<page>.png, copied to
 * docs/images/pages), its top bar's selection checked, and its visible text read: any page fails on a raw i18n key, a Chinese
 * one on English words (support/english-in-chinese.ts says what counts and what is allowed).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';
import { ALLOWED, englishIn } from './support/english-in-chinese';
import { en } from '../src/i18n/en';

const TEMPLATES = ['status-sync', 'fmcg-distribution'];
const templates = path.join(__dirname, '..', '..', '..', 'templates');
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.values(value).flatMap(stringsIn)
      : [];
/**
 * Texts that are the templates' own data (customers, stores, products in their sample orders
 * and data sets; a data set's title, which the server keeps in English only), the owner's name,
 * and messages the server writes (in English) — not texts of the interface.
 */
const DATA_NAMES: string[] = [
  'Owner',
  'Refused to call',
  'Deployed from template',
  ...TEMPLATES.flatMap((name) => {
    const dir = path.join(templates, name);
    const template = JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8'));
    const sets: { file: string; title?: { en?: string } }[] = template.datasets ?? [];
    return [
      ...stringsIn(JSON.parse(readFileSync(path.join(dir, 'samples', 'orders.json'), 'utf8'))),
      ...sets.flatMap((set) => [
        set.title?.en ?? '',
        ...readFileSync(path.join(dir, 'datasets', set.file), 'utf8').split(/[\n,]/),
      ]),
    ];
  }),
].filter((text) => (/[A-Za-z]{3}/.test(text) && text.includes(' ')) || text === 'Owner');

/** A text that is one of the app's own i18n keys, shown as it is. */
function rawKey(text: string): boolean {
  if (!/^[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_]+)+$/.test(text)) return false;
  let at: unknown = en;
  for (const part of text.split('.')) at = (at as Record<string, unknown> | undefined)?.[part];
  return at !== undefined || text.split('.')[0] in en;
}

interface Visit {
  name: string;
  route: string;
  /** What shows the page is drawn. */
  ready: string;
  /** Clicks after loading (a tab, a row). */
  then?: (page: Page) => Promise<void>;
}

const editorTab = (tab: string, then?: (page: Page) => Promise<void>): Visit => ({
  name: `editor-${tab}`,
  route: '#/flows/status-sync',
  ready: '.react-flow__node',
  then: async (page) => {
    await page.click(`[data-tab=${tab}]`);
    await then?.(page);
  },
});

const VISITS: Visit[] = [
  { name: 'flows', route: '#/', ready: '.flow-list li' },
  editorTab('inspector', async (page) => {
    await page.locator('.react-flow__edge-textwrapper', { hasText: 'stock_locked' }).click();
    await page.locator('[data-testid=rule-builder] .rule').first().waitFor();
  }),
  editorTab('fields'),
  editorTab('integration', async (page) => {
    // The message format's live preview, with a sample read.
    await page.click('[data-testid=message-format] button');
    await page.fill('textarea[name=sample-message]', 'Order no: A-1\nSKU-1 x 2\n42 boxes?');
    await page.locator('[data-testid=preview-reading] li.not-understood').waitFor();
  }),
  editorTab('problems'),
  editorTab('simulate'),
  editorTab('versions'),
  {
    name: 'editor-new-state',
    route: '#/flows/status-sync',
    ready: '.react-flow__node',
    then: async (page) => {
      await page.click('.toolbar button:first-of-type');
      await page.keyboard.press('Enter'); // empty: the refusal is shown too
      await page.locator('[role=dialog] [role=alert]').waitFor();
    },
  },
  {
    name: 'editor-publish',
    route: '#/flows/status-sync',
    ready: '.react-flow__node',
    then: async (page) => {
      await page.click('.toolbar button:last-of-type');
      await page.locator('[role=dialog] input[name=publish-note]').waitFor();
    },
  },
  {
    name: 'orders-new',
    route: '#/orders?flow=status-sync&new=1',
    ready: '[role=dialog] input[name=qty]',
  },
  {
    name: 'orders',
    route: '#/orders?flow=status-sync',
    ready: '[data-testid=orders] .order-row',
    then: async (page) => {
      await page.locator('[data-testid=orders] .order-row button').first().click();
      await page.locator('[data-testid=timeline] li').first().waitFor();
    },
  },
  { name: 'tasks', route: '#/tasks', ready: 'main h1' },
  { name: 'templates', route: '#/templates', ready: '[data-testid=templates] svg.flow-preview' },
  { name: 'import', route: '#/import', ready: 'main h1' },
  { name: 'intake', route: '#/intake', ready: '.channel[data-kind=file]' },
  { name: 'datasets', route: '#/datasets', ready: 'main h1' },
  { name: 'dataset', route: '#/datasets/sku-bins', ready: 'main table' },
  { name: 'integrations', route: '#/integrations', ready: 'main h1' },
  { name: 'analytics', route: '#/analytics/status-sync', ready: 'main h1' },
  { name: 'people', route: '#/people', ready: 'main h1' },
  { name: 'audit', route: '#/audit', ready: 'main h1' },
  { name: 'board', route: '#/board/status-sync', ready: '.board' },
];

/**
 * The link of the top bar's item a visit must show selected: the page its route names (a
 * flow's editor is under Flows; a flow's analytics and the full-screen board under none).
 */
function menuOf(route: string): string | null {
  const name = /^#\/([a-z]*)/.exec(route)?.[1] ?? '';
  return name === '' || name === 'flows'
    ? '#/'
    : name === 'analytics' || name === 'board'
      ? null
      : `#/${name}`;
}

/** The visible texts of the page (and its placeholders, titles, labels), where they are. */
function visibleTexts(): { text: string; where: string }[] {
  const skip = 'code, pre, textarea, script, style, .monaco-editor, .react-flow__attribution';
  const where = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
  const seen = (el: Element | null): el is HTMLElement => {
    if (!el || el.closest(skip)) return false;
    const shown = el.tagName === 'OPTION' || el.tagName === 'OPTGROUP' ? el.closest('select') : el;
    return !!shown && (shown as HTMLElement).checkVisibility({ visibilityProperty: true });
  };
  const out: { text: string; where: string }[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim();
    if (text && seen(node.parentElement)) out.push({ text, where: where(node.parentElement!) });
  }
  for (const el of document.body.querySelectorAll('[placeholder], [title], [aria-label], optgroup'))
    for (const attr of ['placeholder', 'title', 'aria-label', 'label']) {
      const text = el.getAttribute(attr)?.trim();
      if (text && seen(el)) out.push({ text, where: `${where(el)}[${attr}]` });
    }
  return out;
}

describe('every page in English and Chinese', () => {
  let session: DesignerSession;
  let page: Page;
  const dir = path.join(shots, 'pages');

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    session = await signedInSession();
    page = session.page;
    for (const template of TEMPLATES)
      expect(
        (await session.post(`/templates/${template}/deploy`, { loadSamples: true })).status,
      ).toBe(200);
  });
  afterAll(() => session?.close());

  for (const lang of ['en', 'zh-CN'] as const)
    it(`shows every page in ${lang} without raw keys${lang === 'zh-CN' ? ' or English' : ''}`, async () => {
      const problems: string[] = [];
      for (const visit of VISITS) {
        await page.evaluate((l) => localStorage.setItem('ordo.locale', l), lang);
        await page.goto(`${session.url}/${visit.route}`);
        await page.reload();
        await page.locator(visit.ready).first().waitFor();
        await visit.then?.(page);
        // Let late texts (counts, charts' legends, live updates) settle.
        await page.waitForLoadState('networkidle');
        const selected = await page.evaluate(
          () =>
            document.querySelector('.topnav .ant-menu-item-selected a')?.getAttribute('href') ??
            null,
        );
        if (selected !== menuOf(visit.route))
          problems.push(
            `${visit.name}: the top bar selects ${selected}, not ${menuOf(visit.route)}`,
          );
        await page.screenshot({ path: path.join(dir, `${lang}-${visit.name}.png`) });
        for (const { text, where } of await page.evaluate(visibleTexts)) {
          // A form's label or group title that is one Latin word is a key shown for a label.
          const keyAsLabel =
            lang === 'zh-CN' &&
            /^(label|legend)/.test(where) &&
            /^[A-Za-z]{3,}$/.test(text) &&
            !(ALLOWED as readonly string[]).includes(text);
          const found = rawKey(text)
            ? text
            : keyAsLabel
              ? text
              : lang === 'zh-CN'
                ? englishIn(text)
                : '';
          if (found && !DATA_NAMES.some((name) => text.includes(name)))
            problems.push(`${visit.name}: ${where}: "${text}" (${found})`);
        }
      }
      expect([...new Set(problems)]).toEqual([]);
    }, 240_000); // some twenty pages, each loaded, photographed and read
});
