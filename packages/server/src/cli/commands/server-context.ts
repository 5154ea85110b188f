import type { Actor } from '@ordo/engine';
import { createApp, type OrdoApp } from '../../app.factory';
import { loadConfig } from '../../config/ordo-config';

/** The actor of CLI commands run on the local database: an admin named `cli`. */
export const cliActor: Actor = { id: 'cli', roles: ['admin'] };

/** Runs `fn` with the server app built on the configured database, not listening. */
export async function withServer<T>(fn: (server: OrdoApp) => Promise<T>): Promise<T> {
  const server = await createApp(loadConfig(), { logger: ['error'] });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
