import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
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

/** A key as a Multikey verification method ('z' + base58btc(0xed01 ‖ key), by the Multikey library). */
export async function verificationMethod(did: string, key: IssuerPublicKey) {
  const { publicKeyMultibase } = await Ed25519Multikey.fromJwk({ jwk: key.publicJwk });
  return { id: verificationMethodId(did, key.kid), type: 'Multikey', controller: did, publicKeyMultibase };
}

/**
 * The DID document: every key the issuer ever signed with, retired ones included, so a credential
 * signed before a rotation keeps verifying. All are assertion methods (they may have issued).
 */
export async function didDocument(did: string, keys: IssuerPublicKey[]) {
  const methods = await Promise.all(keys.map((k) => verificationMethod(did, k)));
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

export type DidDocument = Awaited<ReturnType<typeof didDocument>>;

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
