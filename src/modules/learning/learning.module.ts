import { Module } from '@nestjs/common';
import { CatalogCoreModule } from '../catalog/catalog.module.js';
import { GeographyModule } from '../geography/geography.module.js';
import { IdentityCoreModule } from '../identity/identity.module.js';
import { EnrolmentService } from './enrolment.service.js';
import { EventLogMonthsAtStart, MaintainEventLogJob } from './jobs/maintain-event-log.job.js';
import { LearningRepository } from './learning.repository.js';
import { ProgressController, SyncController } from './progress.controller.js';
import { ProgressService } from './progress.service.js';

/**
 * The event log's months checked at start, once per process: imported by the API's and the
 * worker's learning modules, one instance when a process runs both.
 */
@Module({ providers: [EventLogMonthsAtStart] })
export class EventLogModule {}

/** Enrolment, progress events (online and offline), completion. */
@Module({
  imports: [CatalogCoreModule, GeographyModule, IdentityCoreModule, EventLogModule],
  providers: [LearningRepository, ProgressService, EnrolmentService],
  controllers: [ProgressController, SyncController],
  exports: [EnrolmentService, ProgressService],
})
export class LearningModule {}

/** The worker's part: the event log's months. */
@Module({ imports: [EventLogModule], providers: [MaintainEventLogJob] })
export class LearningJobsModule {}
