import { generateKeyPair, exportJWK, calculateJwkThumbprint } from 'jose';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { decodeList as libraryDecodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { openBadgeCredential } from '../open-badge-credential.js';
import { CHECK_NAMES, checkCredential, type CredentialReport } from './credential-checks.js';
import { signWithDataIntegrity } from './data-integrity.js';
import { pinnedDocumentLoader } from './document-loader.js';
import { dereferenceDidUrl, didDocument, didDocumentUrl, issuerDid, type DidDocument } from './issuer-did.js';
import {
  encodeList,
  permutedIndex,
  pgBitPosition,
  statusBit,
  statusListCredential,
  STATUS_LIST_BYTES,
  STATUS_LIST_LENGTH,
} from './status-list.js';

const BASE = 'https://banso.example';
const DID = issuerDid(BASE);

async function newKey() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = (await exportJWK(publicKey)) as Record<string, string>;
  return {
    kid: await calculateJwkThumbprint(publicJwk),
    publicJwk,
    privateJwk: (await exportJWK(privateKey)) as Record<string, string>,
  };
}

const facts = (index = 94_567) => ({
  serial: 'NBS-LCI-2026-000001',
  holderName: 'Sùng Thị Mỷ',
  programme: {
    id: '5e0b2c6e-4a8f-4c53-9b55-0a1f2c3d4e5f',
    name: 'Người bản số',
    description: 'd',
    criteria: 'c',
  },
  issuedAt: new Date('2026-11-30T03:04:05.678Z'),
  expiresAt: new Date('2028-11-30T03:04:05.678Z'),
  pdfSha256: 'a'.repeat(64),
  courses: [{ version: 2, locale: 'hmn', title: 'Thanh toán không dùng tiền mặt' }],
  village: 'Thôn Sải Duần, xã Bản Xèo, tỉnh Lào Cai',
  status: { listId: 1, index },
});
const issuer = { baseUrl: BASE, did: DID, name: 'Tổ điều phối Người bản số' };

/** A world of one issuer: its DID document and its status list, resolvable by URL. */
async function world(keys: Awaited<ReturnType<typeof newKey>>[], revoked: number[] = []) {
  const doc = await didDocument(DID, keys);
  const loader = pinnedDocumentLoader(async (url) =>
    url.startsWith('did:') ? dereferenceDidUrl(url, doc) : null,
  );
  const signer = { did: DID, kid: keys.at(-1)!.kid, privateJwk: keys.at(-1)!.privateJwk };
  const bits = Buffer.alloc(STATUS_LIST_BYTES);
  for (const i of revoked) bits[i >> 3] |= 0x80 >> (i & 7);
  const list = await signWithDataIntegrity(
    statusListCredential(BASE, 1, bits, { id: DID, name: issuer.name }, new Date()),
    signer,
    loader,
  );
  const resolve = async (url: string): Promise<unknown> =>
    url === DID ? doc : url === `${BASE}/credentials/status/1` ? list : null;
  return { doc, loader, signer, resolve };
}

const outcome = (r: CredentialReport, name: string) => r.checks.find((c) => c.name === name)?.outcome;

