import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config.js';
import { ConfigValidationError, ENVIRONMENT_VARIABLE_NAMES } from './environment.js';

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
    expect(a.publicBaseUrl).toBe('http://localhost:3000');
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
});
