import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_TEMPLATES_DIR } from '../../config/ordo-config';
import { readScenario, ScenarioError } from '../../simulation/scenario-file';
import { simulate } from '../../simulation/simulator';
import { formatResult } from '../../simulation/sim-report';
import { CliError, type CliIo } from '../cli-io';

export interface SimulateOptions {
  scenario?: string;
  days?: string;
  seed?: string;
  json?: boolean;
  database?: string;
}

const whole = (name: string, value: string | undefined, min: number, max: number) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/**
 * `ordo simulate <template|flow.json>`: runs the scenario in virtual time on a throw-away
 * database with the fake systems in-process, and prints the before/after table.
 */
export async function simulateCommand(
  target: string,
  opts: SimulateOptions,
  io: CliIo,
): Promise<number> {
  const templatesDir = process.env.ORDO_TEMPLATES_DIR
    ? path.resolve(process.env.ORDO_TEMPLATES_DIR)
    : DEFAULT_TEMPLATES_DIR;
  const isFile = target.endsWith('.json');
  const template = isFile ? undefined : target;
  if (template && !existsSync(path.join(templatesDir, template, 'flow.json')))
    throw new CliError(`no template "${template}" in ${templatesDir}`);
  const scenarioFile =
    opts.scenario ?? (template ? path.join(templatesDir, template, 'scenario.json') : undefined);
  if (!scenarioFile) throw new CliError('a flow file needs --scenario <file>');
  if (!existsSync(scenarioFile)) throw new CliError(`${scenarioFile}: no such file`);
  const days = whole('days', opts.days, 1, 366);
  const seed = whole('seed', opts.seed, 0, 2 ** 31 - 1) ?? 1;
  if (opts.database !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(opts.database))
    throw new CliError('--database must be a PostgreSQL URL (postgres://user@host:5432/db)');
  let loaded;
  try {
    loaded = await readScenario(scenarioFile);
  } catch (error) {
    if (error instanceof ScenarioError) {
      io.err(error.message);
      throw new CliError(`${scenarioFile}: not simulated — fix the problems above`);
    }
    throw error;
  }
  const flowDocument = isFile ? JSON.parse(await readFile(target, 'utf8')) : undefined;
  const bar = io.interactive ? await dayBar() : undefined;
  const began = Date.now();
  // Stopped (SIGTERM, Ctrl-C): the run ends at its next step and drops its throw-away database.
  const stop = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    stop.abort();
  };
  const signals = ['SIGTERM', 'SIGINT'] as const;
  for (const signal of signals) process.once(signal, onSignal);
  try {
    const result = await simulate({
      scenario: loaded.scenario,
      scenarioFile,
      source: loaded.source,
      template,
      flowDocument,
      templatesDir,
      days,
      seed,
      database: opts.database,
      onProgress: (p) => bar?.update(p),
      signal: stop.signal,
    });
    bar?.stop();
    if (opts.json) io.out(JSON.stringify(result, null, 2));
    else {
      for (const line of formatResult(result)) io.out(line);
      io.out(`\n(${((Date.now() - began) / 1000).toFixed(1)} s wall time)`);
    }
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof ScenarioError) {
      io.err(error.message);
      throw new CliError(`${scenarioFile}: not simulated — fix the problems above`);
    }
    // 128 + the signal's number, as a shell reports a process the signal ended.
    if (stoppedBy)
      throw new CliError(
        `stopped by ${stoppedBy}; the run's throw-away database was dropped`,
        stoppedBy === 'SIGINT' ? 130 : 143,
      );
    throw error;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}

async function dayBar() {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      format: 'simulating [{bar}] day {value}/{total} | {orders} orders',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: { day: number; days: number; orders: number }) {
      if (!started) bar.start(p.days, p.day, { orders: p.orders });
      started = true;
      bar.update(p.day, { orders: p.orders });
    },
    stop: () => started && bar.stop(),
  };
}
