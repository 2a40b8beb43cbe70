import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Publication {
  publishedFrom: Date | null;
  changedBy: string;
  changedAt: Date;
}

/** The communes ranked, and whether a programme's ranking is public. */
@Injectable()
export class RankingRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  communes(provinceId: string): Promise<{ id: string; name: string; path: string }[]> {
    return this.dataSource.query(
      `SELECT id, name, path FROM localities WHERE parent_id = $1 AND level = 'commune'`,
      [provinceId],
    );
  }

  async publication(programmeId: string): Promise<Publication | null> {
    const [row] = await this.dataSource.query<Publication[]>(
      `SELECT published_from AS "publishedFrom", changed_by AS "changedBy", changed_at AS "changedAt"
         FROM reporting_ranking_publications WHERE programme_id = $1`,
      [programmeId],
    );
    return row ?? null;
  }

  async setPublication(programmeId: string, publishedFrom: Date | null, changedBy: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO reporting_ranking_publications (programme_id, published_from, changed_by)
       VALUES ($1, $2, $3)
       ON CONFLICT (programme_id) DO UPDATE
          SET published_from = EXCLUDED.published_from, changed_by = EXCLUDED.changed_by, changed_at = now()`,
      [programmeId, publishedFrom, changedBy],
    );
  }
}
