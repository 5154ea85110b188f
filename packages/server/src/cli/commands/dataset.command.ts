import path from 'node:path';
import type { DataSetFormat } from '../../datasets/data-set-file';
import { ApiProblem, type ProblemDetail } from '../../problems/api-problem';
import { CliError, type CliIo, readBytesFile } from '../cli-io';
import { cliActor, withServer } from './server-context';

/** Options of `ordo dataset put`. */
export interface DataSetPutOptions {
  keyColumn?: string;
  title?: string;
  dryRun?: boolean;
}

const FORMATS: Record<string, DataSetFormat> = { '.csv': 'csv', '.xlsx': 'xlsx', '.json': 'json' };

/**
 * `ordo dataset put <key> <file>`: the same upload as `PUT /api/datasets/:key` on the local
 * database (no request size limit) — every bad row printed as `file:line: column: why` and
 * nothing written; else the new version and what it changed. Exit code 1 on any problem.
 */
export async function dataSetPutCommand(
  key: string,
  file: string,
  options: DataSetPutOptions,
  io: CliIo,
): Promise<number> {
  const format = FORMATS[path.extname(file).toLowerCase()];
  if (!format) throw new CliError(`${file}: use a .csv, .xlsx or .json file`);
  const content = await readBytesFile(file);
  return withServer(async (server) => {
    const { DataSetsService } = await import('../../datasets/data-sets.service.js');
    const dataSets = server.app.get(DataSetsService);
    try {
      const answer = await dataSets.put(
        key,
        {
          format,
          content: format === 'xlsx' ? content.toString('base64') : content.toString('utf8'),
          keyColumn: options.keyColumn,
          title: options.title,
          source: path.basename(file),
          dryRun: options.dryRun,
        },
        cliActor,
      );
      printErrors(file, answer.errors, io);
      const { added, changed, removed } = answer.diff;
      const v = answer.dataset;
      const what = `${v.rows} row(s): ${added} added, ${changed} changed, ${removed} removed`;
      if (answer.errors.length)
        io.out(`${file}: ${answer.errors.length} problem(s); nothing written (dry run)`);
      else if (answer.unchanged) io.out(`${key}: unchanged, still version ${v.version}`);
      else if (options.dryRun) io.out(`${key}: version ${v.version} would have ${what} (dry run)`);
      else io.out(`${key}: version ${v.version} written, ${what}`);
      return answer.errors.length ? 1 : 0;
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const errors = (error.extra.errors as ProblemDetail[] | undefined) ?? [];
      if (error.code === 'invalid_rows') {
        printErrors(file, errors, io);
        io.out(`${file}: ${errors.length} problem(s); nothing written`);
        return 1;
      }
      const option = { '/keyColumn': '--key-column', '/key': key } as Record<string, string>;
      const at =
        errors[0] &&
        (option[errors[0].path] ?? (errors[0].path === '/content' ? file : errors[0].path));
      throw new CliError(at ? `${at}: ${errors[0].message}` : error.detail);
    }
  });
}

function printErrors(file: string, errors: readonly ProblemDetail[], io: CliIo): void {
  for (const e of errors as (ProblemDetail & { line?: number })[]) {
    const cell = e.message.replace(/^line \d+(, )?/, '').replace(/^: /, '');
    io.err(`${file}:${e.line ?? ''}: ${cell}`);
  }
}
