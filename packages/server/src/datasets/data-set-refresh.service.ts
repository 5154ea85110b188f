import { Inject, Injectable } from '@nestjs/common';
import { runAction, SafeHttpClient } from '@ordo/connectors';
import { type Actor, cronProblem, jsonPointer, nextTick, systemActor } from '@ordo/engine';
import { earliest, ScheduledPoller } from '../background/scheduled-poller';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { CredentialsService } from '../credentials/credentials.service';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { LeaseLostError, logLeaseLost } from '../database/lease';
import { FlowCache } from '../flows/flow-cache';
import { runtimeLog } from '../logging/runtime-log';
import { ApiProblem, type ProblemDetail, problems } from '../problems/api-problem';
import { validateBody } from '../problems/validate-body';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError, durationMs } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';
import type { ScheduleLease } from '../systems/flow-schedules';
import { pointerGet } from '../systems/reconciliation.service';
import { columnNameProblem } from './data-set-columns';
import { DataSetRefreshRepository, refreshScheduleKey } from './data-set-refresh.repository';
import { type DataSetRefresh, type RefreshRun, RefreshSpec } from './data-set-refresh.schema';
import { DATA_SET_KEY, DataSetsService } from './data-sets.service';

const log = runtimeLog('dataset-refresh');

/** Who writes a refreshed version. */
const REFRESH_ACTOR: Actor = systemActor('dataset-refresh');

/** The shortest interval between refreshes: another system is not to be hammered. */
const MIN_EVERY_MS = 60_000;

/** Per-row errors kept with a failed run (the first ones: enough to fix the source). */
const MAX_ERRORS = 50;

/**
 * Data sets refreshed on a schedule from another system (`PUT /api/datasets/:key/refresh`): at
 * each tick one process (under a lease on the `flow_schedules` row `dataset:<key>`) calls the
 * named connector action, takes the array at the `rows` pointer of its answer and uploads it as
 * the next version through the same checks as a file upload — fenced by the lease, so a run
 * that lost it writes nothing. A bad answer (a failed call, no list, a bad row) writes nothing;
 * the outcome of every run, its message and per-row errors, is kept and shown.
 */
