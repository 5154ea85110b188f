import { Injectable } from '@nestjs/common';
import {
  canonicalJson,
  compileFlow,
  type HistoryEntry,
  replayHistory,
  validateFlow,
} from '@ordo/engine';
import { DataSetHistory } from '../datasets/data-set-history';
import { DataSetStore } from '../datasets/data-set-store';
import { DataSetsRepository } from '../datasets/data-sets.repository';
import { FlowsRepository } from '../flows/flows.repository';
import { problems } from '../problems/api-problem';
import { OrdersRepository, orderFrom } from './orders.repository';

/**
 * Before publishing: what the draft would have done with real orders. The most recent orders
 * of the flow are replayed from their history (creation data, updates, events, with their
 * actors and times) on the draft, and each outcome is compared with what really happened.
 */
@Injectable()
export class FlowReplayService {
  constructor(
    private readonly flows: FlowsRepository,
    private readonly orders: OrdersRepository,
    private readonly dataSets: DataSetStore,
    private readonly dataSetRows: DataSetsRepository,
  ) {}

  async replay(key: string, input: { limit?: number; version?: number }) {
    const flow = await this.flows.get(key);
    if (!flow) throw problems.notFound('Flow', key);
    let doc: unknown = flow.draft;
    if (input.version !== undefined) {
      const version = await this.flows.version(key, input.version);
      if (!version) throw problems.notFound('Flow version', `${key}@${input.version}`);
      doc = version.document;
    }
    const { ok, problems: found } = validateFlow(doc);
    if (!ok)
      throw problems.unprocessable(
        'invalid_flow',
        `The draft of "${key}" has errors: fix them to replay orders on it`,
        {
          errors: found.filter((p) => p.severity === 'error'),
        },
      );
    const compiled = compileFlow(doc);
    const rows = await this.orders.db.query(
      'SELECT * FROM orders WHERE flow_key = ? ORDER BY created_at DESC, id DESC LIMIT ?',
      [key, input.limit ?? 50],
    );
    const results = [];
    const sets = new DataSetHistory(this.dataSetRows, await this.dataSets.snapshot());
    for (const stored of rows.map(orderFrom)) {
      const history = (await this.orders.history(stored.id)) as HistoryEntry[];
      await sets.load(history);
      const outcome = replayHistory(compiled, history, stored.id, undefined, (entry) =>
        sets.at(entry),
      );
      if (!outcome.ok) {
        const { step, entry, error } = outcome.refused;
        results.push({
          orderId: stored.id,
          same: false,
          recorded: { state: stored.state },
          replayed: null,
          refused: {
            step,
            kind: entry.kind,
            event: entry.event,
            at: entry.at,
            code: error.code,
            message: error.message,
          },
        });
        continue;
      }
      const sameState = outcome.order.state === stored.state;
      const sameData = canonicalJson(outcome.order.data) === canonicalJson(stored.data);
      const parted = outcome.parted;
      results.push({
        orderId: stored.id,
        same: sameState && sameData,
        recorded: { state: stored.state },
        replayed: { state: outcome.order.state },
        ...(!sameData && { dataDiffers: true }),
        ...(parted && {
          parted: {
            step: parted.step,
            kind: parted.entry.kind,
            event: parted.entry.event,
            at: parted.entry.at,
            recorded: parted.recorded,
            replayed: parted.replayed,
          },
        }),
      });
    }
    return {
      flow: key,
      against: input.version === undefined ? 'draft' : input.version,
      replayed: results.length,
      same: results.filter((r) => r.same).length,
      different: results.filter((r) => !r.same),
    };
  }
}
