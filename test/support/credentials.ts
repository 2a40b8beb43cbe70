import {
  checkCredential,
  type CredentialReport,
} from '../../src/modules/certification/open-badges/credential-checks.js';
import { api } from './api.js';

/** Test processes share this public address (test-services.ts); it does not resolve. */
export const TEST_PUBLIC_BASE = 'http://banso.test';

/**
 * Resolves what a credential names against a running platform: its did:web (the DID document it
 * serves) and URLs under the public address (status lists), read from `base` instead.
 */
export function platformResolver(base?: string, publicBase = TEST_PUBLIC_BASE) {
  return async (url: string): Promise<unknown> => {
    if (url.startsWith('did:web:')) return (await api('/.well-known/did.json', { base })).body;
    if (url.startsWith(`${publicBase}/`)) {
      const res = await api(url.slice(publicBase.length), { base });
      return res.status === 200 ? res.body : null;
    }
    return null;
  };
}

/** Checks a credential a platform issued, as a wallet online would. */
export function checkIssued(
  credential: unknown,
  options: { base?: string; pdfSha256?: string; now?: Date } = {},
): Promise<CredentialReport> {
  return checkCredential(credential, { resolve: platformResolver(options.base), ...options });
}

/** The downloaded credential file of a certificate (as `GET /api/v1/certificates/:id` lists it). */
export async function downloadedCredential(cert: { downloads: { credential: string } }): Promise<any> {
  const res = await fetch(cert.downloads.credential);
  if (!res.ok) throw new Error(`credential download answered ${res.status}`);
  return res.json();
}
