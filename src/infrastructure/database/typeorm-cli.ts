import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { runProcess } from '../process/run-process.js';
import { dataSourceOptions } from './data-source-options.js';
import { runPendingMigrations } from './migrator.js';
import { useToolDatabase } from '../embedded/tool-services.js';

const USAGE = `Usage: npm run migration:run | migration:revert [-- <timestamp>] | migration:generate -- <Name> | typeorm -- show|check`;

/**
 * The schema diff between the entities and the database. Migrations deliberately add what
 * entities do not describe (CHECKs, foreign keys across modules, expression and trigram
 * indexes); TypeORM would drop those, so drops of constraints and indexes are left out.
 */
const DB_ONLY = [/^ALTER TABLE "[^"]+" DROP CONSTRAINT /, /^DROP INDEX /];
async function pendingSchemaChanges(ds: DataSource) {
  const { upQueries, downQueries } = await ds.driver.createSchemaBuilder().log();
  const keep = upQueries.map((q) => !DB_ONLY.some((re) => re.test(q.query)));
  return {
    upQueries: upQueries.filter((_, i) => keep[i]),
    downQueries: downQueries.filter((_, i) => keep[i]),
  };
}

/**
 * Migration CLI on the same data source as the app. Without DATABASE_URL it uses the embedded
 * PostgreSQL under DATA_DIR (reusing the running platform's if there is one).
 */
runProcess('migrations', async () => {
  const [command, name] = process.argv.slice(2);
  if (!command || !['run', 'revert', 'generate', 'show', 'check'].includes(command)) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const releaseDatabase = await useToolDatabase(config);
  const ds = new DataSource(dataSourceOptions(config, 'banso-migrations'));
  await ds.initialize();
  try {
    if (command === 'run') {
      const applied = await runPendingMigrations(ds);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
    } else if (command === 'revert' && name !== undefined) {
      // Back to before a migration: every applied one from that timestamp on, newest first.
      if (!/^\d{13}$/.test(name)) throw new Error('Give the timestamp of the oldest migration to revert.');
      const newest = async () =>
        Number(
          (await ds.query(`SELECT coalesce(max(timestamp), 0)::bigint AS t FROM typeorm_migrations`))[0].t,
        );
      let reverted = 0;
      while ((await newest()) >= Number(name)) {
        await ds.undoLastMigration({ transaction: 'each' });
        reverted++;
      }
      console.log(`Reverted ${reverted} migration(s).`);
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration.');
    } else if (command === 'show') {
      const pending = await ds.showMigrations();
      console.log(pending ? 'There are pending migrations.' : 'All migrations are applied.');
    } else if (command === 'check') {
      const { upQueries } = await pendingSchemaChanges(ds);
      if (upQueries.length > 0) {
        console.error(
          `The entities and the migrated schema differ:\n${upQueries.map((q) => `  ${q.query}`).join('\n')}`,
        );
        process.exitCode = 1;
      } else console.log('The entities match the migrated schema.');
    } else {
      if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
        throw new Error('Give the migration a PascalCase name.');
      const { upQueries, downQueries } = await pendingSchemaChanges(ds);
      if (upQueries.length === 0) {
        console.log('No changes between the entities and the schema.');
      } else {
        const ts = Date.now();
        const body = (qs: { query: string; parameters?: unknown[] }[]) =>
          qs
            .map(
              (q) =>
                `    await q.query(${JSON.stringify(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`,
            )
            .join('\n');
        const file = join(process.cwd(), 'migrations', `${ts}-${name}.ts`);
        writeFileSync(
          file,
          `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  async up(q: QueryRunner): Promise<void> {\n${body(upQueries)}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${body([...downQueries].reverse())}\n  }\n}\n`,
        );
        console.log(`Wrote ${file}. Review it, then commit it; never edit a committed migration.`);
      }
    }
  } finally {
    await ds.destroy();
    await releaseDatabase();
  }
});
