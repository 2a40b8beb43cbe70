// The cost of Open Badges 3.0 credentials with a Data Integrity proof (eddsa-rdfc-2022): signing
// and checking in-process (what the worker and the verify page pay per credential), signing a
// status list of 131,072 entries, and whole runs of the offline verifier a third party runs
// (`npm run verify-credential` from the built files, saved DID document and status list, no
// network), with `node -e ''` as the floor. Median and worst; Usage: npm run build && node bench/verify-credential.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { openBadgeCredential } from '../dist/src/modules/certification/open-badge-credential.js';
import { checkCredential } from '../dist/src/modules/certification/open-badges/credential-checks.js';
import { signWithDataIntegrity } from '../dist/src/modules/certification/open-badges/data-integrity.js';
import { pinnedDocumentLoader } from '../dist/src/modules/certification/open-badges/document-loader.js';
import {
  dereferenceDidUrl,
  didDocument,
  issuerDid,
} from '../dist/src/modules/certification/open-badges/issuer-did.js';
import {
  STATUS_LIST_BYTES,
  statusListCredential,
} from '../dist/src/modules/certification/open-badges/status-list.js';

const BASE = 'https://banso.example.vn';
const did = issuerDid(BASE);
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
const publicJwk = await exportJWK(publicKey);
const kid = await calculateJwkThumbprint(publicJwk);
const doc = await didDocument(did, [{ kid, publicJwk }]);
const loader = pinnedDocumentLoader(async (url) =>
  url.startsWith('did:') ? dereferenceDidUrl(url, doc) : null,
);
const key = { did, kid, privateJwk: await exportJWK(privateKey) };

const facts = (n) => ({
  serial: `LCI-NBS-2026-${String(n).padStart(6, '0')}`,
  holderName: 'Sùng Thị Mỷ',
  programme: {
    id: 'b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d',
    name: 'Người bản số',
    description: 'Đại sứ số của thôn',
    criteria: 'Hoàn thành 3 khoá học bắt buộc, hướng dẫn ít nhất 5 hộ gia đình.',
  },
  issuedAt: new Date('2026-12-01T00:00:00Z'),
  expiresAt: new Date('2028-12-01T00:00:00Z'),
  pdfSha256: 'a'.repeat(64),
  courses: [
    { version: 2, locale: 'hmn', title: 'Thanh toán tiền điện qua điện thoại' },
    { version: 1, locale: 'vi', title: 'Nhận biết cuộc gọi lừa đảo' },
    { version: 3, locale: 'vi', title: 'Dịch vụ công trực tuyến' },
  ],
  village: 'Thôn Sải Duần, xã Bản Xèo, tỉnh Lào Cai',
  status: { listId: 1, index: (n * 7919) % 131072 },
});
const issuer = { baseUrl: BASE, did, name: 'Tổ điều phối Người bản số tỉnh Lào Cai' };

const stats = (runs) => {
  runs.sort((a, b) => a - b);
  return { median: runs[Math.floor(runs.length / 2)], worst: runs.at(-1) };
};
async function timed(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn(i);
    runs.push(performance.now() - started);
  }
  return stats(runs);
}

await signWithDataIntegrity(openBadgeCredential(facts(0), issuer, `${BASE}/verify/X`), key, loader); // warm-up
const credentials = [];
const sign = await timed(50, async (i) => {
  credentials.push(
    await signWithDataIntegrity(openBadgeCredential(facts(i), issuer, `${BASE}/verify/${i}`), key, loader),
  );
});
const list = await signWithDataIntegrity(
  statusListCredential(BASE, 1, Buffer.alloc(STATUS_LIST_BYTES), { id: did, name: issuer.name }, new Date()),
  key,
  loader,
);
const signList = await timed(10, () =>
  signWithDataIntegrity(
    statusListCredential(
      BASE,
      1,
      Buffer.alloc(STATUS_LIST_BYTES),
      { id: did, name: issuer.name },
      new Date(),
    ),
    key,
    loader,
  ),
);
const resolve = async (url) => (url === did ? doc : url === `${BASE}/credentials/status/1` ? list : null);
const check = await timed(50, async (i) => {
  const report = await checkCredential(credentials[i], { resolve });
  if (!report.valid) throw new Error(JSON.stringify(report.checks));
});

const dir = mkdtempSync(join(tmpdir(), 'banso-verify-'));
writeFileSync(join(dir, 'credential.json'), JSON.stringify(credentials[0]));
writeFileSync(join(dir, 'did.json'), JSON.stringify(doc));
writeFileSync(join(dir, 'status.json'), JSON.stringify(list));
function wall(args) {
  const runs = [];
  let status;
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    runs.push(performance.now() - started);
    status = r.status;
  }
  return { ...stats(runs), status };
}
const cli = 'dist/src/modules/certification/cli/verify-credential.js';
const floor = wall(['-e', '']);
const help = wall([cli, '--help']);
const offline = wall([
  cli,
  join(dir, 'credential.json'),
  '--did',
  join(dir, 'did.json'),
  '--status',
  join(dir, 'status.json'),
  '--offline',
]);
rmSync(dir, { recursive: true, force: true });

const ms = (n) => `${n.toFixed(1)} ms`;
const line = (label, s, extra = '') =>
  console.log(`${label.padEnd(44)} median ${ms(s.median)}, worst ${ms(s.worst)}${extra}`);
console.log(
  `credential: ${JSON.stringify(credentials[0]).length} bytes; status list credential: ${JSON.stringify(list).length} bytes`,
);
line('sign a credential (in-process, 50)', sign);
line('check a credential, all checks (in-process, 50)', check);
line('sign a status list of 131,072 (in-process, 10)', signList);
line("node -e ''", floor);
line('verify-credential --help', help, ` (exit ${help.status})`);
line('verify-credential, saved did.json + status', offline, ` (exit ${offline.status})`);
