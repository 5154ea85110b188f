import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { generateWebhookSecret } from '@ordo/connectors';
import { type Actor, canonicalJson, type Flow, type Label } from '@ordo/engine';
import { AuditLog } from '../audit/audit-log';
import { ORDO_CONFIG } from '../config/config.module';
import { DEFAULT_TEMPLATES_DIR, type OrdoConfig } from '../config/ordo-config';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { FlowConnectorCheck } from '../connectors/flow-connector-check';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { CredentialsService } from '../credentials/credentials.service';
import { FlowsService } from '../flows/flows.service';
import { DataSetsService } from '../datasets/data-sets.service';
import { DataSetRefreshService } from '../datasets/data-set-refresh.service';
import { RefreshSpec } from '../datasets/data-set-refresh.schema';
import { validateBody } from '../problems/validate-body';
import type { DataSetFormat } from '../datasets/data-set-file';
import { DuplicateReference } from '../orders/order-errors';
import { OrdersService } from '../orders/orders.service';
import { ApiProblem, problems } from '../problems/api-problem';
import { applyDeployConnectors, type DeployConnectorChange } from './deploy-connectors';

/** What `template.json` says of a template: for the gallery and the deploy checklist. */
export interface TemplateManifest {
  id: string;
  name: Label;
  summary: Label;
  industry?: Label;
  /**
   * Credentials its flow names: stored with random placeholder secrets on deploy, with the
   * hosts its connectors send them to (after the deploy's own settings); one only Ordo reads
   * (a webhook secret) gets none.
   */
  credentials: {
    name: string;
    fields: string[];
    purpose: Label;
    /**
     * The fake system's own secret (say, the key the fake WeCom robot knows): stored instead of
     * a random placeholder when no connector sending this credential had its settings changed
     * by the deploy, so a demo deploy delivers to the fake systems at once. A deploy that points
     * a connector elsewhere gets a placeholder, never the demo secret.
     */
    demo?: Record<string, string>;
  }[];
  /** What to configure before real orders run on it. */
  checklist: Label[];
  /**
   * Reference data sets its rules look up, each a file of the template's `datasets/` folder:
   * created on deploy when there is no set of that key (an existing one is the user's own
   * data and is kept).
   */
  datasets?: {
    key: string;
    file: string;
    title: Label;
    keyColumn?: string;
    /**
     * How the set is refreshed from its system of record through a connector of the template's
     * flow (a refresh spec without `flow`): configured when the deploy creates the set, after the
     * flow is published; its first run is due at once.
     */
    refresh?: Omit<RefreshSpec, 'flow'>;
  }[];
}

/** A sample order: its reference (so loading twice creates nothing new) and its data. */
export interface SampleOrder {
  externalRef: string;
  data: Record<string, unknown>;
  channel?: string;
}

export interface Template extends TemplateManifest {
  flow: Flow;
  samples: SampleOrder[];
  readme: string;
}

/**
 * How a deploy is adjusted: sample orders, and connector settings (say, real base URLs) and
 * credentials (stored instead of placeholders).
 */
export interface DeployOptions {
  loadSamples?: boolean;
  connectors?: Record<string, DeployConnectorChange>;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Industry templates (`templates/<id>/`: template.json, flow.json, README.md,
 * samples/orders.json) and their one-click deploy: the flow saved and published, its
 * credentials stored with placeholders, its sample orders loaded — and deploying again
 * changes nothing that is already there.
 */
@Injectable()
export class TemplatesService {
  private readonly dir: string;

  constructor(
    @Inject(ORDO_CONFIG) config: OrdoConfig,
    private readonly flows: FlowsService,
    private readonly orders: OrdersService,
    private readonly credentials: CredentialsService,
    private readonly connectors: FlowConnectorCheck,
    private readonly audit: AuditLog,
    private readonly dataSets: DataSetsService,
    private readonly registry: ConnectorRegistry,
    private readonly refreshes: DataSetRefreshService,
    @Inject(DB) private readonly db: Db,
  ) {
    this.dir = config.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  }

