import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerLearner, GOOD_PASSWORD } from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';
import { runScript, startPlatform, type PlatformProcess } from './support/platform-process.js';

describe('configuration is validated at boot', () => {
  const env = () => testEnv();

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://nope' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must be a redis:\/\/ URL/],
    [{ JWT_ACCESS_SECRET: 'short' }, /JWT_ACCESS_SECRET/],
    [{ LOGIN_WINDOW_SECONDS: '-5' }, /LOGIN_WINDOW_SECONDS/],
    [{ S3_ENDPOINT: 'not a url' }, /S3_ENDPOINT/],
    [
      { NODE_ENV: 'production', JWT_ACCESS_SECRET: '', COOKIE_SECRET: '' },
      /JWT_ACCESS_SECRET is required when NODE_ENV=production/,
    ],
    [{ ADMIN_PASSWORD: '' }, /ADMIN_PASSWORD is required when ADMIN_PHONE or ADMIN_EMAIL is set/],
  ])('%j stops the API with a message naming the variable', async (override, message) => {
    const { code, output } = await runScript('dist/src/main.js', { ...env(), ...override });
    expect(code).toBe(1);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('reads .env into the environment it validates (the harness points BANSO_ENV_FILE at a file of its own)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banso-env-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, 'PORT=abc\n');
      const { code, output } = await runScript('dist/src/main.js', { ...env(), BANSO_ENV_FILE: file });
      expect(code).toBe(1);
      expect(output).toMatch(/PORT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the production roles refuse to start without real services', async () => {
    const { DATABASE_URL: _d, S3_ENDPOINT: _s, ...rest } = env();
    for (const script of ['dist/src/main.js', 'dist/src/worker.js']) {
      const { code, output } = await runScript(script, rest);
      expect(code).toBe(1);
      expect(output).toMatch(/DATABASE_URL is required/);
      expect(output).toMatch(/S3_ENDPOINT is required/);
    }
  });
});

describe('several API and worker processes on the same services', () => {
  let second: PlatformProcess;
  let secondWorker: PlatformProcess;

  beforeAll(async () => {
    // Two more processes boot at once; both try to migrate (advisory lock) and ensure buckets.
    [second, secondWorker] = await Promise.all([
      startPlatform('api', { ...testEnv(), RUN_MIGRATIONS: 'true' }),
      startPlatform('worker', testEnv()),
    ]);
  });
  afterAll(async () => {
    await second?.stop();
    await secondWorker?.stop();
  });

  it('shares users, sessions and login limits between API replicas', async () => {
    const user = await registerLearner();
    const onSecond = await api('/api/v1/auth/login', {
      base: second.url,
      body: { identifier: user.phone, password: user.password },
    });
    expect(onSecond.status).toBe(200);
    expect((await api('/api/v1/me', { token: onSecond.body.accessToken })).status).toBe(200);
    // Failures counted on either replica add up.
    for (let i = 0; i < 5; i++)
      await api('/api/v1/auth/login', { body: { identifier: user.phone, password: `nope-${i}-nope` } });
    for (let i = 0; i < 5; i++) {
      await api('/api/v1/auth/login', {
        base: second.url,
        body: { identifier: user.phone, password: `nope-${i}-nope` },
      });
    }
    expectError(
      await api('/api/v1/auth/login', { body: { identifier: user.phone, password: user.password } }),
      429,
      'IDENTITY_LOGIN_RATE_LIMITED',
    );
  });

  it('stops cleanly on SIGTERM', async () => {
    const extra = await startPlatform('api', testEnv());
    expect(await extra.stop('SIGTERM')).toBe(0);
    const worker = await startPlatform('worker', testEnv());
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});

describe('login rate limit per IP', () => {
  it('limits attempts from one address across accounts (client IP from X-Forwarded-For behind a proxy)', async () => {
    const limited = await startPlatform('api', {
      ...testEnv(),
      LOGIN_MAX_ATTEMPTS_PER_IP: '5',
      LOGIN_WINDOW_SECONDS: '600',
      TRUST_PROXY: 'true',
    });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`;
    try {
      const users = await Promise.all([registerLearner(), registerLearner()]);
      for (let i = 0; i < 5; i++) {
        const res = await api('/api/v1/auth/login', {
          base: limited.url,
          headers: from(ip),
          body: { identifier: users[i % 2].phone, password: i < 4 ? 'wrong-password-x' : GOOD_PASSWORD },
        });
        expect([200, 401]).toContain(res.status);
      }
      const res = await api('/api/v1/auth/login', {
        base: limited.url,
        headers: from(ip),
        body: { identifier: users[1].phone, password: GOOD_PASSWORD },
      });
      expectError(res, 429, 'IDENTITY_LOGIN_RATE_LIMITED');
      // Another address is not affected.
      const other = await api('/api/v1/auth/login', {
        base: limited.url,
        headers: from('10.255.0.1'),
        body: { identifier: users[1].phone, password: GOOD_PASSWORD },
      });
      expect(other.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('npm run user:create-admin', () => {
  it('creates an admin from the command line, refuses weak passwords, and is idempotent', async () => {
    const script = 'dist/src/modules/identity/cli/create-admin.js';
    const phone = `091${String(Date.now()).slice(-7)}`;
    const env = { ...testEnv(), ADMIN_PHONE: '', ADMIN_PASSWORD: '' };
    const weak = await runScript(script, { ...env, ADMIN_PASSWORD: '12345678' }, [
      '--phone',
      phone,
      '--name',
      'Chị Lan',
    ]);
    expect(weak.code).toBe(1);
    expect(weak.output).toMatch(/most common/);

    const created = await runScript(script, { ...env, ADMIN_PASSWORD: 'điều phối viên tỉnh Lào Cai' }, [
      '--phone',
      phone,
      '--name',
      'Chị Lan',
    ]);
    expect(created.code).toBe(0);
    expect(created.output).toMatch(/Created admin \+84/);
    const again = await runScript(script, { ...env, ADMIN_PASSWORD: 'điều phối viên tỉnh Lào Cai' }, [
      '--phone',
      phone,
    ]);
    expect(again.output).toMatch(/Admin role granted to/);

    const login = await api('/api/v1/auth/login', {
      body: { identifier: phone, password: 'điều phối viên tỉnh Lào Cai' },
    });
    expect(login.body.user.roles).toEqual([expect.objectContaining({ role: 'admin', localityId: null })]);
    expect((await api('/api/v1/admin/users', { token: login.body.accessToken })).status).toBe(200);

    const usage = await runScript(script, env, []);
    expect(usage.code).toBe(2);
    expect(usage.output).toMatch(/Usage/);
    // Four processes, each booting Nest and hashing a password: past a minute on a busy CI machine.
  }, 180_000);
});

describe('structured logs', () => {
  it('log each request as JSON with its request id and without credentials', async () => {
    const verbose = await startPlatform('api', { ...testEnv(), LOG_LEVEL: 'info' });
    try {
      const user = await registerLearner();
      await api('/api/v1/me', {
        base: verbose.url,
        token: user.accessToken,
        headers: { 'x-request-id': 'trace-me-12345' },
      });
      await new Promise((r) => setTimeout(r, 300));
      const lines = verbose
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      const line = lines.find((l) => l.requestId === 'trace-me-12345' || l.req?.id === 'trace-me-12345');
      expect(line).toBeDefined();
      expect(line.role).toBe('api');
      expect(verbose.output()).not.toContain(user.accessToken);
    } finally {
      await verbose.stop();
    }
  });
});
