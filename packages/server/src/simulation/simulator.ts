import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FAKE_WECOM_KEY, startFakeSystems, type SystemName } from '@ordo/fake-systems';
import { createApp, type OrdoApp } from '../app.factory';
import { DEFAULT_RATE_LIMIT, DEFAULT_TEMPLATES_DIR } from '../config/ordo-config';
import type { JsonSource } from '../cli/json-source';
import { EffectDispatcher } from '../runtime/effect-dispatcher';
import { TimerRunner } from '../timers/timer-runner';
import { TaskEscalator } from '../tasks/task-escalator';
import { WebhookSender } from '../webhooks/webhook-sender';
import { ReconciliationService } from '../systems/reconciliation.service';
import { DataSetRefreshService } from '../datasets/data-set-refresh.service';
import { ScheduledReports } from '../analytics/scheduled-reports';
import type { Poller } from '../background/poller';
import { hashText, rngFor, type Rng } from './dice';
import { type PlannedOrder, planOrders, type Row, startOf } from './order-maker';
import { draw, onShift, type Person } from './sim-people';
import { SimClock } from './sim-clock';
import { throwAwayDatabase } from './sim-database';
import type { Handling, Scenario, SystemAction } from './scenario.schema';
import { type ScenarioProblem, scenarioError } from './scenario-file';
import { type SimulationResult, summarise } from './sim-report';

const DAY_MS = 86_400_000;
/** The fake systems' fixed ports when started with port base 4101 (the templates' defaults). */
const FAKE_ORDER: SystemName[] = [
  'crm',
  'wms',
  'production',
  'carrier',
  'bank',
  'erp',
  'crm-status',
  'erp-status',
  'wms-status',
  'tms-status',
  'wecom',
  'dingtalk',
  'bin-master',
];

export interface SimulationInput {
  scenario: Scenario;
  scenarioFile: string;
  source?: JsonSource;
  /**
   * A template id, or a flow document to publish — or both: the template is deployed (its
   * data sets and credentials) and the document is then published over its flow, with the
   * template's connector settings (a simulation talks to the fake systems only).
   */
  template?: string;
  flowDocument?: Record<string, unknown>;
  templatesDir?: string;
  days?: number;
  seed: number;
  /** A PostgreSQL URL: the run uses a new database on its server, dropped at the end. */
  database?: string;
  onProgress?: (p: { day: number; days: number; orders: number }) => void;
  /** Called after each simulated hour (finer than `onProgress`, for the server's jobs). */
  onHour?: (p: { hour: number; hours: number; orders: number }) => void;
}

export interface FlowDoc {
  key: string;
  states: (string | { id: string })[];
  transitions: { id: string; event?: string }[];
  queues?: Record<string, unknown>;
  triggers?: { id: string; webhook?: { secret?: string } }[];
  systems?: Record<string, unknown>;
  connectors?: Record<
    string,
    { type: string; settings?: Record<string, unknown>; credential?: string }
  >;
}

