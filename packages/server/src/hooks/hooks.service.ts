import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type CompiledFlow,
  evaluateRule,
  inboundStatus,
  setPath,
  type WebhookTrigger,
  systemActor,
} from '@ordo/engine';
import { CredentialsService } from '../credentials/credentials.service';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import type { Receipt } from '../orders/order-rows';
import { DomainEvents } from '../events/domain-events';
import { ExceptionRouter } from '../exceptions/exception-router';
import { FlowCache } from '../flows/flow-cache';
import { orderFrom, type StoredOrder } from '../orders/orders.repository';
import { OrdersService } from '../orders/orders.service';
import { DuplicateReference, OrderError } from '../orders/order-errors';
import { ApiProblem, problems } from '../problems/api-problem';
import { orderProblem } from '../problems/order-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import { secretProblem, verifyDelivery } from './hook-signature';
import { TickBatch } from '../database/tick-batch';

interface LookupItem {
  key: string;
  flow: string;
  ref: string;
}

/**
 * A batch of deliveries' receipts and orders (PostgreSQL), by order id or reference. LATERAL
 * lookups (LIMIT keeps them from being flattened into joins) are index scans whatever the
 * tables' size when the statement was planned — a join planned on a new, empty table stays a
 * sequential scan on that connection as the table grows.
 */
const lookupSql = (column: 'id' | 'external_ref') =>
  `SELECT q.n, r.status AS receipt_status, r.answer AS receipt_answer, o.*
   FROM unnest(?::int[], ?::varchar[], ?::varchar[], ?::varchar[]) AS q(n, key, flow_key, ref)
   LEFT JOIN LATERAL (SELECT status, answer FROM hook_deliveries WHERE key = q.key LIMIT 1) AS r ON true
   LEFT JOIN LATERAL (SELECT * FROM orders WHERE flow_key = q.flow_key AND ${column} = q.ref LIMIT 1) AS o ON true`;
export const LOOKUP_SQL = { id: lookupSql('id'), external_ref: lookupSql('external_ref') };

/**
 * Deliveries are remembered by their signed `webhook-id` (and a repeat answered as before) for
 * at least this long: a sender's retries (the same id, signed anew) within it are applied once.
 */
export const DEDUPLICATION_MS = 3 * 24 * 3600_000;
/** How long an opened secret is reused before the credential is read again. */
const SECRET_TTL_MS = 10_000;

