import { Inject, Injectable } from '@nestjs/common';
import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { IssuerKeyRepository } from './issuer-key.repository.js';
import type { IssuerPublicKey } from './open-badges/issuer-did.js';

export interface SigningKey extends IssuerPublicKey {
  privateJwk: Record<string, string>;
}

/** Re-read the active key this often, so a rotation reaches every worker without a restart. */
const ACTIVE_KEY_TTL_MS = 30_000;

/**
 * The issuer's Ed25519 keys. Private keys are stored sealed (AES-256-GCM under a key derived
 * from ISSUER_KEY_SECRET); public keys, retired ones included, are published in the issuer's DID
 * document.
 */
@Injectable()
export class IssuerKeysService {
  private readonly sealingKey: Buffer;
  private active?: { key: SigningKey; loadedAt: number };

  constructor(
    @Inject(IssuerKeyRepository) private readonly keys: IssuerKeyRepository,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.sealingKey = Buffer.from(
      hkdfSync('sha256', config.certification.issuerKeySecret, 'ban-so', 'issuer-keys/v1', 32),
    );
  }

  /** The key to sign with; the first call on a new installation creates it. */
  async signingKey(): Promise<SigningKey> {
    if (this.active && Date.now() - this.active.loadedAt < ACTIVE_KEY_TTL_MS) return this.active.key;
    let row = await this.keys.findActive();
    if (!row) {
      await this.keys.activate(await this.newKey(), false);
      row = await this.keys.findActive();
    }
    if (!row) throw new Error('No active issuer key after creating one');
    const key = {
      kid: row.kid,
      publicJwk: row.publicJwk,
      privateJwk: JSON.parse(this.unseal(row.sealedPrivateKey)) as Record<string, string>,
    };
    this.active = { key, loadedAt: Date.now() };
    return key;
  }

  /** A new key signs from now on; the old one stays published. Returns the new key id. */
  async rotate(): Promise<string> {
    const key = await this.newKey();
    await this.keys.activate(key, true);
    this.active = undefined;
    return key.kid;
  }

  /** Every key ever used, oldest first; a fresh installation publishes its first key before issuing. */
  async published(): Promise<IssuerPublicKey[]> {
    await this.signingKey();
    return (await this.keys.findAll()).map((k) => ({ kid: k.kid, publicJwk: k.publicJwk }));
  }

  private async newKey() {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const publicJwk = await exportJWK(publicKey);
    // The RFC 7638 thumbprint: anyone can recompute the key id from the key.
    const kid = await calculateJwkThumbprint(publicJwk);
    return {
      kid,
      publicJwk: publicJwk as Record<string, string>,
      sealedPrivateKey: this.seal(JSON.stringify(await exportJWK(privateKey))),
    };
  }

  private seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
  }

  private unseal(sealed: string): string {
    const [iv, body, tag] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.sealingKey, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Cannot unseal the issuer key: ISSUER_KEY_SECRET differs from the one that sealed it');
    }
  }
}
