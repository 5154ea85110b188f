import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  Actor,
  CompiledFlow,
  EngineContext,
  EngineResult,
  Order,
  OrderEvent,
} from '@ordo/engine';
import type { SqlExecutor } from '../database/db';
import { DomainEvents } from '../events/domain-events';
import { FlowCache } from '../flows/flow-cache';
import { ApiProblem } from '../problems/api-problem';
import { orderProblem } from '../problems/order-problem';
import {
  DuplicateReference,
  OrderBusy,
  OrderError,
  OrderNotFound,
  OrderRefused,
  VersionConflict,
} from './order-errors';
import { columnsOf } from './order-columns';
import { buildListQuery, encodeCursor, type OrderListQuery } from './order-list.query';
import type { Receipt, Settlement } from './order-rows';
import {
  orderFrom,
  type OrderColumns,
  OrdersRepository,
  type StoredHistoryEntry,
  type StoredOrder,
} from './orders.repository';
import { StateChangeFeed } from '../webhooks/state-change-feed';
import { OrderAnnouncer } from './order-announcer';
import { RuntimeClock } from '../runtime/runtime-clock';
import { commitItem, type IdempotencyClaim, itemResult } from '../idempotency/keyed-answer';
import { DataSetReads, type DataSetSnapshot, DataSetStore } from '../datasets/data-set-store';

/** The result with the versions of the data sets its rules read written into its history. */
function stamped(result: EngineResult, sets: DataSetReads): EngineResult {
  const versions = sets.versions();
  if (!result.ok || !versions) return result;
  return { ...result, history: result.history.map((h) => ({ ...h, dataSets: versions })) };
}

/** How often a change without `expectedVersion` is re-tried on the fresh order after losing a race. */
const MAX_ATTEMPTS = 20;

type Success = Extract<EngineResult, { ok: true }>;

/** An order as a create or change answers it. */
export type OrderAnswer = StoredOrder & { warnings?: Success['warnings'] };

/**
 * More to write in a change's transaction, given the answer it will give (a keyed request
 * stores it there: `commitAnswer`); it rolls the change back when it throws.
 */
export type KeyedWrite = (tx: SqlExecutor, answer: OrderAnswer) => Promise<void>;

/** A new order the engine accepted (`draft`), with the reference it is stored under. */
export interface DraftOrder {
  created: Success;
  externalRef: string | null;
}

/** An order taken over as it was elsewhere (an event log): stored as given, announced to nobody. */
export interface RestoredOrder {
  order: Order;
  columns: OrderColumns;
  history: readonly StoredHistoryEntry[];
}

/** What a create request carries. */
export interface CreateOrderInput {
  flow: string;
  data: Record<string, unknown>;
  flowVersion?: number;
  channel?: string;
  externalRef?: string;
}