/** What a delivery did; stored with it, so that a repeat gets the same answer. */
export interface HookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One inbound delivery as the controller hands it over. */
export interface Delivery {
  flow: string;
  trigger: string;
  rawBody: Buffer;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const text = (v: unknown) =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

/**
 * Inbound webhooks: a signed delivery finds its order by id or reference (or starts one), is
 * translated into an event (its own, or an external system's status code through `systems`),
 * and is applied through the engine — with the delivery's record in the same transaction, so
 * a signed `webhook-id` is applied once and a repeat gets the first answer (with the order's id,
 * state and version as they were). A delivery that matches
 * no order is an `unmatched_delivery` exception; one the flow refuses, a `refused_delivery`
 * exception with the sender's payload.
 */
@Injectable()
export class HooksService implements OnApplicationShutdown {
  private readonly secrets = new Map<string, { secret: string; until: number }>();
  private readonly pruner: NodeJS.Timeout;

  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly flows: FlowCache,
    private readonly ordersService: OrdersService,
    private readonly credentials: CredentialsService,
    private readonly exceptions: ExceptionRouter,
    private readonly clock: RuntimeClock,
    events: DomainEvents,
  ) {
    this.pruner = setInterval(() => void this.prune().catch(() => undefined), 3600_000);
    this.pruner.unref();
    // A replaced secret applies at once here (other processes re-read it within 10 s).
    events.on('credential.saved', ({ name }) => this.secrets.delete(name));
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruner);
  }

  /** Forgets deliveries older than the de-duplication window. */
  prune(): Promise<number> {
    const before = new Date(this.clock.now() - DEDUPLICATION_MS).toISOString();
    return this.db.run('DELETE FROM hook_deliveries WHERE received_at < ?', [before]);
  }

  async receive(delivery: Delivery): Promise<HookAnswer & { replayed?: boolean }> {
    const flow = await this.flows.latest(delivery.flow);
    const trigger = flow.doc.triggers?.find(
      (t): t is WebhookTrigger => t.id === delivery.trigger && 'webhook' in t,
    );
    if (!trigger)
      throw problems.notFound('Webhook trigger', `${delivery.flow}/${delivery.trigger}`);
    const hook = trigger.webhook;
    // Standard Webhooks: the signed webhook-id is the de-duplication key, and no delivery is
    // applied (or even looked up) before its id, time and body are verified.
    const id = verifyDelivery(
      delivery.headers,
      delivery.rawBody,
      await this.secret(hook.secret),
      this.clock.now(),
    );
    const scope = { $body: delivery.body, $headers: delivery.headers };
    const key = `${delivery.flow}/${delivery.trigger}/${id}`;
    let order: StoredOrder | undefined;
    try {
      const ref = text(evaluateRule(hook.find.value, scope));
      if (ref === undefined)
        throw problems.unprocessable(
          'no_reference',
          `The delivery carries no ${hook.find.by === 'id' ? 'order id' : 'reference'} where trigger "${trigger.id}" looks (find.value): it must be a string or a number`,
        );
      // One query: the delivery's receipt if it was applied before, and its order.
      const looked = await this.lookup(key, delivery.flow, hook.find.by, ref);
      if (looked.seen) return { ...looked.seen, replayed: true };
      order = looked.order;
      return await this.apply(flow, trigger, key, scope, ref, order);
    } catch (error) {
      // The same delivery applied meanwhile by a concurrent request: answer as it was.
      const raced = await this.recorded(key);
      if (raced) return { ...raced, replayed: true };
      // A refusal is an answer too: a repeat of the delivery gets it again (as HTTP: the
      // receipt is the answer a sender hears).
      const problem = error instanceof OrderError ? orderProblem(error) : error;
      if (!(problem instanceof ApiProblem) || problem.status >= 500) throw error;
      let refusal = problem;
      if (refusal.status !== 409)
        refusal = await this.keepRefused(flow, trigger, key, delivery, refusal, order);
      await this.record(key, delivery, { status: refusal.status, body: refusal.body() });
      throw refusal;
    }
  }

  /**
   * A signed delivery the flow refused (a code it does not map, a transition not allowed now,
   * data it does not accept) is kept as a `refused_delivery` exception with the sender's
   * payload, and routed like any other; the refusal the sender hears names it (`exceptionId`).
   * A conflict (409: the order changed meanwhile) is the sender's to retry, not an exception.
   */
  private async keepRefused(
    flow: CompiledFlow,
    trigger: WebhookTrigger,
    key: string,
    delivery: Delivery,
    refusal: ApiProblem,
    order: StoredOrder | undefined,
  ): Promise<ApiProblem> {
    const { record } = await this.exceptions.raise(flow.doc, {
      sourceKey: `hook-refused:${key}`,
      ...(order && { order }),
      exception: {
        kind: 'refused_delivery',
        trigger: trigger.id,
        ...(trigger.webhook.system !== undefined && { system: trigger.webhook.system }),
        problem: refusal.code,
        status: refusal.status,
        error: refusal.detail,
        payload: delivery.body,
      },
    });
    const { status, code, title, detail, extra } = refusal;
    return new ApiProblem(status, code, title, detail, {
      ...extra,
      exceptionId: record?.id ?? null,
    });
  }

  private async apply(
    flow: CompiledFlow,
    trigger: WebhookTrigger,
    key: string,
    scope: { $body: unknown; $headers: unknown },
    ref: string,
    found: StoredOrder | undefined,
  ): Promise<HookAnswer> {
    const hook = trigger.webhook;
    const [flowKey, triggerId] = [flow.doc.key, trigger.id];
    const find = () => this.lookup(key, flowKey, hook.find.by, ref).then((r) => r.order);
    let order = found;
    const receipt = (answer: HookAnswer): Receipt => ({
      key,
      flow: flowKey,
      trigger: triggerId,
      status: answer.status,
      answer: answer.body,
      at: new Date(this.clock.now()).toISOString(),
    });
    if (!order && hook.create) {
      // The engine's safe setPath: the flow schema refuses prototype segments; this refuses
      // them again rather than write through one.
      let data: Record<string, unknown> = {};
      for (const [path, logic] of Object.entries(hook.create.data))
        data = setPath(data, path, evaluateRule(logic, scope));
      const created = await this.ordersService
        .create(
          {
            flow: flowKey,
            data,
            channel: 'webhook',
            ...(hook.find.by === 'externalRef' && { externalRef: ref }),
          },
          systemActor(`hook:${triggerId}`),
          {
            receipt: (o) => receipt({ status: 201, body: { outcome: 'created', orderId: o.id } }),
            referenceChecked: hook.find.by === 'externalRef',
          },
        )
        .catch(async (error) => {
          // Another delivery started this order meanwhile: correlate with it instead.
          if (!(error instanceof DuplicateReference)) throw error;
          order = await find();
          return undefined;
        });
      if (created)
        return {
          status: 201,
          body: {
            outcome: 'created',
            orderId: created.id,
            state: created.state,
            version: created.version,
          },
        };
    }
    if (!order) {
      const { record: raised } = await this.exceptions.raise(flow.doc, {
        sourceKey: `hook:${key}`,
        exception: {
          kind: 'unmatched_delivery',
          trigger: triggerId,
          error: `No order with ${hook.find.by === 'id' ? 'id' : 'reference'} "${ref}"`,
        },
      });
      const answer = {
        status: 202,
        body: { outcome: 'unmatched', reference: ref, exceptionId: raised?.id ?? null },
      };
      await this.record(key, { flow: flowKey, trigger: triggerId }, answer);
      return answer;
    }

    let event: { type: string; payload: unknown; source?: string } | undefined;
    let actor = systemActor(`hook:${triggerId}`);
    if (hook.system !== undefined) {
      const code = text(evaluateRule(hook.status, scope));
      const mapping = code === undefined ? undefined : inboundStatus(flow.doc, hook.system, code);
      if (!mapping)
        throw problems.unprocessable(
          'unknown_status',
          `System "${hook.system}" sent the status ${JSON.stringify(code ?? null)}, which flow "${flowKey}" does not map (systems.${hook.system}.statuses)`,
        );
      if (mapping.state !== order.state && mapping.event !== undefined) {
        event = { type: mapping.event, payload: scope.$body, source: hook.system };
        actor = systemActor(`system:${hook.system}`);
      }
    } else if (hook.event) {
      const type = text(evaluateRule(hook.event.type, scope));
      if (type !== undefined)
        event = {
          type,
          payload:
            hook.event.payload === undefined
              ? scope.$body
              : evaluateRule(hook.event.payload, scope),
        };
      // A start-or-correlate trigger: a delivery that only starts orders finds this one started.
      else if (!hook.create)
        throw problems.unprocessable(
          'no_event',
          `The delivery names no event where trigger "${triggerId}" looks (event.type)`,
        );
    }

    if (!event) {
      const answer = {
        status: 200,
        body: {
          outcome: 'unchanged',
          orderId: order.id,
          state: order.state,
          version: order.version,
        },
      };
      await this.record(key, { flow: flowKey, trigger: triggerId }, answer);
      return answer;
    }
    const orderId = order.id;
    const fired = await this.ordersService.fire(
      orderId,
      event,
      undefined,
      actor,
      receipt({ status: 200, body: { outcome: 'fired', orderId } }),
      order,
    );
    return {
      status: 200,
      body: { outcome: 'fired', orderId, state: fired.state, version: fired.version },
    };
  }

  private async secret(name: string): Promise<string> {
    const cached = this.secrets.get(name);
    if (cached && cached.until > Date.now()) return cached.secret;
    let secret: string | undefined;
    try {
      secret = (await this.credentials.open(name)).secret;
    } catch {
      secret = undefined;
    }
    const unusable = secret ? secretProblem(secret) : null;
    if (unusable)
      throw new ApiProblem(
        503,
        'hook_secret_invalid',
        'Webhook not configured',
        `The "secret" of the credential "${name}" cannot sign this webhook: ${unusable} (replace it: POST /api/credentials)`,
      );
    if (!secret)
      throw new ApiProblem(
        503,
        'hook_secret_missing',
        'Webhook not configured',
        `The credential "${name}" with a "secret" field that signs this webhook is not stored on the server (POST /api/credentials)`,
      );
    this.secrets.set(name, { secret, until: Date.now() + SECRET_TTL_MS });
    return secret;
  }

  /**
   * The receipt of a delivery (if it was applied before) and the order it is about: one query,
   * shared on PostgreSQL by the deliveries that arrive in the same turn of the event loop.
   */
  private lookup(
    key: string,
    flow: string,
    by: 'id' | 'externalRef',
    ref: string,
  ): Promise<{ seen?: HookAnswer; order?: StoredOrder }> {
    return this.lookups[by].add({ key, flow, ref });
  }

  private readonly lookups = {
    id: new TickBatch((items: LookupItem[]) => this.lookMany('id', items)),
    externalRef: new TickBatch((items: LookupItem[]) => this.lookMany('external_ref', items)),
  };

  private async lookMany(
    column: 'id' | 'external_ref',
    items: LookupItem[],
  ): Promise<{ seen?: HookAnswer; order?: StoredOrder }[]> {
    const rows: Record<string, unknown>[] =
      this.db.kind === 'postgres'
        ? await this.db.query(LOOKUP_SQL[column], [
            items.map((_, n) => n),
            items.map((i) => i.key),
            items.map((i) => i.flow),
            items.map((i) => i.ref),
          ])
        : await Promise.all(
            items.map(async (item, n) => {
              const [row] = await this.db.query(
                `SELECT r.status AS receipt_status, r.answer AS receipt_answer, o.*
                 FROM (SELECT 1 AS one) AS x
                 LEFT JOIN hook_deliveries AS r ON r.key = ?
                 LEFT JOIN orders AS o ON o.flow_key = ? AND o.${column} = ?`,
                [item.key, item.flow, item.ref],
              );
              return { ...row, n } as Record<string, unknown>;
            }),
          );
    const found: { seen?: HookAnswer; order?: StoredOrder }[] = items.map(() => ({}));
    for (const row of rows)
      found[Number(row.n)] = {
        ...(row.receipt_status !== null && {
          seen: {
            status: Number(row.receipt_status),
            body: JSON.parse(row.receipt_answer as string),
          },
        }),
        ...(row.id !== null && { order: orderFrom(row) }),
      };
    return found;
  }

  private async recorded(key: string): Promise<HookAnswer | undefined> {
    const [row] = await this.db.query<{ status: number; answer: string }>(
      'SELECT status, answer FROM hook_deliveries WHERE key = ?',
      [key],
    );
    return row && { status: Number(row.status), body: JSON.parse(row.answer) };
  }

  /** Records the answer of a delivery that changed no order (a repeat gets it again). */
  private async record(
    key: string,
    where: { flow: string; trigger: string },
    answer: HookAnswer,
  ): Promise<void> {
    await this.db.run(
      `INSERT INTO hook_deliveries (key, flow_key, trigger_id, status, answer, received_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      [
        key,
        where.flow,
        where.trigger,
        answer.status,
        JSON.stringify(answer.body),
        new Date(this.clock.now()).toISOString(),
      ],
    );
  }
}
