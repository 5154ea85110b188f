/**
 * Runs the data-driven flow suites in test/suites/*.json. Each file carries its own cases:
 * `{ description, flow, steps: [{ create | update | fire, actor?, now?, expect }] }`.
 * A step acts on the order left by the previous successful step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileFlow, type EngineResult, type Order } from '../src';

interface Step {
  description?: string;
  create?: Record<string, unknown>;
  update?: unknown;
  fire?: { type: string; payload?: unknown };
  actor?: { id: string; roles: string[] };
  now?: string;
  expect: {
    ok: boolean;
    state?: string;
    version?: number;
    data?: Record<string, unknown>;
    error?: { code: string; problems?: { path: string; code: string }[]; messageContains?: string };
    effects?: unknown[];
    warnings?: string[];
    history?: { kind: string; transition?: string }[];
  };
}
interface Suite {
  description: string;
  flow: unknown;
  steps: Step[];
}

const dir = path.join(__dirname, 'suites');
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Suite] as const);

describe.each(suites)('%s', (_file, suite) => {
  it(suite.description, () => {
    const flow = compileFlow(suite.flow);
    let order: Order | undefined;
    suite.steps.forEach((step, i) => {
      const ctx = {
        now: step.now ?? '2026-01-01T00:00:00.000Z',
        actor: step.actor ?? { id: 'tester', roles: ['admin'] },
        id: `order-${i}`,
      };
      const label = `step ${i}${step.description ? ` (${step.description})` : ''}`;
      let result: EngineResult;
      if (step.create) result = flow.create(step.create, ctx);
      else if (step.fire) result = flow.fire(order!, step.fire, ctx);
      else result = flow.update(order!, step.update, ctx);

      const { expect: want } = step;
      expect({ label, ok: result.ok }).toEqual({ label, ok: want.ok });
      if (!result.ok) {
        expect(result.error.code).toBe(want.error?.code);
        if (want.error?.problems)
          expect(result.error.problems?.map((p) => ({ path: p.path, code: p.code }))).toEqual(
            want.error.problems,
          );
        if (want.error?.messageContains)
          expect(result.error.message).toContain(want.error.messageContains);
        return;
      }
      order = result.order;
      if (want.state !== undefined)
        expect({ label, state: order.state }).toEqual({ label, state: want.state });
      if (want.version !== undefined) expect(order.version).toBe(want.version);
      if (want.data) expect(order.data).toMatchObject(want.data);
      if (want.effects) expect(result.effects).toEqual(want.effects);
      if (want.warnings) expect(result.warnings.map((w) => w.rule)).toEqual(want.warnings);
      if (want.history)
        expect(
          result.history.map((h) => ({
            kind: h.kind,
            ...(h.transition && { transition: h.transition }),
          })),
        ).toEqual(want.history);
    });
  });
});
