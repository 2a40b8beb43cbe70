import type { DataSource } from 'typeorm';

/** Any number from the same place: several processes may boot at once; only one migrates. */
const MIGRATION_LOCK_KEY = 7_340_219_001;

/** Runs pending migrations under a PostgreSQL advisory lock so concurrent boots do not race. */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
