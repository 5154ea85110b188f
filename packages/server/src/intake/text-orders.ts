import { type Actor, type CompiledFlow, type MessageFormat, readMessage } from '@ordo/engine';
import type { SqlExecutor } from '../database/db';
import { DataSetReads } from '../datasets/data-set-store';
import type { OrdersService } from '../orders/orders.service';
import type { IntakeService } from './intake.service';
import type { MailOrders } from './mail-orders';
import type { OrderSource } from './order-source';
import type { ImportRow } from './table-rows';

/**
 * Reads a message's text (an e-mail body, a chat message) by the flow's message format into one
 * order, written only when every line was understood — through the import (`intake.import`),
 * in its transaction with `fence` (the message's lease) checked; a refused element of the
 * order is named by the text line it came from.
 */
export async function textOrders(
  deps: { intake: IntakeService; orders: OrdersService },
  flow: CompiledFlow,
  format: MessageFormat,
  text: string,
  options: {
    /** The orders' channel. */
    channel: string;
    /** The reference when the text names none (stable per message). */
    ref: string;
    fence: (tx: SqlExecutor) => Promise<void>;
    source: OrderSource;
    actor: Actor;
  },
): Promise<MailOrders> {
  const found: MailOrders = { orders: [], problems: [], result: {} };
  const sets = new DataSetReads(await deps.orders.dataSetSnapshot());
  for (const [what, read] of [
    ['aliases', format.aliases],
    ['known', format.known],
  ] as const)
    if (read && sets.version(read.dataSet) === undefined)
      throw new Error(
        `the message format's ${what} read the data set "${read.dataSet}", which does not exist`,
      );
  const reading = readMessage(format, text, { fields: flow.doc.fields, dataSets: sets });
  found.result.body = {
    understood: reading.understood,
    notUnderstood: reading.notUnderstood,
    ignored: reading.ignored,
  };
  for (const m of reading.notUnderstood)
    found.problems.push({ line: m.line, code: m.code, message: `${m.message}: "${m.text}"` });
  const orderLines = reading.understood.filter((u) => u.as === 'line');
  if (!orderLines.length && !found.problems.length)
    found.problems.push({
      line: 0,
      code: 'no_order_lines',
      message: `no line reads as an order line like "${format.line}"`,
    });
  if (found.problems.length) return found;
  const externalRef = reading.externalRef ?? options.ref;
  const rows: ImportRow[] = [{ line: 1, data: reading.data, externalRef }];
  const lines = reading.understood.map((u) => u.line);
  const answer = await deps.intake.import(
    flow.doc.key,
    rows,
    {
      mode: 'valid',
      channel: options.channel,
      keyed: options.fence,
      source: { ...options.source, lines },
    },
    options.actor,
  );
  // The engine names a path (`lines.1.qty`): the text line that element came from.
  const arrayPath = format.lines ?? 'lines';
  const lineOf = (path?: string) => {
    const index = path?.startsWith(`${arrayPath}.`)
      ? Number(path.slice(arrayPath.length + 1).split('.')[0])
      : NaN;
    return orderLines[index]?.line ?? 0;
  };
  for (const r of answer.refused)
    found.problems.push({
      line: lineOf(r.path),
      code: r.code,
      message: r.path ? `${r.path}: ${r.message}` : r.message,
    });
  if (answer.imported) found.orders.push({ externalRef });
  return found;
}
