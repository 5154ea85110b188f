import { Inject, Injectable } from '@nestjs/common';
import { runAction, SafeHttpClient } from '@ordo/connectors';
import { addDuration, callInput, type CompiledFlow, inboundStatus, ownValue } from '@ordo/engine';
import { Poller } from '../background/poller';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { CredentialsService } from '../credentials/credentials.service';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { FlowsRepository } from '../flows/flows.repository';
import { orderFrom, type StoredOrder } from '../orders/orders.repository';
import { problems } from '../problems/api-problem';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError, durationMs } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';

/** One order on which a system disagrees with us. */
export interface Drift {
  orderId: string;
  externalRef: string | null;
  state: string;
  /** The system's code, and the state it maps to (null: a code the flow does not map). */
  code: string | null;
  theirState: string | null;
}

export interface ReconciliationReport {
  id: number;
  flow: string;
  system: string;
  checked: number;
  drifted: number;
  failed: number;
  /** drifted / checked (0 when nothing was checked). */
  disagreementRate: number;
  drift: Drift[];
  startedAt: string;
  finishedAt: string;
}

/** Drifting orders kept per report (the counts are always whole). */
const MAX_DRIFT = 1000;
const PAGE = 500;
const PARALLEL = 8;

const pointerGet = (value: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, key) => (typeof at === 'object' ? ownValue(at, key) : undefined), value);

const reportFrom = (r: Record<string, unknown>): ReconciliationReport => {
  const checked = Number(r.checked);
  const drifted = Number(r.drifted);
  return {
    id: Number(r.id),
    flow: r.flow_key as string,
    system: r.system as string,
    checked,
    drifted,
    failed: Number(r.failed),
    disagreementRate: checked ? drifted / checked : 0,
    drift: JSON.parse(r.drift as string),
    startedAt: r.started_at as string,
    finishedAt: r.finished_at as string,
  };
};

/**
 * The status translator's reconciliation: asks an external system (its `read` call) for its
 * view of each open order and reports the orders whose status disagrees with ours, with the
 * disagreement rate. Runs on demand and every `read.every`; a run is taken by one process
 * only (compare-and-set on the schedule's next run time).
 */
@Injectable()
export class ReconciliationService extends Poller {
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
  ) {
    super(clock, options.pollMs * 30, options.enabled);
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
        await this.db.run(
          'INSERT INTO flow_schedules (key, next_run_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
          [key, addDuration(now, def.read.every)],
        );
        const [row] = await this.db.query<{ next_run_at: string }>(
          'SELECT next_run_at FROM flow_schedules WHERE key = ?',
          [key],
        );
        let due = row.next_run_at;
        if (due <= now) {
          const following = addDuration(now, def.read.every);
          const won = await this.db.run(
            'UPDATE flow_schedules SET next_run_at = ? WHERE key = ? AND next_run_at = ?',
            [following, key, due],
          );
          if (won === 1) await this.reconcile(flow, system);
          due = following;
        }
        if (!next || due < next) next = due;
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
    for (const [name] of systems) reports.push(await this.reconcile(flow, name));
    return reports;
  }

  async list(flowKey: string, system: string | undefined, limit: number) {
    const rows = await this.db.query(
      `SELECT * FROM reconciliations WHERE flow_key = ? ${system ? 'AND system = ?' : ''} ORDER BY id DESC LIMIT ?`,
      [flowKey, ...(system ? [system] : []), limit],
    );
    return rows.map(reportFrom);
  }

  private async reconcile(flow: CompiledFlow, system: string): Promise<ReconciliationReport> {
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
    let [checked, drifted, failed] = [0, 0, 0];
    const check = async (order: StoredOrder) => {
      try {
        const output = await runAction(connector, read.call.action, {
          input: callInput(read.call, order, {
            now: startedAt,
            actor: { id: 'reconciliation', roles: ['system'] },
          }),
          settings: instance.settings,
          ...credential,
          http: this.http,
          idempotencyKey: `reconcile:${system}:${order.id}:${startedAt}`,
          timeoutMs: durationMs(instance.timeout),
        });
        const raw = pointerGet(output, read.status);
        const code = raw === undefined || raw === null ? null : String(raw);
        const theirState =
          code === null ? null : (inboundStatus(flow.doc, system, code)?.state ?? null);
        checked++;
        if (theirState !== order.state) {
          drifted++;
          if (drift.length < MAX_DRIFT)
            drift.push({
              orderId: order.id,
              externalRef: order.externalRef,
              state: order.state,
              code,
              theirState,
            });
        }
      } catch (error) {
        failed++;
        if (failed === 1)
          console.warn(`Reconciliation ${flow.doc.key}/${system}: ${describeError(error)}`);
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
    const [row] = await this.db.query(
      `INSERT INTO reconciliations (flow_key, system, checked, drifted, failed, drift, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        flow.doc.key,
        system,
        checked,
        drifted,
        failed,
        JSON.stringify(drift),
        startedAt,
        this.iso(),
      ],
    );
    return reportFrom(row);
  }
}
