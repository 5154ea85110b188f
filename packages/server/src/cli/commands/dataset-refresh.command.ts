import { JsonSyntaxError, parseJsonSource } from '../json-source';
import { ApiProblem, type ProblemDetail } from '../../problems/api-problem';
import type { DataSetRefresh, RefreshRun } from '../../datasets/data-set-refresh.schema';
import { CliError, type CliIo, readTextFile } from '../cli-io';
import { cliActor, withServer } from './server-context';

/** Options of `ordo dataset refresh`: at most one of them; none shows the refresh. */
export interface DataSetRefreshOptions {
  /** A JSON file with the refresh spec (the body of `PUT /api/datasets/:key/refresh`). */
  set?: string;
  run?: boolean;
  stop?: boolean;
}

/**
 * `ordo dataset refresh <key> [--set spec.json | --run | --stop]` on the local database: the
 * same as `GET/PUT/DELETE /api/datasets/:key/refresh` and `POST …/refresh/run`. A bad spec is
 * refused as `file:line:col: /pointer: message`, nothing stored; a run that fails exits 1.
 */
export async function dataSetRefreshCommand(
  key: string,
  options: DataSetRefreshOptions,
  io: CliIo,
): Promise<number> {
  const chosen = (['set', 'run', 'stop'] as const).filter((o) => options[o]);
  if (chosen.length > 1)
    throw new CliError(`give one of --set, --run and --stop, not ${chosen.join(' and ')}`);
  const spec = options.set ? await readSpec(options.set) : undefined;
  return withServer(async (server) => {
    const { DataSetRefreshService } = await import('../../datasets/data-set-refresh.service.js');
    const refreshes = server.app.get(DataSetRefreshService);
    try {
      if (spec) {
        const stored = await refreshes.configure(key, spec.value, cliActor);
        io.out(`${key}: refreshed from ${describe(stored)}; the first run is due now`);
        return 0;
      }
      if (options.stop) {
        await refreshes.remove(key);
        io.out(`${key}: refresh stopped; the data set keeps its current version`);
        return 0;
      }
      if (options.run) {
        const run = await refreshes.runNow(key);
        io.out(`${key}: ${outcome(run)}`);
        for (const e of run.errors as (ProblemDetail & { line?: number })[])
          io.err(`  row ${e.line ?? '?'}: ${e.message}`);
        return run.outcome === 'ok' ? 0 : 1;
      }
      const shown = await refreshes.get(key);
      io.out(`${key}: refreshed from ${describe(shown)}`);
      io.out(`  next run: ${shown.nextRunAt ?? 'none'}`);
      io.out(`  last run: ${shown.lastRun ? outcome(shown.lastRun) : 'none yet'}`);
      return 0;
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const errors = (error.extra.errors as ProblemDetail[] | undefined) ?? [];
      if (spec && errors.length)
        throw new CliError(
          errors
            .map((e) => {
              const at = spec.positionOf(e.path);
              return `${options.set}:${at.line}:${at.column}: ${e.path || '/'}: ${e.message}`;
            })
            .join('\n'),
        );
      throw new CliError(errors[0] ? `${errors[0].path}: ${errors[0].message}` : error.detail);
    }
  });
}

async function readSpec(file: string) {
  try {
    return parseJsonSource(await readTextFile(file), file);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new CliError(error.message);
    throw error;
  }
}

const describe = ({ spec }: DataSetRefresh) =>
  `${spec.flow}/${spec.connector}.${spec.action ?? 'request'} ${spec.every ? `every ${spec.every}` : `at cron ${spec.cron}`}`;

const outcome = (run: RefreshRun) => `${run.outcome} at ${run.at}: ${run.message}`;
