import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../src/infrastructure/config/app-config.js';
import { ROOT } from './support/platform-process.js';

/**
 * The production layout as written (no Docker engine here): docs/deploy/compose.yaml gives every
 * service of the image an environment the production config accepts, every command it runs is a
 * role the image's entrypoint knows and whose file the build makes, and the Dockerfile keeps its
 * promises (a supported Node, Debian's ffmpeg, a non-root user, a health check).
 */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** YAML merge keys (`<<: *app`), as compose applies them; js-yaml 5 leaves them as plain keys. */
function merged(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(merged);
  if (!node || typeof node !== 'object') return node;
  const { '<<': base, ...own } = node as Record<string, unknown>;
  const bases = (Array.isArray(base) ? base : base ? [base] : []).map(merged) as Record<string, unknown>[];
  return Object.assign({}, ...bases, Object.fromEntries(Object.entries(own).map(([k, v]) => [k, merged(v)])));
}
const compose = merged(load(read('docs/deploy/compose.yaml'))) as { services: Record<string, Service> };
const dockerfile = read('Dockerfile');
const entrypoint = read('docker/entrypoint.sh');
const envExample = read('docs/deploy/.env.example');

/** `${NAME}`, `${NAME:?message}` and `${NAME:-default}` as compose substitutes them, from `vars`. */
function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::[?-]([^}]*))?\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`${name} is used by compose.yaml but not in .env.example`);
    return vars[name];
  });
}

/** What an operator fills in from .env.example: every name, each with a generated secret. */
const filledIn = Object.fromEntries(
  envExample
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => {
      const [name, value] = l.split('=', 2);
      return [name, value || randomBytes(32).toString('base64url')];
    }),
);

/** The roles the entrypoint maps, with the file each runs. */
const roles = new Map(
  [...entrypoint.matchAll(/^\s+([a-z-]+)\) exec node (\S+)/gm)].map(([, role, file]) => [role, file]),
);
const appServices = Object.entries(compose.services).filter(([, s]) => s.image === 'banso:latest');

describe('the production layout', () => {
  it('has the api, worker and one-shot migrate services of the image, and the backing services', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'worker']);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'minio']));
    for (const name of ['api', 'worker']) {
      expect(compose.services[name].depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(compose.services.redis.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
  });

  it('gives every service of the image an environment the production config accepts', () => {
    expect(appServices).toHaveLength(3);
    for (const [name, service] of appServices) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(String(v), filledIn)]),
      );
      expect([name, env.NODE_ENV]).toEqual([name, 'production']);
      const config = loadConfig(env);
      expect(() => config.assertExternalServices()).not.toThrow();
      expect(config.redisUrl).toMatch(/^redis:/);
    }
  });

  it('refuses to boot when a required secret is left out (the check above would notice)', () => {
    const env = Object.fromEntries(
      Object.entries(compose.services.api.environment ?? {}).map(([k, v]) => [
        k,
        substitute(String(v), filledIn),
      ]),
    );
    delete env.ISSUER_KEY_SECRET;
    expect(() => loadConfig(env)).toThrow(/ISSUER_KEY_SECRET/);
  });

  it('runs only commands the image has: entrypoint roles whose files the build makes', () => {
    expect(roles.size).toBeGreaterThanOrEqual(6);
    for (const [role, file] of roles) expect([role, existsSync(join(ROOT, file))]).toEqual([role, true]);
    for (const [name, service] of appServices) {
      const [role] = service.command ?? ['api'];
      expect([name, roles.has(role)]).toEqual([name, true]);
    }
  });

  it('builds on a supported Node with Debian’s ffmpeg, runs as a non-root user and checks its health', () => {
    const node = /ARG NODE_IMAGE=node:(\d+)-bookworm/.exec(dockerfile);
    expect(Number(node?.[1])).toBeGreaterThanOrEqual(24);
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bffmpeg\b/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/ENTRYPOINT \[.*docker-entrypoint|ENTRYPOINT \[.*\/usr\/local\/bin\/banso/);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
  });
});
