import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../database/db';
import type { Actor, Problem } from '@ordo/engine';
import { FlowCache } from '../flows/flow-cache';
import { type DraftOrder, OrdersService } from '../orders/orders.service';
import { problems } from '../problems/api-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import { columnFinder } from './column-finder';
import { alsoRefused, groupRows, type OrderRow, rowOf } from './order-groups';
import { type OrderSource, withSource } from './order-source';
import { resolveMapping, type ColumnMapping, type ImportRow } from './table-rows';

/** One row that cannot be imported: its line, the column at fault when known, and why. */
export interface RowProblem {
  line: number;
  column?: string;
  path?: string;
  code: string;
  message: string;
}

export interface ImportOptions {
  /** `valid`: import the valid rows and report the others; `all`: all rows or none. */
  mode: 'valid' | 'all';
  /** Check and preview only: nothing is written. */
  dryRun?: boolean;
  channel: string;
  /** A keyed request's answer (the import report), stored in the import's transaction. */
  keyed?: (tx: SqlExecutor, answer: unknown) => Promise<void>;
  /**
   * Where the rows came from, recorded on each order's creation with the rows it was read from
   * (or the source's own `lines`, a message body's).
   */
  source?: OrderSource;
  /** Told as orders are checked (every PROGRESS_EVERY, and the last), then once before writing. */
  onProgress?: (progress: ImportProgress) => void;
}

/** How far an import has come: orders checked of all found in the rows, then writing. */
export interface ImportProgress {
  phase: 'checking' | 'writing';
  done: number;
  total: number;
}

const PROGRESS_EVERY = 500;

const PREVIEW = 20;

const dotted = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');

