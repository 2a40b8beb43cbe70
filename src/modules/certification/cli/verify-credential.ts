#!/usr/bin/env node
/**
 * Checks a downloaded certificate credential (VC-JWT) against the issuer's published keys. Runs
 * from the built output with production dependencies only (node:crypto and jose), no rebuild:
 *
 *   node dist/src/modules/certification/cli/verify-credential.js FILE [--keys jwks.json|URL] [--pdf FILE]
 *
 * Without --keys it fetches the JWK set named by the credential's issuer. With a saved jwks.json
 * (pinned keys) it runs fully offline. --pdf also checks the PDF against the SHA-256 the
 * credential carries. Exit code: 0 valid, 1 invalid, 2 usage or I/O error.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { verifyCredentialJwt } from '../open-badge-credential.js';

const HELP = `Checks a "Người bản số" certificate credential (VC-JWT) and, optionally, its PDF.

Usage: verify-credential FILE [--keys jwks.json|URL] [--pdf certificate.pdf]

  FILE          the credential (.jwt) downloaded with the certificate
  --keys SRC    the issuer's JWK set: a saved file (offline, pinned keys) or a URL;
                default: the set the credential's issuer publishes (needs the network)
  --pdf FILE    also check that this PDF is the one the credential describes (SHA-256)
  -h, --help    this text

Exit code: 0 valid, 1 invalid (signature, PDF or format), 2 usage or I/O error.
Revocation is not checked offline: open the credential's id (its verification page).`;

async function loadKeys(source: string): Promise<JWK[]> {
  const text = /^https?:\/\//.test(source)
    ? await fetch(source).then((r) => {
        if (!r.ok) throw new Error(`${source} answered ${r.status}`);
        return r.text();
      })
    : readFileSync(source, 'utf8');
  const set = JSON.parse(text) as { keys?: JWK[] };
  if (!Array.isArray(set.keys)) throw new Error(`${source} is not a JWK set`);
  return set.keys;
}

function issuerKeysUrl(jwt: string): string {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    iss?: string;
  };
  if (!payload.iss) throw new Error('The credential names no issuer; pass --keys');
  return payload.iss.replace(/\/\.well-known\/issuer\.json$/, '/.well-known/jwks.json');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { keys: { type: 'string' }, pdf: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(HELP);
    return 2;
  }
  const jwt = readFileSync(positionals[0], 'utf8').trim();
  const keysFrom = values.keys ?? issuerKeysUrl(jwt);
  const check = await verifyCredentialJwt(jwt, await loadKeys(keysFrom));
  if (!check.valid || !check.credential) {
    console.log(`INVALID: ${check.problem}`);
    return 1;
  }
  const c = check.credential;
  console.log(`VALID signature (key ${check.kid}, keys from ${keysFrom})`);
  console.log(`  ${c.name}`);
  console.log(`  holder: ${c.credentialSubject.identifier[0]?.identityHash ?? c.credentialSubject.id}`);
  console.log(`  issuer: ${c.issuer.name}`);
  console.log(`  valid from ${c.validFrom} until ${c.validUntil}`);
  if (new Date(c.validUntil) < new Date()) console.log('  NOTE: the validity period has ended');
  console.log(`  revocation is not checked offline: open ${c.id}`);
  if (values.pdf) {
    const actual = createHash('sha256').update(readFileSync(values.pdf)).digest('hex');
    const expected = c.evidence[0]?.id.replace(/^urn:sha256:/, '');
    if (actual !== expected) {
      console.log(`INVALID: the PDF's SHA-256 ${actual} differs from the credential's ${expected}`);
      return 1;
    }
    console.log(`  PDF matches (SHA-256 ${actual})`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`Error: ${e.message}`);
    process.exit(2);
  },
);
