import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from './infrastructure/config/app-config.js';
import { onShutdownSignal, runProcess } from './infrastructure/process/run-process.js';
import { WorkerModule } from './worker.module.js';

/** The worker role (`npm run start:worker`): queue processors, no HTTP server. */
runProcess('worker', async () => {
  const config = loadConfig();
  config.assertExternalServices();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  onShutdownSignal(() => app.close());
});
