import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { watchdogClient } from './watchdog-client.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `src/infrastructure/database` → the root of the compiled tree (dist/). */
const compiledRoot = join(here, '..', '..', '..');

/** How long one statement may take; unset for migrations and seeds, which may run for minutes. */
export interface StatementLimits {
  statementTimeoutMs: number;
}

/** The server gets this long to cancel a slow statement itself before the client gives up on it. */
const WATCHDOG_GRACE_MS = 250;

/** The one TypeORM configuration, shared by the app, the worker and the migration CLI. */
export function dataSourceOptions(
  config: AppConfig,
  applicationName = 'banso',
  limits?: StatementLimits,
): DataSourceOptions {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set and embedded PostgreSQL has not started');
  return {
    type: 'postgres',
    url: config.databaseUrl,
    applicationName,
    entities: [join(compiledRoot, 'src', 'modules', '**', 'entities', '*.entity.js')],
    migrations: [join(compiledRoot, 'migrations', '*.js')],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    // The schema changes only through committed migrations.
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: config.database.poolMax,
      // Waiting for a pooled connection, or for a new one to be accepted.
      connectionTimeoutMillis: limits ? config.database.acquireTimeoutMs : 10_000,
      ...(limits && {
        // A live server cancels slow statements (57014); a stopped one is left by the watchdog.
        statement_timeout: limits.statementTimeoutMs,
        idle_in_transaction_session_timeout: Math.max(60_000, limits.statementTimeoutMs * 2),
        // No JIT compilation for statements that serve requests: they run for milliseconds to a
        // few hundred, and compiling costs more than it saves (507 of 743 ms for the dashboard's
        // active-ambassador trend on the province data set, docs/decisions.md).
        options: '-c jit=off',
        Client: watchdogClient(limits.statementTimeoutMs + WATCHDOG_GRACE_MS),
      }),
    },
  };
}
