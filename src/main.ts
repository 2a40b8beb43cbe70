import 'reflect-metadata';
import { loadConfig } from './infrastructure/config/app-config.js';
import { onShutdownSignal, runProcess } from './infrastructure/process/run-process.js';

/** The API role (`npm run start:api`): HTTP only, against real PostgreSQL, S3 and Redis/PostgreSQL queues. */
runProcess('api', async () => {
  const config = loadConfig();
  config.assertExternalServices();
  // Loaded after validation so a bad configuration fails in milliseconds, not after loading Nest.
  const { createHttpApp } = await import('./http-app.js');
  const app = await createHttpApp(config, { runWorkers: false });
  await app.listen({ port: config.port, host: config.host });
  onShutdownSignal(() => app.close());
});
