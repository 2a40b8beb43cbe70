import { verifyDataIntegrity } from './data-integrity.js';
import { pinnedDocumentLoader, VC_V2_CONTEXT } from './document-loader.js';
import { dereferenceDidUrl, type DidDocument } from './issuer-did.js';
import { decodeList, statusBit } from './status-list.js';

/**
 * Checks an Open Badges 3.0 credential the way a wallet or verifier does, one named check at a
 * time so a person sees which passed. Used by the public verify page (credentials pasted or
 * uploaded by anyone) and by the offline `verify-credential` command; no framework, no network of
 * its own: `resolve` gives DID documents and status list credentials (from our database, a saved
 * file or a fetch, as the caller decides).
 */
/** The checks, in the order a report lists them. */
export const CHECK_NAMES = ['format', 'issuerKey', 'signature', 'status', 'validity', 'pdf'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
export type CheckOutcome = 'passed' | 'failed' | 'not-checked';

export interface Check {
  name: CheckName;
  outcome: CheckOutcome;
  /** In English, for logs and the CLI; the portal words its own from `name` and `outcome`. */
  detail: string;
}

export interface CredentialSummary {
  name: string | null;
  achievement: string | null;
  issuer: { id: string; name: string | null };
  validFrom: string | null;
  validUntil: string | null;
  /** The results the credential states (our village), as `value`s. */
  results: string[];
}

export interface CredentialReport {
  /** No check failed, and the proof, its key and the dates were checked and passed. */
  valid: boolean;
  /** Revoked, as read from the issuer's status list (null when the status was not checked). */
  revoked: boolean | null;
  checks: Check[];
  summary: CredentialSummary | null;
}

export interface CheckOptions {
  /** A DID document (for a bare DID) or a status list credential (for its URL); null if unknown. */
  resolve: (url: string) => Promise<unknown>;
  /** The SHA-256 (hex) of a PDF to compare with the one the credential names. */
  pdfSha256?: string;
  now?: Date;
}

/** The skew allowed between our clock and the issuer's, as the VC libraries allow it. */
const CLOCK_SKEW_MS = 300_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

export async function checkCredential(input: unknown, options: CheckOptions): Promise<CredentialReport> {
  const checks: Check[] = [];
  const add = (name: CheckName, outcome: CheckOutcome, detail: string) =>
    checks.push({ name, outcome, detail });
  const problem = formatProblem(input);
  if (problem) {
    add('format', 'failed', problem);
    for (const name of CHECK_NAMES.slice(1)) {
      add(name, 'not-checked', 'not an Open Badges 3.0 credential with a Data Integrity proof');
    }
    return { valid: false, revoked: null, checks, summary: null };
  }
  const credential = input as Json;
  add('format', 'passed', 'an Open Badges 3.0 credential with a DataIntegrityProof (eddsa-rdfc-2022)');
  const issuerId = issuerIdOf(credential)!;
  const now = options.now ?? new Date();

  const didDocs = new Map<string, DidDocument | null>();
  const didDocument = async (did: string) => {
    if (!didDocs.has(did)) {
      const doc = await options.resolve(did).catch(() => null);
      didDocs.set(did, isObject(doc) && doc.id === did ? (doc as unknown as DidDocument) : null);
    }
    return didDocs.get(did)!;
  };
  const loader = pinnedDocumentLoader(async (url) => {
    if (url.startsWith('did:')) {
      const doc = await didDocument(url.split('#')[0]);
      return doc ? dereferenceDidUrl(url, doc) : null;
    }
    return options.resolve(url).catch(() => null);
  });

  const keyProblem = await issuerKeyProblem(credential, issuerId, didDocument);
  if (keyProblem) add('issuerKey', 'failed', keyProblem);
  else add('issuerKey', 'passed', `signed with a key ${issuerId} publishes for issuing`);

  if (keyProblem) add('signature', 'not-checked', 'the signing key could not be found');
  else {
    const proof = await verifyDataIntegrity(credential, loader);
    add(
      'signature',
      proof.verified ? 'passed' : 'failed',
      proof.verified ? 'the proof verifies: nothing was changed since signing' : proof.problem!,
    );
  }

  const revoked = await checkStatus(credential, issuerId, options.resolve, loader, add);
  checkValidity(credential, now, add);

  const pdfHash = pdfHashIn(credential);
  if (!options.pdfSha256) add('pdf', 'not-checked', 'no PDF was given');
  else if (!pdfHash) add('pdf', 'failed', 'the credential names no PDF');
  else if (options.pdfSha256.toLowerCase() === pdfHash) add('pdf', 'passed', `SHA-256 ${pdfHash}`);
  else add('pdf', 'failed', `the PDF's SHA-256 ${options.pdfSha256} differs from ${pdfHash}`);

  const required: CheckName[] = ['format', 'issuerKey', 'signature', 'validity'];
  const valid =
    checks.every((c) => c.outcome !== 'failed') &&
    required.every((n) => checks.find((c) => c.name === n)?.outcome === 'passed');
  return { valid, revoked, checks, summary: summarize(credential, issuerId) };
}

function formatProblem(input: unknown): string | null {
  if (!isObject(input)) return 'not a JSON object';
  const contexts = asArray(input['@context']);
  if (contexts[0] !== VC_V2_CONTEXT) return `the first @context is not ${VC_V2_CONTEXT}`;
  const types = asArray(input.type);
  if (!types.includes('VerifiableCredential')) return 'not a VerifiableCredential';
  if (!types.includes('OpenBadgeCredential') && !types.includes('AchievementCredential')) {
    return 'not an OpenBadgeCredential';
  }
  if (!issuerIdOf(input)) return 'no issuer id';
  const proofs = asArray(input.proof).filter(isObject);
  if (proofs.length === 0) return 'no embedded proof (it does not have a digital signature)';
  if (!proofs.some((p) => p.type === 'DataIntegrityProof' && p.cryptosuite === 'eddsa-rdfc-2022')) {
    return 'no DataIntegrityProof with cryptosuite eddsa-rdfc-2022';
  }
  return null;
}

const issuerIdOf = (c: Json) => (isObject(c.issuer) ? str(c.issuer.id) : str(c.issuer));

async function issuerKeyProblem(
  credential: Json,
  issuerId: string,
  didDocument: (did: string) => Promise<DidDocument | null>,
): Promise<string | null> {
  const methods = asArray(credential.proof)
    .filter(isObject)
    .map((p) => str(p.verificationMethod));
  if (methods.some((m) => !m)) return 'a proof names no verification method';
  for (const method of methods as string[]) {
    if (!method.startsWith(`${issuerId}#`))
      return `the key ${method} is not one of the issuer's (${issuerId})`;
  }
  if (!issuerId.startsWith('did:')) return `the issuer ${issuerId} is not a DID this verifier resolves`;
  const doc = await didDocument(issuerId);
  if (!doc) return `the DID document of ${issuerId} could not be resolved`;
  for (const method of methods as string[]) {
    if (!doc.verificationMethod?.some((m) => m.id === method)) {
      return `${issuerId} does not publish the key ${method}`;
    }
    if (!doc.assertionMethod?.includes(method)) return `${method} is not an assertion key of ${issuerId}`;
  }
  return null;
}

/** Returns whether the credential is revoked (null when there was no status to check). */
async function checkStatus(
  credential: Json,
  issuerId: string,
  resolve: CheckOptions['resolve'],
  loader: ReturnType<typeof pinnedDocumentLoader>,
  add: (name: CheckName, outcome: CheckOutcome, detail: string) => void,
): Promise<boolean | null> {
  const entries = asArray(credential.credentialStatus).filter(isObject);
  const entry = entries.find(
    (e) => e.type === 'BitstringStatusListEntry' && e.statusPurpose === 'revocation',
  );
  if (!entry) {
    add('status', 'not-checked', 'the credential has no revocation status list entry');
    return null;
  }
  const listUrl = str(entry.statusListCredential);
  const index = Number(entry.statusListIndex);
  if (!listUrl || typeof entry.statusListIndex !== 'string' || !Number.isInteger(index) || index < 0) {
    add('status', 'failed', 'the status entry has no list URL or no valid index');
    return null;
  }
  const list = await resolve(listUrl).catch(() => null);
  if (!isObject(list)) {
    add('status', 'not-checked', `the status list ${listUrl} could not be read`);
    return null;
  }
  const subject = isObject(list.credentialSubject) ? list.credentialSubject : {};
  if (issuerIdOf(list) !== issuerId) {
    add('status', 'failed', `the status list is not issued by ${issuerId}`);
    return null;
  }
  if (subject.statusPurpose !== 'revocation' || typeof subject.encodedList !== 'string') {
    add('status', 'failed', 'the status list is not a revocation list');
    return null;
  }
  const proof = await verifyDataIntegrity(list, loader);
  if (!proof.verified) {
    add('status', 'failed', `the status list's proof does not verify: ${proof.problem}`);
    return null;
  }
  let bits: Buffer;
  try {
    bits = decodeList(subject.encodedList);
  } catch (e) {
    add('status', 'failed', `the status list cannot be decoded: ${(e as Error).message}`);
    return null;
  }
  if (index >= bits.length * 8) {
    add('status', 'failed', `index ${index} is outside the status list`);
    return null;
  }
  const revoked = statusBit(bits, index);
  const listDate = str(list.validFrom) ?? 'an undated copy';
  if (revoked) add('status', 'failed', `revoked (status list as of ${listDate})`);
  else add('status', 'passed', `not revoked (status list as of ${listDate})`);
  return revoked;
}

function checkValidity(
  credential: Json,
  now: Date,
  add: (name: CheckName, outcome: CheckOutcome, detail: string) => void,
) {
  const from = new Date(str(credential.validFrom) ?? NaN);
  const until = credential.validUntil === undefined ? null : new Date(str(credential.validUntil) ?? NaN);
  if (Number.isNaN(from.getTime()) || (until && Number.isNaN(until.getTime()))) {
    add('validity', 'failed', 'validFrom or validUntil is not a date-time');
  } else if (from.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    add('validity', 'failed', `not valid before ${from.toISOString()}`);
  } else if (until && until.getTime() < now.getTime() - CLOCK_SKEW_MS) {
    add('validity', 'failed', `expired on ${until.toISOString()}`);
  } else {
    add(
      'validity',
      'passed',
      `valid from ${from.toISOString()}${until ? ` until ${until.toISOString()}` : ''}`,
    );
  }
}

function pdfHashIn(credential: Json): string | null {
  for (const e of asArray(credential.evidence).filter(isObject)) {
    const id = str(e.id);
    if (id && /^urn:sha256:[0-9a-f]{64}$/.test(id)) return id.slice('urn:sha256:'.length);
  }
  return null;
}

function summarize(credential: Json, issuerId: string): CredentialSummary {
  const subject = asArray(credential.credentialSubject).find(isObject) ?? {};
  const achievement = isObject(subject.achievement) ? subject.achievement : {};
  return {
    name: str(credential.name),
    achievement: str(achievement.name),
    issuer: { id: issuerId, name: isObject(credential.issuer) ? str(credential.issuer.name) : null },
    validFrom: str(credential.validFrom),
    validUntil: str(credential.validUntil),
    results: asArray(subject.result)
      .filter(isObject)
      .map((r) => str(r.value))
      .filter((v): v is string => !!v),
  };
}
