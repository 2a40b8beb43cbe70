import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/infrastructure/config/app-config.js';
import { dataSourceOptions } from '../src/infrastructure/database/data-source-options.js';
import { runPendingMigrations } from '../src/infrastructure/database/migrator.js';
import { useToolDatabase } from '../src/infrastructure/database/tool-database.js';
import { runProcess } from '../src/infrastructure/process/run-process.js';
import { seedReferenceData } from './reference-data.seed.js';

/** `npm run seed`: migrates, then loads the seed data. Idempotent. */
runProcess('seed', async () => {
  const config = loadConfig();
  const releaseDatabase = await useToolDatabase(config);
  const ds = new DataSource(dataSourceOptions(config, 'banso-seed'));
  await ds.initialize();
  try {
    await runPendingMigrations(ds);
    const counts = await seedReferenceData(ds);
    console.log(`Seeded ${counts.localities} localities and ${counts.learnerGroups} learner groups.`);
  } finally {
    await ds.destroy();
    await releaseDatabase();
  }
});
