import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createErp, signDelivery } from '../src';

const SECRET = `whsec_${Buffer.from('erp-subscription-secret-for-tests').toString('base64')}`;
const HOOK_SECRET = `whsec_${Buffer.from('ordo-erp-invoices-hook-for-tests!').toString('base64')}`;
/** A simulation's virtual time, far from the wall clock: the ERP keeps the sender's. */
const AT = Math.floor(Date.parse('2026-03-02T02:00:00Z') / 1000);

describe('fake ERP: invoicing what Ordo asks, on the sender clock', () => {
  const erp = createErp({ invoiceMinutes: 30 });
  let url: string;
  /** What "Ordo" received, and how it answers the next report. */
  const received: { body: Record<string, unknown>; verified: boolean }[] = [];
  let answer = 200;
  const ordo = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      let verified = true;
      try {
        // Ordo's inbound hooks check the timestamp against their own (virtual) clock.
        const at = Number(req.headers['webhook-timestamp']);
        const sig = new Webhook(HOOK_SECRET).sign(
          String(req.headers['webhook-id']),
          new Date(at * 1000),
          raw,
        );
        verified = String(req.headers['webhook-signature']).split(' ').includes(sig);
      } catch {
        verified = false;
      }
      received.push({ body: JSON.parse(raw), verified });
      res.writeHead(answer).end();
    });
  });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const deliver = (id: string, orderId: string, at = AT, secret = SECRET) => {
    const raw = JSON.stringify({
      id,
      event: 'invoice.requested',
      order: { id: orderId, externalRef: `REF-${orderId}` },
      data: { amount: 540 },
    });
    return post('/events', raw, signDelivery(secret, id, raw, at));
  };

  beforeAll(async () => {
    url = await erp.start();
    ordo.listen(0, '127.0.0.1');
    await once(ordo, 'listening');
    const port = (ordo.address() as AddressInfo).port;
    await post('/_test/subscription', { secret: SECRET });
    await post('/_test/hook', { url: `http://127.0.0.1:${port}/hook`, secret: HOOK_SECRET });
  });
  afterAll(async () => {
    await erp.close();
    ordo.close();
  });

  it('queues a signed request once, refuses a wrong signature, and reports when due', async () => {
    expect((await deliver('d-1', 'o-1')).status).toBe(202);
    // Ordo sends a delivery again until answered: the same id is one invoice.
    expect((await deliver('d-1', 'o-1')).status).toBe(204);
    const forged = `whsec_${Buffer.from('not-the-subscription-secret!!').toString('base64')}`;
    expect((await deliver('d-2', 'o-2', AT, forged)).status).toBe(401);
    expect((await post('/_test/tick', { at: AT + 29 * 60 })).body).toMatchObject({
      reported: 0,
      waiting: 1,
    });
    expect(received).toEqual([]);
    expect((await post('/_test/tick', { at: AT + 30 * 60 })).body).toMatchObject({
      reported: 1,
      waiting: 0,
    });
    expect(received).toEqual([
      {
        body: { event: 'invoiced', orderId: 'o-1', invoiceNo: 'INV-000001', amount: 540 },
        verified: true,
      },
    ]);
    const invoices = ((await (await fetch(`${url}/invoices`)).json()) as { items: unknown[] })
      .items;
    expect(invoices).toEqual([
      expect.objectContaining({ orderId: 'o-1', number: 'INV-000001', reportedAt: AT + 1800 }),
    ]);
  });

  it('reports again after Ordo was down, and gives up on a refusal', async () => {
    received.length = 0;
    await deliver('d-3', 'o-3', AT + 3600);
    answer = 503;
    expect((await post('/_test/tick', { at: AT + 5400 })).body).toMatchObject({
      reported: 0,
      refused: [{ orderId: 'o-3', status: 503 }],
      waiting: 1,
    });
    answer = 200;
    expect((await post('/_test/tick', { at: AT + 5700 })).body).toMatchObject({ reported: 1 });
    // The same invoice number both times: it was issued once.
    expect(received.map((r) => r.body.invoiceNo)).toEqual(['INV-000002', 'INV-000002']);
    await deliver('d-4', 'o-4', AT + 3600);
    answer = 422;
    expect((await post('/_test/tick', { at: AT + 6000 })).body).toMatchObject({
      refused: [{ orderId: 'o-4', status: 422 }],
      waiting: 0,
    });
    answer = 200;
  });
});
