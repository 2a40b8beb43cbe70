import { Module } from '@nestjs/common';
import { OutboxReader } from '../../infrastructure/outbox/outbox.js';
import { CatalogCoreModule } from '../catalog/catalog.module.js';
import { CertificationModule } from '../certification/certification.module.js';
import { GeographyModule } from '../geography/geography.module.js';
import { IdentityCoreModule } from '../identity/identity.module.js';
import { ActivityService } from './activity.service.js';
import { AmbassadorRegistryService } from './ambassador-registry.service.js';
import { DashboardRepository } from './dashboard.repository.js';
import { DashboardService } from './dashboard.service.js';
import { ExportsService } from './exports.service.js';
import { ApplyReportingEventsJob } from './jobs/apply-reporting-events.job.js';
import { ProgressReportService } from './progress-report.service.js';
import { PublicRankingController, RankingController } from './ranking.controller.js';
import { RankingRepository } from './ranking.repository.js';
import { RankingService } from './ranking.service.js';
import { ReportingController } from './reporting.controller.js';
import { ReportingRepository } from './reporting.repository.js';
import { RollupsRepository } from './rollups.repository.js';
import { RollupsService } from './rollups.service.js';
import { TargetsController } from './targets.controller.js';
import { TargetsRepository } from './targets.repository.js';
import { TargetsService } from './targets.service.js';

/** What both process roles need: the read model and the outbox consumer that fills it. */
@Module({
  imports: [GeographyModule],
  providers: [ReportingRepository, RollupsRepository, OutboxReader, ActivityService, RollupsService],
  exports: [ReportingRepository, RollupsRepository, ActivityService, RollupsService],
})
export class ReportingCoreModule {}

const REPORTING_SERVICES = [
  AmbassadorRegistryService,
  ProgressReportService,
  ExportsService,
  TargetsService,
  RankingService,
  DashboardService,
];

/**
 * Staff reports over the other modules' data, read through the `reporting_*` views and the
 * rollups this module keeps from the outbox: registry and coverage, progress, activity, exports.
 */
@Module({
  imports: [ReportingCoreModule, GeographyModule, CatalogCoreModule, CertificationModule, IdentityCoreModule],
  providers: [...REPORTING_SERVICES, TargetsRepository, RankingRepository, DashboardRepository],
  controllers: [ReportingController, TargetsController, RankingController, PublicRankingController],
  exports: REPORTING_SERVICES,
})
export class ReportingModule {}

/** Queue processors of this module, loaded by the worker role. */
@Module({ imports: [ReportingCoreModule], providers: [ApplyReportingEventsJob] })
export class ReportingJobsModule {}
