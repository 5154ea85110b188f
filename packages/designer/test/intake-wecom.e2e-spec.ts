/**
 * WeCom (企业微信) intake on the designer's Intake page, in Chromium against the real server:
 * a member's text message sent as WeCom sends it — AES-256-CBC encrypted, signed with the
 * callback token (the fake systems' helpers) — to `POST /api/intake/wecom/:flow`; the page
 * shows the WeCom channel with its callback URL, corpId/AgentId and counts, the message with
 * its lines as the format read them and the orders they made, and the reply the member got
 * through the (fake) application API. Elements are found by their visible text and roles.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { standardOrderFlow } from '@ordo/engine/testing';
import type { Locator, Page } from 'playwright-core';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

interface WecomKeys {
  corpId: string;
  token: string;
  encodingAESKey: string;
}
/** What this spec uses of the fake systems (a dev dependency of the server, not of the designer). */
interface FakeSystems {
  FAKE_WECOM_APP: WecomKeys & { agentId: number; corpSecret: string };
  createWecomApp(): { start(): Promise<string>; close(): Promise<void> };
  wecomTextXml(message: {
    corpId: string;
    from: string;
    content: string;
    msgId: string;
    agentId: number;
  }): string;
  wecomCallback(
    keys: WecomKeys,
    xml: string,
    options: { agentId: number },
  ): { query: Record<string, string>; body: string };
}

// The fake systems come with the server's test tools, as nodemailer does.
const fakes = createRequire(require.resolve('@ordo/server/package.json'))(
  '@ordo/fake-systems',
) as FakeSystems;
const { FAKE_WECOM_APP } = fakes;
const keys = {
  corpId: FAKE_WECOM_APP.corpId,
  token: FAKE_WECOM_APP.token,
  encodingAESKey: FAKE_WECOM_APP.encodingAESKey,
};

