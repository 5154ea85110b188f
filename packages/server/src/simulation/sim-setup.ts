import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FAKE_WECOM_KEY, type SystemName } from '@ordo/fake-systems';
import { DEFAULT_TEMPLATES_DIR } from '../config/ordo-config';
import { FAKE_ORDER, type FlowDoc } from './flow-check';
import type { Row } from './order-maker';
import type { Scenario } from './scenario.schema';
import type { Api } from './sim-api';
import type { Person } from './sim-people';
import type { SimulationInput } from './simulator';

// Setting up a run's server: its flow deployed against this run's fake systems, the webhook
// secrets the fakes sign with, the data set rows the order plan reads, and the simulated people.

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
export async function storeHookSecrets(api: Api, s: Scenario, flow: FlowDoc) {
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

/**
 * A set-up request to a fake system (`/_test/…`). A system with a `failureRate` answers it 503
 * as often: asked again until it takes.
 */
export async function tellFake(url: string, body: unknown): Promise<unknown> {
  let answer: Response;
  for (let attempt = 1; ; attempt++) {
    answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status !== 503 || attempt === 50) break;
    await answer.arrayBuffer();
  }
  if (!answer.ok) throw new Error(`${url}: ${await answer.text()}`);
  return answer.json();
}

/** Each reporting fake system signs its webhooks to the flow's trigger. */
export async function pointHooks(
  s: Scenario,
  flowKey: string,
  url: string,
  urls: Record<SystemName, string>,
  secrets: Map<string, string>,
) {
  for (const hook of s.hooks ?? [])
    await tellFake(`${urls[hook.system as SystemName]}/_test/hook`, {
      url: `${url}/api/hooks/${flowKey}/${hook.trigger}`,
      secret: secrets.get(hook.trigger),
    });
}

/**
 * Subscribes the systems that answer the flow's events to them (`POST /api/webhooks`, as an
 * admin would for a real ERP) and gives each its subscription's secret to verify deliveries.
 */
export async function subscribe(api: Api, s: Scenario, urls: Record<SystemName, string>) {
  for (const sub of s.subscriptions ?? []) {
    const base = urls[sub.system as SystemName];
    const made = await api('POST', '/api/webhooks', { url: `${base}/events`, events: sub.events });
    if (made.status >= 300)
      throw new Error(`subscription of ${sub.system}: ${JSON.stringify(made.body)}`);
    await tellFake(`${base}/_test/subscription`, { secret: made.body.secret });
  }
}

/** The systems that answer events report what is due at `t` (the simulated clock). */
export async function tickSystems(s: Scenario, urls: Record<SystemName, string>, t: number) {
  for (const sub of s.subscriptions ?? [])
    await tellFake(`${urls[sub.system as SystemName]}/_test/tick`, { at: Math.floor(t / 1000) });
}

export async function deploy(
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
export async function loadRows(api: Api, s: Scenario): Promise<Map<string, Row[]>> {
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
  for (const key of [...wanted].sort())
    rows.set(
      key,
      (await readAll(api, key)).map((item) => item.values),
    );
  return rows;
}

/** The business calendar's rows by key (the calendar reads rows by key, not by column). */
export async function loadCalendar(api: Api, key: string): Promise<Map<string, Row>> {
  return new Map((await readAll(api, key)).map((item) => [item.key, item.values]));
}

/** Every row of a data set's current version, page by page. */
async function readAll(api: Api, key: string): Promise<{ key: string; values: Row }[]> {
  const all: { key: string; values: Row }[] = [];
  let cursor: string | null = null;
  do {
    const page = await api(
      'GET',
      `/api/datasets/${key}/rows?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`data set ${key}: ${JSON.stringify(page.body)}`);
    all.push(...(page.body.items as { key: string; values: Row }[]));
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

export async function hire(api: Api, s: Scenario): Promise<Person[]> {
  const people: Person[] = [];
  for (const [role, spec] of Object.entries(s.people))
    for (let i = 1; i <= spec.count; i++) {
      const name = `sim-${role}-${i}`;
      const made = await api('POST', '/api/keys', {
        name,
        roles: [...new Set([role, 'operator', ...(spec.roles ?? [])])],
      });
      if (made.status >= 300) throw new Error(`key for ${name}: ${JSON.stringify(made.body)}`);
      people.push({
        name,
        role,
        n: i,
        key: made.body.key,
        busyUntil: 0,
        busyMs: 0,
        shiftMs: 0,
        handled: 0,
      });
    }
  return people;
}