describe('Open Badges 3.0 credentials with a Data Integrity proof', () => {
  it('signs a credential every check passes, on whole seconds, with the proof as an array', async () => {
    const key = await newKey();
    const w = await world([key]);
    const signed = await signWithDataIntegrity(
      openBadgeCredential(facts(), issuer, `${BASE}/verify/X`),
      w.signer,
      w.loader,
    );
    expect(signed.validFrom).toBe('2026-11-30T03:04:05Z');
    expect(signed.validUntil).toBe('2028-11-30T03:04:05Z');
    expect(signed.proof).toEqual([
      expect.objectContaining({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        verificationMethod: `${DID}#${key.kid}`,
      }),
    ]);
    // The name is a salted hash, never in plain text.
    expect(JSON.stringify(signed)).not.toContain('Sùng Thị Mỷ');
    const id = signed.credentialSubject.identifier[0];
    const { createHash } = await import('node:crypto');
    expect(id.identityHash).toBe(
      `sha256$${createHash('sha256').update(`Sùng Thị Mỷ${id.salt}`).digest('hex')}`,
    );

    const report = await checkCredential(signed, {
      resolve: w.resolve,
      pdfSha256: 'a'.repeat(64),
      now: new Date('2027-01-01T00:00:00Z'),
    });
    expect(report.checks.map((c) => [c.name, c.outcome])).toEqual(
      CHECK_NAMES.map((name) => [name, 'passed']),
    );
    expect(report).toMatchObject({ valid: true, revoked: false });
    expect(report.summary?.results).toEqual(['Thôn Sải Duần, xã Bản Xèo, tỉnh Lào Cai']);
  });

  it('fails the check that broke: a changed field, an unknown key, a revoked bit, expiry, another PDF', async () => {
    const [old, current, stranger] = [await newKey(), await newKey(), await newKey()];
    const w = await world([old, current], [94_567]);
    const signed = await signWithDataIntegrity(
      openBadgeCredential(facts(), issuer, `${BASE}/verify/X`),
      w.signer,
      w.loader,
    );
    const at = { now: new Date('2027-01-01T00:00:00Z') };

    const changed = structuredClone(signed);
    changed.credentialSubject.result[0].value = 'Thôn khác';
    const r1 = await checkCredential(changed, { resolve: w.resolve, ...at });
    expect([outcome(r1, 'signature'), r1.valid]).toEqual(['failed', false]);

    const revoked = await checkCredential(signed, { resolve: w.resolve, ...at });
    expect([
      outcome(revoked, 'signature'),
      outcome(revoked, 'status'),
      revoked.revoked,
      revoked.valid,
    ]).toEqual(['passed', 'failed', true, false]);

    const expired = await checkCredential(signed, {
      resolve: w.resolve,
      now: new Date('2029-01-01T00:00:00Z'),
    });
    expect(outcome(expired, 'validity')).toBe('failed');

    const otherPdf = await checkCredential(signed, { resolve: w.resolve, pdfSha256: 'b'.repeat(64), ...at });
    expect(outcome(otherPdf, 'pdf')).toBe('failed');

    // Signed by a key the issuer never published (someone else's, under our DID).
    const forger = await world([stranger]);
    const forged = await signWithDataIntegrity(
      openBadgeCredential(facts(), issuer, `${BASE}/verify/X`),
      forger.signer,
      forger.loader,
    );
    const r2 = await checkCredential(forged, { resolve: w.resolve, ...at });
    expect([outcome(r2, 'issuerKey'), outcome(r2, 'signature'), r2.valid]).toEqual([
      'failed',
      'not-checked',
      false,
    ]);

    // A retired key keeps verifying what it signed.
    const byOld = await signWithDataIntegrity(
      openBadgeCredential(facts(1), issuer, `${BASE}/verify/Y`),
      { did: DID, kid: old.kid, privateJwk: old.privateJwk },
      w.loader,
    );
    expect((await checkCredential(byOld, { resolve: w.resolve, ...at })).valid).toBe(true);

    // Not a credential of this shape at all.
    for (const input of ['eyJhbGciOiJFZERTQSJ9.e30.x', null, [], { ...signed, proof: undefined }]) {
      const r = await checkCredential(input, { resolve: w.resolve });
      expect([outcome(r, 'format'), r.valid]).toEqual(['failed', false]);
    }
    // The status list cannot be read: nothing failed, but the status is not checked.
    const offline = await checkCredential(signed, {
      resolve: async (u) => (u === DID ? w.doc : null),
      ...at,
    });
    expect([outcome(offline, 'status'), offline.revoked, offline.valid]).toEqual(['not-checked', null, true]);
  });

  it('refuses to sign a term no pinned context defines', async () => {
    const w = await world([await newKey()]);
    const credential = openBadgeCredential(facts(), issuer, `${BASE}/verify/X`);
    const withVillage = {
      ...credential,
      credentialSubject: { ...credential.credentialSubject, village: 'x' },
    };
    await expect(signWithDataIntegrity(withVillage, w.signer, w.loader)).rejects.toThrow();
  });
});

