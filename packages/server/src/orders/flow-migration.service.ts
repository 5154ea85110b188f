import { Injectable } from '@nestjs/common';
import { type Actor, planMigration } from '@ordo/engine';
import { AuditLog } from '../audit/audit-log';
import { FlowsRepository } from '../flows/flows.repository';
import { problems } from '../problems/api-problem';
import { OrdersRepository, orderFrom } from './orders.repository';

export interface Group {
  fromVersion: number;
  state: string;
  count: number;
}

/** Moves running orders of a flow onto another published version, as `planMigration` plans. */
@Injectable()
export class FlowMigrationService {
  constructor(
    private readonly flows: FlowsRepository,
    private readonly orders: OrdersRepository,
    private readonly audit: AuditLog,
  ) {}

  async migrate(
    key: string,
    input: { toVersion: number; stateMap?: Record<string, string>; dryRun?: boolean },
    actor: Actor,
  ) {
    const target = await this.flows.version(key, input.toVersion);
    if (!target) throw problems.notFound('Flow version', `${key}@${input.toVersion}`);
    const rows = await this.orders.db.query<{
      flow_version: number | string;
      state: string;
      n: number | string;
    }>(
      'SELECT flow_version, state, COUNT(*) AS n FROM orders WHERE flow_key = ? AND flow_version <> ? GROUP BY flow_version, state ORDER BY flow_version, state',
      [key, input.toVersion],
    );
    const groups: Group[] = rows.map((r) => ({
      fromVersion: Number(r.flow_version),
      state: r.state,
      count: Number(r.n),
    }));
    const moved: (Group & { to: string })[] = [];
    const notMoved: (Group & { reason: string })[] = [];
    const plans = new Map<number, ReturnType<typeof planMigration>>();
    for (const group of groups) {
      let plan = plans.get(group.fromVersion);
      if (!plan) {
        const from = await this.flows.version(key, group.fromVersion);
        plan = planMigration(from!.document, target.document, { stateMap: input.stateMap });
        plans.set(group.fromVersion, plan);
      }
      const move = plan.moves.find((m) => m.from === group.state);
      if (!move) {
        const why = plan.problems.find(
          (p) => p.severity === 'error' && p.message.includes(`"${group.state}"`),
        );
        notMoved.push({
          ...group,
          reason: why?.message ?? `no state of version ${input.toVersion} for "${group.state}"`,
        });
        continue;
      }
      const count = input.dryRun
        ? group.count
        : await this.moveGroup(key, group, move.to, input.toVersion, actor);
      moved.push({ ...group, to: move.to, count });
    }
    // Each group moves in its own transactions: the entry records what moved, once done.
    if (!input.dryRun)
      await this.audit.record({
        actor: actor.id,
        entity: 'migration',
        entityId: key,
        action: 'migrated',
        before: { groups },
        after: { toVersion: input.toVersion, stateMap: input.stateMap ?? null, moved, notMoved },
      });
    return {
      flow: key,
      toVersion: input.toVersion,
      dryRun: input.dryRun === true,
      moved,
      notMoved,
      problems: [...plans.entries()].flatMap(([fromVersion, plan]) =>
        plan.problems.map((p) => ({ fromVersion, ...p })),
      ),
    };
  }

  /** Moves each order of the group in its own transaction, guarded by its version. */
  private async moveGroup(
    key: string,
    group: Group,
    to: string,
    toVersion: number,
    actor: Actor,
  ): Promise<number> {
    const rows = await this.orders.db.query(
      'SELECT * FROM orders WHERE flow_key = ? AND flow_version = ? AND state = ?',
      [key, group.fromVersion, group.state],
    );
    let count = 0;
    for (const order of rows.map(orderFrom)) {
      const at = new Date().toISOString();
      const next = {
        ...order,
        flowVersion: toVersion,
        state: to,
        version: order.version + 1,
        updatedAt: at,
      };
      const done = await this.orders.db.transaction(async (tx) => {
        const changed = await tx.run(
          'UPDATE orders SET flow_version = ?, state = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?',
          [toVersion, to, next.version, at, order.id, order.version],
        );
        if (changed !== 1) return false;
        await this.orders.appendHistory(
          order.id,
          [
            {
              kind: 'migrated',
              version: next.version,
              at,
              actor,
              from: order.state,
              to,
              payload: { fromVersion: order.flowVersion, toVersion },
            },
          ],
          tx,
        );
        return true;
      });
      if (done) count++;
    }
    return count;
  }
}
