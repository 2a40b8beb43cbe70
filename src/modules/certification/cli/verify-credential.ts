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

type Source = { file: string } | { url: string };
const sourceOf = (s: string): Source => (/^https?:\/\//.test(s) ? { url: s } : { file: s });

async function read(source: Source): Promise<unknown> {
  if ('file' in source) return JSON.parse(readFileSync(source.file, 'utf8'));
  const response = await fetch(source.url, {
    headers: { accept: 'application/ld+json, application/json' },
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`${source.url} answered ${response.status}`);
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
  const credential = JSON.parse(readFileSync(positionals[0], 'utf8')) as unknown;
  const pdfSha256 = values.pdf
    ? createHash('sha256').update(readFileSync(values.pdf)).digest('hex')
    : undefined;
  const sources: string[] = [];
  const report = await checkCredential(credential, {
    pdfSha256,
    resolve: async (url) => {
      let source: Source | null;
      if (url.startsWith('did:')) {
        source = values.did ? sourceOf(values.did) : values.offline ? null : { url: didDocumentUrl(url) };
      } else {
        source = values.status ? sourceOf(values.status) : values.offline ? null : { url };
      }
      if (!source) return null;
      sources.push('file' in source ? source.file : source.url);
      return read(source);
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
  if (sources.length) console.log(`  read: ${[...new Set(sources)].join(', ')}`);
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
