import 'reflect-metadata';
import { loadConfig } from './infrastructure/config/app-config.js';
import { onShutdownSignal, runProcess } from './infrastructure/process/run-process.js';

/** The worker role (`npm run start:worker`): queue processors, no HTTP server. */
runProcess('worker', async () => {
  const config = loadConfig();
  config.assertExternalServices();
  const [{ NestFactory }, { Logger }, { WorkerModule }] = await Promise.all([
    import('@nestjs/core'),
    import('nestjs-pino'),
    import('./worker.module.js'),
  ]);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  onShutdownSignal(() => app.close());
});
