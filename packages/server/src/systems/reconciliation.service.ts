import { Inject, Injectable } from '@nestjs/common';
import { connectorLog } from '../logging/connector-log';
import { runAction, SafeHttpClient } from '@ordo/connectors';
import {
  addDuration,
  callInput,
  type CompiledFlow,
  inboundStatus,
  ownValue,
  systemActor,
} from '@ordo/engine';
import { earliest, ScheduledPoller } from '../background/scheduled-poller';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { CredentialsService } from '../credentials/credentials.service';
import { DB } from '../database/database.module';
import type { Db, SqlExecutor } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { FlowsRepository } from '../flows/flows.repository';
import { orderFrom, type StoredOrder } from '../orders/orders.repository';
import { problems } from '../problems/api-problem';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError, durationMs } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';
import { ExceptionRouter } from '../exceptions/exception-router';
import { driftSource, repairDrift, type RepairOutcome, settleRefusals } from './drift-repair';
import type { ScheduleLease } from './flow-schedules';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('reconciliation');

/** One order on which a system disagrees with us. */
export interface Drift {
  orderId: string;
  externalRef: string | null;
  state: string;
  /** The system's code, and the state it maps to (null: a code the flow does not map). */
  code: string | null;
  theirState: string | null;
  /** With `read.repair`: what the reconciliation did about it (drift-repair.ts). */
  repair?: RepairOutcome;
  /** Why a repair was refused or failed. */
  repairError?: string;
  /** The `drift_refused` exception a refusal raised. */
  exceptionId?: number;
}

export interface ReconciliationReport {
  id: number;
  flow: string;
  system: string;
  checked: number;
  drifted: number;
  failed: number;
  /** Drifted orders whose status was pushed to the system again (`read.repair`). */
  repaired: number;
  /** Drifted orders whose push the system refused: each a `drift_refused` exception. */
  refused: number;
  /** drifted / checked (0 when nothing was checked). */
  disagreementRate: number;
  /** (drifted − repaired) / checked: the disagreement the run left. */
  unrepairedRate: number;
  drift: Drift[];
  startedAt: string;
  finishedAt: string;
}

/** Drifting orders kept per report (the counts are always whole). */
const MAX_DRIFT = 1000;
const PAGE = 500;
const PARALLEL = 8;

/** The value at a JSON pointer, through own properties only. */
export const pointerGet = (value: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, key) => (typeof at === 'object' ? ownValue(at, key) : undefined), value);

/** The counts and rates of a report row (without its drift list). */
const ratesFrom = (r: Record<string, unknown>) => {
  const checked = Number(r.checked);
  const drifted = Number(r.drifted);
  const repaired = Number(r.repaired);
  return {
    id: Number(r.id),
    system: r.system as string,
    checked,
    drifted,
    failed: Number(r.failed),
    repaired,
    refused: Number(r.refused),
    disagreementRate: checked ? drifted / checked : 0,
    unrepairedRate: checked ? (drifted - repaired) / checked : 0,
    finishedAt: r.finished_at as string,
  };
};

/** One point of the disagreement series (`GET …/reconciliations/rates`). */
export type ReconciliationRate = ReturnType<typeof ratesFrom>;

const reportFrom = (r: Record<string, unknown>): ReconciliationReport => {
  return {
    ...ratesFrom(r),
    flow: r.flow_key as string,
    drift: JSON.parse(r.drift as string),
    startedAt: r.started_at as string,
    finishedAt: r.finished_at as string,
  };
};

/**
 * The status translator's reconciliation: asks an external system (its `read` call) for its
 * view of each open order and reports the orders whose status disagrees with ours, with the
 * disagreement rate; with `read.repair`, tells the system our status again for each of them
 * (a refusal is a `drift_refused` exception). Runs on demand and every `read.every`; a scheduled run is taken by one
 * process only, under a lease (FlowSchedules) renewed while it runs: its report is written only
 * while it still holds the lease.
 */
