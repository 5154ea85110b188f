import { Injectable } from '@nestjs/common';
import { compileFlow, type CompiledFlow } from '@ordo/engine';
import { problems } from '../problems/api-problem';
import { FlowsRepository } from './flows.repository';

/**
 * Compiled published flow versions. A published version never changes, so each is compiled
 * once per process and kept.
 */
@Injectable()
export class FlowCache {
  private readonly compiled = new Map<string, Promise<CompiledFlow>>();

  constructor(private readonly flows: FlowsRepository) {}

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
    const flow = await this.flows.latestVersion(key);
    if (!flow) throw problems.notFound('Flow', key);
    if (flow.latest === null)
      throw problems.unprocessable(
        'flow_not_published',
        `Flow "${key}" has no published version yet: publish it first`,
      );
    return this.get(key, flow.latest);
  }
}
