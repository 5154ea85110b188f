import { runTestAction, startTestServer } from '@ordo/connectors/testing';
import { acmeWms } from '../src/acme-wms.connector';

describe('the ACME WMS connector', () => {
  let wms: Awaited<ReturnType<typeof startTestServer>>;
  let stock = 10;
  beforeAll(async () => {
    wms = await startTestServer((req) => {
      if (req.method === 'POST' && req.url === '/reservations') {
        const { lines } = req.json as { lines: { sku: string; qty: number }[] };
        const qty = lines.reduce((n, l) => n + l.qty, 0);
        if (qty > stock)
          return { status: 409, json: { error: 'insufficient_stock', sku: lines[0].sku } };
        stock -= qty;
        return { status: 201, json: { reservationId: `R-${wms.requests.length}`, lines } };
      }
      if (req.method === 'DELETE')
        return req.url.endsWith('R-gone') ? { status: 404 } : { status: 204 };
      if (req.url === '/down') return { status: 503 };
      return { status: 404 };
    });
  });
  afterAll(() => wms.close());

  const settings = () => ({ baseUrl: wms.url, warehouse: 'SH-01' });
  const credentials = { apiKey: 'acme-key' };

  it('reserves stock, sending the key, the warehouse and the idempotency key', async () => {
    const output = await runTestAction(acmeWms, 'reserve', {
      settings: settings(),
      credentials,
      idempotencyKey: 'o-1:2:0',
      input: { orderId: 'o-1', lines: [{ sku: 'SKU-1', qty: 4 }] },
    });
    expect(output).toEqual({ reservationId: 'R-1', lines: [{ sku: 'SKU-1', qty: 4 }] });
    const request = wms.requests[0];
    expect(request.headers).toMatchObject({
      'x-api-key': 'acme-key',
      'x-warehouse': 'SH-01',
      'idempotency-key': 'o-1:2:0',
    });
  });

  it('says out-of-stock is final, not worth a retry', async () => {
    await expect(
      runTestAction(acmeWms, 'reserve', {
        settings: settings(),
        credentials,
        input: { orderId: 'o-2', lines: [{ sku: 'SKU-9', qty: 500 }] },
      }),
    ).rejects.toMatchObject({ code: 'insufficient_stock', retryable: false });
  });

  it('refuses bad input and missing credentials before calling anything', async () => {
    const before = wms.requests.length;
    await expect(
      runTestAction(acmeWms, 'reserve', {
        settings: settings(),
        credentials,
        input: { orderId: 'o-3', lines: [{ sku: 'SKU-1', qty: 0 }] },
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      runTestAction(acmeWms, 'release', {
        settings: settings(),
        input: { reservationId: 'R-1' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(wms.requests.length).toBe(before);
  });

  it('releases, and releasing twice is harmless', async () => {
    const release = (reservationId: string) =>
      runTestAction(acmeWms, 'release', {
        settings: settings(),
        credentials,
        input: { reservationId },
      });
    expect(await release('R-1')).toEqual({ released: true });
    expect(await release('R-gone')).toEqual({ released: false });
  });
});
