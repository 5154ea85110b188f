import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const TEMPLATES = [
  'fmcg-distribution',
  'pharma-distribution',
  'b2b-custom-manufacturing',
  'status-sync',
];
const samples = (id: string, file: string) =>
  readFileSync(path.join(__dirname, '..', '..', '..', 'templates', id, 'samples', file), 'utf8');

/**
 * Each template's `samples/orders.csv` (one row per order line) holds the same orders as its
 * `samples/orders.json`: every line of every order, no row refused.
 */
describe.each(databaseKinds())("the templates' sample CSVs on %s", (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db });
  });
  afterAll(() => app.close());

  it.each(TEMPLATES)('%s: the CSV previews exactly the orders of orders.json', async (id) => {
    const deployed = await app.call('POST', `/api/templates/${id}/deploy`, { loadSamples: false });
    expect(deployed.status).toBe(200);
    const { key } = JSON.parse(samples(id, '../flow.json')) as { key: string };
    const orders = JSON.parse(samples(id, 'orders.json')) as {
      externalRef: string;
      data: unknown;
    }[];
    const fromCsv = await app.call('POST', `/api/flows/${key}/imports`, {
      format: 'csv',
      content: samples(id, 'orders.csv'),
      dryRun: true,
    });
    const fromJson = await app.call('POST', `/api/flows/${key}/imports`, {
      format: 'jsonl',
      content: orders.map((o) => JSON.stringify(o)).join('\n'),
      dryRun: true,
    });
    expect(fromCsv.body.refused).toEqual([]);
    expect(fromCsv.body.valid).toBe(orders.length);
    const shown = (answer: { body: { preview: { externalRef: string; data: unknown }[] } }) =>
      answer.body.preview.map(({ externalRef, data }) => ({ externalRef, data }));
    expect(shown(fromCsv)).toEqual(shown(fromJson));
    expect(shown(fromCsv).map((o) => o.externalRef)).toEqual(orders.map((o) => o.externalRef));
  });
});
