import { DID_CONTEXT, MULTIKEY_CONTEXT } from './document-loader.js';

/** An Ed25519 public key as the issuer publishes it: a JWK (`x`, base64url) and its id. */
export interface IssuerPublicKey {
  kid: string;
  publicJwk: Record<string, string>;
}

/**
 * The issuer's did:web (https://w3c-ccg.github.io/did-method-web/): the host, its port
 * percent-encoded, then the path's segments joined by ':'. Without a path its DID document is at
 * `/.well-known/did.json`, else at `<path>/did.json`.
 */
export function issuerDid(publicBaseUrl: string): string {
  const url = new URL(publicBaseUrl);
  const segments = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', encodeURIComponent(url.host), ...segments].join(':');
}

/** Where a did:web's DID document is served (https for every real host; our own scheme otherwise). */
export function didDocumentUrl(did: string, scheme: 'https' | 'http' = 'https'): string {
  const [host, ...path] = did
    .replace(/^did:web:/, '')
    .split(':')
    .map(decodeURIComponent);
  return `${scheme}://${host}/${path.length ? `${path.join('/')}/did.json` : '.well-known/did.json'}`;
}

/** A key's verification method id: the DID and the key's RFC 7638 thumbprint as the fragment. */
export const verificationMethodId = (did: string, kid: string) => `${did}#${kid}`;

const ED25519_PUB_MULTICODEC = Uint8Array.from([0xed, 0x01]);

/** Multikey encoding of an Ed25519 public key: 'z' + base58btc(0xed01 ‖ 32 bytes). */
export function publicKeyMultibase(publicJwk: Record<string, string>): string {
  const raw = Buffer.from(publicJwk.x, 'base64url');
  return `z${base58btc(Buffer.concat([ED25519_PUB_MULTICODEC, raw]))}`;
}

export function verificationMethod(did: string, key: IssuerPublicKey) {
  return {
    id: verificationMethodId(did, key.kid),
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: publicKeyMultibase(key.publicJwk),
  };
}

/**
 * The DID document: every key the issuer ever signed with, retired ones included, so a credential
 * signed before a rotation keeps verifying. All are assertion methods (they may have issued).
 */
export function didDocument(did: string, keys: IssuerPublicKey[]) {
  const methods = keys.map((k) => verificationMethod(did, k));
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

export type DidDocument = ReturnType<typeof didDocument>;

/**
 * How a Data Integrity verifier dereferences a DID URL against a DID document: the bare DID gives
 * the document, `did#fragment` the verification method with the Multikey context of its own.
 */
export function dereferenceDidUrl(url: string, doc: DidDocument): unknown {
  const [did] = url.split('#');
  if (did !== doc.id) return null;
  if (url === did) return doc;
  const method = doc.verificationMethod.find((m) => m.id === url);
  return method ? { '@context': MULTIKEY_CONTEXT, ...method } : null;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
