import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics.js';

/**
 * The process's metrics registry, for every module. The infrastructure modules that feed it
 * import it themselves, so any context (a CLI, the service tests) gets it; only the long-running
 * roles serve it (MetricsServer, in AppModule and WorkerModule).
 */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
