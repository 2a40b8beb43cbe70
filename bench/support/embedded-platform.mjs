// What the benches share: free ports, the embedded platform on a fresh DATA_DIR, the production
// API role beside it, and waiting for the seed videos the first start transcodes in the background.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** What every bench server shares: production mode, no .env, the bench's secrets. */
const benchEnv = (base, logLevel) => ({
  ...process.env,
  LOG_LEVEL: logLevel,
  // A developer's .env must not change what a bench measures.
  BANSO_ENV_FILE: 'none',
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: base,
  JWT_ACCESS_SECRET: 'bench-secret-bench-secret-bench-secret-123',
  COOKIE_SECRET: 'bench-cookie-bench-cookie-bench-cookie-123',
  ISSUER_KEY_SECRET: 'bench-issuer-bench-issuer-bench-issuer-123',
});

/**
 * Starts `node <script>` (with a V8 CPU profile when BENCH_CPU_PROF=<dir>, pinned to `cpu` with
 * taskset when given) and waits until `isReady(output)` holds. Resolves with its pid and
 * `stop()`; `afterStop` cleans up after it.
 */
async function startServer({ script, env, cpu, name, isReady, signal, afterStop = () => {} }) {
  const profile = process.env.BENCH_CPU_PROF;
  const args = [...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), script];
  const options = { env, stdio: ['ignore', 'pipe', 'pipe'] };
  const child =
    cpu === undefined
      ? spawn(process.execPath, args, options)
      : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], options);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill(signal);
      await new Promise((r) => child.once('exit', r));
    }
    afterStop();
  };
  for (let i = 0; !(await isReady(out)); i++) {
    if (child.exitCode !== null || i > 1200) {
      await stop();
      throw new Error(`${name} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // taskset execs node in place: the same process.
  return { pid: child.pid, stop };
}

/**
 * Starts the embedded platform (`dist/src/embedded.js`: API and workers in one process, its own
 * PostgreSQL unless DATABASE_URL is set, its own s3rver) in a fresh data directory, with the
 * seed, at the production log level (info; BENCH_LOG_LEVEL to change it). BENCH_CPU_PROF=<dir>
 * writes a V8 CPU profile there. Resolves once it is ready, with its address, its database URL,
 * its S3 endpoint, its pid and `stop()`.
 */
export async function startEmbeddedPlatform({ logLevel = process.env.BENCH_LOG_LEVEL ?? 'info' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'banso-bench-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const pgPort = await freePort();
  const s3Port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { pid, stop } = await startServer({
    script: 'dist/src/embedded.js',
    env: {
      ...benchEnv(base, logLevel),
      DATA_DIR: join(dir, 'data'),
      PORT: String(port),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      EMBEDDED_S3_PORT: String(s3Port),
      // Benches sign up their users from one address.
      REGISTER_MAX_PER_IP: '100000',
    },
    name: 'the platform',
    isReady: (out) => out.includes('Press Ctrl-C'),
    signal: 'SIGINT',
    afterStop: () => rmSync(dir, { recursive: true, force: true }),
  });
  const databaseUrl = process.env.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${pgPort}/banso`;
  return { base, databaseUrl, s3Endpoint: `http://127.0.0.1:${s3Port}`, pid, stop };
}

/**
 * The production API role (`dist/src/main.js`: HTTP only, no workers) beside a started embedded
 * platform, on its database and S3 server, pinned to `cpu` when given, at the same log level.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile there. Resolves with its address, pid and `stop()`.
 */
export async function startApiRole(platform, { cpu, logLevel = process.env.BENCH_LOG_LEVEL ?? 'info' } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer({
    script: 'dist/src/main.js',
    env: {
      ...benchEnv(base, logLevel),
      PORT: String(port),
      DATABASE_URL: platform.databaseUrl,
      S3_ENDPOINT: platform.s3Endpoint,
      // s3rver knows one access key and checks no signature (test/support/test-services.ts).
      S3_ACCESS_KEY: 'S3RVER',
      S3_SECRET_KEY: 'S3RVER-does-not-check',
    },
    cpu,
    name: 'the API role',
    isReady: async () => {
      try {
        return (await fetch(`${base}/health/live`)).ok;
      } catch {
        return false; // Not listening yet.
      }
    },
    signal: 'SIGTERM',
  });
  return { base, ...server };
}

/** Waits until every video is made and transcoded (ffmpeg would skew any measurement); prints how long. */
export async function waitForSeedVideos(db) {
  const started = Date.now();
  for (;;) {
    const { n } = (
      await db.query(
        `SELECT count(*)::int AS n FROM media_assets WHERE status IN ('awaiting_upload', 'uploaded', 'processing')`,
      )
    ).rows[0];
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(
    `waited ${((Date.now() - started) / 1000).toFixed(0)} s for the seed videos to finish transcoding`,
  );
}
