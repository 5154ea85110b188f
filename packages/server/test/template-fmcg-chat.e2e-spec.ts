/**
 * Store orders by chat for the FMCG template: a store's DingTalk message, read by the
 * template's message format (SKU lines, the stores' names for SKUs from `sku-aliases`, case
 * units), creates an order whose bins the flow fills from the warehouse's `sku-bins` — the store
 * names none — and an SKU the warehouse does not know is answered by its line, creating nothing.
 */
import {
  dingTalkHeaders,
  dingTalkText,
  FAKE_DINGTALK_APP,
  startFakeSystems,
} from '@ordo/fake-systems';
import { publishFlow } from './support/flows';
import { deploy, type Fakes } from './support/templates';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const FLOW = 'fmcg-distribution';

describe.each(databaseKinds())('FMCG store orders by chat on %s', (db) => {
  let app: TestApp;
  let fakes: Fakes;
  let sessionUrl: string;
  const say = (content: string, msgId: string) =>
    app.call(
      'POST',
      `/api/intake/dingtalk/${FLOW}`,
      dingTalkText({
        content,
        msgId,
        sessionWebhook: `${sessionUrl}/robot/sendBySession?session=store-group`,
      }),
      { as: '', headers: dingTalkHeaders(FAKE_DINGTALK_APP.appSecret) },
    );
  const worked = (id: string) =>
    waitFor(async () => {
      const got = await app.call('GET', `/api/intake/messages/${id}`);
      return got.body.outcome !== 'pending' && got.body.answeredAt && got.body;
    });
  const replyFor = (id: string) =>
    waitFor(async () => {
      const { messages } = (await (await fetch(`${sessionUrl}/_test/messages`)).json()) as {
        messages: { to: string; text: string }[];
      };
      return messages.find((m) => m.text.includes(id));
    });

  beforeAll(async () => {
    fakes = await startFakeSystems();
    sessionUrl = fakes.urls['dingtalk-session'];
    app = await startTestApp({ db, config: { outboundAllow: ['127.0.0.1:*'] } });
    // The admin added the stores' group robot before deploying: the deploy keeps its secret.
    await app.call('POST', '/api/credentials', {
      name: 'dingtalk-store-robot',
      secret: { appSecret: FAKE_DINGTALK_APP.appSecret },
      hosts: [],
    });
    const deployed = await deploy(
      app,
      FLOW,
      {
        wms: fakes.urls.wms,
        carrier: fakes.urls.carrier,
        'bin-master': fakes.urls['bin-master'],
      },
      false,
    );
    expect(deployed.body).toMatchObject({
      published: true,
      credentials: { existing: expect.arrayContaining(['dingtalk-store-robot']) },
      datasets: { created: ['sku-bins', 'sku-aliases'] },
    });
    // Replies go to the fake session webhook (DingTalk's own host in production).
    const doc = (await app.call('GET', `/api/flows/${FLOW}`)).body.latest;
    doc.intake.dingtalk.replyHosts = [new URL(sessionUrl).host];
    await publishFlow(app, doc);
  });
  afterAll(async () => {
    await app?.close();
    await fakes?.close();
  });

  it('a store’s message creates the order; each line’s bin is the data set’s primary bin', async () => {
    const taken = await say(
      '门店：S-0190\n门店名称：Xuhui Store\n金额：540\nSKU-COLA-330 x 120\n薯片 x 2 cs',
      'fmcg-dt-1',
    );
    expect(taken.status).toBe(200);
    const done = await worked(taken.body.id);
    expect(done).toMatchObject({ channel: 'dingtalk', outcome: 'created', problems: [] });
    const [order] = (
      await app.call('GET', `/api/orders?flow=${FLOW}&externalRef=${done.orders[0].externalRef}`)
    ).body.items;
    const bins = (await app.call('GET', '/api/datasets/sku-bins/rows?limit=100')).body.items as {
      key: string;
      values: { primaryBin: string };
    }[];
    const primary = (sku: string) => bins.find((b) => b.key === sku)?.values.primaryBin;
    expect(primary('SKU-COLA-330')).toBeTruthy();
    expect(order).toMatchObject({ channel: 'dingtalk' });
    expect(order.data).toMatchObject({
      store: 'S-0190',
      storeName: 'Xuhui Store',
      amount: 540,
      lines: [
        { sku: 'SKU-COLA-330', qty: 120, bin: primary('SKU-COLA-330') },
        { sku: 'SKU-CHIPS-70', qty: 48, bin: primary('SKU-CHIPS-70') },
      ],
    });
    // Its bins are the primary ones, so the bin rule lets it through to approval and the WMS.
    await waitFor(async () => {
      const now = (await app.call('GET', `/api/orders/${order.id}`)).body;
      return now.state !== 'received' && now;
    });
    const reply = await replyFor(done.id);
    expect(reply.text).toMatch(/^您的订单消息：已创建 1 个订单。/);
  });

  it('an SKU the warehouse does not know is answered by its line, and nothing is created', async () => {
    const taken = await say(
      'Store: S-0191\nAmount: 100\nSKU-COLA-330 x 10\nSKU-FANTA-330 x 10',
      'fmcg-dt-2',
    );
    const done = await worked(taken.body.id);
    expect(done).toMatchObject({
      outcome: 'refused',
      orders: [],
      problems: [expect.objectContaining({ line: 4, code: 'unknown_value' })],
    });
    const reply = await replyFor(done.id);
    expect(reply.text).toContain('line 4: sku "SKU-FANTA-330" is not in the data set sku-bins');
    const stored = (await app.call('GET', `/api/orders?flow=${FLOW}&customer=S-0191`)).body.items;
    expect(stored).toEqual([]);
  });
});
