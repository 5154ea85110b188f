import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/ordo-config';
import { DataSetStore } from '../../datasets/data-set-store';
import type { CliIo } from '../cli-io';

/** `ordo start`: migrations, API, live events, designer; runs until SIGINT/SIGTERM. */
export async function startCommand(io: CliIo): Promise<void> {
  const config = loadConfig();
  const server = await createApp(config);
  if (server.migrationsRan.length) io.out(`migrations run: ${server.migrationsRan.join(', ')}`);
  // The first order should not wait for every data set to load.
  await server.app.get(DataSetStore).refresh();
  const url = await server.listen();
  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL';
  io.out(`Ordo is running at ${url} (${where}${config.redisUrl ? ', cluster mode' : ''})`);
  io.out(
    config.designerDir
      ? `designer: ${url}/`
      : 'designer: not built yet (packages/designer has no build output)',
  );
  io.out(`API: ${url}/api — OpenAPI: ${url}/api/docs`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
