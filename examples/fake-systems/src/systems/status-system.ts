import { createHmac } from 'node:crypto';
import { FakeSystem, type Knobs, need } from '../fake-system';

/** Where a status system reports its own changes: an Ordo inbound webhook and its secret. */
export interface HookTarget {
  url: string;
  secret: string;
}

export interface StatusState {
  /** Its own status of each order, by our reference. */
  statuses: Map<string, string>;
  /** Every status pushed to it, in order: what it was told. */
  pushes: { ref: string; status: string }[];
  /** Orders on which it reports another status than it was told (the drift knob). */
  disagree: Map<string, string>;
  hook?: HookTarget;
  deliveries: number;
}

/** `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, as Ordo's inbound webhooks check it. */
export function signDelivery(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * A system that keeps its own status of our orders in its own codes (the CRM, ERP, WMS or TMS
 * of the status-sync scenario). Ordo pushes statuses to it and reads them back; it reports its
 * own changes to Ordo as signed webhooks; a knob makes it disagree on chosen orders.
 *
 * - `POST /orders/:ref/status` `{ status }` — Ordo tells it a new status
 * - `GET /orders/:ref/status` — its view `{ ref, status }`
 * - `POST /_test/report` `{ ref, status }` — it changes the status itself and tells Ordo
 * - `POST /_test/hook` `{ url, secret }`, `POST /_test/disagree` `{ ref, status }`,
 *   `GET /_test/pushes` — set-up and inspection for tests
 */
export const createStatusSystem = (name: string, knobs?: Partial<Knobs>) => {
  const system = new FakeSystem<StatusState>(
    name,
    () => ({ statuses: new Map(), pushes: [], disagree: new Map(), deliveries: 0 }),
    [
      {
        method: 'POST',
        path: '/orders/:ref/status',
        handle: ({ params, body }, state) => {
          const status = need.string(body, 'status');
          state.statuses.set(params.ref, status);
          state.pushes.push({ ref: params.ref, status });
          return { json: { ref: params.ref, status } };
        },
      },
      {
        method: 'GET',
        path: '/orders/:ref/status',
        handle: ({ params }, state) => {
          const status = state.disagree.get(params.ref) ?? state.statuses.get(params.ref);
          return status === undefined
            ? { status: 404, json: { error: 'unknown_order', ref: params.ref } }
            : { json: { ref: params.ref, status } };
        },
      },
      {
        method: 'POST',
        path: '/_test/report',
        handle: async ({ body }, state) => {
          const ref = need.string(body, 'ref');
          const status = need.string(body, 'status');
          if (!state.hook)
            return { status: 409, json: { error: 'no_hook', message: 'POST /_test/hook first' } };
          state.statuses.set(ref, status);
          const payload = JSON.stringify({ ref, status, system: name, ...(body.data as object) });
          const delivery = `${name}-${++state.deliveries}`;
          const response = await fetch(state.hook.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-ordo-signature': signDelivery(
                state.hook.secret,
                payload,
                Math.floor(Date.now() / 1000),
              ),
              'x-ordo-delivery': delivery,
            },
            body: payload,
          });
          return { json: { delivery, status: response.status, answer: await response.json() } };
        },
      },
      {
        method: 'POST',
        path: '/_test/hook',
        handle: ({ body }, state) => {
          state.hook = { url: need.string(body, 'url'), secret: need.string(body, 'secret') };
          return { json: { url: state.hook.url } };
        },
      },
      {
        method: 'POST',
        path: '/_test/disagree',
        handle: ({ body }, state) => {
          state.disagree.set(need.string(body, 'ref'), need.string(body, 'status'));
          return { json: { disagreeing: state.disagree.size } };
        },
      },
      {
        method: 'GET',
        path: '/_test/pushes',
        handle: (_request, state) => ({ json: { pushes: state.pushes } }),
      },
    ],
    knobs,
  );
  return system;
};
