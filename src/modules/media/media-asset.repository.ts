import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { MediaAssetEntity, type MediaFailure, type MediaStatus } from './entities/media-asset.entity.js';

/** What a run records once its files are made (each kind its own). */
export type ReadyFields = Partial<
  Pick<
    MediaAssetEntity,
    'renditions' | 'download' | 'poster' | 'durationSeconds' | 'width' | 'height' | 'pictures' | 'voice'
  >
>;

/** The only place that touches TypeORM for media assets. Status moves are conditional updates. */
@Injectable()
export class MediaAssetRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(MediaAssetEntity);
  }

  create(
    fields: Pick<MediaAssetEntity, 'ownerId' | 'fileName' | 'contentType' | 'declaredBytes' | 'sourceKey'> &
      Partial<Pick<MediaAssetEntity, 'kind'>>,
  ) {
    return this.repo.save(this.repo.create({ ...fields, status: 'awaiting_upload' }));
  }

  find(id: string): Promise<MediaAssetEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findMany(ids: string[]): Promise<MediaAssetEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.find({ where: { id: In(ids) } });
  }

  /** An owner's assets still waiting for their file, oldest first. */
  awaitingUpload(ownerId: string): Promise<MediaAssetEntity[]> {
    return this.repo.find({ where: { ownerId, status: 'awaiting_upload' }, order: { createdAt: 'ASC' } });
  }

  listOwnedBy(ownerId: string | null, page: number, pageSize: number) {
    return this.repo.findAndCount({
      where: ownerId ? { ownerId } : {},
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  /** Moves `from` → `to` if the asset is still in `from`; false if someone else moved it first. */
  async transition(
    id: string,
    from: MediaStatus[],
    to: MediaStatus,
    fields: Partial<MediaAssetEntity> = {},
  ): Promise<MediaAssetEntity | null> {
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ ...fields, status: to } as never)
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    return result.affected ? this.find(id) : null;
  }

  /** The next processing run: uploaded again, attempts reset. Returns the run number. */
  async startRun(id: string, from: MediaStatus[], sourceBytes?: number): Promise<number | null> {
    const rows = (await this.dataSource.query(
      `UPDATE media_assets
          SET status = 'uploaded', failure = NULL, attempts = 0,
              source_bytes = COALESCE($3, source_bytes),
              processing_runs = processing_runs + 1, updated_at = now()
        WHERE id = $1 AND status = ANY($2) AND source_key IS NOT NULL
        RETURNING processing_runs`,
      [id, from, sourceBytes ?? null],
    )) as [{ processing_runs: number }[], number];
    return rows[0][0]?.processing_runs ?? null;
  }

  /** Confirmed assets still waiting for their first processing attempt, oldest first. */
  waitingSince(olderThanSeconds: number, limit: number): Promise<MediaAssetEntity[]> {
    return this.repo
      .createQueryBuilder('m')
      .where(`m.status = 'uploaded' AND m.updated_at < now() - make_interval(secs => :s)`, {
        s: olderThanSeconds,
      })
      .orderBy('m.updated_at')
      .limit(limit)
      .getMany();
  }

  /** Counts a processing attempt; only an asset waiting for or in processing can start one. */
  async beginAttempt(id: string): Promise<MediaAssetEntity | null> {
    return this.transition(id, ['uploaded', 'processing'], 'processing', {
      attempts: () => 'attempts + 1',
    } as never);
  }

  markReady(id: string, fields: ReadyFields) {
    return this.transition(id, ['processing'], 'ready', { ...fields, readyAt: new Date(), failure: null });
  }

  markFailed(id: string, failure: MediaFailure, fields: Partial<MediaAssetEntity> = {}) {
    return this.transition(id, ['uploaded', 'processing'], 'failed', { ...fields, failure });
  }
}
