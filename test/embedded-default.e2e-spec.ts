import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOOD_PASSWORD, uniquePhone } from './factories/user.factory.js';
import { api } from './support/api.js';
import { startPlatform, type PlatformProcess } from './support/platform-process.js';
import { freePort } from './support/ports.js';

/**
 * `npm start` on a fresh machine: nothing in the environment but ports and a data directory.
 * Embedded PostgreSQL (also the queue backend) and s3rver start, migrations and seeds run,
 * Ctrl-C stops everything, and the data survives a restart, even after a crash.
 */
describe('the embedded default (npm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banso-embedded-'));
  chmodSync(dir, 0o755);
  const started: PlatformProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const p = await startPlatform('embedded', env, { readyTimeoutMs: 90_000 });
    started.push(p);
    return p;
  };
  afterAll(async () => {
    for (const p of started) await p.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the whole platform with no services configured, stops cleanly and keeps its data', async () => {
    const env = {
      DATA_DIR: join(dir, 'data'),
      PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      EMBEDDED_S3_PORT: String(await freePort()),
      ADMIN_PHONE: '0900000009',
      ADMIN_PASSWORD: 'quan-tri-vien-nhung-khong-that',
      LOG_LEVEL: 'warn',
    };
    const first = await start(env);
    const banner = first.output();
    for (const line of [
      'Portal',
      '/api/docs',
      '/admin/queues',
      'PostgreSQL (embedded)',
      'S3 (s3rver)',
      'Queues on        PostgreSQL',
    ]) {
      expect(banner).toContain(line);
    }
    expect(existsSync(join(env.DATA_DIR, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(env.DATA_DIR, 's3'))).toBe(true);

    // Seeds ran: the Lào Cai tree and the learner groups are there.
    expect((await api('/api/v1/localities?q=sai duan', { base: first.url })).body.items[0].name).toBe(
      'Sải Duần',
    );
    expect((await api('/api/v1/learner-groups', { base: first.url })).body).toHaveLength(4);

    const phone = uniquePhone();
    const registered = await api('/api/v1/auth/register', {
      base: first.url,
      body: { phone, displayName: 'Lý Thị Chang', password: GOOD_PASSWORD },
    });
    expect(registered.status).toBe(201);
    // The queue dashboard works on the PostgreSQL backend, for the admin from ADMIN_* variables.
    const admin = await api('/api/v1/auth/login', {
      base: first.url,
      body: { identifier: env.ADMIN_PHONE, password: env.ADMIN_PASSWORD },
    });
    const dashboard = await api('/admin/queues/api/queues', {
      base: first.url,
      token: admin.body.accessToken,
    });
    expect(dashboard.status).toBe(200);

    expect(await first.stop('SIGINT')).toBe(0);
    expect(first.output()).toContain('Stopped cleanly.');
    const portClosed = await fetch(`http://127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}`).then(
      () => false,
      () => true,
    );
    expect(portClosed).toBe(true);

    const second = await start(env);
    const login = await api('/api/v1/auth/login', {
      base: second.url,
      body: { identifier: phone, password: GOOD_PASSWORD },
    });
    expect(login.status).toBe(200);
    // A crash leaves PostgreSQL running without its parent; the next start takes over cleanly.
    await second.stop('SIGKILL');
    const third = await start(env);
    expect(
      (
        await api('/api/v1/auth/login', {
          base: third.url,
          body: { identifier: phone, password: GOOD_PASSWORD },
        })
      ).status,
    ).toBe(200);
    expect(await third.stop('SIGINT')).toBe(0);
  }, 240_000);
});