/** Runs a scenario in virtual time on the real runtime; returns its figures. */
export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  const s = input.scenario;
  const days = input.days ?? s.days;
  const templatesDir = input.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  const flow = (input.flowDocument ??
    JSON.parse(
      readFileSync(path.join(templatesDir, input.template!, 'flow.json'), 'utf8'),
    )) as FlowDoc;
  checkAgainstFlow(input, flow);
  const start = startOf(s);
  const stepMs = s.stepMinutes * 60_000;
  const clock = new SimClock(start, rngFor(input.seed, 'runtime'));
  const fakes = await startFakeSystems(
    Object.fromEntries(
      FAKE_ORDER.map((name) => [
        name,
        {
          seed: hashText(`${input.seed}:${name}`),
          failureRate: s.systems?.[name]?.failureRate ?? 0,
          driftRate: s.systems?.[name]?.driftRate ?? 0,
        },
      ]),
    ),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'ordo-sim-'));
  const adminKey = `sim-${randomBytes(12).toString('hex')}`;
  let server: OrdoApp | undefined;
  let db: Awaited<ReturnType<typeof throwAwayDatabase>> | undefined;
  try {
    db = await throwAwayDatabase(dir, input.database);
    server = await createApp(
      {
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        database: db.database,
        adminKey,
        bodyLimit: 8 * 1024 * 1024,
        jwtSecret: randomBytes(32).toString('base64url'),
        secretKey: randomBytes(32).toString('base64url'),
        templatesDir,
        connectors: [],
        outboundAllow: ['127.0.0.1:*'],
        effectLeaseMs: 30_000,
        webhookRetryMs: 1000,
        corsOrigins: [],
        trustProxy: false,
        rateLimit: {
          ...DEFAULT_RATE_LIMIT,
          loginPerIp: 1e9,
          loginPerAccount: 1e9,
          hooksPerIp: 1e9,
        },
        logLevel: 'silent',
      },
      { clock, logger: false },
    );
    const url = await server.listen();
    const api = apiOf(url, adminKey);
    const hookSecrets = await storeHookSecrets(api, s, flow);
    await deploy(api, input, flow, fakes.urls);
    await pointHooks(s, flow.key, url, fakes.urls, hookSecrets);
    const rows = await loadRows(api, s);
    const planned = planOrders(s, input.seed, days, (key) => rows.get(key) ?? []);
    const pollers: Poller[] = [
      TimerRunner,
      TaskEscalator,
      WebhookSender,
      ReconciliationService,
      DataSetRefreshService,
      ScheduledReports,
    ].map((type) => server!.app.get(type as never) as Poller);
    const dispatcher = server.app.get(EffectDispatcher);
    const settle = async () => {
      for (;;) {
        for (const poller of pollers) await poller.drain();
        if (!(await dispatcher.drain())) return;
      }
    };
    const people = await hire(api, s);
    const rngs = new Map(
      Object.keys(s.people).map((role) => [role, rngFor(input.seed, `people:${role}`)]),
    );
    const run = new Run(api, s, flow.key, clock, people, rngs, rows, fakes.urls);
    run.notifications = async () => {
      let n = 0;
      for (const robot of [fakes.urls.wecom, fakes.urls.dingtalk]) {
        const answer = (await (await fetch(`${robot}/_test/messages`)).json()) as {
          messages: unknown[];
        };
        n += answer.messages.length;
      }
      return n;
    };
    const end = start + days * DAY_MS;
    let next = 0;
    for (let t = start; t < end; t += stepMs) {
      clock.set(t);
      await run.restock(t, stepMs, fakes.urls.wms);
      while (next < planned.length && planned[next].at <= t) await run.create(planned[next++]);
      await settle();
      await run.work(t, stepMs);
      await settle();
      if ((t - start) % 3_600_000 === 0) await run.sampleQueues();
      const hour = Math.floor((t + stepMs - start) / 3_600_000);
      if (hour > Math.floor((t - start) / 3_600_000))
        input.onHour?.({ hour, hours: days * 24, orders: next });
      if ((t + stepMs - start) % DAY_MS === 0)
        input.onProgress?.({ day: (t + stepMs - start) / DAY_MS, days, orders: next });
    }
    clock.set(end);
    await settle();
    return await summarise({
      api,
      scenario: s,
      flow: flow.key,
      systems: Object.keys(flow.systems ?? {}),
      start,
      end,
      days,
      seed: input.seed,
      planned,
      run,
    });
  } finally {
    await server?.close();
    await fakes.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An answer of the server's own API, read field by field as the API documents them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of our own API
export type Answer = { status: number; body: any };

export type Api = (method: string, route: string, body?: unknown, key?: string) => Promise<Answer>;

function apiOf(url: string, adminKey: string): Api {
  return async (method, route, body, key = adminKey) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** The scenario names states, events, queues and systems the flow must have. */
function checkAgainstFlow(input: SimulationInput, flow: FlowDoc): void {
  const problems = flowProblems(input.scenario, flow);
  if (problems.length) throw scenarioError(input.scenarioFile, problems, input.source);
}

/** What the scenario names that the flow lacks (states, events, queues, fake systems). */
export function flowProblems(scenario: Scenario, flow: FlowDoc): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const states = new Set(flow.states.map((st) => (typeof st === 'string' ? st : st.id)));
  const events = new Set(flow.transitions.map((t) => t.event).filter(Boolean));
  const queues = new Set(Object.keys(flow.queues ?? {}));
  if (scenario.flow !== flow.key)
    problems.push({ path: '/flow', message: `the flow simulated is "${flow.key}"` });
  for (const [role, people] of Object.entries(scenario.people))
    people.handles.forEach((h, i) => {
      const at = `/people/${role}/handles/${i}`;
      if ('state' in h && !states.has(h.state))
        problems.push({ path: `${at}/state`, message: `the flow has no state "${h.state}"` });
      if ('system' in h && !FAKE_ORDER.includes(h.system.name as SystemName))
        problems.push({
          path: `${at}/system/name`,
          message: `no fake system "${h.system.name}" (${FAKE_ORDER.join(', ')})`,
        });
      if ('event' in h && h.event && !events.has(h.event))
        problems.push({
          path: `${at}/event`,
          message: `no transition of the flow has the event "${h.event}"`,
        });
      if ('task' in h && !queues.has(h.task.queue))
        problems.push({
          path: `${at}/task/queue`,
          message: `the flow has no queue "${h.task.queue}"`,
        });
    });
  scenario.hooks?.forEach((hook, i) => {
    if (!FAKE_ORDER.includes(hook.system as SystemName))
      problems.push({ path: `/hooks/${i}/system`, message: `no fake system "${hook.system}"` });
    const trigger = flow.triggers?.find((t) => t.id === hook.trigger);
    if (!trigger?.webhook?.secret)
      problems.push({
        path: `/hooks/${i}/trigger`,
        message: `the flow has no signed webhook trigger "${hook.trigger}"`,
      });
  });
  for (const name of Object.keys(scenario.systems ?? {}))
    if (!FAKE_ORDER.includes(name as SystemName))
      problems.push({
        path: `/systems/${name}`,
        message: `no fake system "${name}" (${FAKE_ORDER.join(', ')})`,
      });
  return problems;
}

/** A connector's URL on the fake systems' default ports, moved to this run's fake. */
function moved(value: unknown, urls: Record<SystemName, string>): unknown {
  if (typeof value !== 'string') return value;
  const match = /^http:\/\/127\.0\.0\.1:(41\d\d)(.*)$/.exec(value);
  const name = match && FAKE_ORDER[Number(match[1]) - 4101];
  return name ? `${urls[name]}${match![2]}` : value;
}

const movedSettings = (
  settings: Record<string, unknown> | undefined,
  urls: Record<SystemName, string>,
) => Object.fromEntries(Object.entries(settings ?? {}).map(([k, v]) => [k, moved(v, urls)]));

/**
 * The webhook secrets of the triggers the scenario's systems report to, stored before the
 * deploy (which keeps a stored credential) so that the fakes can sign with them.
 */
async function storeHookSecrets(api: Api, s: Scenario, flow: FlowDoc) {
  const byCredential = new Map<string, string>();
  /** The secret of each trigger reported to. */
  const secrets = new Map<string, string>();
  for (const hook of s.hooks ?? []) {
    const name = flow.triggers!.find((t) => t.id === hook.trigger)!.webhook!.secret!;
    let secret = byCredential.get(name);
    if (!secret) {
      secret = `whsec_${randomBytes(24).toString('base64')}`;
      const made = await api('POST', '/api/credentials', { name, secret: { secret }, hosts: [] });
      if (made.status >= 300) throw new Error(`credential ${name}: ${JSON.stringify(made.body)}`);
      byCredential.set(name, secret);
    }
    secrets.set(hook.trigger, secret);
  }
  return secrets;
}

/** Each reporting fake system signs its webhooks to the flow's trigger. */
async function pointHooks(
  s: Scenario,
  flowKey: string,
  url: string,
  urls: Record<SystemName, string>,
  secrets: Map<string, string>,
) {
  for (const hook of s.hooks ?? []) {
    const answer = await fetch(`${urls[hook.system as SystemName]}/_test/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `${url}/api/hooks/${flowKey}/${hook.trigger}`,
        secret: secrets.get(hook.trigger),
      }),
    });
    if (!answer.ok) throw new Error(`hook of ${hook.system}: ${await answer.text()}`);
  }
}

async function deploy(
  api: Api,
  input: SimulationInput,
  flow: FlowDoc,
  urls: Record<SystemName, string>,
) {
  const templateFlow =
    input.template && input.flowDocument
      ? (JSON.parse(
          readFileSync(
            path.join(input.templatesDir ?? DEFAULT_TEMPLATES_DIR, input.template, 'flow.json'),
            'utf8',
          ),
        ) as FlowDoc)
      : flow;
  const connectors: Record<string, { settings: Record<string, unknown> }> = {};
  for (const [name, c] of Object.entries(templateFlow.connectors ?? {})) {
    connectors[name] = { settings: movedSettings(c.settings, urls) };
    // The fake group robots know one key: the robot's credential is that key.
    if (c.type === 'wecom' && c.credential) {
      const host = new URL(urls.wecom).host;
      const made = await api('POST', '/api/credentials', {
        name: c.credential,
        secret: { key: FAKE_WECOM_KEY },
        hosts: [host],
      });
      if (made.status >= 300)
        throw new Error(`credential ${c.credential}: ${JSON.stringify(made.body)}`);
    }
  }
  if (input.template) {
    const deployed = await api('POST', `/api/templates/${input.template}/deploy`, {
      loadSamples: false,
      connectors,
    });
    if (deployed.status >= 300)
      throw new Error(`deploy ${input.template}: ${JSON.stringify(deployed.body)}`);
    if (!input.flowDocument) return;
  }
  const doc = {
    ...input.flowDocument,
    connectors: Object.fromEntries(
      Object.entries(flow.connectors ?? {}).map(([n, c]) => [
        n,
        {
          ...c,
          settings: connectors[n]?.settings ?? movedSettings(c.settings, urls),
        },
      ]),
    ),
  };
  for (const [method, route, body] of [
    ['POST', '/api/flows', doc],
    ['POST', `/api/flows/${flow.key}/publish`, {}],
  ] as const) {
    const answer = await api(method, route, body);
    if (answer.status >= 300) throw new Error(`${route}: ${JSON.stringify(answer.body)}`);
  }
}

/** The rows of the data sets the scenario reads, keyed by data set. */
async function loadRows(api: Api, s: Scenario): Promise<Map<string, Row[]>> {
  const wanted = new Set(
    [
      s.lines?.dataset,
      s.customers.dataset,
      s.restock?.dataset,
      ...Object.values(s.people).flatMap((p) =>
        p.handles.map((h) => ('fixLines' in h ? h.fixLines?.dataset : undefined)),
      ),
    ].filter((k): k is string => !!k),
  );
  const rows = new Map<string, Row[]>();
  for (const key of [...wanted].sort()) {
    const all: Row[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(
        'GET',
        `/api/datasets/${key}/rows?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (page.status !== 200) throw new Error(`data set ${key}: ${JSON.stringify(page.body)}`);
      for (const item of page.body.items) all.push(item.values ?? item.row ?? item);
      cursor = page.body.nextCursor;
    } while (cursor);
    rows.set(key, all);
  }
  return rows;
}

async function hire(api: Api, s: Scenario): Promise<Person[]> {
  const people: Person[] = [];
  for (const [role, spec] of Object.entries(s.people))
    for (let i = 1; i <= spec.count; i++) {
      const name = `sim-${role}-${i}`;
      const made = await api('POST', '/api/keys', {
        name,
        roles: [...new Set([role, 'operator'])],
      });
      if (made.status >= 300) throw new Error(`key for ${name}: ${JSON.stringify(made.body)}`);
      people.push({
        name,
        role,
        key: made.body.key,
        busyUntil: 0,
        busyMs: 0,
        shiftMs: 0,
        handled: 0,
      });
    }
  return people;
}

/** The run's state: orders made, people at work, queue samples. */
export class Run {
  readonly refs = new Map<string, string>();
  readonly ids = new Map<string, string>();
  readonly taken = new Set<string>();
  readonly queueSamples = new Map<string, number[]>();
  readonly failedActions = new Map<string, number>();
  /**
   * Orders whose event the server refused in a state (a rule failed): a person does not take
   * them again while they wait there — trying the same refused approval again and again held
   * the one sales manager of the FMCG scenario, and a month's approvals piled up behind it.
   */
  readonly refusedIn = new Map<string, string>();
  refused = 0;
  /** The orders the server refused (their mistakes were stopped at the door). */
  readonly refusedRefs = new Set<string>();
  /** How many messages the fake group robots received. */
  notifications: () => Promise<number> = async () => 0;
  constructor(
    readonly api: Api,
    readonly s: Scenario,
    readonly flow: string,
    readonly clock: SimClock,
    readonly people: Person[],
    readonly rngs: Map<string, Rng>,
    readonly rows: Map<string, Row[]>,
    readonly urls: Record<SystemName, string>,
  ) {}

  async create(order: PlannedOrder): Promise<void> {
    const made = await this.api('POST', '/api/orders', {
      flow: this.flow,
      externalRef: order.externalRef,
      ...(order.channel && { channel: order.channel }),
      data: order.data,
    });
    if (made.status !== 201) {
      this.refused++;
      this.refusedRefs.add(order.externalRef);
      return;
    }
    this.refs.set(made.body.id, order.externalRef);
    this.ids.set(order.externalRef, made.body.id);
  }

  /** The day's goods-in, when the step passes the restock time. */
  async restock(t: number, stepMs: number, wms: string): Promise<void> {
    const r = this.s.restock;
    if (!r) return;
    const local = (t + this.s.utcOffsetMinutes * 60_000) % DAY_MS;
    const at = (Number(r.at.slice(0, 2)) * 60 + Number(r.at.slice(3))) * 60_000;
    if (local > at || local + stepMs <= at) return;
    for (const row of r.rows ?? this.rows.get(r.dataset!) ?? []) {
      const answer = await fetch(`${wms}/_test/goods-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: row[r.key], bin: row[r.bin], qty: r.qty }),
      });
      await answer.arrayBuffer();
    }
  }

  /** People finish what is due, then those free and on shift take the next piece of work. */
  async work(t: number, stepMs: number): Promise<void> {
    for (const person of this.people) {
      if (person.doing && person.busyUntil <= t) await this.finish(person, t);
      if (onShift(this.s, person.role, t)) person.shiftMs += stepMs;
    }
    // One look per kind of work and step: only people's own takes change it meanwhile.
    const looked = new Map<Handling, { orderId: string; taskId?: number }[]>();
    for (const person of this.people) {
      if (person.doing || !onShift(this.s, person.role, t)) continue;
      await this.take(person, t, looked);
    }
  }

  private async candidates(h: Handling): Promise<{ orderId: string; taskId?: number }[]> {
    const byRef = (a: { orderId: string }, b: { orderId: string }) =>
      (this.refs.get(a.orderId) ?? a.orderId).localeCompare(this.refs.get(b.orderId) ?? b.orderId);
    if ('task' in h) {
      const list = await this.api(
        'GET',
        `/api/tasks?queue=${encodeURIComponent(h.task.queue)}&status=open&limit=200`,
      );
      return (list.body.items as { id: number; orderId: string; kind?: string; status: string }[])
        .filter(
          (task) =>
            (!h.task.kind || task.kind === h.task.kind) && !this.taken.has(`task:${task.id}`),
        )
        .map((task) => ({ orderId: task.orderId, taskId: task.id }))
        .sort((a, b) => byRef(a, b) || a.taskId - b.taskId);
    }
    const list = await this.api(
      'GET',
      `/api/orders?flow=${this.flow}&state=${h.state}&limit=200&sort=createdAt`,
    );
    return (list.body.items as { id: string }[])
      .filter((o) => !this.taken.has(`order:${o.id}`) && this.refusedIn.get(o.id) !== h.state)
      .map((o) => ({ orderId: o.id }))
      .sort(byRef);
  }

  private async take(
    person: Person,
    t: number,
    looked: Map<Handling, { orderId: string; taskId?: number }[]>,
  ): Promise<void> {
    for (const h of this.s.people[person.role].handles) {
      let waiting = looked.get(h);
      if (!waiting) looked.set(h, (waiting = await this.candidates(h)));
      // Two kinds of work may list one task (a queue, and a kind of it): taken is taken.
      let next = waiting.shift();
      while (
        next &&
        this.taken.has(next.taskId !== undefined ? `task:${next.taskId}` : `order:${next.orderId}`)
      )
        next = waiting.shift();
      if (!next) continue;
      if (next.taskId !== undefined) {
        const claimed = await this.api('POST', `/api/tasks/${next.taskId}/claim`, {}, person.key);
        if (claimed.status !== 200) continue;
        this.taken.add(`task:${next.taskId}`);
      } else this.taken.add(`order:${next.orderId}`);
      const minutes = draw(h.minutes, this.rngs.get(person.role)!);
      person.doing = { handling: h, ...next };
      person.busyUntil = t + minutes * 60_000;
      person.busyMs += minutes * 60_000;
      return;
    }
  }

  private async finish(person: Person, t: number): Promise<void> {
    const { handling: h, orderId, taskId } = person.doing!;
    person.doing = undefined;
    person.handled++;
    let answer: Answer;
    if (taskId !== undefined && 'task' in h) {
      const body: Record<string, unknown> = {};
      if (h.fixLines && this.s.lines) {
        const order = await this.api('GET', `/api/orders/${orderId}`);
        const table = new Map(
          (this.rows.get(h.fixLines.dataset) ?? []).map((r) => [r[h.fixLines!.key], r]),
        );
        const lines = (order.body.data[this.s.lines.path] as Row[]).map((line) => ({
          ...line,
          [h.fixLines!.field]:
            table.get(line[h.fixLines!.key])?.[h.fixLines!.column] ?? line[h.fixLines!.field],
        }));
        body.patch = { [this.s.lines.path]: lines };
      }
      if (h.event) body.event = h.event;
      answer = await this.api('POST', `/api/tasks/${taskId}/resolve`, body, person.key);
      this.taken.delete(`task:${taskId}`);
    } else if ('system' in h) {
      answer = await this.inSystem(h.system, this.refs.get(orderId) ?? orderId, t);
      this.taken.delete(`order:${orderId}`);
    } else {
      answer = await this.api(
        'POST',
        `/api/orders/${orderId}/events`,
        { type: h.event },
        person.key,
      );
      this.taken.delete(`order:${orderId}`);
      if (answer.status === 422 && 'state' in h) this.refusedIn.set(orderId, h.state);
    }
    if (answer.status >= 300) {
      const what =
        'task' in h
          ? `task ${h.task.queue}`
          : 'system' in h
            ? `${h.state} → ${h.system.name} ${h.system.path}`
            : `${h.state} → ${h.event}`;
      this.failedActions.set(what, (this.failedActions.get(what) ?? 0) + 1);
    }
  }

  /** What a person does in another system, which tells Ordo itself (a webhook) or is polled. */
  private async inSystem(action: SystemAction, ref: string, t: number): Promise<Answer> {
    const fill = (v: unknown) =>
      v === '{at}' ? Math.floor(t / 1000) : typeof v === 'string' ? v.replaceAll('{ref}', ref) : v;
    const body = Object.fromEntries(
      Object.entries(action.body ?? {}).map(([k, v]) => [k, fill(v)]),
    );
    const response = await fetch(
      `${this.urls[action.name as SystemName]}${fill(action.path) as string}`,
      {
        method: action.method ?? 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    const text = await response.text();
    // A system that relays to Ordo answers Ordo's status inside its own answer.
    const relayed = text ? (JSON.parse(text) as { status?: unknown }) : undefined;
    const status =
      response.ok && typeof relayed?.status === 'number' ? relayed.status : response.status;
    return { status, body: relayed };
  }

  /** How much work waits, per handling (open tasks, orders in the state). */
  async sampleQueues(): Promise<void> {
    const seen = new Set<string>();
    for (const people of Object.values(this.s.people))
      for (const h of people.handles) {
        const name = 'task' in h ? `queue ${h.task.queue}` : `state ${h.state}`;
        if (seen.has(name)) continue;
        seen.add(name);
        const waiting = (await this.candidates(h)).length;
        const samples = this.queueSamples.get(name) ?? [];
        samples.push(waiting);
        this.queueSamples.set(name, samples);
      }
  }
}