describe('the status list', () => {
  it('gives every position of a list a distinct index, not in issue order', () => {
    const key = Buffer.alloc(32, 7);
    const seen = new Uint8Array(STATUS_LIST_LENGTH);
    let inOrder = 0;
    for (let p = 0; p < STATUS_LIST_LENGTH; p++) {
      const i = permutedIndex(p, key);
      expect(seen[i]).toBe(0);
      seen[i] = 1;
      if (i === p) inOrder++;
    }
    expect(inOrder).toBeLessThan(10);
    expect(permutedIndex(0, Buffer.alloc(32, 8))).not.toBe(permutedIndex(0, key));
    expect(() => permutedIndex(STATUS_LIST_LENGTH, key)).toThrow(RangeError);
  });

  it("encodes bits as the W3C library reads them, and maps indexes to PostgreSQL's set_bit", async () => {
    const bits = Buffer.alloc(STATUS_LIST_BYTES);
    for (const i of [0, 9, 94_567, STATUS_LIST_LENGTH - 1]) bits[i >> 3] |= 0x80 >> (i & 7);
    const decoded = await libraryDecodeList({ encodedList: encodeList(bits) });
    for (const i of [0, 9, 94_567, STATUS_LIST_LENGTH - 1]) {
      expect([decoded.getStatus(i), statusBit(bits, i)]).toEqual([true, true]);
    }
    expect([decoded.getStatus(1), statusBit(bits, 1)]).toEqual([false, false]);
    // PostgreSQL numbers bits from the least significant within a byte.
    expect([pgBitPosition(0), pgBitPosition(7), pgBitPosition(8), pgBitPosition(94_567)]).toEqual([
      7, 0, 15, 94_560,
    ]);
  });
});

describe("the issuer's did:web", () => {
  it('names the host (port percent-encoded) and path, and finds its DID document', () => {
    expect(issuerDid('https://banso.laocai.gov.vn')).toBe('did:web:banso.laocai.gov.vn');
    expect(issuerDid('http://127.0.0.1:3000')).toBe('did:web:127.0.0.1%3A3000');
    expect(issuerDid('https://tinh.gov.vn/ban-so')).toBe('did:web:tinh.gov.vn:ban-so');
    expect(didDocumentUrl('did:web:banso.laocai.gov.vn')).toBe(
      'https://banso.laocai.gov.vn/.well-known/did.json',
    );
    expect(didDocumentUrl('did:web:127.0.0.1%3A3000', 'http')).toBe(
      'http://127.0.0.1:3000/.well-known/did.json',
    );
    expect(didDocumentUrl('did:web:tinh.gov.vn:ban-so')).toBe('https://tinh.gov.vn/ban-so/did.json');
  });

  it('publishes every key as a Multikey assertion method, and dereferences its URLs', async () => {
    const [key, retired] = [await newKey(), await newKey()];
    const doc: DidDocument = await didDocument(DID, [retired, key]);
    const pair = await Ed25519Multikey.fromJwk({ jwk: key.publicJwk });
    expect(doc.verificationMethod[1]).toEqual({
      id: `${DID}#${key.kid}`,
      type: 'Multikey',
      controller: DID,
      publicKeyMultibase: pair.publicKeyMultibase,
    });
    expect(pair.publicKeyMultibase).toMatch(/^z6Mk/); // an Ed25519 public key's multicodec prefix
    expect(doc.assertionMethod).toEqual([`${DID}#${retired.kid}`, `${DID}#${key.kid}`]);
    expect(dereferenceDidUrl(`${DID}#${key.kid}`, doc)).toMatchObject({
      '@context': 'https://w3id.org/security/multikey/v1',
      type: 'Multikey',
      controller: DID,
    });
    expect(dereferenceDidUrl(`${DID}#nope`, doc)).toBeNull();
    expect(dereferenceDidUrl('did:web:other.example', doc)).toBeNull();
  });
});
