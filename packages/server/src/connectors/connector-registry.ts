import { builtinConnectors, type Connector } from '@ordo/connectors';

const isConnector = (value: unknown): value is Connector =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as Connector).id === 'string' &&
  typeof (value as Connector).actions === 'object' &&
  typeof (value as Connector).validators === 'object';

/**
 * The connectors this server can run: the built-ins and those installed by configuration
 * (`ORDO_CONNECTORS`: modules whose exports include `defineConnector(...)` results).
 */
export class ConnectorRegistry {
  private readonly byId = new Map<string, Connector>();

  constructor(modules: readonly string[] = []) {
    for (const connector of builtinConnectors) this.add(connector, 'built-in');
    for (const file of modules) {
      let exported: Record<string, unknown>;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- connector modules are chosen at run time
        exported = require(file);
      } catch (error) {
        throw new Error(`ORDO_CONNECTORS: cannot load ${file}: ${(error as Error).message}`);
      }
      const found = Object.values(exported).filter(isConnector);
      if (!found.length)
        throw new Error(`ORDO_CONNECTORS: ${file} exports no connector (defineConnector(...))`);
      for (const connector of found) this.add(connector, file);
    }
  }

  private add(connector: Connector, from: string): void {
    if (this.byId.has(connector.id))
      throw new Error(`Connector "${connector.id}" from ${from} is already installed`);
    this.byId.set(connector.id, connector);
  }

  get(id: string): Connector | undefined {
    return this.byId.get(id);
  }

  /** What the designer and the API show: ids, versions, settings and action schemas. */
  describe() {
    return [...this.byId.values()].map((c) => ({
      id: c.id,
      version: c.version,
      title: c.title ?? c.id,
      description: c.description,
      settings: c.settings ?? null,
      auth: c.auth ?? null,
      actions: Object.entries(c.actions).map(([name, a]) => ({
        name,
        title: a.title ?? name,
        description: a.description,
        input: a.input,
        output: a.output,
      })),
    }));
  }
}