/**
 * One intake for orders from files (CSV, Excel, JSON Lines — API and `ordo import` alike):
 * rows of one order (one row per order line) are grouped by reference first; every order runs
 * through the engine; the rows that fail are reported with their line
 * and column; duplicates by external reference (in the file or already stored) are refused;
 * then the orders are written in ONE transaction — the valid ones, or with `all` every one or
 * none — so nothing is ever half written. Rows are checked and stored through OrdersService
 * (`draft`, `createMany`): an imported order is announced like one created by the API.
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly flows: FlowCache,
    private readonly orders: OrdersService,
    private readonly clock: RuntimeClock,
  ) {}

  /** The fields of the flow's latest version (to type the cells of a table). */
  async fields(flowKey: string) {
    return (await this.flows.latest(flowKey)).doc.fields;
  }

  async import(
    flowKey: string,
    rows: ImportRow[],
    options: ImportOptions,
    actor: Actor,
    table?: { columns: string[]; mapping?: ColumnMapping },
  ) {
    const flow = await this.flows.latest(flowKey);
    const columnOf = columnFinder(table);
    const now = new Date(this.clock.now()).toISOString();
    const sets = await this.orders.dataSetSnapshot();
    const refused: RowProblem[] = [];
    const accepted: (DraftOrder & { line: number; row: OrderRow })[] = [];
    const seen = new Map<string, number>();
    // Refuses an order: its problems at their rows, and every other row of it as well.
    const refuse = (row: OrderRow, found: RowProblem[]) =>
      refused.push(...found, ...alsoRefused(row, new Set(found.map((p) => p.line))));
    const groups = groupRows(rows, columnOf);
    const { onProgress } = options;
    for (const [i, row] of groups.entries()) {
      if (onProgress && (i % PROGRESS_EVERY === 0 || i === groups.length - 1))
        onProgress({ phase: 'checking', done: i + 1, total: groups.length });
      if ('error' in row) {
        refused.push({
          line: row.line,
          ...(row.column && { column: row.column }),
          ...(row.path && { path: row.path }),
          code: row.code ?? 'unreadable',
          message: row.error,
        });
        continue;
      }
      if (row.externalRef) {
        const first = seen.get(row.externalRef);
        if (first !== undefined) {
          refused.push({
            line: row.line,
            column: columnOf('externalRef'),
            code: 'duplicate_external_ref',
            message: `the reference "${row.externalRef}" is also on line ${first}`,
          });
          continue;
        }
        seen.set(row.externalRef, row.line);
      }
      const result = this.orders.draft(flow, row.data, actor, sets, now);
      if (!result.ok) {
        const found: Problem[] = result.error.problems ?? [];
        if (!found.length)
          refuse(row, [{ line: row.line, code: result.error.code, message: result.error.message }]);
        refuse(
          row,
          found.map((p) => {
            const path = p.path.startsWith('/') ? dotted(p.path) : p.path;
            return {
              line: rowOf(row, path),
              ...(columnOf(path) && { column: columnOf(path) }),
              ...(path && { path }),
              code: p.code,
              message: p.message,
            };
          }),
        );
        continue;
      }
      const { source } = options;
      const created = source
        ? withSource(result, { ...source, lines: source.lines ?? row.rows ?? [row.line] })
        : result;
      accepted.push({ row, line: row.line, externalRef: row.externalRef ?? null, created });
    }
    const stored = await this.orders.existingRefs(
      flowKey,
      accepted.flatMap((a) => (a.externalRef ? [a.externalRef] : [])),
    );
    const valid = accepted.filter((a) => {
      if (!a.externalRef || !stored.has(a.externalRef)) return true;
      refuse(a.row, [
        {
          line: a.line,
          column: columnOf('externalRef'),
          code: 'duplicate_external_ref',
          message: `flow "${flowKey}" already has an order with the reference "${a.externalRef}"`,
        },
      ]);
      return false;
    });
    refused.sort((a, b) => a.line - b.line);
    const report = {
      flow: flowKey,
      version: flow.doc.version,
      rows: rows.length,
      valid: valid.length,
      refused,
      ...(table && {
        columns: table.columns,
        mapping: Object.fromEntries(
          table.columns.map((c, i) => [c, resolveMapping(table.columns, table.mapping)[i]]),
        ),
      }),
    };
    if (options.dryRun)
      return {
        ...report,
        imported: 0,
        preview: valid.slice(0, PREVIEW).map((v) => ({
          line: v.line,
          ...(v.row.rows && { rows: v.row.rows }),
          externalRef: v.externalRef,
          data: v.created.order.data,
          state: v.created.order.state,
        })),
      };
    // A person importing carries their roles: a row that sets a field they may not write
    // refuses the whole file (403), whatever the mode — an import is no way around ownership.
    const forbidden = refused.filter((r) => r.code === 'not_writable');
    if (forbidden.length)
      throw problems.forbidden(
        `${forbidden.length} value(s) in the file are not ${actor.id}'s to write, so nothing was imported: ${forbidden[0].message}`,
        {
          errors: forbidden.map((r) => ({
            path: `/rows/${r.line}${r.column ? `/${r.column}` : ''}`,
            code: r.code,
            message: `line ${r.line}${r.column ? `, column ${r.column}` : ''}: ${r.message}`,
          })),
          refused: forbidden,
        },
      );
    if (options.mode === 'all' && refused.length)
      throw problems.unprocessable(
        'import_refused',
        `${refused.length} row(s) cannot be imported, so none was (mode "all"): fix them, or import the valid rows only`,
        {
          errors: refused.map((r) => ({
            path: `/rows/${r.line}${r.column ? `/${r.column}` : ''}`,
            code: r.code,
            message: `line ${r.line}${r.column ? `, column ${r.column}` : ''}: ${r.message}`,
          })),
          refused,
        },
      );
    const answer = { ...report, imported: valid.length };
    onProgress?.({ phase: 'writing', done: 0, total: valid.length });
    const { keyed } = options;
    await this.orders.createMany(
      flow,
      valid,
      options.channel,
      keyed && ((tx) => keyed(tx, answer)),
    );
    return answer;
  }
}
