import type { Actor } from '@ordo/engine';
import type { OrdoApp } from '../../app.factory';
import { loadConfig } from '../../config/ordo-config';

/** The actor of CLI commands run on the local database: an admin named `cli`. */
export const cliActor: Actor = { id: 'cli', roles: ['admin'], kind: 'person' };

/**
 * Runs `fn` with the server app built on the configured database, not listening, and without
 * an effect dispatcher: the running server carries out what a command writes to the outbox.
 */
export async function withServer<T>(fn: (server: OrdoApp) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: the server takes seconds to load, and a command that stops at
  // a bad argument should answer at once.
  const { createApp } = await import('../../app.factory.js');
  const server = await createApp(loadConfig(), { logger: ['error'], runEffects: false });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