@Injectable()
export class DataSetRefreshService extends ScheduledPoller {
  protected readonly name = 'Data set refresh';

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    @Inject(DB) db: Db,
    private readonly refreshes: DataSetRefreshRepository,
    private readonly flows: FlowCache,
    private readonly registry: ConnectorRegistry,
    private readonly credentials: CredentialsService,
    private readonly http: SafeHttpClient,
    private readonly dataSets: DataSetsService,
  ) {
    super(clock, options, db);
  }

  private now() {
    return new Date(this.clock.now()).toISOString();
  }

  /** A data set's refresh, or 404. */
  async get(key: string): Promise<DataSetRefresh> {
    const found = await this.refreshes.get(key);
    if (!found) throw problems.notFound('Refresh of data set', key);
    return found;
  }

  /** Checks and stores a refresh spec; its first run is due at once. */
  async configure(key: string, body: unknown, actor: Actor): Promise<DataSetRefresh> {
    if (!DATA_SET_KEY.test(key))
      throw problems.invalidParam(
        '/key',
        'a data set key is 1 to 64 of a-z, 0-9 and -, like sku-bins',
      );
    const spec = validateBody(RefreshSpec, body);
    const errors = await this.specProblems(spec);
    if (errors.length) throw problems.invalidBody(errors);
    const now = this.now();
    await this.refreshes.put(key, spec, actor.id, now, now);
    this.wake();
    return this.get(key);
  }

  async remove(key: string): Promise<void> {
    if (!(await this.refreshes.delete(key))) throw problems.notFound('Refresh of data set', key);
  }

  /** What in a spec cannot work: the schedule, the flow, its connector instance, the action. */
  private async specProblems(spec: RefreshSpec): Promise<ProblemDetail[]> {
    const errors: ProblemDetail[] = [];
    if ((spec.every === undefined) === (spec.cron === undefined))
      errors.push({
        path: '/every',
        code: 'schedule_interval',
        message: 'give exactly one of "every" (PT1H) and "cron" (0 6 * * *)',
      });
    else if (spec.every !== undefined && (durationMs(spec.every) ?? 0) < MIN_EVERY_MS)
      errors.push({ path: '/every', code: 'too_often', message: 'refresh at most once a minute' });
    else if (spec.cron !== undefined) {
      const problem = cronProblem(spec.cron);
      if (problem) errors.push({ path: '/cron', code: 'invalid_cron', message: problem });
    }
    let flow;
    try {
      flow = await this.flows.latest(spec.flow);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      errors.push({ path: '/flow', code: error.code, message: error.detail });
      return errors;
    }
    const instance = flow.doc.connectors?.[spec.connector];
    const connector = instance && this.registry.get(instance.type);
    if (!instance)
      errors.push({
        path: '/connector',
        code: 'unknown_connector',
        message: `flow "${spec.flow}" has no connector instance "${spec.connector}" (it has: ${Object.keys(flow.doc.connectors ?? {}).join(', ') || 'none'})`,
      });
    else if (!connector)
      errors.push({
        path: '/connector',
        code: 'unknown_connector_type',
        message: `the connector type "${instance.type}" is not installed`,
      });
    else if (!Object.hasOwn(connector.actions, spec.action ?? 'request'))
      errors.push({
        path: '/action',
        code: 'unknown_action',
        message: `the connector "${instance.type}" has no action "${spec.action ?? 'request'}" (it has: ${Object.keys(connector.actions).join(', ')})`,
      });
    errors.push(...renameProblems(spec.rename));
    return errors;
  }

  protected async work(now: string): Promise<string | undefined> {
    let next: string | undefined;
    for (const refresh of await this.refreshes.list()) {
      const key = refreshScheduleKey(refresh.dataSet);
      const due = await this.runDue(key, now, nextTick(refresh.spec, now), (held) =>
        this.run(refresh.dataSet, refresh.spec, held),
      );
      next = earliest(next, due);
    }
    return next;
  }

  /** Runs a refresh now (the API's "refresh now"), unless another process is running it. */
  async runNow(key: string): Promise<RefreshRun> {
    const refresh = await this.get(key);
    const held = await this.claimNow(refreshScheduleKey(key), (now) => nextTick(refresh.spec, now));
    if (!held)
      throw problems.conflict(
        'refresh_running',
        `Data set "${key}" is being refreshed by another process: look at its refresh in a moment`,
      );
    return this.run(key, refresh.spec, held);
  }

  /** One claimed run: call, take the rows, upload them under the lease, record the outcome. */
  private async run(key: string, spec: RefreshSpec, held: ScheduleLease): Promise<RefreshRun> {
    const action = spec.action ?? 'request';
    let run: Omit<RefreshRun, 'at'>;
    try {
      const output = await this.call(spec, action, key);
      const rows = pointerGet(output, spec.rows);
      if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== 'object' || Array.isArray(r)))
        throw new Error(`the answer's ${spec.rows || '(root)'} is not a list of row objects`);
      if (!rows.length)
        throw new Error(
          `the answer's ${spec.rows || '(root)'} is empty: the current version is kept`,
        );
      if (!(await this.schedules.renew(held, this.leaseEnd())))
        throw new LeaseLostError(`Refresh of ${key}`);
      const answer = await this.dataSets.put(
        key,
        {
          format: 'json',
          content: JSON.stringify(spec.rename ? renamed(rows, spec.rename) : rows),
          keyColumn: spec.keyColumn,
          columns: spec.columns,
          title: spec.title,
          source: `refresh: ${spec.flow}/${spec.connector}.${action}`,
        },
        REFRESH_ACTOR,
        {
          fence: async (tx) => {
            const fenced = await tx.run(
              'UPDATE flow_schedules SET locked_until = ? WHERE key = ? AND lease_token = ?',
              [this.leaseEnd(), held.key, held.lease],
            );
            if (fenced !== 1) throw new LeaseLostError(`Refresh of ${key}`);
          },
        },
      );
      const { added, changed, removed } = answer.diff;
      run = answer.written
        ? {
            outcome: 'ok',
            version: answer.dataset.version,
            message: `version ${answer.dataset.version}: ${added} added, ${changed} changed, ${removed} removed`,
            errors: [],
          }
        : {
            outcome: 'ok',
            version: null,
            message: `unchanged: the answer holds the rows of version ${answer.dataset.version}`,
            errors: [],
          };
    } catch (error) {
      if (error instanceof LeaseLostError) {
        logLeaseLost(error.message);
        return {
          at: this.now(),
          outcome: 'failed',
          message: error.message,
          version: null,
          errors: [],
        };
      }
      const rowErrors =
        error instanceof ApiProblem && Array.isArray(error.extra.errors) ? error.extra.errors : [];
      run = {
        outcome: 'failed',
        version: null,
        message:
          error instanceof ApiProblem
            ? `${error.detail}`
            : `${describeError(error)}; nothing was written`,
        errors: rowErrors.slice(0, MAX_ERRORS),
      };
    }
    const recorded: RefreshRun = { at: this.now(), ...run };
    await this.schedules.finish(held, (tx) => this.refreshes.record(tx, key, recorded));
    if (recorded.outcome === 'failed') log.warn(`Refresh of data set ${key}: ${recorded.message}`);
    return recorded;
  }

  /** The connector action, through the flow's instance, its SSRF guard and credential hosts. */
  private async call(spec: RefreshSpec, action: string, key: string): Promise<unknown> {
    const flow = await this.flows.latest(spec.flow);
    const instance = flow.doc.connectors?.[spec.connector];
    const connector = instance && this.registry.get(instance.type);
    if (!instance || !connector)
      throw new Error(
        `"${spec.connector}" is not an installed connector instance of flow "${spec.flow}"`,
      );
    return runAction(connector, action, {
      input: spec.input,
      settings: instance.settings,
      ...(await this.credentials.forCall(instance.credential)),
      http: this.http,
      idempotencyKey: `dataset-refresh:${key}:${this.now()}`,
      timeoutMs: durationMs(instance.timeout),
    });
  }
}

/** Why a `rename` cannot work: a target that is no column name, or two fields onto one column. */
function renameProblems(rename: Record<string, string> | undefined): ProblemDetail[] {
  const seen = new Set<string>();
  const errors: ProblemDetail[] = [];
  for (const [from, to] of Object.entries(rename ?? {})) {
    const problem = columnNameProblem(to, seen);
    if (problem)
      errors.push({
        path: jsonPointer(['rename', from]),
        code: 'invalid_rename',
        message: problem,
      });
    seen.add(to);
  }
  return errors;
}

/** Each row with its fields renamed (the others kept), as plain data without a prototype. */
function renamed(rows: Record<string, unknown>[], rename: Record<string, string>) {
  return rows.map((row) => {
    const out: Record<string, unknown> = Object.create(null);
    for (const [field, value] of Object.entries(row))
      out[Object.hasOwn(rename, field) ? rename[field] : field] = value;
    return out;
  });
}
