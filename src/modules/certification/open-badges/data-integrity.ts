import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import type { DocumentLoader } from './document-loader.js';
import { verificationMethodId } from './issuer-did.js';

/** The issuer's signing key as Data Integrity needs it: the private JWK and where it is published. */
export interface DataIntegrityKey {
  did: string;
  kid: string;
  privateJwk: Record<string, string>;
}

export interface DataIntegrityProofValue {
  type: 'DataIntegrityProof';
  cryptosuite: 'eddsa-rdfc-2022';
  created: string;
  verificationMethod: string;
  proofPurpose: 'assertionMethod';
  proofValue: string;
}

/**
 * Signs a credential with an embedded `DataIntegrityProof` (cryptosuite `eddsa-rdfc-2022`): RDF
 * canonicalization of the JSON-LD, so every term must be defined by a pinned context (the
 * cryptosuite expands in safe mode and refuses a document with an undefined term). The proof is
 * returned as a one-element array, the shape 1EdTech's AchievementCredential schema requires.
 */
export async function signWithDataIntegrity<T extends object>(
  document: T,
  key: DataIntegrityKey,
  documentLoader: DocumentLoader,
): Promise<T & { proof: DataIntegrityProofValue[] }> {
  const keyPair = await Ed25519Multikey.fromJwk({
    jwk: key.privateJwk,
    secretKey: true,
    id: verificationMethodId(key.did, key.kid),
    controller: key.did,
  });
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite });
  const signed = await vc.issue({
    credential: structuredClone(document) as Record<string, unknown>,
    suite,
    documentLoader,
  });
  return { ...(signed as T), proof: [signed.proof as DataIntegrityProofValue] };
}

export interface ProofCheck {
  verified: boolean;
  problem?: string;
}

/**
 * Verifies a credential's Data Integrity proof(s) only: dates and status are the caller's to judge
 * (reported as separate checks), so the library is told the credential's own `validFrom` is now.
 */
export async function verifyDataIntegrity(
  credential: Record<string, unknown>,
  documentLoader: DocumentLoader,
): Promise<ProofCheck> {
  const validFrom = typeof credential.validFrom === 'string' ? new Date(credential.validFrom) : null;
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader,
    checkStatus: async () => ({ verified: true }),
    ...(validFrom && !Number.isNaN(validFrom.getTime()) && { now: validFrom }),
  });
  if (result.verified) return { verified: true };
  const error = result.results?.find((r) => r.error)?.error ?? result.error?.errors?.[0] ?? result.error;
  return { verified: false, problem: error?.message || 'the proof does not verify' };
}
