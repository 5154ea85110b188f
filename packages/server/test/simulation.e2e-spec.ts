import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_TEMPLATES_DIR } from '../src/config/ordo-config';
import { readScenario, ScenarioError } from '../src/simulation/scenario-file';
import { simulate } from '../src/simulation/simulator';
import type { SimulationResult } from '../src/simulation/sim-report';
import { ordoCli } from './support/ordo-cli';

const FMCG = path.join(DEFAULT_TEMPLATES_DIR, 'fmcg-distribution', 'scenario.json');

/**
 * The FMCG scenario for two simulated days on the real runtime: the figures go the way the
 * brief says, and one seed gives one result, to the digit.
 */
describe('simulation (SQLite, virtual time)', () => {
  let first: SimulationResult;
  const run = async (seed: number) => {
    const { scenario, source } = await readScenario(FMCG);
    return simulate({
      scenario,
      source,
      scenarioFile: FMCG,
      template: 'fmcg-distribution',
      days: 2,
      seed,
    });
  };

  beforeAll(async () => {
    first = await run(3);
  }, 240_000);

  it('blocks the wrong-bin lines, ships orders and has people handle tasks', () => {
    expect(first.days).toBe(2);
    expect(first.orders.created).toBeGreaterThan(400);
    expect(first.orders.refused).toBe(0);
    expect(first.orders.shipped).toBeGreaterThan(0);
    const wrong = first.errors.wrong_bin;
    expect(wrong.lines).toBeGreaterThan(10);
    expect(first.figures['lines.wrongBlocked.percent']).toBeGreaterThanOrEqual(99);
    expect(first.figures['lines.wrongShipped.percent']).toBeLessThan(0.09);
    const row = first.table.find((r) => r.id === 'wrong_sku_lines')!;
    expect(row).toMatchObject({ before: 3.1, measuredBy: 'lines.wrongShipped.percent' });
    expect(row.after).toBeLessThan(row.before);
    // The blocked orders became order-desk tasks that the operators worked.
    expect(first.exceptions.settledByPerson).toBeGreaterThan(0);
    expect(first.people.operator.handled).toBeGreaterThan(0);
    expect(first.people.warehouse.handled).toBeGreaterThanOrEqual(first.orders.shipped);
    for (const role of Object.values(first.people)) {
      expect(role.utilisationPercent).toBeGreaterThan(0);
      expect(role.utilisationPercent).toBeLessThanOrEqual(100);
    }
    const pickPack = first.measures.find((m) => m.id === 'pick_pack')!;
    expect(pickPack.count).toBeGreaterThan(0);
    expect(pickPack.p50Hours).toBeGreaterThan(0);
    expect(first.figures['touch.minutesPerOrder']).toBeGreaterThan(0);
    // Approvals clear: an approval the rules refuse is not retried at every turn.
    const approvals = first.measures.find((m) => m.id === 'approval')!.count;
    expect(approvals).toBeGreaterThan(first.failedActions['awaiting_approval → approve'] ?? 0);
    expect(first.queues['state awaiting_approval'].mean).toBeLessThan(5);
    expect(first.figures['notifications.perOrder']).toBeGreaterThan(1);
    expect(Object.keys(first.queues)).toEqual(
      expect.arrayContaining(['state picking', 'queue order-desk']),
    );
  });

  it('gives identical results for one seed', async () => {
    expect(JSON.stringify(await run(3))).toBe(JSON.stringify(first));
  }, 240_000);
});

describe('scenario files', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'ordo-scenario-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, change: (s: any) => void) => {
    const s = JSON.parse(readFileSync(FMCG, 'utf8'));
    change(s);
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(s, null, 2));
    return file;
  };

  it('refuses a bad scenario naming the file, pointer and position of each problem', async () => {
    const file = write('bad.json', (s) => {
      s.days = 0;
      s.orders.hourly = [1, 2];
      s.people.warehouse.handles[0].minutes = { gaussian: 3 };
      s.lines.count.range = [5, 2];
    });
    const error = await readScenario(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const paths = (error as ScenarioError).problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/days', '/orders/hourly', '/people/warehouse/handles/0']),
    );
    expect((error as Error).message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: /days: `, 'm'),
    );
    // What the schema allows but does not make sense is refused too.
    const upside = write('upside.json', (s) => (s.lines.count.range = [5, 2]));
    const sense = (await readScenario(upside).catch((e: unknown) => e)) as ScenarioError;
    expect(sense.problems).toEqual([
      expect.objectContaining({ path: '/lines/count/range', message: 'min is above max' }),
    ]);
  });

  it('refuses states, events and queues the flow does not have, before anything runs', async () => {
    const file = write('unknown.json', (s) => {
      s.people.warehouse.handles[1].state = 'teleporting';
      s.people.operator.handles[0].task.queue = 'nowhere';
      s.systems.mainframe = { failureRate: 0.5 };
      // Two shares of one state adding up to more than all of its orders.
      s.people.warehouse.handles[0].share = 0.7;
      s.people.warehouse.handles.push({ ...s.people.warehouse.handles[0], share: 0.4 });
    });
    const { scenario, source } = await readScenario(file);
    const error = (await simulate({
      scenario,
      source,
      scenarioFile: file,
      template: 'fmcg-distribution',
      days: 1,
      seed: 1,
    }).catch((e: unknown) => e)) as ScenarioError;
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.problems.map((p) => p.path)).toEqual([
      '/people/operator/handles/0/task/queue',
      '/people/warehouse/handles/1/state',
      '/people/warehouse/handles/2/share',
      '/systems/mainframe',
    ]);
  });

  it('the CLI prints the problems and exits 1; a bad option is refused at once', async () => {
    const file = write('cli.json', (s) => delete s.before);
    const ordo = ordoCli(process.env, dir);
    const refused = await ordo('simulate', 'fmcg-distribution', '--scenario', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${file}:1:1: /before: before is required`);
    expect(refused.stdout).toBe('');
    const seed = await ordo('simulate', 'fmcg-distribution', '--seed', 'x');
    expect(seed).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--seed must be a whole number'),
    });
    const none = await ordo('simulate', 'no-such-template');
    expect(none).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no template "no-such-template"'),
    });
  });
});
