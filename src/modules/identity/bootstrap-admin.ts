import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { UsersService } from './users.service.js';

/** ADMIN_PHONE/ADMIN_EMAIL + ADMIN_PASSWORD: the first admin from the environment (idempotent). */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const { user, created } = await this.users.ensureAdmin(admin);
    if (created) this.logger.log(`Created the first admin (${user.phone ?? user.email})`);
  }
}
