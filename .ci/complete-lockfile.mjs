// The npm registry reachable here lacks some platform-specific optional packages (darwin, win32,
// android builds of msgpackr-extract and unrs-resolver), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. This adds a lock entry for
// each missing optional dependency, with the os/cpu its name states, so `npm ci` skips it on other
// platforms. Run after changing dependencies: `npm run lockfile:complete`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'darwin',
  'linux',
  'win32',
  'android',
  'freebsd',
  'openharmony',
  'netbsd',
  'openbsd',
  'sunos',
  'aix',
];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'];

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = OS.filter((o) => parts.includes(o));
    const cpu = CPU.filter(
      (c) => parts.includes(c) || parts.includes(`${c}eabihf`) || (c === 'arm' && parts.includes('eabi')),
    );
    if (os.length === 0 || cpu.length === 0) {
      console.error(`cannot tell the platform of ${name}; leaving it out`);
      continue;
    }
    const libc =
      parts.includes('musl') || parts.includes('musleabihf')
        ? ['musl']
        : parts.includes('gnu') || parts.includes('gnueabihf')
          ? ['glibc']
          : undefined;
    lock.packages[`node_modules/${name}`] = {
      version: String(version).replace(/^[\^~]/, ''),
      ...(entry.dev && { dev: true }),
      optional: true,
      os,
      cpu,
      ...(libc && { libc }),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform package(s) to package-lock.json`);
