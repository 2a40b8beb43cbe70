import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { IssuerKeyEntity } from './entities/issuer-key.entity.js';

@Injectable()
export class IssuerKeyRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(IssuerKeyEntity);
  }

  findActive(): Promise<IssuerKeyEntity | null> {
    return this.repo.findOne({ where: { retiredAt: IsNull() } });
  }

  findAll(): Promise<IssuerKeyEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  /** Adds a key as the active one, retiring the current one in the same transaction. */
  async activate(
    key: Pick<IssuerKeyEntity, 'kid' | 'publicJwk' | 'sealedPrivateKey'>,
    retireCurrent: boolean,
  ) {
    await this.dataSource.transaction(async (m) => {
      if (retireCurrent) {
        await m.query(`UPDATE issuer_keys SET retired_at = now() WHERE retired_at IS NULL`);
      }
      // Two processes creating the first key at once: the partial unique index keeps one.
      await m.query(
        `INSERT INTO issuer_keys (kid, public_jwk, sealed_private_key) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [key.kid, key.publicJwk, key.sealedPrivateKey],
      );
    });
  }
}
