import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsModule } from '../metrics/metrics.module.js';
import { QueueMetrics } from './queue-metrics.js';
import { QueueService } from './queue.service.js';
import { QueueWorkers } from './queue-workers.js';

/** Producers: every process role can enqueue. */
@Global()
@Module({ imports: [MetricsModule], providers: [QueueService, QueueMetrics], exports: [QueueService] })
export class QueueModule {}

/** Consumers: imported by the worker role only. */
@Module({ imports: [DiscoveryModule], providers: [QueueWorkers] })
export class QueueWorkersModule {}
