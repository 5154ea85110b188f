/**
 * The shop-floor board in Chromium against the real server: full screen without the app's
 * top bar, a column per state with its label in the chosen language, cards that move live as
 * orders are created and moved through the API, a states filter; at 1920×1080 and 1280×800.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

const FLOW = {
  schemaVersion: 1,
  key: 'work-orders',
  name: { en: 'Work orders', 'zh-CN': '生产工单' },
  customer: 'customer',
  fields: [
    { key: 'customer', type: 'string', label: { en: 'Customer', 'zh-CN': '客户' } },
    { key: 'qty', type: 'integer', label: { en: 'Boards', 'zh-CN': '板材' } },
  ],
  states: [
    { id: 'issued', initial: true, label: { en: 'Issued', 'zh-CN': '已下达' } },
    { id: 'cutting', label: { en: 'Cutting', 'zh-CN': '开料中' } },
    { id: 'done', final: true, label: { en: 'Done', 'zh-CN': '已完成' } },
  ],
  transitions: [
    { id: 'start', from: 'issued', to: 'cutting', event: 'start' },
    { id: 'finish', from: 'cutting', to: 'done', event: 'finish' },
  ],
};

describe('shop-floor board in Chromium', () => {
  let session: DesignerSession;
  let board: Page;
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${session.url}/api${route}`, {
      method,
      headers: {
        authorization: `Bearer ${session.adminKey}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`${method} ${route}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const column = (page: Page, state: string) => page.getByTestId(`board-column-${state}`);
  const heading = (page: Page, state: string) => column(page, state).locator('h2').innerText();

  beforeAll(async () => {
    session = await signedInSession();
    await call('POST', '/flows', FLOW);
    await call('POST', '/flows/work-orders/publish', {});
  });
  afterAll(() => session?.close());

  it('shows the columns full screen, then moves a card live as the order moves', async () => {
    const first = await call('POST', '/orders', {
      flow: 'work-orders',
      externalRef: 'WO-1',
      data: { customer: 'Kunming Motor', qty: 12 },
    });
    board = await session.secondPage('#/board/work-orders');
    await board.setViewportSize({ width: 1920, height: 1080 });
    await board.getByTestId('board').waitFor();
    await expect(board.locator('header.topbar').count()).resolves.toBe(0);
    await board.getByRole('heading', { name: 'Work orders' }).waitFor();
    await column(board, 'issued').getByText('WO-1').waitFor();
    expect(await heading(board, 'issued')).toMatch(/^Issued\s*1$/);
    expect(await heading(board, 'cutting')).toMatch(/^Cutting\s*0$/);
    expect(await heading(board, 'done')).toMatch(/^Done\s*0$/);
    const card = board.getByTestId(`board-card-${first.id}`);
    await expect(card.innerText()).resolves.toMatch(/Kunming Motor[\s\S]*Boards: 12/);

    // Without a reload: a new order appears, a moved one changes column.
    const second = await call('POST', '/orders', {
      flow: 'work-orders',
      externalRef: 'WO-2',
      data: { customer: 'Dali Furniture', qty: 3 },
    });
    await column(board, 'issued').getByText('WO-2').waitFor();
    await call('POST', `/orders/${first.id}/events`, { type: 'start' });
    await column(board, 'cutting').getByTestId(`board-card-${first.id}`).waitFor();
    await expect(
      column(board, 'issued').getByTestId(`board-card-${first.id}`).count(),
    ).resolves.toBe(0);
    expect(await heading(board, 'cutting')).toMatch(/^Cutting\s*1$/);
    await board.screenshot({ path: path.join(shots, '32-board-1920.png') });
    await call('POST', `/orders/${second.id}/events`, { type: 'start' });
    await call('POST', `/orders/${second.id}/events`, { type: 'finish' });
    await column(board, 'done').getByText('WO-2').waitFor();
    // Nothing runs off the wall screen.
    const overflow = await board.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await board.close();
  });

  it('shows the chosen states only, labelled in Chinese, at 1280×800', async () => {
    board = await session.secondPage('#/board/work-orders?states=cutting,done&lang=zh-CN');
    await board.setViewportSize({ width: 1280, height: 800 });
    await board.getByRole('heading', { name: '生产工单' }).waitFor();
    await column(board, 'cutting').getByText('WO-1').waitFor();
    await expect(board.locator('[data-testid^=board-column-]').count()).resolves.toBe(2);
    expect(await heading(board, 'cutting')).toMatch(/^开料中\s*1$/);
    expect(await heading(board, 'done')).toMatch(/^已完成\s*1$/);
    await expect(column(board, 'cutting').innerText()).resolves.toContain('板材: 12');
    await expect(board.getByRole('button', { name: '全屏' }).count()).resolves.toBe(1);
    const [order] = (await call('GET', '/orders?flow=work-orders&externalRef=WO-1')).items;
    await call('POST', `/orders/${order.id}/events`, { type: 'finish' });
    await column(board, 'done').getByText('WO-1').waitFor();
    expect(await heading(board, 'done')).toMatch(/^已完成\s*2$/);
    const text = await board.locator('main').innerText();
    expect(text).not.toMatch(/Cutting|Done|Boards|Full screen|live/);
    const overflow = await board.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await board.screenshot({ path: path.join(shots, '33-board-zh-CN-1280.png') });
    await board.close();
  });
});
