import { Webhook } from 'standardwebhooks';
import { FakeSystem, type Knobs, need, type Route } from '../fake-system';

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
  /** Orders whose pushes it refuses (409 `locked`: closed on its side, say). */
  refuse: Set<string>;
  hook?: HookTarget;
  deliveries: number;
  /** The secret of Ordo's webhook subscription to this system (`POST /_test/subscription`). */
  subscriptionSecret?: string;
  /** Ordo's deliveries it verified, once per `webhook-id`. */
  events: { id: string; event: string; order?: string }[];
}

/** `POST /_test/hook { url, secret }`: where the system reports its own changes to Ordo. */
export const hookRoute = <S extends { hook?: HookTarget }>(): Route<S> => ({
  method: 'POST',
  path: '/_test/hook',
  handle: ({ body }, state) => {
    state.hook = { url: need.string(body, 'url'), secret: need.string(body, 'secret') };
    return { json: { url: state.hook.url } };
  },
});

/** `POST /_test/subscription { secret }`: the secret of Ordo's webhook subscription to it. */
export const subscriptionRoute = <S extends { subscriptionSecret?: string }>(): Route<S> => ({
  method: 'POST',
  path: '/_test/subscription',
  handle: ({ body }, state) => {
    state.subscriptionSecret = need.string(body, 'secret');
    return { json: { subscribed: true } };
  },
});

/** A Standard Webhooks client of a secret: `whsec_<base64>`, or a plain secret as its bytes. */
export const client = (secret: string) =>
  secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });

/**
 * The Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) of a
 * delivery, signed with the `standardwebhooks` package, as Ordo's inbound webhooks check them.
 */
export function signDelivery(
  secret: string,
  id: string,
  body: string,
  unixSeconds: number,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(unixSeconds),
    'webhook-signature': client(secret).sign(id, new Date(unixSeconds * 1000), body),
  };
}

/**
 * A system that keeps its own status of our orders in its own codes (the CRM, ERP, WMS or TMS
 * of the status-sync scenario). Ordo pushes statuses to it and reads them back; it reports its
 * own changes to Ordo as signed webhooks; a knob makes it disagree on chosen orders.
 *
 * - `POST /orders/:ref/status` `{ status }` — Ordo tells it a new status
 * - `GET /orders/:ref/status` — its view `{ ref, status }`
 * - `POST /_test/report` `{ ref, status, data?, at? }` — it changes the status itself and tells
 *   Ordo (signed at `at`, Unix seconds, when given: a simulation's virtual time)
 * - `POST /events` — receives Ordo's webhook subscription deliveries, verified with the
 *   `standardwebhooks` package (401 otherwise), applied once per `webhook-id`
 * - `POST /_test/hook` `{ url, secret }`, `POST /_test/subscription` `{ secret }`,
 *   `POST /_test/disagree` `{ ref, status }` (until the next push), `POST /_test/refuse`
 *   `{ ref, refuse? }` (pushes for it answered 409), `GET /_test/pushes`, `GET /_test/events` —
 *   set-up and inspection for tests
 */
export const createStatusSystem = (name: string, knobs?: Partial<Knobs>) => {
  // Lost updates have their own dice, per order and push (parallel pushes in any order
  // agree), from the system's seed and knobs as they are now.
  const lost = (ref: string) => system.roll(`drift:${ref}`) < (system.currentKnobs.driftRate ?? 0);
  const system = new FakeSystem<StatusState>(
    name,
    () => ({
      statuses: new Map(),
      pushes: [],
      disagree: new Map(),
      refuse: new Set(),
      deliveries: 0,
      events: [],
    }),
    [
      {
        method: 'POST',
        path: '/orders/:ref/status',
        handle: ({ params, body }, state) => {
          const status = need.string(body, 'status');
          if (state.refuse.has(params.ref))
            return {
              status: 409,
              json: { error: 'locked', message: `Order ${params.ref} is locked here` },
            };
          const shown = state.disagree.get(params.ref) ?? state.statuses.get(params.ref);
          state.statuses.set(params.ref, status);
          // Told the status, it agrees again (a drift knob lasts until the next push) —
          // unless it loses this update (`driftRate`) and goes on showing the old one.
          state.disagree.delete(params.ref);
          if (shown !== undefined && shown !== status && lost(params.ref))
            state.disagree.set(params.ref, shown);
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
          state.disagree.delete(ref);
          // `at` (Unix seconds): the sender's clock, for a simulation's virtual time.
          const sent = typeof body.at === 'number' ? body.at : Math.floor(Date.now() / 1000);
          const payload = JSON.stringify({ ref, status, system: name, ...(body.data as object) });
          const delivery = `${name}-${++state.deliveries}`;
          const response = await fetch(state.hook.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...signDelivery(state.hook.secret, delivery, payload, sent),
            },
            body: payload,
          });
          return { json: { delivery, status: response.status, answer: await response.json() } };
        },
      },
      hookRoute(),
      {
        method: 'POST',
        path: '/events',
        handle: ({ raw, headers }, state) => {
          if (!state.subscriptionSecret)
            return {
              status: 409,
              json: { error: 'no_subscription', message: 'POST /_test/subscription first' },
            };
          let event: { event: string; order?: { id: string } };
          try {
            event = client(state.subscriptionSecret).verify(raw, headers) as typeof event;
          } catch (error) {
            return {
              status: 401,
              json: { error: 'unverified', message: (error as Error).message },
            };
          }
          const id = headers['webhook-id'];
          if (!state.events.some((e) => e.id === id))
            state.events.push({ id, event: event.event, order: event.order?.id });
          return { status: 204 };
        },
      },
      subscriptionRoute(),
      {
        method: 'GET',
        path: '/_test/events',
        handle: (_request, state) => ({ json: { events: state.events } }),
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
        method: 'POST',
        path: '/_test/refuse',
        handle: ({ body }, state) => {
          const ref = need.string(body, 'ref');
          if (body.refuse === false) state.refuse.delete(ref);
          else state.refuse.add(ref);
          return { json: { refusing: state.refuse.size } };
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
