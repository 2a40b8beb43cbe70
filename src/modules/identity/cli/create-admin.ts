import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../infrastructure/config/app-config.js';
import { ConfigModule } from '../../../infrastructure/config/config.module.js';
import { DatabaseModule } from '../../../infrastructure/database/database.module.js';
import { useToolDatabase } from '../../../infrastructure/embedded/tool-services.js';
import { runProcess } from '../../../infrastructure/process/run-process.js';
import { RateLimitModule } from '../../../infrastructure/rate-limit/rate-limit.module.js';
import { IdentityCoreModule } from '../identity.module.js';
import { UsersService } from '../users.service.js';

const USAGE = `Usage: npm run user:create-admin -- (--phone 0912345678 | --email a@b.vn) --name "Họ Tên" [--password-stdin]
The password comes from standard input with --password-stdin, otherwise from ADMIN_PASSWORD.
Granting admin to an existing account keeps its password.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `npm run user:create-admin`: the first admin (or admin for an existing account). Idempotent. */
runProcess('create-admin', async () => {
  const { values } = parseArgs({
    options: {
      phone: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (!values.phone && !values.email)) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const config = loadConfig();
  const password = values['password-stdin'] ? await readStdin() : config.bootstrapAdmin?.password;
  if (!password) {
    console.error(`No password given.\n${USAGE}`);
    process.exit(2);
  }
  const releaseDatabase = await useToolDatabase(config);
  config.runMigrations = true;

  @Module({
    imports: [ConfigModule.forRoot(config, 'worker'), DatabaseModule, RateLimitModule, IdentityCoreModule],
  })
  class CreateAdminModule {}

  const app = await NestFactory.createApplicationContext(CreateAdminModule, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const { user, created } = await app.get(UsersService).ensureAdmin({
      phone: values.phone,
      email: values.email,
      displayName: values.name?.normalize('NFC').trim() || 'Quản trị viên',
      password,
    });
    console.log(
      `${created ? 'Created admin' : 'Admin role granted to'} ${user.phone ?? user.email} (${user.id}).`,
    );
  } finally {
    await app.close();
    await releaseDatabase();
  }
});
