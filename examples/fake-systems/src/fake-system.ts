import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a fake system misbehaves: latency, a failure rate (503s) and the seed of its dice. */
export interface Knobs {
  latencyMs: number;
  /** 0..1: the share of requests answered 503 without applying anything. */
  failureRate: number;
  seed: number;
  /** Status systems: 0..1, the share of pushed statuses lost (the old one still shown). */
  driftRate?: number;
  /** The ERP: minutes from an invoice request to the invoice (on the sender's clock). */
  invoiceMinutes?: number;
}

/** What a route handler sees. */
export interface FakeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The body as sent (what a webhook signature covers) and the headers. */
  raw: string;
  headers: Record<string, string>;
}

/** What it answers. */
export interface FakeAnswer {
  status?: number;
  json?: unknown;
}

/** A 422 answer naming the offending field. */
export class Invalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Route<State> {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/customers/:id` */
  path: string;
  handle(request: FakeRequest, state: State): FakeAnswer | Promise<FakeAnswer>;
}

/** A deterministic PRNG (mulberry32): the same seed fails the same requests. */
export function dice(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const match = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return undefined;
  }
  return params;
};

/**
 * One fake external system: a real HTTP server on loopback with its routes, plus what every
 * system shares — knobs (`POST /_admin/knobs`), a record of the idempotency keys it received
 * (`GET /_admin/keys`), each applied only once (a repeat gets the first answer back), and
 * `POST /_admin/reset`.
 */
export class FakeSystem<State> {
  private state: State;
  private knobs: Knobs;
  /** Requests seen per method and path: what a request's failure dice are drawn from. */
  private calls = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private readonly answers = new Map<string, { status: number; json: unknown }>();
  private server?: Server;

  constructor(
    readonly name: string,
    private readonly initialState: () => State,
    private readonly routes: Route<State>[],
    knobs: Partial<Knobs> = {},
  ) {
    this.state = initialState();
    this.knobs = { latencyMs: 0, failureRate: 0, seed: 1, ...knobs };
  }

  /**
   * The dice of the n-th request to one method and path (or another named roll): the same
   * seed fails the same requests even when they arrive at once in any order (a
   * reconciliation's parallel reads).
   */
  roll(request: string): number {
    const n = (this.calls.get(request) ?? 0) + 1;
    this.calls.set(request, n);
    return dice(hash(`${this.knobs.seed}:${request}:${n}`))();
  }

  /** The knobs now (`POST /_admin/knobs` changes them). */
  get currentKnobs(): Readonly<Knobs> {
    return this.knobs;
  }

  /** Changes knobs at run time (a new seed restarts the dice). */
  setKnobs(knobs: Partial<Knobs>): Knobs {
    this.knobs = { ...this.knobs, ...knobs };
    if (knobs.seed !== undefined) this.calls.clear();
    return this.knobs;
  }

  /** The keys received (with how often) and those applied (once each). */
  keys() {
    return {
      received: Object.fromEntries(this.received),
      applied: [...this.answers.keys()],
    };
  }

  reset(): void {
    this.state = this.initialState();
    this.received.clear();
    this.answers.clear();
    this.calls.clear();
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: Record<string, unknown> = {};
    const raw = Buffer.concat(chunks).toString('utf8');
    if (chunks.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, { error: 'invalid_json' });
      }
    }
    const admin = this.admin(req.method ?? 'GET', url.pathname, body);
    if (admin) return send(200, admin);

    if (this.knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, this.knobs.latencyMs));
    const key = req.headers['idempotency-key'];
    const keyed = typeof key === 'string' && req.method !== 'GET' ? key : undefined;
    if (keyed) this.received.set(keyed, (this.received.get(keyed) ?? 0) + 1);
    const first = keyed && this.answers.get(keyed);
    if (first) return send(first.status, first.json, { 'idempotent-replayed': 'true' });
    // A simulated outage applies nothing.
    if (this.roll(`${req.method} ${url.pathname}`) < this.knobs.failureRate)
      return send(503, { error: 'unavailable' });

    for (const route of this.routes) {
      const params = route.method === req.method ? match(route.path, url.pathname) : undefined;
      if (!params) continue;
      let answer: { status: number; json: unknown };
      try {
        const out = await route.handle(
          {
            method: route.method,
            path: url.pathname,
            params,
            query: url.searchParams,
            body,
            raw,
            headers: Object.fromEntries(
              Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : (v ?? '')]),
            ),
          },
          this.state,
        );
        answer = { status: out.status ?? 200, json: out.json };
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        answer = {
          status: 422,
          json: { error: 'invalid', field: error.field, message: error.message },
        };
      }
      if (keyed && answer.status < 500) this.answers.set(keyed, answer);
      return send(answer.status, answer.json);
    }
    send(404, { error: 'not_found', path: url.pathname });
  }

  private admin(method: string, path: string, body: Record<string, unknown>): unknown {
    if (method === 'POST' && path === '/_admin/knobs') return this.setKnobs(body as Partial<Knobs>);
    if (method === 'GET' && path === '/_admin/keys') return this.keys();
    if (method === 'POST' && path === '/_admin/reset') {
      this.reset();
      return { reset: true };
    }
    return undefined;
  }
}

/** Field checks for handlers: throw Invalid naming the field. */
export const need = {
  string(body: Record<string, unknown>, field: string): string {
    const v = body[field];
    if (typeof v !== 'string' || !v)
      throw new Invalid(field, `${field} must be a non-empty string`);
    return v;
  },
  number(body: Record<string, unknown>, field: string, min = 0): number {
    const v = body[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
      throw new Invalid(field, `${field} must be a number ≥ ${min}`);
    return v;
  },
};

/** A stable number from a string, for seeded answers (FNV-1a). */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
