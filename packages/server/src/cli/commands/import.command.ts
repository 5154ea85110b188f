import { SingleBar } from 'cli-progress';
import { FlowsService } from '../../flows/flows.service';
import { OrdersService } from '../../orders/orders.service';
import { ApiProblem } from '../../problems/api-problem';
import { CliError, type CliIo, readTextFile } from '../cli-io';
import { type ImportRow, readCsv, readJsonLines } from '../order-file';
import { cliActor, withServer } from './server-context';

/** Options of `ordo import`. */
export interface ImportOptions {
  flow: string;
  channel?: string;
}

function describe(error: unknown): string {
  if (!(error instanceof ApiProblem)) return (error as Error).message;
  const errors = (error.extra.errors as { path: string; message: string }[] | undefined) ?? [];
  return errors.length
    ? errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; ')
    : error.detail;
}

/**
 * `ordo import <orders.csv|orders.jsonl> --flow <key>`: creates one order per row on the
 * flow's latest version. Valid rows are imported; each refused row is printed with its line
 * and why; the exit code is 1 when any row was refused.
 */
export async function importCommand(
  file: string,
  options: ImportOptions,
  io: CliIo,
): Promise<number> {
  const text = await readTextFile(file);
  const kind = file.endsWith('.csv')
    ? 'csv'
    : file.endsWith('.jsonl') || file.endsWith('.ndjson')
      ? 'jsonl'
      : undefined;
  if (!kind) throw new CliError(`${file}: use a .csv or .jsonl file`);

  return withServer(async (server) => {
    let view;
    try {
      view = await server.app.get(FlowsService).view(options.flow);
    } catch (error) {
      if (error instanceof ApiProblem)
        throw new CliError(`--flow ${options.flow}: ${error.detail}`);
      throw error;
    }
    if (!view.latest)
      throw new CliError(
        `--flow ${options.flow}: the flow has no published version yet (ordo publish it first)`,
      );
    const rows: ImportRow[] =
      kind === 'csv' ? readCsv(text, view.latest.fields) : readJsonLines(text);
    const orders = server.app.get(OrdersService);
    const bar =
      io.interactive && rows.length > 200
        ? new SingleBar({ format: 'importing [{bar}] {value}/{total} rows' })
        : undefined;
    bar?.start(rows.length, 0);
    let imported = 0;
    const refused: string[] = [];
    for (const row of rows) {
      if ('error' in row) refused.push(`${file}:${row.line}: ${row.error}`);
      else {
        try {
          await orders.create(
            { flow: options.flow, data: row.data, channel: options.channel ?? kind },
            cliActor,
          );
          imported++;
        } catch (error) {
          refused.push(`${file}:${row.line}: ${describe(error)}`);
        }
      }
      bar?.increment();
    }
    bar?.stop();
    for (const line of refused) io.err(line);
    io.out(`${file}: ${imported} order(s) imported, ${refused.length} row(s) refused`);
    return refused.length ? 1 : 0;
  });
}
