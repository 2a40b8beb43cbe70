import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { PortalController } from './portal.controller.js';

@Module({ imports: [IdentityModule], controllers: [PortalController] })
export class PortalModule {}
