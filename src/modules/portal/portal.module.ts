import { Module } from '@nestjs/common';
import { AuthoringModule } from '../authoring/authoring.module.js';
import { CatalogCoreModule } from '../catalog/catalog.module.js';
import { CertificationModule } from '../certification/certification.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { GeographyModule } from '../geography/geography.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { CoordinatorPagesController } from './coordinator-pages.controller.js';
import { AmbassadorPagesController } from './ambassador-pages.controller.js';
import { LearnerPagesController } from './learner-pages.controller.js';
import { PortalController } from './portal.controller.js';
import { PortalView } from './portal-view.js';
import { TrainerPagesController } from './trainer-pages.controller.js';
import { VerifyPageController } from './verify-page.controller.js';

/** Server-rendered pages for learners, trainers and coordinators; the JSON API stays the source of truth. */
@Module({
  imports: [
    IdentityModule,
    GeographyModule,
    CatalogCoreModule,
    LearningModule,
    CertificationModule,
    AuthoringModule,
  ],
  providers: [PortalView],
  controllers: [
    PortalController,
    LearnerPagesController,
    AmbassadorPagesController,
    VerifyPageController,
    TrainerPagesController,
    CoordinatorPagesController,
  ],
})
export class PortalModule {}
