import type { startFakeSystems } from '@ordo/fake-systems';
import type { TestApp } from './test-app';
import { waitFor } from './wait-for';

export type Fakes = Awaited<ReturnType<typeof startFakeSystems>>;

/** Deploys a template with its connectors pointed at the fake systems of this test. */
export async function deploy(
  app: TestApp,
  id: string,
  baseUrls: Record<string, string>,
  loadSamples = true,
) {
  const connectors = Object.fromEntries(
    Object.entries(baseUrls).map(([name, baseUrl]) => [name, { settings: { baseUrl } }]),
  );
  return app.call('POST', `/api/templates/${id}/deploy`, { loadSamples, connectors });
}

export const json = (url: string, body?: unknown) =>
  fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  }).then((r) => r.json() as Promise<any>);

/** Orders of a deployed template by reference: state, waiting for one, tasks. */
export function ordersOf(app: () => TestApp) {
  const byRef = async (flow: string, ref: string) =>
    (await app().call('GET', `/api/orders?flow=${flow}&externalRef=${ref}`)).body.items[0];
  const stateOf = async (flow: string, ref: string) => (await byRef(flow, ref))?.state;
  return {
    byRef,
    stateOf,
    settle: (flow: string, ref: string, state: string) =>
      waitFor(async () => (await stateOf(flow, ref)) === state, 15_000),
    tasksOf: async (id: string) => (await app().call('GET', `/api/tasks?orderId=${id}`)).body.items,
  };
}
