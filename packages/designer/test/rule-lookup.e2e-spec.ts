/**
 * `lookup` in the rule builder, in Chromium against the real server: a guard with lookups
 * loads as rows (data set, key, column) and is kept as it is when nothing is edited; a lookup
 * is built with the mouse from the server's data sets; the rows read in Chinese too.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { builderEn } from '../src/i18n/builder.en';
import { builderZhCN } from '../src/i18n/builder.zh-CN';
import { chooseIn } from './support/choose';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

const CHECKED = {
  and: [
    { '==': [{ lookup: ['drug-codes', { var: 'code' }, 'restricted'] }, false] },
    { lookup: ['drug-codes', { var: 'code' }] },
    { '!': { lookup: ['blocked', 'X-1'] } },
  ],
};

const FLOW = {
  schemaVersion: 1,
  key: 'pharmacy',
  name: 'Pharmacy',
  fields: [
    { key: 'code', type: 'string' },
    { key: 'name', type: 'string' },
  ],
  states: [
    { id: 'received', initial: true, label: 'Received' },
    { id: 'checked', label: 'Checked' },
    { id: 'held', label: 'Held' },
  ],
  transitions: [
    { id: 'check', from: 'received', to: 'checked', event: 'check', guard: CHECKED },
    { id: 'hold', from: 'received', to: 'held', event: 'hold' },
  ],
};

describe('lookup in the rule builder', () => {
  let session: DesignerSession;
  let page: Page;
  const builder = () => page.getByTestId('rule-builder');
  const guardOf = (doc: any, id: string) =>
    JSON.stringify(doc.transitions.find((t: { id: string }) => t.id === id).guard);
  const edge = (event: string) => page.locator('.react-flow__edge-textwrapper', { hasText: event });

  beforeAll(async () => {
    session = await signedInSession();
    page = session.page;
    const put = await fetch(`${session.url}/api/datasets/drug-codes`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${session.adminKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        format: 'csv',
        content: 'code,name,restricted\nA1,Amoxicillin,no\nR2,Ketamine,yes\n',
        title: 'Drug codes',
      }),
    });
    expect(put.status).toBe(200);
    expect((await session.post('/flows', FLOW)).status).toBe(201);
  });
  afterAll(() => session?.close());

  it('shows a guard with lookups as rows and keeps it when nothing is edited', async () => {
    await page.goto(`${session.url}/#/flows/pharmacy`);
    await edge('check').click();
    const lookups = builder().getByTestId('rule-lookup');
    await lookups.nth(2).waitFor();
    await expect(builder().locator('.rule-raw').count()).resolves.toBe(0);
    const sets = builder().locator('.lookup-set');
    const columns = builder().locator('.lookup-column');
    await expect(sets.nth(0).innerText()).resolves.toBe('Drug codes (drug-codes)');
    await expect(columns.nth(0).innerText()).resolves.toBe('restricted');
    // No column: "has this row"; a set the server does not have stays as it is.
    await expect(columns.nth(1).innerText()).resolves.toBe(builderEn.lookup.exists);
    await expect(sets.nth(2).innerText()).resolves.toBe('blocked');
    await expect(lookups.nth(2).locator('.rule-value').inputValue()).resolves.toBe('X-1');
    await page.screenshot({ path: path.join(shots, '34-rule-lookup.png') });
    // Reselecting the transition (and another in between) writes nothing.
    await edge('hold').click();
    await edge('check').click();
    await lookups.nth(2).waitFor();
    await new Promise((r) => setTimeout(r, 1200));
    const draft = await session.draftWhen('pharmacy', () => true);
    expect(guardOf(draft, 'check')).toBe(JSON.stringify(CHECKED));
  });

  it('builds a lookup with the mouse: a row that exists, and a column compared', async () => {
    await edge('hold').click();
    await builder().locator('.ruleGroup-addLookup').click();
    await session.draftWhen(
      'pharmacy',
      (doc) => guardOf(doc, 'hold') === JSON.stringify({ lookup: ['drug-codes', { var: 'code' }] }),
    );
    await builder().locator('.ruleGroup-addRule').click();
    const rule = builder().locator('.rule').nth(1);
    await chooseIn(rule.locator('.operand-kind').first(), builderEn.kind.lookup);
    await chooseIn(rule.locator('.lookup-column'), 'name');
    // The key: a value instead of a field.
    await chooseIn(rule.getByTestId('rule-lookup').locator('.operand-kind'), builderEn.kind.value);
    await rule.getByTestId('rule-lookup').locator('.rule-value').fill('A1');
    await rule.locator('.rule-value').last().fill('Amoxicillin');
    const built = {
      and: [
        { lookup: ['drug-codes', { var: 'code' }] },
        { '==': [{ lookup: ['drug-codes', 'A1', 'name'] }, 'Amoxicillin'] },
      ],
    };
    await session.draftWhen('pharmacy', (doc) => guardOf(doc, 'hold') === JSON.stringify(built));
    // The engine accepts it: no problem is listed for the guard.
    const view = await (
      await fetch(`${session.url}/api/flows/pharmacy`, {
        headers: { authorization: `Bearer ${session.adminKey}` },
      })
    ).json();
    expect(view.problems.filter((p: { path: string }) => p.path.includes('/guard'))).toEqual([]);
  });

  it('reads in Chinese', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    await edge('check').click();
    await builder().getByRole('button', { name: builderZhCN.addLookup }).first().waitFor();
    const columns = builder().locator('.lookup-column');
    await expect(columns.nth(1).innerText()).resolves.toBe(builderZhCN.lookup.exists);
    await expect(
      builder().getByTestId('rule-lookup').first().locator('.operand-kind').innerText(),
    ).resolves.toBe(builderZhCN.kind.var);
    const text = await builder().innerText();
    for (const english of [builderEn.lookup.key, builderEn.addLookup, builderEn.lookup.exists])
      expect(text).not.toContain(english);
    await page.getByRole('button', { name: 'English' }).click();
  });
});
