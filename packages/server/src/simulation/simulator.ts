import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeSystems } from '@ordo/fake-systems';
import { createApp, type OrdoApp } from '../app.factory';
import { DEFAULT_RATE_LIMIT, DEFAULT_TEMPLATES_DIR } from '../config/ordo-config';
import type { JsonSource } from '../cli/json-source';
import { JourneyRollup } from '../analytics/journey-rollup';
import { DB } from '../database/database.module';
import { EffectDispatcher } from '../runtime/effect-dispatcher';
import { TimerRunner } from '../timers/timer-runner';
import { TaskEscalator } from '../tasks/task-escalator';
import { WebhookSender } from '../webhooks/webhook-sender';
import { ReconciliationService } from '../systems/reconciliation.service';
import { DataSetRefreshService } from '../datasets/data-set-refresh.service';
import { ScheduledReports } from '../analytics/scheduled-reports';
import type { Poller } from '../background/poller';
import { hashText, rngFor } from './dice';
import { planOrders, startOf } from './order-maker';
import { DAY_MS, SimClock } from './sim-clock';
import { FAKE_ORDER, type FlowDoc, flowProblems } from './flow-check';
import { apiOf } from './sim-api';
import {
  deploy,
  hire,
  loadCalendar,
  loadRows,
  pointHooks,
  storeHookSecrets,
  subscribe,
  tickSystems,
} from './sim-setup';
import { ScenarioCalendar } from './sim-calendar';
import { Run } from './sim-run';
import { throwAwayDatabase } from './sim-database';
import type { Scenario } from './scenario.schema';
import { scenarioError } from './scenario-file';
import { dashboardOf, type SimulatedDashboard } from './sim-dashboard';
import { type SimulationResult, summarise } from './sim-report';

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
  /** Stops the run at the next step (a cancelled job): it throws, and cleans up first. */
  signal?: AbortSignal;
  /** Given the run's dashboard before its server goes (the server's jobs keep it). */
  onDashboard?: (dashboard: SimulatedDashboard) => void;
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
          invoiceMinutes: s.systems?.[name]?.invoiceMinutes ?? 0,
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
    await subscribe(api, s, fakes.urls);
    const rows = await loadRows(api, s);
    const calendar = s.calendar
      ? new ScenarioCalendar(s, await loadCalendar(api, s.calendar.dataset ?? flow.calendar!), days)
      : undefined;
    const planned = planOrders(s, input.seed, days, (key) => rows.get(key) ?? [], calendar);
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
    run.seed = input.seed;
    run.calendar = calendar;
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
      input.signal?.throwIfAborted();
      clock.set(t);
      await run.restock(t, stepMs, fakes.urls.wms);
      while (next < planned.length && planned[next].at <= t) await run.create(planned[next++]);
      await settle();
      await run.work(t, stepMs);
      await settle();
      if (s.subscriptions?.length) {
        await tickSystems(s, fakes.urls, t);
        await settle();
      }
      if ((t - start) % 3_600_000 === 0) await run.sampleQueues();
      const hour = Math.floor((t + stepMs - start) / 3_600_000);
      if (hour > Math.floor((t - start) / 3_600_000))
        input.onHour?.({ hour, hours: days * 24, orders: next });
      if ((t + stepMs - start) % DAY_MS === 0)
        input.onProgress?.({ day: (t + stepMs - start) / DAY_MS, days, orders: next });
    }
    clock.set(end);
    await settle();
    const result = await summarise({
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
      db: server.app.get(DB),
      calendar,
      pending: (ids) => server!.app.get(JourneyRollup).pending(ids),
    });
    input.onDashboard?.(await dashboardOf(api, flow.key, start, end));
    return result;
  } finally {
    // Each step on its own: a server that fails to close still drops its throw-away database.
    await Promise.allSettled([server?.close(), fakes.close()]);
    await db?.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scenario names states, events, queues and systems the flow must have. */
function checkAgainstFlow(input: SimulationInput, flow: FlowDoc): void {
  const problems = flowProblems(input.scenario, flow);
  if (problems.length) throw scenarioError(input.scenarioFile, problems, input.source);
}