/**
 * Orders: every change goes through the engine, then is committed in ONE transaction —
 * conditional UPDATE on the version, history rows, outbox rows — and announced only after
 * the commit. Refusals are domain errors (order-errors.ts), not HTTP problems.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly flows: FlowCache,
    private readonly events: DomainEvents,
    private readonly feed: StateChangeFeed,
    private readonly clock: RuntimeClock,
    private readonly dataSets: DataSetStore,
  ) {
    this.announce = new OrderAnnouncer(events, feed);
  }

  private readonly announce: OrderAnnouncer;

  /** The engine's context of one change: now, who, and the data sets its rules read. */
  private ctx(actor: Actor, sets: DataSetReads, id?: string): EngineContext {
    return {
      now: new Date(this.clock.now()).toISOString(),
      actor,
      dataSets: sets,
      ...(id && { id }),
    };
  }

  /** The current data sets, for the engine calls of one request (an import's rows, say). */
  dataSetSnapshot(): Promise<DataSetSnapshot> {
    return this.dataSets.snapshot();
  }

  async create(
    input: CreateOrderInput,
    actor: Actor,
    options: {
      /** What caused the order (an inbound delivery), recorded in its transaction. */
      receipt?: (order: Order) => Receipt;
      /** The caller has just looked the reference up: skip the early duplicate check. */
      referenceChecked?: boolean;
      /** A keyed request's answer, stored in the order's transaction. */
      keyed?: KeyedWrite;
    } = {},
  ): Promise<OrderAnswer> {
    const flow =
      input.flowVersion === undefined
        ? await this.flows.latest(input.flow)
        : await this.flows.get(input.flow, input.flowVersion);
    const channel = input.channel ?? 'api';
    const externalRef = input.externalRef ?? null;
    if (externalRef !== null && !options.referenceChecked)
      await this.refuseDuplicate(input.flow, externalRef);
    const sets = new DataSetReads(await this.dataSets.snapshot());
    const result = stamped(flow.create(input.data, this.ctx(actor, sets, randomUUID())), sets);
    if (!result.ok) throw new OrderRefused(result.error);
    const effects = [...result.effects, ...this.feed.effects(result.history)];
    const columns = columnsOf(result.order, channel, externalRef, flow.doc.customer);
    const answer = this.answer({ ...result.order, channel, externalRef }, result);
    const { keyed } = options;
    try {
      await this.orders.insertNew(
        result.order,
        columns,
        result.history,
        effects,
        options.receipt?.(result.order),
        keyed && ((tx) => keyed(tx, answer)),
      );
    } catch (error) {
      // The keyed request's claim was lost (a retry took the key over): nothing was written.
      if (error instanceof ApiProblem || error instanceof OrderError) throw error;
      // Two requests with one new reference: the unique index lets one in.
      if (externalRef !== null) await this.refuseDuplicate(input.flow, externalRef);
      throw error;
    }
    this.announce.created(result, effects);
    return answer;
  }

  /**
   * A new order as the engine would create it, nothing written: an import checks every row
   * with it first, then stores the accepted ones with `createMany`.
   */
  draft(
    flow: CompiledFlow,
    data: Record<string, unknown>,
    actor: Actor,
    snapshot: DataSetSnapshot,
    now?: string,
  ) {
    const sets = new DataSetReads(snapshot);
    return stamped(
      flow.create(data, { ...this.ctx(actor, sets, randomUUID()), ...(now && { now }) }),
      sets,
    );
  }

  /**
   * Stores many drafted orders of one flow in ONE transaction — all or none — with `keyed`
   * (a keyed request's answer) inside it, then announces each as `create` does (created,
   * transitions, warnings), so that an import raises what a single create raises.
   */
  async createMany(
    flow: CompiledFlow,
    drafts: readonly DraftOrder[],
    channel: string,
    keyed?: (tx: SqlExecutor) => Promise<void>,
  ): Promise<void> {
    const written = drafts.map(({ created, externalRef }) => ({
      created,
      order: created.order,
      columns: columnsOf(created.order, channel, externalRef, flow.doc.customer),
      history: created.history,
      effects: [...created.effects, ...this.feed.effects(created.history)],
    }));
    await this.orders.insertAll(written, keyed);
    this.announce.pending(written.flatMap((w) => w.effects));
    for (const w of written) this.announce.created(w.created, []);
  }

  /** Stores orders taken over from elsewhere in ONE transaction, as given: no engine, no events. */
  restoreMany(items: readonly RestoredOrder[]): Promise<void> {
    return this.orders.insertAll(items.map((i) => ({ ...i, effects: [] })));
  }

  /** The order, or undefined when there is none (the runtime's read of an effect's order). */
  find(id: string): Promise<StoredOrder | undefined> {
    return this.orders.find(id);
  }

  /** The histories of several orders (one query), by order id, each in sequence. */
  histories(orderIds: readonly string[]): Promise<Map<string, StoredHistoryEntry[]>> {
    return this.orders.histories(orderIds);
  }

  /** Which of these references the flow's orders already have. */
  existingRefs(flow: string, refs: readonly string[]): Promise<Set<string>> {
    return this.orders.existingRefs(flow, refs);
  }

  async get(id: string): Promise<StoredOrder> {
    const order = await this.orders.get(id);
    if (!order) throw new OrderNotFound(id);
    return order;
  }

  async list(query: OrderListQuery) {
    const { sql, params, limit, sortColumn } = buildListQuery(query);
    const rows = await this.orders.db.query(sql, params);
    const items = rows.slice(0, limit).map(orderFrom);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items,
      nextCursor: last ? encodeCursor(last[sortColumn] as string, last.id as string) : null,
    };
  }

  /** Applies a JSON merge patch to the order's data. */
  update(id: string, patch: unknown, actor: Actor, keyed?: KeyedWrite) {
    return this.change(
      id,
      undefined,
      actor,
      (flow, order, ctx) => flow.update(order, patch, ctx),
      'order.updated',
      undefined,
      undefined,
      keyed,
    );
  }

  /** Fires an event. With `expectedVersion`, a stale order answers 409 instead of being re-read. */
  fire(
    id: string,
    event: OrderEvent,
    expectedVersion: number | undefined,
    actor: Actor,
    /** What caused the event (an inbound delivery), recorded with the change. */
    receipt?: Receipt,
    /** The order as the caller just read it: tried first (a stale one costs one retry). */
    known?: StoredOrder,
    /** A keyed request's answer, stored in the change's transaction. */
    keyed?: KeyedWrite,
  ) {
    return this.change(
      id,
      expectedVersion,
      actor,
      (flow, order, ctx) => flow.fire(order, event, ctx),
      undefined,
      receipt,
      known,
      keyed,
    );
  }

  /**
   * Applies what the runtime learned (a connector's answer, its final failure) to the order
   * through the engine, and settles its claim in the same write — a claimed outbox row
   * (`Settlement`: written with the change, batched with others on PostgreSQL, LeaseLostError
   * when the lease was lost) or anything else `settle` writes in the change's transaction —
   * so that the outcome of an effect is applied once even when the effect itself ran twice.
   */
  applyOutcome(
    id: string,
    compute: (flow: CompiledFlow, order: Order, ctx: EngineContext) => EngineResult,
    actor: Actor,
    settle: Settlement | ((tx: SqlExecutor, result: Success) => Promise<void>),
    /** The order as the caller last read it: tried first (a stale one costs one retry). */
    known?: StoredOrder,
  ) {
    return typeof settle === 'function'
      ? this.change(id, undefined, actor, compute, 'order.updated', settle, known)
      : this.change(
          id,
          undefined,
          actor,
          compute,
          'order.updated',
          undefined,
          known,
          undefined,
          settle,
        );
  }

  /** Orders per state of one flow. */
  async counts(flow: string) {
    const rows = await this.orders.db.query<{ state: string; n: number | string }>(
      'SELECT state, COUNT(*) AS n FROM orders WHERE flow_key = ? GROUP BY state',
      [flow],
    );
    const states = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    return { flow, total: Object.values(states).reduce((a, b) => a + b, 0), states };
  }

  /**
   * Fires one event on each of many orders, each its own change: a result per order — its new
   * state, or the problem that refused it (the others are not held back). A keyed request
   * (`claim`) stores each fired order's result in that order's transaction: run again after a
   * crash, it fires only the orders the first run did not, and answers the same.
   */
  async fireMany(ids: string[], event: OrderEvent, actor: Actor, claim?: IdempotencyClaim) {
    type Fired = { id: string; ok: true; state: string; version: number };
    const results = await Promise.all(
      ids.map(async (id) => {
        const item = claim && { claim, item: id };
        try {
          if (item) {
            const done = (await itemResult(this.orders.db, item)) as Fired | undefined;
            if (done) return done;
          }
          const order = await this.fire(
            id,
            event,
            undefined,
            actor,
            undefined,
            undefined,
            item &&
              ((tx, answer) =>
                commitItem(
                  tx,
                  item,
                  { id, ok: true, state: answer.state, version: answer.version },
                  new Date(this.clock.now()).toISOString(),
                )),
          );
          return { id, ok: true as const, state: order.state, version: order.version };
        } catch (error) {
          if (!(error instanceof OrderError || error instanceof ApiProblem)) throw error;
          // The answer of a bulk request: each refusal with the HTTP status it would have alone.
          const problem = error instanceof OrderError ? orderProblem(error) : error;
          return {
            id,
            ok: false as const,
            status: problem.status,
            code: problem.code,
            detail: problem.detail,
          };
        }
      }),
    );
    return {
      fired: results.filter((r) => r.ok).length,
      refused: results.filter((r) => !r.ok).length,
      results,
    };
  }

  async transitions(id: string, actor: Actor) {
    const order = await this.get(id);
    const flow = await this.flows.get(order.flow, order.flowVersion);
    return {
      state: order.state,
      version: order.version,
      items: flow.available(
        order,
        this.ctx(actor, new DataSetReads(await this.dataSets.snapshot())),
      ),
    };
  }

  async history(id: string) {
    await this.get(id);
    return { items: await this.orders.history(id) };
  }

  async effects(id: string) {
    await this.get(id);
    return { items: await this.orders.outbox(id) };
  }

  /**
   * Read, compute with the engine, commit only if nobody changed the order meanwhile; on a
   * lost race re-read and try again — unless the caller pinned the version it saw.
   */
  private async change(
    id: string,
    expectedVersion: number | undefined,
    actor: Actor,
    compute: (flow: CompiledFlow, order: Order, ctx: EngineContext) => EngineResult,
    event?: 'order.updated',
    /** A receipt to record with the change, or more to do in its transaction. */
    also?: Receipt | ((tx: SqlExecutor, result: Success) => Promise<void>),
    known?: StoredOrder,
    keyed?: KeyedWrite,
    /** A claimed outbox row settled with the change. */
    settle?: Settlement,
  ): Promise<OrderAnswer> {
    for (let attempt = 1; ; attempt++) {
      const order = attempt === 1 && known ? known : await this.get(id);
      if (expectedVersion !== undefined && order.version !== expectedVersion)
        throw this.stale(order, expectedVersion);
      const flow = await this.flows.get(order.flow, order.flowVersion);
      const sets = new DataSetReads(await this.dataSets.snapshot());
      const result = stamped(compute(flow, order, this.ctx(actor, sets)), sets);
      if (!result.ok) throw new OrderRefused(result.error);
      const next = result.order;
      const columns = columnsOf(next, order.channel, order.externalRef, flow.doc.customer);
      const effects = [...result.effects, ...this.feed.effects(result.history)];
      const answer = this.answer(
        { ...next, channel: order.channel, externalRef: order.externalRef },
        result,
      );
      const won =
        typeof also === 'function'
          ? await this.orders.db.transaction(async (tx) => {
              if (!(await this.orders.updateIfVersion(next, order.version, columns, tx)))
                return false;
              await this.orders.appendHistory(next.id, result.history, tx);
              await this.orders.appendOutbox(next.id, effects, next.updatedAt, tx);
              await also(tx, result);
              await keyed?.(tx, answer);
              return true;
            })
          : await this.orders.writeChange(
              next,
              order.version,
              columns,
              result.history,
              effects,
              also,
              keyed && ((tx) => keyed(tx, answer)),
              settle,
            );
      if (won) {
        this.announce.changed(next, result, effects, event);
        return answer;
      }
      if (expectedVersion !== undefined) throw this.stale(await this.get(id), expectedVersion);
      if (attempt >= MAX_ATTEMPTS) throw new OrderBusy(id, MAX_ATTEMPTS);
    }
  }

  private stale(current: StoredOrder, expected: number): VersionConflict {
    return new VersionConflict(current, expected);
  }

  private async refuseDuplicate(flow: string, ref: string): Promise<void> {
    const existing = await this.orders.byExternalRef(flow, ref);
    if (existing) throw new DuplicateReference(flow, ref, existing.id);
  }

  private answer(order: StoredOrder, result: Success): OrderAnswer {
    return { ...order, ...(result.warnings.length && { warnings: result.warnings }) };
  }
}
