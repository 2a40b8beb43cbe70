/**
 * Checks an Open Badges 3.0 credential (W3C VC 2.0 with an embedded `eddsa-rdfc-2022` Data Integrity
 * proof) with libraries independent of the issuing code: the issuer signs with the Digital Bazaar
 * stack (jsonld.js + rdf-canonize), so the proof is checked here with jsonld-streaming-parser,
 * rdfjs-c14n and @noble/ed25519. A shared bug in one stack cannot then pass its own test.
 * Every JSON-LD context comes from a pinned copy; nothing is fetched from the network.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAsync } from '@noble/ed25519';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import ajvFormats from 'ajv-formats';
import { Ajv2019, type ValidateFunction } from 'ajv8/dist/2019.js';
import { contexts as didContexts } from 'did-context';
import jsonld from 'jsonld';
import { JsonLdParser, type IJsonLdParserOptions } from 'jsonld-streaming-parser';
import { RDFC10 } from 'rdfjs-c14n';

const FIXTURES = join(process.cwd(), 'test/fixtures/ob3');
const readFixture = (name: string): object =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as object;

let achievementCredentialSchema: ValidateFunction | undefined;

/** Errors against the 1EdTech AchievementCredential JSON Schema (draft 2019-09); empty when valid. */
export function ob3SchemaErrors(credential: unknown): string[] {
  if (!achievementCredentialSchema) {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: under NodeNext its default import is the module object.
    ajvFormats.default(ajv);
    achievementCredentialSchema = ajv.compile(readFixture('ob_v3p0_achievementcredential_schema.json'));
  }
  if (achievementCredentialSchema(credential)) return [];
  return (achievementCredentialSchema.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`,
  );
}

/** What a JSON-LD document loader returns (the shape jsonld.js expects). */
export interface LoadedDocument {
  contextUrl: null;
  documentUrl: string;
  document: object;
}
export type ConformanceDocumentLoader = (url: string) => Promise<LoadedDocument>;

/**
 * A document loader that serves pinned copies only: the VC 2.0 and OB 3.0.3 contexts from the
 * fixtures, the Data Integrity, Multikey and DID contexts from their npm packages, and `extra`
 * (e.g. a DID document). Any other URL is an error, so a test never depends on the network.
 */
export function conformanceDocumentLoader(extra: Record<string, object> = {}): ConformanceDocumentLoader {
  const documents = new Map<string, object>([
    ['https://www.w3.org/ns/credentials/v2', readFixture('credentials-v2.jsonld')],
    ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', readFixture('ob-v3p0-3.0.3.json')],
    ...(dataIntegrityContexts as Map<string, object>),
    ...(multikeyContexts as Map<string, object>),
    ...(didContexts as Map<string, object>),
    ...Object.entries(extra),
  ]);
  return async (url) => {
    const document = documents.get(url);
    if (!document) throw new Error(`conformanceDocumentLoader: no pinned document for ${url}`);
    return { contextUrl: null, documentUrl: url, document };
  };
}

/** A jsonld.js processing event (@types/jsonld types neither events nor handlers). */
interface JsonLdEvent {
  code: string;
  level: string;
  message: string;
  details?: Record<string, unknown>;
}
type JsonLdEventHandler = (handler: { event: JsonLdEvent; next: () => void }) => void;
const { safeEventHandler } = jsonld as unknown as { safeEventHandler: JsonLdEventHandler };

/**
 * Problems JSON-LD safe mode finds, e.g. a property no context defines, which a processor would
 * otherwise drop silently (leaving it outside the signature); empty when clean. `safe: true` stops at
 * the first problem, so this applies safe mode's own rule (jsonld.safeEventHandler) to every event
 * and records each violation, naming the property, type or id from the event's details.
 */
export async function safeModeProblems(
  credential: object,
  loader: ConformanceDocumentLoader,
): Promise<string[]> {
  const problems: string[] = [];
  const eventHandler: JsonLdEventHandler = ({ event, next }) => {
    try {
      safeEventHandler({ event, next });
    } catch {
      const culprit = ['property', 'type', 'id', 'value']
        .map((key) => event.details?.[key])
        .find((v) => v !== undefined);
      problems.push(
        culprit === undefined
          ? `${event.code}: ${event.message}`
          : `${event.code}: ${JSON.stringify(culprit)}`,
      );
      next();
    }
  };
  const options = { documentLoader: loader, eventHandler } as unknown as jsonld.Options.Expand;
  try {
    await jsonld.expand(credential as jsonld.JsonLdDocument, options);
  } catch (error) {
    problems.push(`expansion failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return problems;
}

type StreamingDocumentLoader = NonNullable<IJsonLdParserOptions['documentLoader']>;
/** An RDF/JS quad, as rdfjs-c14n takes it (named so without importing the transitive @rdfjs/types). */
type Quad = Parameters<RDFC10['toNquads']>[0] extends Iterable<infer Q> ? Q : never;

/**
 * JSON-LD to RDF with jsonld-streaming-parser. `strictValues` makes it throw where a processor would
 * silently drop data (undefined terms, invalid values): VC Data Integrity requires that to be an error.
 */
function toQuads(document: object, loader: ConformanceDocumentLoader): Promise<Quad[]> {
  const documentLoader: StreamingDocumentLoader = {
    load: async (url) => (await loader(url)).document,
  };
  const parser = new JsonLdParser({ documentLoader, strictValues: true });
  const quads: Quad[] = [];
  return new Promise((resolve, reject) => {
    parser.on('data', (quad: Quad) => quads.push(quad));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.end(JSON.stringify(document));
  });
}

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const SHORTHAND_DATATYPES = new Set(['boolean', 'integer', 'decimal', 'double'].map((name) => XSD + name));
/** Characters RDFC-1.0 writes natively (astral) or as upper-case UCHAR, and n3 writes otherwise. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const MISWRITTEN_CHARACTERS = /[\u000b\u000e\u000f\u001a-\u001f\u007f\ud800-\udfff]/;

/**
 * rdfjs-c14n 3.1.4 serializes quads (for its hashes and its output) with n3's default Writer, which
 * is Turtle: it writes xsd:boolean/integer/decimal/double literals as bare `true`/`2`/`2.5E0`, astral
 * characters as `\U…` and some control characters differently from RDFC-1.0's canonical N-Quads.
 * Such a dataset would fail verification for a reason that has nothing to do with the signature.
 */
function canonicalFormProblem(quads: Quad[]): string | undefined {
  for (const quad of quads) {
    const { object } = quad;
    if (object.termType === 'Literal' && SHORTHAND_DATATYPES.has(object.datatype.value)) {
      return `literal "${object.value}"^^<${object.datatype.value}> (rdfjs-c14n writes it in Turtle short form)`;
    }
    const term = [quad.subject, quad.predicate, object, quad.graph].find((t) =>
      MISWRITTEN_CHARACTERS.test(t.value),
    );
    if (term) {
      return `${JSON.stringify(term.value)} (rdfjs-c14n escapes astral and some control characters unlike RDFC-1.0)`;
    }
  }
  return undefined;
}

/** RDFC-1.0 canonical N-Quads of a JSON-LD document, hashed with SHA-256. */
async function canonicalHash(
  document: object,
  loader: ConformanceDocumentLoader,
  what: string,
): Promise<Buffer> {
  let quads: Quad[];
  try {
    quads = await toQuads(document, loader);
  } catch (error) {
    throw new Error(
      `${what}: JSON-LD to RDF failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const unsupported = canonicalFormProblem(quads);
  if (unsupported) throw new Error(`${what}: cannot be canonicalized independently: ${unsupported}`);
  const canonical = await new RDFC10().canonicalize(quads);
  return createHash('sha256').update(canonical, 'utf8').digest();
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Base58 (Bitcoin alphabet) to bytes; each leading '1' is a leading zero byte. */
function base58Decode(text: string): Uint8Array {
  const bytes: number[] = []; // little-endian big number
  for (const char of text) {
    let carry = BASE58_ALPHABET.indexOf(char);
    if (carry < 0) throw new Error(`not base58: ${JSON.stringify(char)}`);
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i] * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8) bytes.push(carry & 0xff);
  }
  const zeros = /^1*/.exec(text)?.[0].length ?? 0;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes.reverse()]);
}

/** Multibase base58btc ('z' prefix) to bytes. */
function multibaseDecode(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || !value.startsWith('z')) {
    throw new Error(`${what} is not multibase base58btc (must start with "z")`);
  }
  return base58Decode(value.slice(1));
}

/** The raw 32-byte key of an Ed25519 Multikey (multicodec 0xed 0x01 + key). */
function ed25519MultikeyBytes(publicKeyMultibase: string): Uint8Array {
  const bytes = multibaseDecode(publicKeyMultibase, 'publicKeyMultibase');
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) {
    throw new Error('publicKeyMultibase is not an Ed25519 Multikey (0xed01 + 32 bytes)');
  }
  return bytes.slice(2);
}

/**
 * Verifies an `eddsa-rdfc-2022` proof per W3C "Data Integrity EdDSA Cryptosuites v1.0" (§3.2.2
 * verification, transformation, hashing and proof configuration) against a known public key.
 * Returns the first problem instead of throwing.
 */
export async function verifyEddsaRdfc2022Independently(
  credential: object,
  publicKeyMultibase: string,
  loader: ConformanceDocumentLoader,
): Promise<{ verified: boolean; problem?: string }> {
  const { proof: proofs, ...unsecuredDocument } = credential as Record<string, unknown>;
  const proofList: unknown[] = Array.isArray(proofs) ? proofs : proofs === undefined ? [] : [proofs];
  if (proofList.length !== 1) {
    return { verified: false, problem: `expected one proof, found ${proofList.length}` };
  }
  const proof = proofList[0];
  if (typeof proof !== 'object' || proof === null) {
    return { verified: false, problem: 'proof is not an object' };
  }
  const { proofValue, ...proofOptions } = proof as Record<string, unknown>;
  if (proofOptions.type !== 'DataIntegrityProof') {
    return {
      verified: false,
      problem: `proof type is ${JSON.stringify(proofOptions.type)}, not DataIntegrityProof`,
    };
  }
  if (proofOptions.cryptosuite !== 'eddsa-rdfc-2022') {
    return {
      verified: false,
      problem: `cryptosuite is ${JSON.stringify(proofOptions.cryptosuite)}, not eddsa-rdfc-2022`,
    };
  }
  try {
    const signature = multibaseDecode(proofValue, 'proofValue');
    if (signature.length !== 64) throw new Error(`proofValue decodes to ${signature.length} bytes, not 64`);
    const publicKey = ed25519MultikeyBytes(publicKeyMultibase);
    const proofConfig = { ...proofOptions, '@context': unsecuredDocument['@context'] };
    const hashData = Buffer.concat([
      await canonicalHash(proofConfig, loader, 'proof configuration'),
      await canonicalHash(unsecuredDocument, loader, 'document'),
    ]);
    // RFC 8032 rules (zip215: false): reject what the standard rejects, as OpenSSL does.
    if (await verifyAsync(signature, hashData, publicKey, { zip215: false })) return { verified: true };
    return { verified: false, problem: 'Ed25519 signature does not match the canonical document and proof' };
  } catch (error) {
    return { verified: false, problem: error instanceof Error ? error.message : String(error) };
  }
}
