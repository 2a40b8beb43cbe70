import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { VillageAmbassadors } from '../identity/village-ambassadors.js';

/** Identity's VillageAmbassadors port, answered from the certificates. */
@Injectable()
export class CertifiedVillageAmbassadors extends VillageAmbassadors {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    super();
  }

  async villagesOf(userId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ villageId: string }[]>(
      `SELECT DISTINCT village_id AS "villageId" FROM certificates
        WHERE holder_id = $1 AND revoked_at IS NULL AND superseded_at IS NULL AND expires_at > now()`,
      [userId],
    );
    return rows.map((r) => r.villageId);
  }
}

/** Global: lower layers (identity, learning) inject the port without importing certification. */
@Global()
@Module({
  providers: [{ provide: VillageAmbassadors, useClass: CertifiedVillageAmbassadors }],
  exports: [VillageAmbassadors],
})
export class VillageAmbassadorsModule {}
