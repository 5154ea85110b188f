import { loadConfig } from '../../config/ordo-config';
import { createDataSource, openDatabase } from '../../database/data-source';
import type { CliIo } from '../cli-io';

/** `ordo migrate`: runs pending migrations on the configured database and says which. */
export async function migrateCommand(io: CliIo): Promise<number> {
  const config = loadConfig();
  const dataSource = createDataSource(config.database);
  try {
    const { ran } = await openDatabase(dataSource);
    io.out(ran.length ? `migrations run: ${ran.join(', ')}` : 'the database is up to date');
    return 0;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
