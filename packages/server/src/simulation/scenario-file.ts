import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { schemaAjv } from '@ordo/connectors';
import { type JsonSource, parseJsonSource } from '../cli/json-source';
import { toDetail } from '../problems/validate-body';
import { Scenario } from './scenario.schema';

const ajv = schemaAjv({ useDefaults: true });
const validate = ajv.compile(Scenario);

/** What is wrong with a scenario, at a JSON pointer of its file. */
export interface ScenarioProblem {
  path: string;
  message: string;
}

/** A scenario file that cannot run: every problem, each naming the file, pointer and position. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: (ScenarioProblem & { line: number; column: number })[],
  ) {
    super(
      problems
        .map((p) => `${file}:${p.line}:${p.column}: ${p.path || '/'}: ${p.message}`)
        .join('\n'),
    );
    this.name = 'ScenarioError';
  }
}

/**
 * The schema's errors, one per offending place: where a value matches none of a union's forms,
 * one "matches none of the forms" instead of each form's complaints.
 */
function schemaProblems(errors: ErrorObject[]): ScenarioProblem[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const inside = (path: string) => unions.some((u) => path === u || path.startsWith(`${u}/`));
  const out = new Map<string, ScenarioProblem>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && inside(error.instancePath)) continue;
    const detail =
      error.keyword === 'anyOf'
        ? { path: error.instancePath, message: 'matches none of the allowed forms' }
        : toDetail(error);
    out.set(`${detail.path} ${detail.message}`, { path: detail.path, message: detail.message });
  }
  return [...out.values()];
}

/** What the schema cannot say: consistent ranges and a profile that has some weight. */
function sense(s: Scenario): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  if (!s.orders.hourly.some((w) => w > 0))
    problems.push({ path: '/orders/hourly', message: 'at least one hour needs a weight above 0' });
  if (!s.orders.weekly.some((w) => w > 0))
    problems.push({ path: '/orders/weekly', message: 'at least one day needs a weight above 0' });
  if (s.lines && s.lines.count.range[0] > s.lines.count.range[1])
    problems.push({ path: '/lines/count/range', message: 'min is above max' });
  s.orders.peaks?.forEach((p, i) => {
    if (p.from > p.to) problems.push({ path: `/orders/peaks/${i}`, message: 'from is after to' });
  });
  const ranges = [
    ...Object.entries(s.fields).map(([k, g]) => [`/fields/${k}`, g] as const),
    ...Object.entries(s.lines?.fields ?? {}).map(([k, g]) => [`/lines/fields/${k}`, g] as const),
  ];
  for (const [at, gen] of ranges)
    if ('daysAfter' in gen && gen.daysAfter[0] > gen.daysAfter[1])
      problems.push({ path: `${at}/daysAfter`, message: 'min is above max' });
  if ((s.customers.count === undefined) === (s.customers.dataset === undefined))
    problems.push({ path: '/customers', message: 'give either count or dataset' });
  if (s.restock && (s.restock.dataset === undefined) === (s.restock.rows === undefined))
    problems.push({ path: '/restock', message: 'give either dataset or rows' });
  for (const [role, people] of Object.entries(s.people))
    if (people.hours[0] >= people.hours[1])
      problems.push({ path: `/people/${role}/hours`, message: 'the day ends before it starts' });
  return problems;
}

/** Checks a parsed scenario; throws ScenarioError naming the file and each pointer. */
export function checkScenario(value: unknown, file: string, source?: JsonSource): Scenario {
  const problems = validate(value)
    ? sense(value as Scenario)
    : schemaProblems(validate.errors ?? []);
  if (problems.length) throw scenarioError(file, problems, source);
  return value as Scenario;
}

export function scenarioError(
  file: string,
  problems: ScenarioProblem[],
  source?: JsonSource,
): ScenarioError {
  return new ScenarioError(
    file,
    problems.map((p) => ({ ...p, ...(source?.positionOf(p.path) ?? { line: 1, column: 1 }) })),
  );
}

/** Reads and checks a scenario file. */
export async function readScenario(
  file: string,
): Promise<{ scenario: Scenario; source: JsonSource }> {
  const source = parseJsonSource(await readFile(file, 'utf8'), file);
  return { scenario: checkScenario(source.value, file, source), source };
}
