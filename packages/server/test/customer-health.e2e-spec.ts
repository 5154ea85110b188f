import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const flow = {
  schemaVersion: 1,
  key: 'clinics',
  name: 'Clinic orders',
  customer: 'clinic',
  fields: [{ key: 'clinic', type: 'string' }],
  states: [{ id: 'received', initial: true }, { id: 'shipped' }, { id: 'signed', final: true }],
  transitions: [
    { id: 'ship', from: 'received', to: 'shipped', event: 'ship' },
    { id: 'sign', from: 'shipped', to: 'signed', event: 'sign' },
  ],
  measures: [
    // Cold-chain sign-off: from shipping to the clinic's signature, due within 4 hours.
    { id: 'sign_off', from: { state: 'shipped' }, to: { state: 'signed' }, target: 'PT4H' },
    { id: 'to_ship', from: { state: 'received' }, to: { state: 'shipped' } },
  ],
};

const HOUR = 3_600_000;
/** An order: received on `day` of `month` at 08:00, shipped after `ship` h, signed `sign` h later. */
const order = (
  ref: string,
  clinic: string,
  month: number,
  day: number,
  ship: number,
  sign: number,
) => {
  const t0 = Date.UTC(2026, month - 1, day, 8);
  const at = (h: number) => new Date(t0 + h * HOUR).toISOString();
  return [
    `${ref},received,${at(0)},${clinic}`,
    `${ref},shipped,${at(ship)},`,
    `${ref},signed,${at(ship + sign)},`,
  ];
};
// Hospital H1's sign-offs run late more and more (0/2, 1/2, 2/3): a risk two months running.
// H2 ships slower each month (its to_ship median rises): a risk without a target.
// H3 orders only in March; H4 steady.
const rows = [
  ...order('J1', 'H1', 1, 5, 1, 2),
  ...order('J2', 'H1', 1, 6, 1, 3),
  ...order('F1', 'H1', 2, 5, 1, 5),
  ...order('F2', 'H1', 2, 6, 1, 2),
  ...order('M1', 'H1', 3, 5, 1, 6),
  ...order('M2', 'H1', 3, 6, 1, 7),
  ...order('M3', 'H1', 3, 7, 1, 1),
  ...order('J3', 'H2', 1, 5, 1, 1),
  ...order('F3', 'H2', 2, 5, 2, 1),
  ...order('M4', 'H2', 3, 5, 3, 1),
  ...order('M5', 'H2', 3, 9, 5, 1),
  ...order('M6', 'H3', 3, 10, 1, 1),
  ...order('J4', 'H4', 1, 5, 1, 1),
  ...order('F4', 'H4', 2, 5, 1, 1),
  ...order('M7', 'H4', 3, 5, 1, 1),
];

describe.each(databaseKinds())('customer fulfilment health on %s', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app, flow);
    const content = ['reference,state,at,customer', ...rows].join('\n');
    const r = await app.call('POST', '/api/flows/clinics/event-log', { format: 'csv', content });
    expect(r.status).toBe(200);
  });
  afterAll(() => app?.close());

  const report = async (query: string) => {
    const r = await app.call('GET', `/api/flows/clinics/reports/customer-health?${query}`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('ranks the month’s customers by orders, with each measure beside the month before', async () => {
    const r = await report('month=2026-03');
    expect(r.month).toBe('2026-03');
    expect(
      r.customers.map((c: { customer: string; orders: number }) => [c.customer, c.orders]),
    ).toEqual([
      ['H1', 3],
      ['H2', 2],
      ['H3', 1],
      ['H4', 1],
    ]);
    const h1 = r.customers[0];
    expect(h1.measures[0]).toEqual({
      id: 'sign_off',
      count: 3,
      p50Ms: 6 * HOUR,
      lateShare: 2 / 3,
      previous: { p50Ms: 3.5 * HOUR, lateShare: 1 / 2 },
      change: { p50Ms: 2.5 * HOUR, lateShare: 2 / 3 - 1 / 2 },
    });
    expect(h1.measures[1]).toMatchObject({ id: 'to_ship', lateShare: null, p50Ms: HOUR });
    expect(r.customers[2].measures[0].previous).toEqual({ p50Ms: null, lateShare: null });
  });

  it('raises a risk where a measure worsened two months running', async () => {
    const r = await report('month=2026-03');
    const risks = Object.fromEntries(
      r.customers.map((c: { customer: string; risks: unknown[] }) => [c.customer, c.risks]),
    );
    expect(risks.H1).toEqual([{ measure: 'sign_off', kind: 'late_share_rising', months: 2 }]);
    expect(risks.H2).toEqual([{ measure: 'to_ship', kind: 'p50_rising', months: 2 }]);
    expect(risks.H3).toEqual([]);
    expect(risks.H4).toEqual([]);
    // In February, H1 has worsened only once.
    const feb = await report('month=2026-02');
    expect(feb.customers.find((c: { customer: string }) => c.customer === 'H1').risks).toEqual([]);
  });

  it('keeps the top N, and names a bad month or top', async () => {
    expect((await report('month=2026-03&top=2')).customers).toHaveLength(2);
    for (const [query, path] of [
      ['month=2026-13', '/month'],
      ['month=March', '/month'],
      ['top=0', '/top'],
      ['format=docx', '/format'],
      ['format=pdf&lang=fr', '/lang'],
    ]) {
      const r = await app.call('GET', `/api/flows/clinics/reports/customer-health?${query}`);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].path).toBe(path);
    }
  });

  const pdf = async (query: string) => {
    const r = await fetch(`${app.url}/api/flows/clinics/reports/customer-health?${query}`, {
      headers: { authorization: `Bearer ${app.adminKey}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    return JSON.parse(
      execFileSync(process.execPath, [path.join(__dirname, 'support', 'pdf-text.mjs')], {
        input: bytes,
      }).toString(),
    ) as { pages: string[]; title: string };
  };

  it('renders the report as a PDF in English and in Chinese, read back as a reader would', async () => {
    const en = await pdf('month=2026-03&format=pdf');
    expect(en.title).toBe('Customer fulfilment health, 2026-03 — Clinic orders');
    const text = en.pages.join(' ');
    for (const customer of ['H1', 'H2', 'H3', 'H4']) expect(text).toContain(customer);
    expect(text).toContain('sign_off: late share rising 2 months running');
    expect(text).toContain('6 h (3 h 30 min)  66.7% (50%)'); // H1's sign-off beside February's
    const zh = await pdf('month=2026-03&format=pdf&lang=zh-CN');
    expect(zh.title).toBe('客户履约健康报告，2026-03 — Clinic orders');
    expect(zh.pages.join(' ')).toContain('超时占比连续 2 个月上升');
    // A month without orders is a page that says so.
    expect((await pdf('month=2025-01&format=pdf')).pages.join(' ')).toContain(
      'No orders with a customer in this month.',
    );
  });
});
