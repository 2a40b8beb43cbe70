import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as didContexts } from 'did-context';
import obContext from './ob-v3p0-3.0.3.context.json' with { type: 'json' };

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/** Open Badges 3.0 (VC Data Model 2.0) contexts, in the order the spec requires. */
export const OB3_CONTEXT = [VC_V2_CONTEXT, OB_CONTEXT];

export interface LoadedDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}
export type DocumentLoader = (url: string) => Promise<LoadedDocument>;

/**
 * Every context a credential, a status list or a DID document of ours uses, pinned: issuing and
 * verifying never fetch one (a changed or unreachable context cannot change what a signature
 * means). The OB 3.0.3 context is the copy 1EdTech's validator caches (the file beside this one);
 * the others come from the packages that implement them.
 */
const PINNED: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...credentialsContexts,
  ...dataIntegrityContexts,
  ...multikeyContexts,
  ...didContexts,
  [OB_CONTEXT, obContext],
]);

export class UnknownDocumentError extends Error {
  override name = 'UnknownDocumentError';
  constructor(readonly url: string) {
    super(`${url} is neither a pinned context nor a document this verifier can resolve`);
  }
}

/**
 * A document loader that serves the pinned contexts and, for anything else (a DID document, a
 * verification method, a status list credential), asks `resolve`; it never reaches the network by
 * itself. `resolve` answers null for what it does not know.
 */
export function pinnedDocumentLoader(resolve?: (url: string) => Promise<unknown>): DocumentLoader {
  return async (url: string) => {
    const pinned = PINNED.get(url);
    const document = pinned ?? (resolve ? await resolve(url) : null);
    if (document == null) throw new UnknownDocumentError(url);
    return { contextUrl: null, documentUrl: url, document };
  };
}
