import type { RowProblem } from '../../intake/intake.service';
import { readTable, TableError } from '../../intake/table-file';
import {
  type ColumnMapping,
  readJsonLines,
  tableToRows,
  unsafeTargets,
} from '../../intake/table-rows';
import { ApiProblem } from '../../problems/api-problem';
import { CliError, type CliIo, readBytesFile } from '../cli-io';
import { importBar } from '../progress';
import { cliActor, withServer } from './server-context';

/** Options of `ordo import`. */
export interface ImportOptions {
  flow: string;
  channel?: string;
  /** `column=path` pairs (`path` empty to skip the column). */
  map?: string[];
  /** All rows or none. */
  all?: boolean;
  dryRun?: boolean;
}

const FORMATS = { '.csv': 'csv', '.xlsx': 'xlsx', '.jsonl': 'jsonl', '.ndjson': 'jsonl' } as const;

/**
 * `ordo import <orders.csv|orders.xlsx|orders.jsonl> --flow <key>`: the same intake as
 * `POST /api/flows/:key/imports` — rows of one order grouped by reference, every order checked by the engine, the refused ones printed
 * as `file:line: column: why`, the rest written in one transaction (with `--all`, every row or
 * none). Exit code 1 when any row was refused.
 */
export async function importCommand(
  file: string,
  options: ImportOptions,
  io: CliIo,
): Promise<number> {
  const extension = Object.keys(FORMATS).find((e) => file.toLowerCase().endsWith(e));
  if (!extension) throw new CliError(`${file}: use a .csv, .xlsx or .jsonl file`);
  const format = FORMATS[extension as keyof typeof FORMATS];
  const mapping: ColumnMapping = {};
  for (const pair of options.map ?? []) {
    const at = pair.indexOf('=');
    if (at < 1)
      throw new CliError(`--map ${pair}: write it as <column>=<path> (or <column>= to skip it)`);
    mapping[pair.slice(0, at)] = pair.slice(at + 1) || null;
  }
  const content = await readBytesFile(file);

  return withServer(async (server) => {
    const { IntakeService } = await import('../../intake/intake.service.js');
    const intake = server.app.get(IntakeService);
    let result;
    const bar = await importBar(io);
    try {
      const fields = await intake.fields(options.flow);
      const run = {
        mode: options.all ? 'all' : 'valid',
        dryRun: options.dryRun,
        channel: options.channel ?? format,
        onProgress: bar.onProgress,
      } as const;
      if (format === 'jsonl')
        result = await intake.import(
          options.flow,
          readJsonLines(content.toString('utf8')),
          run,
          cliActor,
        );
      else {
        const table = await readTable(format, content);
        const unknown = Object.keys(mapping).filter((c) => !table.columns.includes(c));
        if (unknown.length)
          throw new CliError(
            `--map: ${file} has no column ${unknown.map((c) => `"${c}"`).join(', ')} (it has: ${table.columns.join(', ')})`,
          );
        const unwritable = unsafeTargets(table.columns, mapping);
        if (unwritable.length)
          throw new CliError(`${file}: ${unwritable.map((p) => p.message).join('; ')}`);
        result = await intake.import(
          options.flow,
          tableToRows(table, fields, mapping),
          run,
          cliActor,
          { columns: table.columns, mapping },
        );
      }
    } catch (error) {
      bar.stop();
      if (error instanceof TableError) throw new CliError(`${file}: ${error.message}`);
      if (error instanceof ApiProblem && error.code === 'import_refused') {
        printRefused(file, error.extra.refused as RowProblem[], io);
        io.out(
          `${file}: nothing imported (--all): ${(error.extra.refused as RowProblem[]).length} row(s) refused`,
        );
        return 1;
      }
      if (error instanceof ApiProblem && error.code === 'forbidden' && error.extra.refused) {
        // Values the flow gives to other roles or to the system (writableBy, source: system).
        printRefused(file, error.extra.refused as RowProblem[], io);
        io.out(`${file}: nothing imported: ${error.detail}`);
        return 1;
      }
      if (error instanceof ApiProblem)
        throw new CliError(`--flow ${options.flow}: ${error.detail}`);
      throw error;
    }
    bar.stop();
    printRefused(file, result.refused, io);
    const lines = new Set(result.refused.map((r) => r.line)).size;
    io.out(
      options.dryRun
        ? `${file}: ${result.valid} order(s) would be imported, ${lines} row(s) refused (dry run: nothing written)`
        : `${file}: ${result.imported} order(s) imported, ${lines} row(s) refused`,
    );
    return lines ? 1 : 0;
  });
}

function printRefused(file: string, refused: RowProblem[], io: CliIo): void {
  for (const r of refused)
    io.err(
      `${file}:${r.line}: ${r.column ? `column ${r.column}: ` : ''}${r.path && r.path !== r.column ? `${r.path}: ` : ''}${r.message}`,
    );
}
