// Start-up of the offline verifier a third party runs: `npm run verify-credential` from the built
// files with pinned keys (no network), on a credential signed the way the platform signs one.
// Prints the wall time of whole runs (process start to exit), median and worst of 15, and the
// same for `node -e ''` on this machine as the floor. Usage: npm run build && node bench/verify-credential.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import {
  openBadgeCredential,
  signCredential,
} from '../dist/src/modules/certification/open-badge-credential.js';

const dir = mkdtempSync(join(tmpdir(), 'banso-verify-'));
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench-key', alg: 'EdDSA', use: 'sig' };
const credential = openBadgeCredential(
  {
    certificateId: '6f0c1d9e-1b7a-4f1e-9a55-0d8c6f2f1a11',
    serial: 'LCI-NBS-2026-000001',
    holderId: '0b6b1f2c-7a43-4d8e-8f7e-3f3b9c2d1e00',
    holderName: 'Sùng Thị Mỷ',
    programme: {
      id: 'b1',
      name: 'Người bản số',
      description: 'Đại sứ số của thôn',
      criteria: 'Hoàn thành khoá học',
    },
    issuedAt: new Date('2026-12-01T00:00:00Z'),
    expiresAt: new Date('2028-12-01T00:00:00Z'),
    pdfSha256: 'a'.repeat(64),
    courses: [
      { courseId: 'c1', courseVersionId: 'v1', version: 1, locale: 'vi', title: 'Thanh toán tiền điện' },
    ],
    village: 'Sải Duần',
  },
  {
    baseUrl: 'https://banso.example.vn',
    issuerName: 'Tổ điều phối',
    verifyUrl: 'https://banso.example.vn/verify/X',
  },
);
writeFileSync(
  join(dir, 'credential.jwt'),
  await signCredential(credential, { kid: 'bench-key', privateKey, publicJwk }),
);
writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [publicJwk] }));

function time(args) {
  const runs = [];
  let status;
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    runs.push(performance.now() - started);
    status = r.status;
  }
  runs.sort((a, b) => a - b);
  return { median: runs[7], worst: runs[14], status };
}
const cli = 'dist/src/modules/certification/cli/verify-credential.js';
const floor = time(['-e', '']);
const verify = time([cli, join(dir, 'credential.jwt'), '--keys', join(dir, 'jwks.json')]);
const help = time([cli, '--help']);
rmSync(dir, { recursive: true, force: true });
const ms = (n) => `${n.toFixed(0)} ms`;
console.log(`node -e ''                         median ${ms(floor.median)}, worst ${ms(floor.worst)}`);
console.log(
  `verify-credential --help           median ${ms(help.median)}, worst ${ms(help.worst)} (exit ${help.status})`,
);
console.log(
  `verify-credential (pinned keys)    median ${ms(verify.median)}, worst ${ms(verify.worst)} (exit ${verify.status})`,
);
