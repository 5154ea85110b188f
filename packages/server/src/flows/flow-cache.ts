import { Injectable } from '@nestjs/common';
import { compileFlow, type CompiledFlow } from '@ordo/engine';
import { DomainEvents } from '../events/domain-events';
import { problems } from '../problems/api-problem';
import { FlowsRepository } from './flows.repository';

/** How long a flow's latest version number is trusted before it is read again. */
const LATEST_TTL_MS = 1000;

/**
 * Compiled published flow versions. A published version never changes, so each is compiled
 * once per process and kept. Which version is the latest is read at most once a second per
 * flow (and at once after a publish in this process): new orders use a new version within a
 * second of its publication, whichever process published it.
 */
@Injectable()
export class FlowCache {
  private readonly compiled = new Map<string, Promise<CompiledFlow>>();
  private readonly latestVersions = new Map<string, { version: number; until: number }>();

  constructor(
    private readonly flows: FlowsRepository,
    events: DomainEvents,
  ) {
    events.on('flow.published', ({ flow, version }) =>
      this.latestVersions.set(flow, { version, until: Date.now() + LATEST_TTL_MS }),
    );
  }

  /** The compiled version, or a 404 problem when the flow or version does not exist. */
  get(key: string, version: number): Promise<CompiledFlow> {
    const id = `${key}@${version}`;
    let entry = this.compiled.get(id);
    if (!entry) {
      entry = this.flows.version(key, version).then((record) => {
        if (!record) throw problems.notFound('Flow version', id);
        return compileFlow(record.document);
      });
      entry.catch(() => this.compiled.delete(id));
      this.compiled.set(id, entry);
    }
    return entry;
  }

  /** The latest published version of a flow, or a problem saying why there is none. */
  async latest(key: string): Promise<CompiledFlow> {
    const known = this.latestVersions.get(key);
    if (known && known.until > Date.now()) return this.get(key, known.version);
    const flow = await this.flows.latestVersion(key);
    if (!flow) throw problems.notFound('Flow', key);
    if (flow.latest === null)
      throw problems.unprocessable(
        'flow_not_published',
        `Flow "${key}" has no published version yet: publish it first`,
      );
    this.latestVersions.set(key, { version: flow.latest, until: Date.now() + LATEST_TTL_MS });
    return this.get(key, flow.latest);
  }
}
