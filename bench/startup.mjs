// Start-up of the embedded default, as a newcomer sees it: `npm start` on a fresh DATA_DIR until
// /health/ready answers 200, Ctrl-C until the process has exited, then a warm restart.
// Usage: node bench/startup.mjs        (prints figures; asserts nothing)
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/embedded-platform.mjs';

const dir = mkdtempSync(join(tmpdir(), 'banso-startup-'));
chmodSync(dir, 0o755);
const ports = {
  PORT: await freePort(),
  EMBEDDED_POSTGRES_PORT: await freePort(),
  EMBEDDED_S3_PORT: await freePort(),
};
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^(DATABASE_URL|REDIS_URL|S3_|DATA_DIR|PORT)$/.test(k) && !k.startsWith('S3_'),
  ),
);
Object.assign(
  env,
  { DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' },
  Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
);

async function run(label, command, args) {
  const started = performance.now();
  // Own process group, signalled as a whole: what Ctrl-C in a terminal does.
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${ports.PORT}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`${label} exited early:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const ready = performance.now() - started;
  const stopStart = performance.now();
  process.kill(-child.pid, 'SIGINT');
  const code = await exited;
  const stop = performance.now() - stopStart;
  if (code !== 0 && code !== null) console.log(out.slice(-1500));
  console.log(
    `${label.padEnd(36)} ready ${(ready / 1000).toFixed(2)} s   stop ${(stop / 1000).toFixed(2)} s (exit ${code})`,
  );
}

try {
  // `npm start` includes the incremental TypeScript build (prestart).
  await run('npm start, fresh DATA_DIR', 'npm', ['start', '--silent']);
  await run('npm start, existing DATA_DIR', 'npm', ['start', '--silent']);
  await run('node dist/src/embedded.js, existing', process.execPath, ['dist/src/embedded.js']);
  env.DATA_DIR = join(dir, 'data-2');
  await run('node dist/src/embedded.js, fresh', process.execPath, ['dist/src/embedded.js']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
