import { createHash } from 'node:crypto';
import {
  type CompiledFlow,
  type EmailIntake,
  type MessageReading,
  systemActor,
} from '@ordo/engine';
import type { ParsedMail } from 'mailparser';
import type { SqlExecutor } from '../database/db';
import type { OrdersService } from '../orders/orders.service';
import type { IntakeService } from './intake.service';
import type { MessageOrder, MessageProblem } from './message-records';
import type { OrderSource } from './order-source';
import { readTable, type TableFormat, TableError } from './table-file';
import { textOrders } from './text-orders';
import { type ImportRow, tableToRows, unsafeTargets } from './table-rows';

/** What a message gave: the orders created, its problems by line, and what was read. */
export interface MailOrders {
  orders: MessageOrder[];
  problems: MessageProblem[];
  result: {
    files?: { name: string; rows: number; imported: number }[];
    body?: Pick<MessageReading, 'understood' | 'notUnderstood' | 'ignored'>;
  };
}

/** An attachment's table format by its name or type; other files are left alone. */
export function tableFormatOf(name: string, type: string): TableFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || type === 'text/csv') return 'csv';
  if (
    lower.endsWith('.xlsx') ||
    type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  )
    return 'xlsx';
  return undefined;
}

/** The reference of a body's order when it names none: stable per Message-ID (or bytes). */
export const bodyRef = (key: string, prefix = 'mail') =>
  `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

/**
 * Reads a message into orders of its flow: every attached CSV or Excel sheet through the same
 * column mapping and grouping as an import (`intake.email.mapping`), else the body through the
 * flow's message format (`intake.message`). Each sheet is imported in its own transaction,
 * `fence` (the message's lease) checked in it; a body order is written only when every line of
 * the body was understood.
 */
export async function mailOrders(
  deps: { intake: IntakeService; orders: OrdersService },
  flow: CompiledFlow,
  spec: EmailIntake,
  mail: ParsedMail,
  key: string,
  fence: (tx: SqlExecutor) => Promise<void>,
  /** The intake message's id, recorded on the orders as their source. */
  recordId: string,
): Promise<MailOrders> {
  const from = mail.from?.value[0]?.address;
  const source: OrderSource = {
    kind: 'email',
    id: recordId,
    ...(from && { from }),
    ...(mail.subject && { subject: mail.subject.slice(0, 200) }),
  };
  const found: MailOrders = { orders: [], problems: [], result: {} };
  const channel = spec.channel ?? 'email';
  const actor = systemActor('email');
  const sheets = mail.attachments.flatMap((a) => {
    const format = tableFormatOf(a.filename ?? '', a.contentType);
    return format ? [{ name: a.filename ?? 'attachment', format, content: a.content }] : [];
  });
  if (sheets.length) {
    found.result.files = [];
    if (!spec.mapping) {
      found.problems.push({
        line: 0,
        code: 'no_mapping',
        message: `flow "${flow.doc.key}" takes no sheets by e-mail (its intake.email has no mapping)`,
      });
      return found;
    }
    for (const sheet of sheets) {
      const problem = (line: number, code: string, message: string, column?: string) =>
        found.problems.push({ line, file: sheet.name, ...(column && { column }), code, message });
      let table;
      try {
        table = await readTable(sheet.format, sheet.content);
      } catch (error) {
        if (!(error instanceof TableError)) throw error;
        problem(0, 'unreadable', error.message);
        continue;
      }
      const missing = Object.keys(spec.mapping).filter((c) => !table.columns.includes(c));
      if (missing.length) {
        problem(
          1,
          'unknown_column',
          `the sheet has no column ${missing.map((c) => `"${c}"`).join(', ')} (it has: ${table.columns.join(', ')})`,
        );
        continue;
      }
      const unsafe = unsafeTargets(table.columns, spec.mapping);
      if (unsafe.length) {
        for (const u of unsafe) problem(1, u.code, u.message);
        continue;
      }
      const rows = tableToRows(table, flow.doc.fields, spec.mapping);
      const answer = await deps.intake.import(
        flow.doc.key,
        rows,
        { mode: 'valid', channel, keyed: fence, source: { ...source, name: sheet.name } },
        actor,
        { columns: table.columns, mapping: spec.mapping },
      );
      for (const r of answer.refused) problem(r.line, r.code, r.message, r.column ?? undefined);
      found.orders.push(...createdRefs(rows, new Set(answer.refused.map((r) => r.line))));
      found.result.files.push({ name: sheet.name, rows: rows.length, imported: answer.imported });
    }
    return found;
  }
  const format = flow.doc.intake?.message;
  if (!format) {
    found.problems.push({
      line: 0,
      code: 'no_message_format',
      message: `flow "${flow.doc.key}" reads no message bodies (it has no intake.message): attach a CSV or Excel sheet`,
    });
    return found;
  }
  return textOrders(deps, flow, format, mail.text ?? '', {
    channel,
    ref: bodyRef(key),
    fence,
    source,
    actor,
  });
}

/** The references of the rows imported: every row's, less those of refused lines. */
function createdRefs(rows: ImportRow[], refused: Set<number>): MessageOrder[] {
  const bad = new Set(rows.filter((r) => refused.has(r.line)).map((r) => r.externalRef));
  const refs = new Set<string>();
  for (const row of rows)
    if (!('error' in row) && row.externalRef && !bad.has(row.externalRef))
      refs.add(row.externalRef);
  return [...refs].map((externalRef) => ({ externalRef }));
}
