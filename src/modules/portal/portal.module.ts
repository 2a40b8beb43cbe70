import { Module } from '@nestjs/common';
import { CertificationModule } from '../certification/certification.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PortalController } from './portal.controller.js';
import { VerifyPageController } from './verify-page.controller.js';

@Module({
  imports: [IdentityModule, CertificationModule],
  controllers: [PortalController, VerifyPageController],
})
export class PortalModule {}
