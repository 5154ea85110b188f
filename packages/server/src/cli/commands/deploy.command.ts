import { ApiProblem } from '../../problems/api-problem';
import { TemplatesService } from '../../templates/templates.service';
import { CliError, type CliIo } from '../cli-io';
import { cliActor, withServer } from './server-context';

/** Options of `ordo deploy`. */
export interface DeployCommandOptions {
  samples?: boolean;
  /** `name=url` pairs: the base URL of a connector of the template's flow. */
  baseUrl?: string[];
}

const label = (l: unknown) =>
  typeof l === 'string' ? l : ((l as Record<string, string>).en ?? Object.values(l as object)[0]);

/**
 * `ordo deploy <template> [--samples] [--base-url wms=https://wms.example.com]`: the same
 * one-click deploy as the designer's gallery, on the configured database.
 */
export async function deployCommand(
  id: string,
  options: DeployCommandOptions,
  io: CliIo,
): Promise<number> {
  const connectors: Record<string, { settings: { baseUrl: string } }> = {};
  for (const pair of options.baseUrl ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new CliError(`--base-url ${pair}: write it as <connector>=<url>`);
    connectors[pair.slice(0, at)] = { settings: { baseUrl: pair.slice(at + 1) } };
  }
  return withServer(async (server) => {
    let result;
    try {
      result = await server.app
        .get(TemplatesService)
        .deploy(id, { loadSamples: options.samples, connectors }, cliActor);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      const errors = (error.extra.errors as { path: string; message: string }[] | undefined) ?? [];
      throw new CliError(
        `template ${id}: ${errors.length ? errors.map((e) => `${e.path}: ${e.message}`).join('; ') : error.detail}`,
      );
    }
    io.out(
      result.published
        ? `Deployed ${id}: flow "${result.flow}" published as v${result.version}`
        : `${id} is deployed already: flow "${result.flow}" v${result.version} unchanged`,
    );
    if (result.credentials.placeholders.length)
      io.out(
        `Credentials stored with placeholder secrets: ${result.credentials.placeholders.join(', ')}`,
      );
    if (result.credentials.demo.length)
      io.out(
        `Credentials set to the fake systems' demo keys: ${result.credentials.demo.join(', ')}`,
      );
    if (options.samples)
      io.out(
        `Sample orders: ${result.samples.created} created, ${result.samples.existing} already there, ${result.samples.refused.length} refused`,
      );
    for (const r of result.samples.refused) io.err(`  ${r.externalRef}: ${r.error}`);
    io.out('Before real orders:');
    for (const item of result.checklist) io.out(`  - ${label(item)}`);
    return result.samples.refused.length ? 1 : 0;
  });
}