  /** Every template, for the gallery: its manifest and its flow (for a canvas preview). */
  list(): (TemplateManifest & { flow: Flow; samples: number })[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(this.dir, d.name, 'template.json')))
      .map((d) => this.get(d.name))
      .map(({ readme: _readme, samples, ...t }) => ({ ...t, samples: samples.length }));
  }

  get(id: string): Template {
    const folder = path.join(this.dir, id);
    if (!ID.test(id) || !existsSync(path.join(folder, 'template.json')))
      throw problems.notFound('Template', id);
    const read = (file: string) => readFileSync(path.join(folder, file), 'utf8');
    const manifest = JSON.parse(read('template.json')) as TemplateManifest;
    const samples = existsSync(path.join(folder, 'samples', 'orders.json'))
      ? (JSON.parse(read('samples/orders.json')) as SampleOrder[])
      : [];
    return {
      ...manifest,
      id,
      flow: JSON.parse(read('flow.json')) as Flow,
      samples,
      readme: existsSync(path.join(folder, 'README.md')) ? read('README.md') : '',
    };
  }

  async deploy(id: string, options: DeployOptions, actor: Actor) {
    const template = this.get(id);
    const {
      flow,
      given,
      problems: wrong,
    } = applyDeployConnectors(template.flow, options.connectors ?? {}, this.registry);
    if (!wrong.length) wrong.push(...(await this.keptCredentialProblems(flow, given)));
    if (wrong.length) throw problems.invalidBody(wrong);
    this.checkRefreshes(template);

    const stored = new Set((await this.credentials.list()).map((c) => c.name));
    const placeholders: string[] = [];
    const demo: string[] = [];
    const endpoints = this.connectors.credentialEndpoints(flow);
    for (const [name, secret] of given)
      await this.credentials.save(name, secret, endpoints.get(name) ?? [], actor.id);
    for (const credential of template.credentials)
      if (!stored.has(credential.name) && !given.has(credential.name)) {
        // A webhook trigger's secret is a Standard Webhooks one (whsec_), ready to hand over.
        const signs = (flow.triggers ?? []).some(
          (t) => 'webhook' in t && t.webhook.secret === credential.name,
        );
        const keepsFake =
          credential.demo !== undefined &&
          keepsTemplateSettings(template.flow, credential.name, options.connectors ?? {});
        const secret = keepsFake
          ? credential.demo!
          : Object.fromEntries(
              credential.fields.map((f) => [
                f,
                signs && f === 'secret'
                  ? generateWebhookSecret()
                  : randomBytes(24).toString('base64url'),
              ]),
            );
        const hosts = endpoints.get(credential.name) ?? [];
        await this.credentials.save(credential.name, secret, hosts, actor.id);
        (keepsFake ? demo : placeholders).push(credential.name);
      }

    const datasets = await this.deployDataSets(template, actor);

    const current = await this.flows.view(flow.key).catch((error) => {
      if (error instanceof ApiProblem && error.status === 404) return undefined;
      throw error;
    });
    const same = (doc: unknown) =>
      doc !== null &&
      doc !== undefined &&
      canonicalJson({ ...(doc as Flow), version: undefined }) ===
        canonicalJson({ ...flow, version: undefined });
    let version = current?.latestVersion ?? null;
    let published = false;
    if (!current || !same(current.latest)) {
      await this.flows.saveDraft(flow, actor);
      version = (await this.flows.publish(flow.key, `Deployed from template ${id}`, actor)).version;
      published = true;
    }

    const refreshed = await this.deployRefreshes(template, datasets.created, actor);

    const samples = {
      created: 0,
      existing: 0,
      refused: [] as { externalRef: string; error: string }[],
    };
    if (options.loadSamples)
      for (const sample of template.samples) {
        try {
          await this.orders.create(
            {
              flow: flow.key,
              data: sample.data,
              externalRef: sample.externalRef,
              channel: sample.channel ?? 'sample',
            },
            actor,
          );
          samples.created++;
        } catch (error) {
          if (error instanceof DuplicateReference) samples.existing++;
          else
            samples.refused.push({
              externalRef: sample.externalRef,
              error: (error as Error).message,
            });
        }
      }

    await this.audit.record({
      actor: actor.id,
      entity: 'template',
      entityId: id,
      action: 'deployed',
      before: current?.latestVersion ? { flow: flow.key, version: current.latestVersion } : null,
      after: {
        flow: flow.key,
        version,
        published,
        placeholderCredentials: placeholders,
        demoCredentials: demo,
        givenCredentials: [...given.keys()],
        datasets: datasets.created,
        samples: {
          created: samples.created,
          existing: samples.existing,
          refused: samples.refused.length,
        },
      },
    });
    return {
      template: id,
      flow: flow.key,
      version,
      published,
      credentials: {
        placeholders,
        demo,
        given: [...given.keys()],
        existing: template.credentials
          .map((c) => c.name)
          .filter((n) => !placeholders.includes(n) && !demo.includes(n) && !given.has(n)),
      },
      datasets: { ...datasets, refreshed },
      samples,
      checklist: template.checklist,
    };
  }

  /** The template's data sets that do not exist yet, uploaded as their version 1. */
  private async deployDataSets(template: Template, actor: Actor) {
    const existing = new Set((await this.dataSets.list()).map((d) => d.key));
    const result = { created: [] as string[], existing: [] as string[] };
    for (const set of template.datasets ?? []) {
      if (existing.has(set.key)) {
        result.existing.push(set.key);
        continue;
      }
      const format = path.extname(set.file).slice(1) as DataSetFormat;
      const file = path.join(this.dir, template.id, 'datasets', path.basename(set.file));
      await this.dataSets.put(
        set.key,
        {
          format,
          content: readFileSync(file, format === 'xlsx' ? 'base64' : 'utf8'),
          keyColumn: set.keyColumn,
          title: set.title,
          source: `template ${template.id}: ${set.file}`,
        },
        actor,
      );
      result.created.push(set.key);
    }
    return result;
  }

  /** A template whose data set refresh cannot work is refused before anything is written. */
  private checkRefreshes(template: Template) {
    for (const [i, set] of (template.datasets ?? []).entries()) {
      if (!set.refresh) continue;
      const at = `templates/${template.id}/template.json: /datasets/${i}/refresh`;
      try {
        validateBody(RefreshSpec, { ...set.refresh, flow: template.flow.key });
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        const errors = (error.extra.errors as { path: string; message: string }[]) ?? [];
        throw problems.unprocessable(
          'invalid_template',
          errors.map((e) => `${at}${e.path}: ${e.message}`).join('; ') || `${at}: ${error.detail}`,
        );
      }
      if (!template.flow.connectors?.[set.refresh.connector])
        throw problems.unprocessable(
          'invalid_template',
          `${at}/connector: the template's flow has no connector "${set.refresh.connector}"`,
        );
    }
  }

  /** The refreshes of the data sets this deploy created, through the published flow's connectors. */
  private async deployRefreshes(template: Template, created: string[], actor: Actor) {
    const refreshed: string[] = [];
    for (const set of template.datasets ?? [])
      if (set.refresh && created.includes(set.key)) {
        await this.refreshes.configure(
          set.key,
          {
            keyColumn: set.keyColumn,
            title: set.title,
            ...set.refresh,
            flow: template.flow.key,
          },
          actor,
        );
        refreshed.push(set.key);
      }
    return refreshed;
  }

  /**
   * A stored credential this deploy keeps must allow where the flow now sends it (a changed
   * base URL would otherwise carry the old secret to a new host): errors at the setting.
   */
  private async keptCredentialProblems(flow: Flow, given: Map<string, unknown>) {
    return (await this.connectors.credentialProblems(flow, this.db))
      .filter((p) => p.severity === 'error')
      .filter((p) => {
        const name = /^\/connectors\/([^/]+)/.exec(p.path)?.[1];
        const credential =
          name && flow.connectors?.[name.replace(/~1/g, '/').replace(/~0/g, '~')]?.credential;
        return !credential || !given.has(credential);
      })
      .map(({ path, code, message }) => ({ path, code, message }));
  }
}

/** Whether every connector of the template sending `credential` keeps the template's settings. */
function keepsTemplateSettings(
  flow: Flow,
  credential: string,
  changes: Record<string, DeployConnectorChange>,
): boolean {
  return Object.entries(flow.connectors ?? {})
    .filter(([, instance]) => instance.credential === credential)
    .every(([name]) => {
      const settings = changes[name]?.settings;
      return !settings || Object.keys(settings).length === 0;
    });
}
