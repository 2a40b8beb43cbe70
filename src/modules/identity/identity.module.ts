import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LearnerGroupsModule } from '../catalog/catalog.module.js';
import { GeographyModule } from '../geography/geography.module.js';
import { AccountRecoveryController } from './account-recovery.controller.js';
import { AccountRecoveryService } from './account-recovery.service.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AuthSessionRepository } from './auth-session.repository.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { InvitationsService } from './invitations.service.js';
import { BootstrapAdmin } from './bootstrap-admin.js';
import { AuthGuard } from './guards/auth.guard.js';
import { PurgeExpiredAuthRecordsJob } from './jobs/purge-expired-auth-records.job.js';
import { MeController } from './me.controller.js';
import { TokenService } from './token.service.js';
import { UserRepository } from './user.repository.js';
import { UsersService } from './users.service.js';
import { SMS_GATEWAY_PROVIDER } from '../../infrastructure/sms/sms-gateway.js';

const services = [
  AuthService,
  UsersService,
  InvitationsService,
  AccountRecoveryService,
  SMS_GATEWAY_PROVIDER,
  TokenService,
  UserRepository,
  AuthSessionRepository,
];

/** Users, roles, sessions. The HTTP role adds the controllers and the global guard. */
@Module({
  imports: [LearnerGroupsModule, GeographyModule],
  providers: services,
  exports: [AuthService, UsersService, InvitationsService, AccountRecoveryService],
})
export class IdentityCoreModule {}

@Module({
  imports: [IdentityCoreModule],
  controllers: [AuthController, MeController, AdminUsersController, AccountRecoveryController],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }, BootstrapAdmin],
  exports: [IdentityCoreModule],
})
export class IdentityModule {}

/** Queue processors of this domain, loaded by the worker role. */
@Module({ imports: [IdentityCoreModule], providers: [PurgeExpiredAuthRecordsJob] })
export class IdentityJobsModule {}
