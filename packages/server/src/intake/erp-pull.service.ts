import { Inject, Injectable } from '@nestjs/common';
import { runAction, SafeHttpClient } from '@ordo/connectors';
import { addDuration, type CompiledFlow, type PullTrigger, systemActor } from '@ordo/engine';
import { earliest, ScheduledPoller } from '../background/scheduled-poller';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { CredentialsService } from '../credentials/credentials.service';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { LeaseLostError, logLeaseLost } from '../database/lease';
import { FlowCache } from '../flows/flow-cache';
import { FlowsRepository } from '../flows/flows.repository';
import { DispatcherOptions } from '../runtime/effect-dispatcher';
import { describeError, durationMs } from '../runtime/effect-support';
import { RuntimeClock } from '../runtime/runtime-clock';
import type { ScheduleLease } from '../systems/flow-schedules';
import { pointerGet } from '../systems/reconciliation.service';
import { IntakeService } from './intake.service';
import { groupedRecords } from './pull-records';
import { tableToRows, unsafeTargets } from './table-rows';
import { runtimeLog } from '../logging/runtime-log';

const log = runtimeLog('erp-pull');

/** The outcome of one pull run, as recorded in `intake_pulls`. */
export interface PullOutcome {
  outcome: 'ok' | 'failed';
  pages: number;
  taken: number;
  refused: number;
  cursor: string | null;
  message: string;
}

/**
 * ERP pulls (`triggers[].pull`): every `every`, one process (under a lease, FlowSchedules) reads
 * the other system's new orders page by page from the cursor it keeps, maps each page like an
 * import and writes its orders and the page's cursor in ONE transaction — fenced by the lease:
 * a run that lost its lease writes nothing. A reference already stored is refused, so an order
 * is never taken twice, even after a crash between pages. A page that cannot be read (HTTP
 * error, not JSON, no `items` list, a host outside the credential's hosts) ends the run, is
 * recorded as its outcome, and the cursor stays where it was.
 */
@Injectable()
export class ErpPullService extends ScheduledPoller {
  protected readonly name = 'ERP pull';

  constructor(
    clock: RuntimeClock,
    options: DispatcherOptions,
    @Inject(DB) private readonly db: Db,
    private readonly flowsRepo: FlowsRepository,
    private readonly flows: FlowCache,
    private readonly registry: ConnectorRegistry,
    private readonly credentials: CredentialsService,
    private readonly http: SafeHttpClient,
    private readonly intake: IntakeService,
  ) {
    super(clock, options, db);
  }

  protected async work(now: string): Promise<string | undefined> {
    let next: string | undefined;
    for (const record of await this.flowsRepo.list()) {
      if (record.latestVersion === null) continue;
      const flow = await this.flows.get(record.key, record.latestVersion);
      for (const trigger of flow.doc.triggers ?? []) {
        if (!('pull' in trigger)) continue;
        const key = pullKey(record.key, trigger.id);
        const due = await this.runDue(key, now, addDuration(now, trigger.pull.every), (held) =>
          this.pull(flow, trigger, held),
        );
        next = earliest(next, due);
      }
    }
    return next;
  }

  /** The cursor and last outcome of each pull of a flow. */
  async state(flowKey: string) {
    const rows = await this.db.query('SELECT * FROM intake_pulls WHERE key LIKE ?', [
      `${pullKey(flowKey, '')}%`,
    ]);
    return rows.map((r) => ({
      trigger: (r.key as string).slice(pullKey(flowKey, '').length),
      cursor: r.cursor as string | null,
      taken: Number(r.taken),
      outcome: r.outcome as string | null,
      message: r.message as string | null,
      runAt: r.run_at as string | null,
    }));
  }

