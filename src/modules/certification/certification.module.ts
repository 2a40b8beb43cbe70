import { Module } from '@nestjs/common';
import { CatalogCoreModule } from '../catalog/catalog.module.js';
import { GeographyModule } from '../geography/geography.module.js';
import { IdentityCoreModule } from '../identity/identity.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { ApplicationsService } from './applications.service.js';
import { CertificateIssuanceService } from './certificate-issuance.service.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateRepository } from './certificate.repository.js';
import { CertificatesController } from './certificates.controller.js';
import { CertificatesService } from './certificates.service.js';
import { CertificationController } from './certification.controller.js';
import { CertificationRepository } from './certification.repository.js';
import { VillageAmbassadorsModule } from './certified-village-ambassadors.js';
import { CredentialIssuerService } from './credential-issuer.service.js';
import { CredentialStatusRepository } from './credential-status.repository.js';
import { EligibilityService } from './eligibility.service.js';
import { IssuerKeyRepository } from './issuer-key.repository.js';
import { IssuerKeysService } from './issuer-keys.service.js';
import { IssueCertificateJob, ResumeCertificateIssuanceJob } from './jobs/issue-certificate.job.js';
import { MentoringService } from './mentoring.service.js';
import { PracticeConfirmationsController } from './practice-confirmations.controller.js';
import { PracticeConfirmationsService } from './practice-confirmations.service.js';
import { ProgrammesService } from './programmes.service.js';
import { VerificationController } from './verification.controller.js';
import { VerificationService } from './verification.service.js';

/** What both process roles need: repositories, keys, rendering and issuance. */
@Module({
  imports: [GeographyModule, VillageAmbassadorsModule],
  providers: [
    CertificationRepository,
    CertificateRepository,
    IssuerKeyRepository,
    IssuerKeysService,
    CredentialStatusRepository,
    CredentialIssuerService,
    CertificateRenderer,
    CertificateIssuanceService,
  ],
  exports: [
    CertificationRepository,
    CertificateRepository,
    CredentialStatusRepository,
    CredentialIssuerService,
    CertificateIssuanceService,
    GeographyModule,
  ],
})
export class CertificationCoreModule {}

/** The domain's services: used by its own controllers and by the portal's pages. */
const CERTIFICATION_SERVICES = [
  ProgrammesService,
  MentoringService,
  EligibilityService,
  ApplicationsService,
  CertificatesService,
  VerificationService,
  PracticeConfirmationsService,
];

/** "Người bản số" certification over HTTP. */
@Module({
  imports: [CertificationCoreModule, CatalogCoreModule, IdentityCoreModule, LearningModule],
  providers: CERTIFICATION_SERVICES,
  controllers: [
    CertificationController,
    CertificatesController,
    VerificationController,
    PracticeConfirmationsController,
  ],
  exports: CERTIFICATION_SERVICES,
})
export class CertificationModule {}

/** Queue processors of this domain, loaded by the worker role. */
@Module({
  imports: [CertificationCoreModule],
  providers: [IssueCertificateJob, ResumeCertificateIssuanceJob],
})
export class CertificationJobsModule {}
