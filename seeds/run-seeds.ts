import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/infrastructure/config/app-config.js';
import { ConfigModule } from '../src/infrastructure/config/config.module.js';
import { DatabaseModule } from '../src/infrastructure/database/database.module.js';
import { useToolDatabase, useToolStorage } from '../src/infrastructure/embedded/tool-services.js';
import { runProcess } from '../src/infrastructure/process/run-process.js';
import { StorageModule } from '../src/infrastructure/storage/storage.module.js';
import { QueueModule } from '../src/infrastructure/queue/queue.module.js';
import { CatalogCoreModule } from '../src/modules/catalog/catalog.module.js';
import { seedCourses, seedSampleVideos } from './courses.seed.js';
import { seedProgrammes } from './programmes.seed.js';
import { seedReferenceData } from './reference-data.seed.js';

/**
 * `npm run seed`: migrates, then loads the reference data and the programme's courses. Idempotent.
 * `--without-videos` leaves the sample videos (21 ffmpeg runs) for a later run: for tests that need
 * the courses, not playable videos.
 */
runProcess('seed', async () => {
  const withVideos = !process.argv.includes('--without-videos');
  const config = loadConfig();
  const releaseDatabase = await useToolDatabase(config);
  const releaseStorage = await useToolStorage(config);
  config.runMigrations = true;

  @Module({
    imports: [
      ConfigModule.forRoot(config, 'worker'),
      DatabaseModule,
      StorageModule,
      QueueModule,
      CatalogCoreModule,
    ],
  })
  class SeedModule {}

  const app = await NestFactory.createApplicationContext(SeedModule, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const reference = await seedReferenceData(app.get(DataSource));
    const courses = await seedCourses(app);
    const programmes = await seedProgrammes(app.get(DataSource));
    const videos = withVideos ? await seedSampleVideos(app) : 0;
    console.log(
      `Seeded ${reference.localities} localities and ${reference.learnerGroups} learner groups; ` +
        `courses: ${courses.created} created, ${courses.existing} already there; ${programmes.created} certification programme(s) created; ${videos} sample videos made.`,
    );
  } finally {
    await app.close();
    await releaseStorage();
    await releaseDatabase();
  }
});
