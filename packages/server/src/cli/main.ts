import { Command } from 'commander';
import { ConfigError } from '../config/ordo-config';
import { CliError, type CliIo, processIo } from './cli-io';

/**
 * Runs the `ordo` CLI; resolves to the exit code (start keeps running). Each command's module
 * is loaded when it runs: the server behind most of them takes seconds to load, and a mistyped
 * argument or `--help` should answer at once.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = 0;
  const program = new Command('ordo')
    .description('Ordo: order flows — server and tools')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  program
    .command('start')
    .description('run migrations and start the server (API, live events, designer)')
    .action(async () => (await import('./commands/start.command.js')).startCommand(io));
  program
    .command('migrate')
    .description('run pending database migrations')
    .action(
      async () =>
        void (code = await (await import('./commands/migrate.command.js')).migrateCommand(io)),
    );
  program
    .command('validate <flow.json>')
    .description('check a flow document: problems with JSON pointers and file:line:column')
    .action(
      async (file: string) =>
        void (code = await (
          await import('./commands/validate.command.js')
        ).validateCommand(file, io)),
    );
  program
    .command('publish <flow.json>')
    .description('save a flow document as the draft and publish it')
    .option('--note <text>', 'a note for the version history')
    .action(
      async (file: string, opts: { note?: string }) =>
        void (code = await (
          await import('./commands/publish.command.js')
        ).publishCommand(file, opts.note, io)),
    );
  program
    .command('import <file>')
    .description('create orders from a .csv, .xlsx or .jsonl file')
    .requiredOption('--flow <key>', 'the flow the orders belong to')
    .option('--channel <name>', 'the channel to record (default: csv, xlsx or jsonl)')
    .option(
      '--map <column=path>',
      'where a column goes in the order data (repeatable; column= skips it)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .option('--all', 'import every row or none')
    .option('--dry-run', 'check the rows and write nothing')
    .action(
      async (
        file: string,
        opts: { flow: string; channel?: string; map?: string[]; all?: boolean; dryRun?: boolean },
      ) =>
        void (code = await (
          await import('./commands/import.command.js')
        ).importCommand(file, opts, io)),
    );
  program
    .command('simulate <template|flow.json>')
    .description('run a scenario in virtual time on a throw-away database; print before/after')
    .option('--scenario <file>', "the scenario (default: the template's scenario.json)")
    .option('--days <n>', "simulated days (default: the scenario's)")
    .option('--seed <n>', 'seed of every random draw (default 1)')
    .option('--json', 'the results as JSON')
    .option(
      '--database <postgres-url>',
      "run on a new PostgreSQL database on that URL's server, dropped at the end",
    )
    .action(
      async (
        target: string,
        opts: {
          scenario?: string;
          days?: string;
          seed?: string;
          json?: boolean;
          database?: string;
        },
      ) =>
        void (code = await (
          await import('./commands/simulate.command.js')
        ).simulateCommand(target, opts, io)),
    );
  program
    .command('import-log <log.csv>')
    .description("import a legacy event log (reference,state,at,…) as the flow's baseline")
    .requiredOption('--flow <key>', 'the flow whose states the log names')
    .option('--dry-run', 'check the rows and write nothing')
    .action(
      async (file: string, opts: { flow: string; dryRun?: boolean }) =>
        void (code = await (
          await import('./commands/import-log.command.js')
        ).importLogCommand(file, opts, io)),
    );
  program
    .command('deploy <template>')
    .description('deploy an industry template: its flow, credentials and (with --samples) orders')
    .option('--samples', 'create the sample orders too')
    .option(
      '--base-url <connector=url>',
      'point a connector of the template at a system (repeatable)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .action(
      async (template: string, opts: { samples?: boolean; baseUrl?: string[] }) =>
        void (code = await (
          await import('./commands/deploy.command.js')
        ).deployCommand(template, opts, io)),
    );
  const dataset = program
    .command('dataset')
    .description('reference data sets that rules read with lookup');
  dataset
    .command('refresh <key>')
    .description("show a data set's refresh from a connector, or set, run or stop it")
    .option('--set <spec.json>', 'refresh from a connector as this JSON spec says')
    .option('--run', 'refresh now and print the outcome')
    .option('--stop', 'stop refreshing (the data set keeps its version)')
    .action(
      async (key: string, opts: { set?: string; run?: boolean; stop?: boolean }) =>
        void (code = await (
          await import('./commands/dataset-refresh.command.js')
        ).dataSetRefreshCommand(key, opts, io)),
    );
  dataset
    .command('put <key> <file>')
    .description('upload a .csv, .xlsx or .json file as the next version of a data set')
    .option(
      '--key-column <column>',
      'the column of each row key (default: the current one, else the first)',
    )
    .option('--title <text>', 'the title shown in the designer')
    .option('--dry-run', 'check the rows and the diff, write nothing')
    .action(
      async (
        key: string,
        file: string,
        opts: { keyColumn?: string; title?: string; dryRun?: boolean },
      ) =>
        void (code = await (
          await import('./commands/dataset.command.js')
        ).dataSetPutCommand(key, file, opts, io)),
    );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CliError) return (io.err(`error: ${error.message}`), error.exitCode);
    if (error instanceof ConfigError) return (io.err(error.message), 1);
    const commanderCode = (error as { exitCode?: number; code?: string }).exitCode;
    if (commanderCode !== undefined) return commanderCode;
    io.err(`error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}
