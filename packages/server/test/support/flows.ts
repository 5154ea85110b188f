import { standardOrderFlow } from '@ordo/engine/testing';
import type { TestApp } from './test-app';

/** Saves and publishes a flow document (the standard order flow by default). */
export async function publishFlow(app: TestApp, doc: object = standardOrderFlow): Promise<void> {
  const saved = await app.call('POST', '/api/flows', doc);
  if (saved.status !== 201) throw new Error(`saving the flow: ${JSON.stringify(saved.body)}`);
  const published = await app.call(
    'POST',
    `/api/flows/${(doc as { key: string }).key}/publish`,
    {},
  );
  if (published.status !== 201)
    throw new Error(`publishing the flow: ${JSON.stringify(published.body)}`);
}

/** Valid data for the standard order flow. */
export const orderData = () => ({
  customer: { id: 'C1' },
  lines: [{ sku: 'SKU-1', qty: 3, bin: 'P-01' }],
  stock: { available: 10 },
});
