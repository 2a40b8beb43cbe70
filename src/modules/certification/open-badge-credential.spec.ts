import { exportJWK, generateKeyPair } from 'jose';
import { openBadgeCredential, signCredential, verifyCredentialJwt } from './open-badge-credential.js';

const facts = {
  certificateId: '5e0b2c6e-4a8f-4c53-9b55-0a1f2c3d4e5f',
  serial: 'NBS-LCI-2026-000001',
  holderId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
  holderName: 'Sùng Thị Mỷ',
  programme: { id: 'p1', name: 'Người bản số', description: 'd', criteria: 'c' },
  issuedAt: new Date('2026-11-30T00:00:00Z'),
  expiresAt: new Date('2028-11-30T00:00:00Z'),
  pdfSha256: 'a'.repeat(64),
  courses: [],
  village: 'Thôn Sải Duần',
};
const urls = {
  baseUrl: 'https://banso.example',
  issuerName: 'Tổ điều phối',
  verifyUrl: 'https://banso.example/verify/x',
};

async function key(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk, published: { ...publicJwk, kid } };
}

describe('Open Badges 3.0 credential', () => {
  it('signs as VC-JWT with the credential as the claims set and verifies against the published key', async () => {
    const k = await key('k1');
    const jwt = await signCredential(openBadgeCredential(facts, urls), k);
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({
      iss: 'https://banso.example/.well-known/issuer.json',
      sub: `urn:uuid:${facts.holderId}`,
      jti: urls.verifyUrl,
      nbf: Date.parse('2026-11-30T00:00:00Z') / 1000,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
    });
    const check = await verifyCredentialJwt(jwt, [k.published]);
    expect(check).toMatchObject({ valid: true, kid: 'k1' });
    expect(check.credential?.credentialSubject.identifier[0].identityHash).toBe('Sùng Thị Mỷ');
  });

  it('fails a tampered payload, an unknown key and a key the header merely carries', async () => {
    const k = await key('k1');
    const other = await key('k1');
    const jwt = await signCredential(openBadgeCredential(facts, urls), k);
    const [h, p, s] = jwt.split('.');
    const changed = Buffer.from(
      Buffer.from(p, 'base64url').toString().replace('Sùng Thị Mỷ', 'Sùng Thị Mai'),
    ).toString('base64url');
    expect((await verifyCredentialJwt(`${h}.${changed}.${s}`, [k.published])).valid).toBe(false);
    expect((await verifyCredentialJwt(jwt, [])).problem).toMatch(/not one of the issuer's published keys/);
    // Signed by someone else who put their own key in the header: the published key decides.
    const forged = await signCredential(openBadgeCredential(facts, urls), other);
    expect((await verifyCredentialJwt(forged, [k.published])).valid).toBe(false);
    expect((await verifyCredentialJwt('not a jwt', [k.published])).valid).toBe(false);
  });

  it('keeps old credentials verifiable after a rotation', async () => {
    const old = await key('old');
    const next = await key('new');
    const jwt = await signCredential(openBadgeCredential(facts, urls), old);
    expect((await verifyCredentialJwt(jwt, [old.published, next.published])).valid).toBe(true);
  });
});
