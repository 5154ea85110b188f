import { readFile } from 'node:fs/promises';
import { EventLogService } from '../../event-log/event-log.service';
import { ApiProblem } from '../../problems/api-problem';
import { CliError, type CliIo } from '../cli-io';
import { withServer } from './server-context';

/**
 * `ordo import-log <log.csv> --flow <key>`: a legacy event log as the flow's baseline, as
 * `POST /api/flows/:key/event-log` — refused rows printed as `file:line: column: why`, and
 * then nothing written (exit code 1).
 */
export async function importLogCommand(
  file: string,
  options: { flow: string; dryRun?: boolean },
  io: CliIo,
): Promise<number> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code})`);
  }
  return withServer(async (server) => {
    try {
      const log = server.app.get(EventLogService);
      const result = await log.import(options.flow, content, !!options.dryRun);
      io.out(
        options.dryRun
          ? `${file}: ${result.orders} order(s) with ${result.entries} state entries would be imported (dry run: nothing written)`
          : `${file}: ${result.orders} order(s) imported with ${result.entries} state entries`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const rows = (error.extra.rows ?? []) as { line: number; column?: string; message: string }[];
      if (!rows.length) throw new CliError(`--flow ${options.flow}: ${error.detail}`);
      for (const r of rows)
        io.err(`${file}:${r.line}: ${r.column ? `column ${r.column}: ` : ''}${r.message}`);
      io.out(`${file}: nothing imported: ${rows.length} row(s) refused`);
      return 1;
    }
  });
}
