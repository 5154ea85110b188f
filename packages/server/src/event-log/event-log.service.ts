import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Flow } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { FlowCache } from '../flows/flow-cache';
import { columnsOf } from '../orders/order-columns';
import { OrdersService } from '../orders/orders.service';
import { problems } from '../problems/api-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import { csvLog, ocelLog, xesLog } from './event-log-formats';
import { orderOfJourney, readEventLog } from './event-log-import';
import { loggedOrders } from './event-log-rows';

export const LOG_FORMATS = {
  csv: 'text/csv; charset=utf-8',
  xes: 'application/xml; charset=utf-8',
  ocel: 'application/json; charset=utf-8',
} as const;
export type LogFormat = keyof typeof LOG_FORMATS;

/** A flow's history as event logs for process-mining tools, and legacy logs in as a baseline. */
@Injectable()
export class EventLogService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly flows: FlowCache,
    private readonly orders: OrdersService,
    private readonly clock: RuntimeClock,
  ) {}

  /** The flow's event log in a format, streamed. */
  async export(flowKey: string, format: LogFormat): Promise<Readable> {
    const flow = (await this.flows.latest(flowKey)).doc;
    const pages = () => loggedOrders(this.db, this.orders, flow);
    const chunks =
      format === 'csv'
        ? csvLog(pages())
        : format === 'xes'
          ? xesLog(flow, pages())
          : ocelLog(flow, pages);
    return Readable.from(chunks);
  }

  /**
   * Imports a CSV event log: each reference becomes an order with its entries' times and
   * actors, on the flow's latest version. Refused rows (by line and column), or a reference the
   * flow already has, refuse the whole log: nothing is written. `dryRun` only checks.
   */
  async import(flowKey: string, content: string, dryRun: boolean) {
    // A published document always carries its version.
    const flow = (await this.flows.latest(flowKey)).doc as Flow & { version: number };
    const { journeys, errors, rows } = readEventLog(flow, content);
    const existing = await this.orders.existingRefs(
      flowKey,
      journeys.map((j) => j.reference),
    );
    for (const j of journeys)
      if (existing.has(j.reference))
        errors.push({
          line: j.line,
          column: 'reference',
          code: 'duplicate_reference',
          message: `flow "${flowKey}" already has an order with the reference "${j.reference}"`,
        });
    const summary = {
      rows,
      orders: journeys.length,
      entries: journeys.reduce((n, j) => n + j.entries.length, 0),
    };
    if (errors.length) {
      errors.sort((a, b) => a.line - b.line);
      throw problems.unprocessable(
        'event_log_refused',
        `${errors.length} row(s) of the event log cannot be imported, so none was: fix them and import again`,
        {
          rows: errors,
          errors: errors.map((e) => ({
            path: `/content/${e.line}${e.column ? `/${e.column}` : ''}`,
            code: e.code,
            message: `line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`,
          })),
        },
      );
    }
    if (dryRun) return { dryRun: true, ...summary };
    const now = new Date(this.clock.now()).toISOString();
    await this.orders.restoreMany(
      journeys.map((j) => {
        const { order, history } = orderOfJourney(flow, j, randomUUID(), now);
        return {
          order,
          columns: {
            ...columnsOf(order, j.channel, j.reference, flow.customer),
            customer: j.customer,
          },
          history,
        };
      }),
    );
    return { imported: journeys.length, ...summary };
  }
}