describe('WeCom intake on the intake page in Chromium', () => {
  let session: DesignerSession;
  let page: Page;
  let wecom: ReturnType<typeof fakes.createWecomApp>;
  let wecomUrl: string;
  const auth = () => ({ authorization: `Bearer ${session.adminKey}` });
  /** The member's message, encrypted and signed as WeCom posts it; its record's id. */
  const send = async (content: string, msgId: string) => {
    const xml = fakes.wecomTextXml({
      corpId: keys.corpId,
      from: 'li.wei',
      content,
      msgId,
      agentId: FAKE_WECOM_APP.agentId,
    });
    const callback = fakes.wecomCallback(keys, xml, { agentId: FAKE_WECOM_APP.agentId });
    const posted = await fetch(
      `${session.url}/api/intake/wecom/wecom-orders?${new URLSearchParams(callback.query)}`,
      { method: 'POST', headers: { 'content-type': 'text/xml' }, body: callback.body },
    );
    expect(posted.status).toBe(200);
    return posted.headers.get('x-ordo-message')!;
  };
  /** The record once worked and answered. */
  const worked = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      const got = await (
        await fetch(`${session.url}/api/intake/messages/${id}`, { headers: auth() })
      ).json();
      if (got.outcome !== 'pending' && got.answeredAt) return got;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`message ${id} was never worked and answered`);
  };
  /** The innermost element that holds every one of the texts (a card, a row). */
  const holding = (...texts: (string | RegExp)[]): Locator =>
    texts
      .reduce<Locator>((l, text) => l.filter({ hasText: text }), page.locator('li, div, section'))
      .last();
  const open = async (route: string, lang: 'en' | 'zh-CN' = 'en') => {
    await page.evaluate((l) => localStorage.setItem('ordo.locale', l), lang);
    await page.goto(`${session.url}/${route}`);
    await page.reload();
  };

  beforeAll(async () => {
    wecom = fakes.createWecomApp();
    wecomUrl = await wecom.start();
    session = await signedInSession({ outboundAllow: ['127.0.0.1:*'] });
    page = session.page;
    const stored = await session.post('/credentials', {
      name: 'wecom-app',
      secret: { ...keys, corpSecret: FAKE_WECOM_APP.corpSecret },
      hosts: ['127.0.0.1:*'],
    });
    expect(stored.status).toBe(201);
    const doc = {
      ...standardOrderFlow,
      key: 'wecom-orders',
      name: 'WeCom orders',
      intake: {
        message: {
          header: { Store: 'customer.id', 门店: 'customer.id', 'Order no': 'externalRef' },
          line: '{sku} x {qty}',
        },
        wecom: {
          corpId: keys.corpId,
          agentId: FAKE_WECOM_APP.agentId,
          credential: 'wecom-app',
          apiUrl: wecomUrl,
        },
      },
    };
    expect((await session.post('/flows', doc)).status).toBe(201);
    expect((await session.post('/flows/wecom-orders/publish', {})).status).toBe(201);
  });
  afterAll(async () => {
    await session?.close();
    await wecom?.close();
  });

  it('shows the WeCom channel, the message read line by line, its order and the reply', async () => {
    const id = await send(
      'Store: S-7\nOrder no: WC-7\nSKU-COLA-330 x 120\nSKU-TEA-500 x 6',
      'wc-7',
    );
    const record = await worked(id);
    expect(record).toMatchObject({ channel: 'wecom', outcome: 'created' });
    const sent = (await (await fetch(`${wecomUrl}/_test/messages`)).json()) as {
      messages: { to: string; text: string }[];
    };
    const reply = sent.messages.find((m) => m.text.includes(id))!;
    expect(reply.to).toBe('li.wei');

    await open('#/intake');
    await page.getByRole('heading', { name: 'Intake', level: 1 }).waitFor();
    // The channel: WeCom, the callback URL to give WeCom, how it is set up, its count.
    const callbackUrl = `${session.url}/api/intake/wecom/wecom-orders`;
    const card = holding('WeCom', callbackUrl, /created\s*1/);
    await card.waitFor();
    expect(await card.innerText()).toContain(
      `corpId ${keys.corpId} · AgentId ${FAKE_WECOM_APP.agentId}`,
    );
    expect(await card.innerText()).toContain('Callback URL');
    await page.screenshot({ path: path.join(shots, '53-intake-wecom.png'), fullPage: true });

    // The message: who sent it, what the format understood by line, the order and the reply.
    const row = page.getByRole('row').filter({ hasText: 'li.wei' });
    await row.getByRole('button', { name: 'Open' }).click();
    const detail = holding('Understood', 'li.wei', 'Answer');
    await detail.waitFor();
    await detail.getByText('SKU-COLA-330 x 120', { exact: true }).waitFor();
    const understood = await detail.innerText();
    expect(understood).toContain('header → customer.id = "S-7"');
    expect(understood).toContain('header → externalRef = "WC-7"');
    expect(understood).toMatch(/sku = "SKU-COLA-330",?\s*qty = 120/);
    expect(understood).toMatch(/sku = "SKU-TEA-500",?\s*qty = 6/);
    expect(await detail.getByRole('link', { name: 'WC-7' }).getAttribute('href')).toBe(
      '#/orders?flow=wecom-orders&q=WC-7',
    );
    // The reply shown is the one the member got through the application API.
    await detail.getByText(/^Answer: /).waitFor();
    await detail
      .getByText('Your order message: 1 order(s) created.', { exact: false })
      .first()
      .waitFor();
    expect(understood).toContain(reply.text.split('\n')[0]);
    expect(understood).toContain(`Reference of this message in Ordo: ${id}`);
    await page.screenshot({
      path: path.join(shots, '54-intake-wecom-message.png'),
      fullPage: true,
    });
  });

  it('a Chinese message with a line it cannot read: refused, the line named, answered in Chinese', async () => {
    const id = await send('门店：S-8\nSKU-COLA-330 x 十', 'wc-8');
    const record = await worked(id);
    expect(record).toMatchObject({ outcome: 'refused', language: 'zh-CN' });

    await open(`#/intake?message=${id}`, 'zh-CN');
    const detail = holding('已识别', 'li.wei', '未能识别');
    await detail.waitFor();
    await detail.getByText('SKU-COLA-330 x 十', { exact: true }).first().waitFor();
    const text = await detail.innerText();
    expect(text).toContain('门店：S-8');
    expect(text).toMatch(/^您的订单消息：未创建订单。/m);
    expect(text).toContain('第 2 行');
  });
});
