import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV_FILE_VARIABLE, loadConfig } from './app-config.js';
import { ConfigValidationError, ENVIRONMENT_VARIABLE_NAMES } from './environment.js';
import { lanAddresses } from './lan-address.js';

describe('configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'banso-config-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('.env.example documents exactly the variables the platform reads', () => {
    const documented = readFileSync(join(process.cwd(), '.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => l.split('=')[0]);
    expect([...documented].sort()).toEqual([...ENVIRONMENT_VARIABLE_NAMES].sort());
  });

  it('has working defaults for the embedded default and keeps generated secrets across restarts', () => {
    const a = loadConfig({ DATA_DIR: dataDir });
    expect(a.port).toBe(3000);
    // Links work from phones on the same network (commune-hall mode), or from this machine.
    expect(a.publicBaseUrl).toBe(`http://${lanAddresses()[0] ?? 'localhost'}:3000`);
    expect(loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1' }).publicBaseUrl).toBe('http://localhost:3000');
    expect(a.databaseUrl).toBeUndefined();
    expect(a.auth.accessSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).auth.accessSecret).toBe(a.auth.accessSecret);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ DATA_DIR: dataDir, PORT: 'abc', REDIS_URL: 'http://nope', S3_BUCKET_PREFIX: 'UPPER' });
      throw new Error('expected a ConfigValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      const message = (e as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/REDIS_URL must be a redis:\/\/ URL/);
      expect(message).toMatch(/S3_BUCKET_PREFIX/);
    }
  });

  it('requires real secrets in production and both S3 keys with an endpoint', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(
      /JWT_ACCESS_SECRET is required/,
    );
    expect(() =>
      loadConfig({ DATA_DIR: dataDir, S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY: 'minio' }),
    ).toThrow(/S3_SECRET_KEY is required/);
  });

  it('parses lists and booleans', () => {
    const c = loadConfig({
      DATA_DIR: dataDir,
      CORS_ORIGINS: 'https://a.vn, https://b.vn',
      TRUST_PROXY: 'true',
    });
    expect(c.corsOrigins).toEqual(['https://a.vn', 'https://b.vn']);
    expect(c.trustProxy).toBe(true);
    expect(() => loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY/);
  });

  describe('.env', () => {
    const saved = { ...process.env };
    const file = join(dataDir, 'test.env');
    beforeEach(() => {
      // Only what each case sets: nothing of the shell running the tests.
      for (const name of [...ENVIRONMENT_VARIABLE_NAMES, ENV_FILE_VARIABLE]) delete process.env[name];
      writeFileSync(file, `DATA_DIR=${dataDir}\nPORT=4100\nLOG_LEVEL=debug\nHOST=127.0.0.2\n`);
    });
    afterEach(() => {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    });

    it('fills in what the real environment leaves out: variables already set win over the file', () => {
      process.env[ENV_FILE_VARIABLE] = file;
      process.env.PORT = '4200';
      process.env.HOST = '';
      const c = loadConfig();
      expect(c.port).toBe(4200);
      expect(c.host).toBe('0.0.0.0'); // set, though empty: the file does not replace it
      expect(c.logLevel).toBe('debug');
      expect(c.dataDir).toBe(dataDir);
      expect(process.env.PORT).toBe('4200');
    });

    it('reads no file with BANSO_ENV_FILE=none (the test harness) or with an explicit environment', () => {
      process.env[ENV_FILE_VARIABLE] = 'none';
      process.env.DATA_DIR = dataDir;
      expect(loadConfig()).toMatchObject({ port: 3000, logLevel: 'info' });
      expect(process.env.LOG_LEVEL).toBeUndefined();
      expect(loadConfig({ DATA_DIR: dataDir, [ENV_FILE_VARIABLE]: file }).port).toBe(3000);
      expect(process.env.PORT).toBeUndefined();
    });

    it('stops with a message when the file it is told to read does not exist', () => {
      process.env[ENV_FILE_VARIABLE] = join(dataDir, 'missing.env');
      expect(() => loadConfig()).toThrow(/BANSO_ENV_FILE names .*missing\.env, which does not exist/);
    });
  });
});