@Injectable()
export class ReconciliationService extends ScheduledPoller {
  protected readonly name = 'Reconciliation';

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    @Inject(DB) private readonly db: Db,
    private readonly flowsRepo: FlowsRepository,
    private readonly flows: FlowCache,
    private readonly registry: ConnectorRegistry,
    private readonly credentials: CredentialsService,
    private readonly http: SafeHttpClient,
    private readonly exceptions: ExceptionRouter,
  ) {
    super(clock, options, db);
  }

  private iso() {
    return new Date(this.clock.now()).toISOString();
  }

  /** Runs the scheduled reconciliations that are due (each by one process). */
  protected async work(now: string): Promise<string | undefined> {
    let next: string | undefined;
    for (const record of await this.flowsRepo.list()) {
      if (record.latestVersion === null) continue;
      const flow = await this.flows.get(record.key, record.latestVersion);
      for (const [system, def] of Object.entries(flow.doc.systems ?? {})) {
        if (!def.read?.every) continue;
        const key = `reconcile:${record.key}:${system}`;
        // A system is first read one period after it is seen (not at every start).
        const following = addDuration(now, def.read.every);
        const due = await this.runDue(
          key,
          now,
          following,
          (held) => this.runScheduled(flow, system, held),
          following,
        );
        next = earliest(next, due);
      }
    }
    return next;
  }

  /** Reconciles one system (or every system with a `read`) of a flow's latest version now. */
  async run(flowKey: string, system?: string): Promise<ReconciliationReport[]> {
    const flow = await this.flows.latest(flowKey);
    const systems = Object.entries(flow.doc.systems ?? {}).filter(
      ([name, def]) => def.read && (system === undefined || name === system),
    );
    if (!systems.length)
      throw problems.unprocessable(
        'nothing_to_reconcile',
        system === undefined
          ? `Flow "${flowKey}" has no system with a "read" call`
          : `Flow "${flowKey}" has no system "${system}" with a "read" call`,
      );
    const reports: ReconciliationReport[] = [];
    for (const [name] of systems) reports.push((await this.reconcile(flow, name))!);
    return reports;
  }

  /**
   * One scheduled run this process has claimed: renews the lease while it runs, and writes the
   * report only while it still holds it (else nothing; logged). Undefined when the lease was lost.
   */
  async runScheduled(
    flow: CompiledFlow,
    system: string,
    held: ScheduleLease,
  ): Promise<ReconciliationReport | undefined> {
    const renewer = setInterval(() => {
      this.schedules
        .renew(held, this.leaseEnd())
        .catch((error) => log.warn(`Reconciliation ${held.key}: ${describeError(error)}`));
    }, this.leaseMs / 3);
    renewer.unref();
    try {
      return await this.reconcile(flow, system, (write) => this.schedules.finish(held, write));
    } finally {
      clearInterval(renewer);
    }
  }

  async list(flowKey: string, system: string | undefined, limit: number) {
    const rows = await this.db.query(
      `SELECT * FROM reconciliations WHERE flow_key = ? ${system ? 'AND system = ?' : ''} ORDER BY id DESC LIMIT ?`,
      [flowKey, ...(system ? [system] : []), limit],
    );
    return rows.map(reportFrom);
  }

  /**
   * The disagreement rate over time: the counts and rates of the latest `limit` reports (of
   * one system, or all), oldest first, optionally only those finished at or after `since`.
   */
  async rates(
    flowKey: string,
    filter: { system?: string; since?: string; until?: string; limit: number },
  ): Promise<ReconciliationRate[]> {
    const where = ['flow_key = ?'];
    const params: unknown[] = [flowKey];
    if (filter.system !== undefined) {
      where.push('system = ?');
      params.push(filter.system);
    }
    if (filter.since !== undefined) {
      where.push('finished_at >= ?');
      params.push(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('finished_at < ?');
      params.push(filter.until);
    }
    const rows = await this.db.query(
      `SELECT id, system, checked, drifted, failed, repaired, refused, finished_at FROM reconciliations
       WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [...params, filter.limit],
    );
    return rows.map(ratesFrom).reverse();
  }

  private async reconcile(
    flow: CompiledFlow,
    system: string,
    /** How the report is committed (a scheduled run: with the end of its lease). */
    commit: <T>(write: (tx: SqlExecutor) => Promise<T>) => Promise<T | undefined> = (write) =>
      write(this.db),
  ): Promise<ReconciliationReport | undefined> {
    const startedAt = this.iso();
    const read = flow.doc.systems![system].read!;
    const instance = flow.doc.connectors?.[read.call.connector];
    const connector = instance && this.registry.get(instance.type);
    if (!instance || !connector)
      throw problems.unprocessable(
        'connector_missing',
        `System "${system}" reads through "${read.call.connector}", which is not an installed connector instance of the flow`,
      );
    const credential = await this.credentials.forCall(instance.credential);
    const finals = flow.doc.states.filter((s) => s.final).map((s) => s.id);
    const drift: Drift[] = [];
    let [checked, drifted, failed, repaired, refused] = [0, 0, 0, 0, 0];
    const repairDeps = {
      registry: this.registry,
      credentials: this.credentials,
      http: this.http,
      exceptions: this.exceptions,
    };
    // Orders whose earlier repair the system refused: settled once it agrees again.
    const refusedBefore = await this.exceptions.openOrders(
      flow.doc.key,
      'drift_refused',
      driftSource(flow.doc.key, system),
    );
    const settleRefused = (order: StoredOrder, how: 'repaired' | 'agrees') =>
      refusedBefore.has(order.id)
        ? settleRefusals(this.exceptions, flow.doc.key, system, order.id, how, startedAt)
        : undefined;
    const check = async (order: StoredOrder) => {
      try {
        const output = await runAction(connector, read.call.action, {
          input: callInput(read.call, order, {
            now: startedAt,
            actor: systemActor('reconciliation'),
          }),
          settings: instance.settings,
          ...credential,
          http: this.http,
          idempotencyKey: `reconcile:${system}:${order.id}:${startedAt}`,
          timeoutMs: durationMs(instance.timeout),
          log: connectorLog(connector.id, read.call.action, `reconcile:${system}:${order.id}`),
        });
        const raw = pointerGet(output, read.status);
        const code = raw === undefined || raw === null ? null : String(raw);
        const theirState =
          code === null ? null : (inboundStatus(flow.doc, system, code)?.state ?? null);
        checked++;
        if (theirState !== order.state) {
          drifted++;
          const repair = read.repair
            ? await repairDrift(repairDeps, flow, system, order, startedAt)
            : undefined;
          if (repair?.outcome === 'repaired') {
            repaired++;
            await settleRefused(order, 'repaired');
          }
          if (repair?.outcome === 'refused') refused++;
          if (drift.length < MAX_DRIFT)
            drift.push({
              orderId: order.id,
              externalRef: order.externalRef,
              state: order.state,
              code,
              theirState,
              ...(repair && { repair: repair.outcome }),
              ...(repair?.error !== undefined && { repairError: repair.error }),
              ...(repair?.exceptionId !== undefined && { exceptionId: repair.exceptionId }),
            });
        } else await settleRefused(order, 'agrees');
      } catch (error) {
        failed++;
        if (failed === 1)
          log.warn(`Reconciliation ${flow.doc.key}/${system}: ${describeError(error)}`);
      }
    };
    for (let after = ''; ;) {
      const rows = await this.db.query(
        `SELECT * FROM orders WHERE flow_key = ? AND id > ?
         ${finals.length ? `AND state NOT IN (${finals.map(() => '?').join(', ')})` : ''}
         ORDER BY id LIMIT ?`,
        [flow.doc.key, after, ...finals, PAGE],
      );
      const orders = rows.map(orderFrom);
      for (let i = 0; i < orders.length; i += PARALLEL)
        await Promise.all(orders.slice(i, i + PARALLEL).map(check));
      if (orders.length < PAGE) break;
      after = orders[orders.length - 1].id;
    }
    const finishedAt = this.iso();
    return commit(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO reconciliations (flow_key, system, checked, drifted, failed, repaired, refused, drift, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [
          flow.doc.key,
          system,
          checked,
          drifted,
          failed,
          repaired,
          refused,
          JSON.stringify(drift),
          startedAt,
          finishedAt,
        ],
      );
      return reportFrom(row);
    });
  }
}
