import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { TtlCache } from '../../infrastructure/cache/ttl-cache.js';
import { CredentialStatusRepository } from './credential-status.repository.js';
import { IssuerKeysService } from './issuer-keys.service.js';
import { checkCredential, type CredentialReport } from './open-badges/credential-checks.js';
import { signWithDataIntegrity } from './open-badges/data-integrity.js';
import { pinnedDocumentLoader, type DocumentLoader } from './open-badges/document-loader.js';
import { dereferenceDidUrl, didDocument, issuerDid, type DidDocument } from './open-badges/issuer-did.js';
import { statusListCredential, statusListPrefix } from './open-badges/status-list.js';

/** Re-read the key list this often, so a rotation reaches every process's DID document. */
const DID_DOCUMENT_TTL_MS = 30_000;

/**
 * The issuer as verifiers see it: its did:web and DID document, Data Integrity signing with the
 * active key, the signed status lists, and checks of credentials anyone pastes in. Everything of
 * ours resolves locally; nothing is fetched from the network.
 */
@Injectable()
export class CredentialIssuerService {
  readonly did: string;
  private readonly didDocs = new TtlCache<DidDocument>(DID_DOCUMENT_TTL_MS, 1);
  /** Signed status lists by `listId:version`: signing once per change, not per request. */
  private readonly signedLists = new TtlCache<object>(3_600_000, 64);

  constructor(
    @Inject(IssuerKeysService) private readonly keys: IssuerKeysService,
    @Inject(CredentialStatusRepository) private readonly statusLists: CredentialStatusRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.did = issuerDid(config.publicBaseUrl);
  }

  get issuer() {
    return { baseUrl: this.config.publicBaseUrl, did: this.did, name: this.config.certification.issuerName };
  }

  /**
   * Every key ever used, retired ones included, as assertion methods. Asked for a key it does not
   * list, it reads the keys again: another process may have rotated within the cache's lifetime.
   */
  async didDocument(listing?: string): Promise<DidDocument> {
    const load = async () => didDocument(this.did, await this.keys.published());
    const doc = await this.didDocs.get('doc', load);
    if (!listing || doc.verificationMethod.some((m) => m.id === listing)) return doc;
    this.didDocs.clear();
    return this.didDocs.get('doc', load);
  }

  /** A new key signs from now on, here at once and in other processes within a minute. */
  async rotate(): Promise<string> {
    const kid = await this.keys.rotate();
    this.didDocs.clear();
    return kid;
  }

  /** Signs with the active key; returns the signed document and the key's id. */
  async sign<T extends object>(document: T) {
    const key = await this.keys.signingKey();
    const signed = await signWithDataIntegrity(
      document,
      { did: this.did, kid: key.kid, privateJwk: key.privateJwk },
      this.loader,
    );
    return { signed, kid: key.kid };
  }

  /** The signed status list credential and its version, or null for a list that does not exist. */
  async statusList(listId: number): Promise<{ version: number; credential: object } | null> {
    if (!Number.isSafeInteger(listId) || listId < 1 || listId > 2 ** 31 - 1) return null;
    const version = await this.statusLists.version(listId);
    if (version === null) return null;
    const credential = await this.signedLists.get(`${listId}:${version}`, async () => {
      const list = (await this.statusLists.find(listId))!;
      const unsigned = statusListCredential(
        this.config.publicBaseUrl,
        listId,
        list.bits,
        { id: this.did, name: this.config.certification.issuerName },
        list.updatedAt,
      );
      return (await this.sign(unsigned)).signed;
    });
    return { version, credential };
  }

  /** Checks a credential someone pasted: only our own DID and status lists resolve (no fetching). */
  check(credential: unknown, pdfSha256?: string): Promise<CredentialReport> {
    return checkCredential(credential, { resolve: (url) => this.resolveOwn(url), pdfSha256 });
  }

  private readonly loader: DocumentLoader = pinnedDocumentLoader(async (url) => {
    if (!url.startsWith('did:')) return this.resolveOwn(url);
    const doc = url.split('#')[0] === this.did ? await this.didDocument(url) : null;
    return doc && dereferenceDidUrl(url, doc);
  });

  private async resolveOwn(url: string): Promise<unknown> {
    if (url === this.did) return this.didDocument();
    const prefix = statusListPrefix(this.config.publicBaseUrl);
    if (url.startsWith(prefix) && /^\d{1,9}$/.test(url.slice(prefix.length))) {
      return (await this.statusList(Number(url.slice(prefix.length))))?.credential ?? null;
    }
    return null;
  }
}
