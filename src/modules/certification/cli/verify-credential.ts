#!/usr/bin/env node
/**
 * Checks a downloaded certificate credential (Open Badges 3.0, Data Integrity proof) the way a
 * wallet does: issuer key, signature, revocation status, dates and, optionally, the PDF. Runs from
 * the built output with production dependencies only, no rebuild:
 *
 *   node dist/src/modules/certification/cli/verify-credential.js FILE [--did SRC] [--status SRC] [--pdf FILE]
 *
 * By default it fetches the issuer's DID document (did:web) and the status list the credential
 * names. With saved copies (`--did did.json --status status.json`, or `--offline`) it uses no
 * network at all: the contexts are pinned in the code.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkCredential } from '../open-badges/credential-checks.js';
import { didDocumentUrl } from '../open-badges/issuer-did.js';

const HELP = `Checks a "Người bản số" certificate credential (Open Badges 3.0) and, optionally, its PDF.

Usage: verify-credential FILE [--did SRC] [--status SRC] [--pdf certificate.pdf] [--offline]

  FILE          the credential (.json) downloaded with the certificate
  --did SRC     the issuer's DID document: a saved did.json (pinned keys) or its URL;
                default: fetched from the issuer's did:web (https)
  --status SRC  the status list credential: a saved copy or its URL;
                default: fetched from the URL the credential names
  --pdf FILE    also check that this PDF is the one the credential describes (SHA-256)
  --offline     never use the network: what is not given as a file is not checked
  -h, --help    this text

Exit code: 0 valid; 1 invalid (a check failed: signature, key, revoked, expired, PDF, format);
2 usage or I/O error; 3 nothing failed but the revocation status could not be checked.`;

const isUrl = (s: string) => /^https?:\/\//.test(s);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, {
    headers: { accept: 'application/ld+json, application/json' },
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      did: { type: 'string' },
      status: { type: 'string' },
      pdf: { type: 'string' },
      offline: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(HELP);
    return 2;
  }
  if (values.offline && [values.did, values.status].some((src) => src && isUrl(src))) {
    console.error('--offline takes saved files for --did and --status, not URLs');
    return 2;
  }
  // Every file is read first: a missing or broken one is an I/O error (exit 2), not a failed check.
  const credential = readJson(positionals[0]);
  const pdfSha256 = values.pdf
    ? createHash('sha256').update(readFileSync(values.pdf)).digest('hex')
    : undefined;
  const saved = {
    did: values.did && !isUrl(values.did) ? readJson(values.did) : undefined,
    status: values.status && !isUrl(values.status) ? readJson(values.status) : undefined,
  };
  const sources = new Set<string>();
  const report = await checkCredential(credential, {
    pdfSha256,
    resolve: async (url) => {
      const which = url.startsWith('did:') ? 'did' : 'status';
      if (saved[which] !== undefined) {
        sources.add(values[which]!);
        return saved[which];
      }
      if (values.offline) return null;
      const from = values[which] ?? (which === 'did' ? didDocumentUrl(url) : url);
      sources.add(from);
      return fetchJson(from);
    },
  });

  const mark = { passed: 'PASS', failed: 'FAIL', 'not-checked': 'SKIP' } as const;
  console.log(report.valid ? 'VALID' : 'INVALID');
  if (report.summary) {
    const s = report.summary;
    console.log(`  ${s.name ?? s.achievement ?? '(no name)'}`);
    console.log(`  issuer: ${s.issuer.name ?? ''} (${s.issuer.id})`);
    for (const r of s.results) console.log(`  ${r}`);
  }
  for (const c of report.checks) console.log(`  ${mark[c.outcome]} ${c.name}: ${c.detail}`);
  if (sources.size) console.log(`  read: ${[...sources].join(', ')}`);
  if (!report.valid) return 1;
  return report.revoked === null ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`Error: ${e.message}`);
    process.exit(2);
  },
);
