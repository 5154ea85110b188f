import { Injectable } from '@nestjs/common';
import { type Actor, type Flow, type Problem, validateFlow } from '@ordo/engine';
import { AuditLog } from '../audit/audit-log';
import { FlowConnectorCheck } from '../connectors/flow-connector-check';
import type { SqlExecutor } from '../database/db';
import { DomainEvents } from '../events/domain-events';
import { chatIntakeProblems } from '../intake/chat-check';
import { mailboxProblems } from '../intake/mailbox-check';
import { problems } from '../problems/api-problem';
import { FlowsRepository, type FlowRecord } from './flows.repository';
import { FlowCalendarCheck } from './flow-calendar-check';

const KEY = /^[a-z0-9][a-z0-9_-]*$/;

/** Reads the key of a flow document, or refuses the body naming `/key`. */
function keyOf(doc: unknown): string {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw problems.invalidBody([
      { path: '', code: 'type', message: 'the body must be a flow document (a JSON object)' },
    ]);
  const key = (doc as { key?: unknown }).key;
  if (typeof key !== 'string' || !KEY.test(key) || key.length > 64)
    throw problems.invalidBody([
      {
        path: '/key',
        code: 'key',
        message: 'key must be lower-case letters, digits, - and _ (at most 64), e.g. "fmcg-order"',
      },
    ]);
  return key;
}

/** Flows: one editable draft each (which may be invalid) and immutable published versions. */
@Injectable()
export class FlowsService {
  constructor(
    private readonly flows: FlowsRepository,
    private readonly events: DomainEvents,
    private readonly connectors: FlowConnectorCheck,
    private readonly audit: AuditLog,
    private readonly calendars: FlowCalendarCheck,
  ) {}

  /**
   * The engine's lint plus what only this server knows: its installed connectors, and the
   * hosts of the credentials they use (read through `db`: the publish transaction's own), and
   * the data set its business calendar is kept in.
   */
  async validate(
    doc: unknown,
    db: SqlExecutor = this.flows.db,
  ): Promise<{ ok: boolean; problems: Problem[] }> {
    const { problems: found } = validateFlow(doc);
    const all = [
      ...found,
      ...this.connectors.problems(doc),
      ...(await this.connectors.credentialProblems(doc, db)),
      ...(await mailboxProblems(doc, db)),
      ...(await chatIntakeProblems(doc, db)),
      ...(await this.calendars.problems(doc)),
    ];
    return { ok: !all.some((p) => p.severity === 'error'), problems: all };
  }

  /** Creates a flow from a document, or replaces its draft. The draft is kept even when invalid. */
  async saveDraft(doc: unknown, actor: Actor, expectedKey?: string) {
    const key = keyOf(doc);
    if (expectedKey !== undefined && key !== expectedKey)
      throw problems.invalidBody([
        {
          path: '/key',
          code: 'key_mismatch',
          message: `the document's key "${key}" is not "${expectedKey}", the flow in the URL`,
        },
      ]);
    const { ok, problems: found } = await this.validate(doc);
    await this.flows.saveDraft(
      {
        key,
        name: (doc as { name?: unknown }).name ?? key,
        draft: doc,
        draftProblems: found,
        draftValid: ok,
        updatedBy: actor.id,
      },
      new Date().toISOString(),
    );
    return this.view(key);
  }

  async list() {
    const rows = await this.flows.list();
    return {
      items: rows.map((r) => ({
        key: r.key,
        name: r.name,
        latestVersion: r.latestVersion,
        draftValid: r.draftValid,
        updatedAt: r.updatedAt,
      })),
    };
  }

  /** The flow: its draft with problems, the latest published document and the version list. */
  async view(key: string) {
    const flow = await this.require(key);
    const latest =
      flow.latestVersion === null ? null : await this.flows.version(key, flow.latestVersion);
    return {
      key: flow.key,
      name: flow.name,
      draft: flow.draft,
      problems: flow.draftProblems,
      valid: flow.draftValid,
      latestVersion: flow.latestVersion,
      latest: latest?.document ?? null,
      versions: await this.flows.versions(key),
      updatedAt: flow.updatedAt,
      updatedBy: flow.updatedBy,
    };
  }

  /** Publishes the draft as the next immutable version (422 with the problems when invalid). */
  async publish(key: string, note: string | undefined, actor: Actor) {
    const published = await this.flows.db.transaction(async (tx) => {
      const flow = await this.flows.get(key, tx);
      if (!flow) throw problems.notFound('Flow', key);
      const { ok, problems: found } = await this.validate(flow.draft, tx);
      if (!ok)
        throw problems.unprocessable(
          'invalid_flow',
          `Flow "${key}" has errors: fix them before publishing`,
          { errors: found.filter((p) => p.severity === 'error'), problems: found },
        );
      const version = (flow.latestVersion ?? 0) + 1;
      const document = { ...(flow.draft as Flow), version };
      const publishedAt = new Date().toISOString();
      await this.flows.insertVersion(
        { flow: key, version, document, note: note ?? null, publishedAt, publishedBy: actor.id },
        tx,
      );
      await this.audit.record(
        {
          actor: actor.id,
          entity: 'flow',
          entityId: key,
          action: 'published',
          before: flow.latestVersion === null ? null : { version: flow.latestVersion },
          after: { version, note: note ?? null },
        },
        tx,
      );
      return { key, version, publishedAt, note: note ?? null, warnings: found };
    });
    this.events.emit('flow.published', { flow: key, version: published.version });
    return published;
  }

  async version(key: string, version: number) {
    const found = await this.flows.version(key, version);
    if (!found) throw problems.notFound('Flow version', `${key}@${version}`);
    return found;
  }

  private async require(key: string): Promise<FlowRecord> {
    const flow = await this.flows.get(key);
    if (!flow) throw problems.notFound('Flow', key);
    return flow;
  }
}