  /** One claimed run: pages until the last one (or `maxPages`), each page in its own transaction. */
  async pull(flow: CompiledFlow, trigger: PullTrigger, held: ScheduleLease): Promise<PullOutcome> {
    const key = held.key;
    const spec = trigger.pull;
    await this.db.run(
      'INSERT INTO intake_pulls (key, taken) VALUES (?, 0) ON CONFLICT (key) DO NOTHING',
      [key],
    );
    const [row] = await this.db.query<{ cursor: string | null }>(
      'SELECT cursor FROM intake_pulls WHERE key = ?',
      [key],
    );
    const result: PullOutcome = {
      outcome: 'ok',
      pages: 0,
      taken: 0,
      refused: 0,
      cursor: row.cursor,
      message: '',
    };
    const problems: string[] = [];
    try {
      const unsafe = unsafeTargets(Object.keys(spec.mapping), spec.mapping);
      if (unsafe.length) throw new Error(unsafe.map((p) => p.message).join('; '));
      for (let page = 1; page <= (spec.maxPages ?? 100); page++) {
        if (!(await this.schedules.renew(held, this.leaseEnd())))
          throw new LeaseLostError(`Pull ${key}`);
        const body = await this.fetchPage(flow, spec, result.cursor);
        const items = pointerGet(body, spec.items ?? '/items');
        if (
          !Array.isArray(items) ||
          items.some((i) => !i || typeof i !== 'object' || Array.isArray(i))
        )
          throw new Error(`page ${page}: ${spec.items ?? '/items'} is not a list of records`);
        const raw = pointerGet(body, spec.next ?? '/next');
        const next = raw === undefined || raw === null ? result.cursor : String(raw);
        const table = groupedRecords(
          items as Record<string, unknown>[],
          spec.mapping,
          result.taken + result.refused,
        );
        const answer = await this.intake.import(
          flow.doc.key,
          tableToRows(table, flow.doc.fields, spec.mapping),
          {
            mode: 'valid',
            channel: spec.channel ?? 'erp',
            source: { kind: 'pull', id: trigger.id, page },
            // The cursor moves with the orders of its page, and only while the lease holds.
            keyed: async (tx) => {
              const fenced = await tx.run(
                'UPDATE flow_schedules SET locked_until = ? WHERE key = ? AND lease_token = ?',
                [this.leaseEnd(), key, held.lease],
              );
              if (fenced !== 1) throw new LeaseLostError(`Pull ${key}`);
              await tx.run('UPDATE intake_pulls SET cursor = ? WHERE key = ?', [next, key]);
            },
          },
          systemActor(`pull:${trigger.id}`),
          { columns: table.columns, mapping: spec.mapping },
        );
        result.pages = page;
        result.taken += answer.imported;
        const fresh = answer.refused.filter((r) => r.code !== 'duplicate_external_ref');
        result.refused += fresh.length;
        problems.push(
          ...fresh
            .slice(0, 5)
            .map(
              (r) => `record ${r.line} of this run${r.column ? `, ${r.column}` : ''}: ${r.message}`,
            ),
        );
        result.cursor = next;
        if (!items.length || next === null || raw === undefined || raw === null) break;
      }
    } catch (error) {
      if (error instanceof LeaseLostError) {
        logLeaseLost(error.message);
        return { ...result, outcome: 'failed', message: error.message };
      }
      result.outcome = 'failed';
      problems.unshift(describeError(error));
    }
    result.message =
      problems.join('; ') || `${result.taken} order(s) taken from ${result.pages} page(s)`;
    await this.schedules.finish(held, (tx) =>
      tx.run(
        'UPDATE intake_pulls SET taken = taken + ?, outcome = ?, message = ?, run_at = ? WHERE key = ?',
        [
          result.taken,
          result.outcome,
          result.message,
          new Date(this.clock.now()).toISOString(),
          key,
        ],
      ),
    );
    if (result.outcome === 'failed') log.warn(`Pull ${key}: ${result.message}`);
    return result;
  }

  /** Runs a flow's pull now (an operator's "pull now"; tests), if no other process runs it. */
  async runNow(flowKey: string, triggerId: string): Promise<PullOutcome | undefined> {
    const flow = await this.flows.latest(flowKey);
    const trigger = (flow.doc.triggers ?? []).find(
      (t): t is PullTrigger => t.id === triggerId && 'pull' in t,
    );
    if (!trigger) throw new Error(`Flow "${flowKey}" has no pull trigger "${triggerId}"`);
    const held = await this.claimNow(pullKey(flowKey, triggerId), (now) =>
      addDuration(now, trigger.pull.every),
    );
    return held && this.pull(flow, trigger, held);
  }

  /** One page of the other system: through the flow's connector, its SSRF guard and credential hosts. */
  private async fetchPage(flow: CompiledFlow, spec: PullTrigger['pull'], cursor: string | null) {
    const instance = flow.doc.connectors?.[spec.connector];
    const connector = instance && this.registry.get(instance.type);
    if (!instance || !connector)
      throw new Error(`"${spec.connector}" is not an installed connector instance of the flow`);
    const output = (await runAction(connector, 'request', {
      input: {
        path: spec.path,
        query: { ...spec.query, ...(cursor !== null && { [spec.cursorParam ?? 'since']: cursor }) },
      },
      settings: instance.settings,
      ...(await this.credentials.forCall(instance.credential)),
      http: this.http,
      idempotencyKey: `pull:${flow.doc.key}:${spec.path}:${cursor ?? ''}`,
      timeoutMs: durationMs(instance.timeout),
    })) as { body?: unknown };
    return output.body;
  }
}

/** The schedule and cursor key of a flow's pull. */
const pullKey = (flowKey: string, triggerId: string) => `pull:${flowKey}:${triggerId}`;
