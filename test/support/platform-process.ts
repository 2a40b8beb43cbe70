import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';

/** The repository root (this file runs from test/support or, compiled, from dist/test/support). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
const ENTRY = {
  api: 'dist/src/main.js',
  worker: 'dist/src/worker.js',
  embedded: 'dist/src/embedded.js',
} as const;
export type Role = keyof typeof ENTRY;

/** Variables of the platform we strip from the inherited environment, so each test says what it means. */
const PLATFORM_VARS =
  /^(NODE_ENV|PORT|HOST|DATA_DIR|DATABASE_URL|REDIS_URL|S3_|JWT_|COOKIE_SECRET|ADMIN_|LOGIN_|QUEUE_PREFIX|EMBEDDED_|RUN_MIGRATIONS|PUBLIC_BASE_URL|SEED_|BANSO_ENV_FILE)/;

export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PLATFORM_VARS.test(k)));
  delete env.NODE_OPTIONS; // Jest's --experimental-vm-modules is not for the app
  return {
    ...env,
    // A developer's .env in the working directory is not the test's configuration either.
    BANSO_ENV_FILE: 'none',
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
  } as NodeJS.ProcessEnv;
}

export interface PlatformProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts a built process role with the given environment; resolves once it is ready. */
export async function startPlatform(
  role: Role,
  env: Record<string, string | undefined>,
  options: { readyTimeoutMs?: number; waitReady?: boolean } = {},
): Promise<PlatformProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, ENTRY[role])], {
    cwd: ROOT,
    env: cleanEnv({
      LOG_LEVEL: role === 'worker' ? 'info' : 'warn',
      ...env,
      PORT: String(port),
      PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? url,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: PlatformProcess = {
    child,
    url,
    output: () => out,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady === false) return proc;

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  while (Date.now() < deadline && !exitedEarly) {
    if (role === 'worker') {
      if (out.includes('Processing')) return proc;
    } else if (role === 'embedded' && !out.includes('Press Ctrl-C')) {
      // the banner comes once everything is up
    } else {
      const ok = await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return proc;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await proc.stop('SIGKILL');
  throw new Error(`${role} did not become ready:\n${out.slice(-4000)}`);
}

/** Runs a built script (CLI) to completion; resolves with its exit code and output. */
export function runScript(
  script: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], {
      cwd: ROOT,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
