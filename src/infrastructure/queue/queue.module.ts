import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QueueService } from './queue.service.js';
import { QueueWorkers } from './queue-workers.js';

/** Producers: every process role can enqueue. */
@Global()
@Module({ providers: [QueueService], exports: [QueueService] })
export class QueueModule {}

/** Consumers: imported by the worker role only. */
@Module({ imports: [DiscoveryModule], providers: [QueueWorkers] })
export class QueueWorkersModule {}
