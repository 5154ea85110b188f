import { type Problem, validateFlow } from '@ordo/engine';
import { FlowsService } from '../../flows/flows.service';
import { ApiProblem } from '../../problems/api-problem';
import { CliError, type CliIo } from '../cli-io';
import { cliActor, withServer } from './server-context';
import { formatProblems, readFlowFile } from './validate.command';

/** `ordo publish <flow.json>`: saves the file as the flow's draft and publishes it. */
export async function publishCommand(
  file: string,
  note: string | undefined,
  io: CliIo,
): Promise<number> {
  const source = await readFlowFile(file);
  const { ok, problems } = validateFlow(source.value);
  for (const line of formatProblems(file, source, problems)) io.err(line);
  if (!ok) throw new CliError(`${file}: not published — fix the errors above`);
  return withServer(async (server) => {
    const flows = server.app.get(FlowsService);
    try {
      await flows.saveDraft(source.value, cliActor);
      const published = await flows.publish((source.value as { key: string }).key, note, cliActor);
      io.out(`published ${published.key} version ${published.version}`);
      return 0;
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      // What only the server can check (installed connectors, credential hosts), by position.
      const errors = (error.extra.errors as Problem[] | undefined) ?? [];
      for (const line of formatProblems(file, source, errors)) io.err(line);
      throw new CliError(`${file}: ${error.detail}`);
    }
  });
}
