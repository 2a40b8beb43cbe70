import type { webcrypto } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose';

/** Open Badges 3.0 (VC Data Model 2.0) contexts, in the order the spec requires. */
export const OB3_CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
];
export const CREDENTIAL_MEDIA_TYPE = 'application/vc+jwt';

export interface CredentialFacts {
  certificateId: string;
  serial: string;
  holderId: string;
  holderName: string;
  programme: { id: string; name: string; description: string; criteria: string };
  issuedAt: Date;
  expiresAt: Date;
  pdfSha256: string;
  courses: { courseId: string; courseVersionId: string; version: number; locale: string; title: string }[];
  village: string;
}

export interface IssuerUrls {
  baseUrl: string;
  issuerName: string;
  verifyUrl: string;
}

export const issuerId = (baseUrl: string) => `${baseUrl}/.well-known/issuer.json`;
export const jwksUrl = (baseUrl: string) => `${baseUrl}/.well-known/jwks.json`;

/** The OpenBadgeCredential as JSON: in VC-JWT its members are the JWT claims set. */
export function openBadgeCredential(f: CredentialFacts, urls: IssuerUrls) {
  return {
    '@context': OB3_CONTEXT,
    id: urls.verifyUrl,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${f.programme.name} — ${f.serial}`,
    issuer: { id: issuerId(urls.baseUrl), type: ['Profile'], name: urls.issuerName, url: urls.baseUrl },
    validFrom: f.issuedAt.toISOString(),
    validUntil: f.expiresAt.toISOString(),
    credentialSubject: {
      id: `urn:uuid:${f.holderId}`,
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: f.holderName },
      ],
      achievement: {
        id: `${urls.baseUrl}/api/v1/certification/programmes/${f.programme.id}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: f.programme.name,
        description: f.programme.description,
        criteria: { narrative: f.programme.criteria },
        inLanguage: 'vi',
      },
      // Not OB vocabulary: where the ambassador serves and what was assessed, for people reading it.
      village: f.village,
      coursesAssessed: f.courses,
    },
    evidence: [
      {
        id: `urn:sha256:${f.pdfSha256}`,
        type: ['Evidence'],
        name: `Certificate ${f.serial} (PDF)`,
        genre: 'application/pdf',
        narrative: `SHA-256 of the certificate PDF: ${f.pdfSha256}`,
      },
    ],
  };
}

export type OpenBadgeCredential = ReturnType<typeof openBadgeCredential>;

/** VC-JWT (Open Badges 3.0 §8.2): EdDSA over the credential with the registered claims beside it. */
export async function signCredential(
  credential: OpenBadgeCredential,
  key: { kid: string; privateKey: webcrypto.CryptoKey; publicJwk: JWK },
): Promise<string> {
  return new SignJWT(credential as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: key.kid, jwk: key.publicJwk })
    .setIssuer(credential.issuer.id)
    .setSubject(credential.credentialSubject.id)
    .setJti(credential.id)
    .setNotBefore(Math.floor(new Date(credential.validFrom).getTime() / 1000))
    .setExpirationTime(Math.floor(new Date(credential.validUntil).getTime() / 1000))
    .sign(key.privateKey);
}

export interface CredentialCheck {
  valid: boolean;
  /** Why not, in words, when `valid` is false. */
  problem?: string;
  kid?: string;
  credential?: OpenBadgeCredential;
}

/**
 * Checks a VC-JWT against the issuer's published keys: the key must be one of them (the `jwk` in
 * the header alone proves nothing), the signature must hold and the payload must be an
 * OpenBadgeCredential. Expiry is reported by the caller, not treated as a bad signature.
 */
export async function verifyCredentialJwt(jwt: string, published: JWK[]): Promise<CredentialCheck> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jwt.trim());
    kid = header.kid;
    if (header.alg !== 'EdDSA') return { valid: false, kid, problem: `unexpected algorithm ${header.alg}` };
    const jwk = published.find((k) => k.kid === kid);
    if (!jwk) return { valid: false, kid, problem: `key ${kid} is not one of the issuer's published keys` };
    const { payload } = await compactVerify(jwt.trim(), await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA'));
    const credential = JSON.parse(new TextDecoder().decode(payload)) as OpenBadgeCredential;
    if (!credential.type?.includes('OpenBadgeCredential')) {
      return { valid: false, kid, problem: 'the payload is not an OpenBadgeCredential' };
    }
    return { valid: true, kid, credential };
  } catch (e) {
    return { valid: false, kid, problem: (e as Error).message || 'not a signed credential' };
  }
}
