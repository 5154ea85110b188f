import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { type Static, Type } from '@sinclair/typebox';
import { ORDO_CONFIG } from '../config/config.module';
import { DEFAULT_TEMPLATES_DIR, type OrdoConfig } from '../config/ordo-config';
import { FlowsService } from '../flows/flows.service';
import { ApiProblem, problems } from '../problems/api-problem';
import { validateBody } from '../problems/validate-body';
import {
  checkScenario,
  readScenario,
  ScenarioError,
  type ScenarioProblem,
} from '../simulation/scenario-file';
import type { Scenario } from '../simulation/scenario.schema';
import { type FlowDoc, flowProblems } from '../simulation/flow-check';
import type { SimulationInput } from '../simulation/simulator';

export const SimulationBody = Type.Object(
  {
    scenario: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          "a scenario (docs/simulation.md); default: the scenario.json of the template the flow's key comes from",
      }),
    ),
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 366, description: "default: the scenario's days" }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 1 })),
    version: Type.Optional(
      Type.Union([Type.Literal('draft'), Type.Integer({ minimum: 1 })], {
        description: 'the draft (default) or a published version',
      }),
    ),
  },
  { additionalProperties: false },
);

/** What a job runs: the simulator's input, and what the job shows of it. */
export interface SimulationRequest {
  version: 'draft' | number;
  days: number;
  input: Omit<SimulationInput, 'onProgress' | 'onHour'>;
}

const scenarioDetails = (found: ScenarioProblem[], where: string) =>
  found.map((p) => ({
    path: `/scenario${p.path}`,
    code: 'scenario',
    message: where ? `${where}: ${p.message}` : p.message,
  }));

/** Turns `POST /api/flows/:key/simulations` into a simulation, or a problem naming the path. */
@Injectable()
export class SimulationRequests {
  private readonly templatesDir: string;

  constructor(
    private readonly flows: FlowsService,
    @Inject(ORDO_CONFIG) config: OrdoConfig,
  ) {
    this.templatesDir = config.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  }

  async resolve(key: string, raw: unknown): Promise<SimulationRequest> {
    const body: Static<typeof SimulationBody> = validateBody(SimulationBody, raw ?? {});
    const view = await this.flows.view(key);
    const version = body.version ?? 'draft';
    const doc = await this.document(key, version, view);
    const template = this.templateOf(key);
    let scenario: Scenario;
    let scenarioFile: string;
    if (body.scenario) {
      scenarioFile = 'scenario';
      try {
        scenario = checkScenario(structuredClone(body.scenario), scenarioFile);
      } catch (error) {
        if (error instanceof ScenarioError)
          throw problems.invalidBody(scenarioDetails(error.problems, ''));
        throw error;
      }
    } else if (template?.scenario) {
      scenarioFile = template.scenario;
      scenario = (await readScenario(scenarioFile)).scenario;
    } else
      throw problems.invalidBody([
        {
          path: '/scenario',
          code: 'required',
          message: `flow "${key}" does not come from a template with a scenario.json: give a scenario`,
        },
      ]);
    const against = flowProblems(scenario, doc as unknown as FlowDoc);
    if (against.length)
      throw problems.invalidBody(
        scenarioDetails(against, body.scenario ? '' : `templates/${template!.id}/scenario.json`),
      );
    const days = body.days ?? scenario.days;
    return {
      version,
      days,
      input: {
        scenario,
        scenarioFile,
        template: template?.id,
        flowDocument: doc,
        templatesDir: this.templatesDir,
        days,
        seed: body.seed ?? 1,
      },
    };
  }

  /** The document simulated: the draft (which must be valid) or a published version. */
  private async document(
    key: string,
    version: 'draft' | number,
    view: Awaited<ReturnType<FlowsService['view']>>,
  ): Promise<Record<string, unknown>> {
    if (version === 'draft') {
      if (!view.valid)
        throw problems.invalidBody([
          {
            path: '/version',
            code: 'invalid_flow',
            message: `the draft of "${key}" has errors: fix them, or simulate a published version`,
          },
        ]);
      return view.draft as Record<string, unknown>;
    }
    try {
      return (await this.flows.version(key, version)).document as Record<string, unknown>;
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 404) throw error;
      throw problems.invalidBody([
        {
          path: '/version',
          code: 'not_found',
          message: `flow "${key}" has no version ${version}`,
        },
      ]);
    }
  }

  /** The template whose flow has this key (its data sets and scenario come with it). */
  private templateOf(key: string): { id: string; scenario?: string } | undefined {
    if (!existsSync(this.templatesDir)) return undefined;
    for (const entry of readdirSync(this.templatesDir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const folder = path.join(this.templatesDir, entry.name);
      const flowFile = path.join(folder, 'flow.json');
      if (!entry.isDirectory() || !existsSync(flowFile)) continue;
      if ((JSON.parse(readFileSync(flowFile, 'utf8')) as { key?: string }).key !== key) continue;
      const scenario = path.join(folder, 'scenario.json');
      return { id: entry.name, ...(existsSync(scenario) && { scenario }) };
    }
    return undefined;
  }
}
