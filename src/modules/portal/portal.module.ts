import { Module } from '@nestjs/common';
import { ERROR_PAGES } from '../../infrastructure/http/all-exceptions.filter.js';
import { AuthoringModule } from '../authoring/authoring.module.js';
import { CatalogCoreModule } from '../catalog/catalog.module.js';
import { CertificationModule } from '../certification/certification.module.js';
import { GeographyModule } from '../geography/geography.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { ApplicationsPagesController } from './coordinate/applications-pages.controller.js';
import { CoveragePagesController } from './coordinate/coverage-pages.controller.js';
import { DashboardPagesController } from './coordinate/dashboard-pages.controller.js';
import { AmbassadorPagesController } from './learn/ambassador-pages.controller.js';
import { LearnerPagesController } from './learn/learner-pages.controller.js';
import { NotificationPagesController } from './learn/notification-pages.controller.js';
import { PortalErrorPages } from './shell/portal-error-pages.js';
import { PortalView } from './shell/portal-view.js';
import { RankingPageController } from './shell/ranking-page.controller.js';
import { PracticePagesController } from './learn/practice-pages.controller.js';
import { RecoveryPagesController } from './shell/recovery-pages.controller.js';
import { ShellPagesController } from './shell/shell-pages.controller.js';
import { VerifyPageController } from './shell/verify-page.controller.js';
import { CoursePagesController } from './teach/course-pages.controller.js';
import { LessonPagesController } from './teach/lesson-pages.controller.js';
import { ReviewPagesController } from './teach/review-pages.controller.js';
import { TeachView } from './teach/teach-view.js';

/**
 * Server-rendered pages, by area: shell/ (home, sign-in, preferences, verify, and the page
 * mechanics every controller uses), learn/, teach/ and coordinate/. Pages call the domain services;
 * the JSON API stays the source of truth.
 */
@Module({
  imports: [
    IdentityModule,
    GeographyModule,
    CatalogCoreModule,
    LearningModule,
    CertificationModule,
    AuthoringModule,
    ReportingModule,
    NotificationsModule,
  ],
  providers: [PortalView, TeachView, { provide: ERROR_PAGES, useClass: PortalErrorPages }],
  // The global exception filter renders pages through it.
  exports: [ERROR_PAGES],
  controllers: [
    ShellPagesController,
    RecoveryPagesController,
    PracticePagesController,
    VerifyPageController,
    RankingPageController,
    LearnerPagesController,
    AmbassadorPagesController,
    NotificationPagesController,
    CoursePagesController,
    LessonPagesController,
    ReviewPagesController,
    ApplicationsPagesController,
    CoveragePagesController,
    DashboardPagesController,
  ],
})
export class PortalModule {}
