import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RenditionRecord } from '../video-transcoder.js';

export const MEDIA_STATUSES = ['awaiting_upload', 'uploaded', 'processing', 'ready', 'failed'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

export interface MediaFailure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A trainer's video: the uploaded source and, once processed, its HLS ladder, the offline
 * download and a poster, all under `media/<id>/` in the media bucket.
 * awaiting_upload → uploaded → processing → ready | failed.
 */
@Entity('media_assets')
@Index('media_assets_owner_idx', ['ownerId', 'createdAt'])
export class MediaAssetEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'owner_id', type: 'uuid' }) ownerId!: string;
  @Column({ type: 'varchar', length: 16 }) status!: MediaStatus;
  @Column({ name: 'file_name', type: 'varchar', length: 200 }) fileName!: string;
  @Column({ name: 'content_type', type: 'varchar', length: 100 }) contentType!: string;
  @Column({ name: 'declared_bytes', type: 'bigint' }) declaredBytes!: string;
  /** Null once a rejected source has been removed. */
  @Column({ name: 'source_key', type: 'varchar', length: 300, nullable: true }) sourceKey!: string | null;
  @Column({ name: 'source_bytes', type: 'bigint', nullable: true }) sourceBytes!: string | null;
  @Column({ name: 'duration_seconds', type: 'numeric', precision: 9, scale: 3, nullable: true })
  durationSeconds!: string | null;
  @Column({ type: 'int', nullable: true }) width!: number | null;
  @Column({ type: 'int', nullable: true }) height!: number | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) renditions!: RenditionRecord[];
  @Column({ type: 'jsonb', nullable: true }) download!: {
    file: string;
    bytes: number;
    rendition: string;
  } | null;
  @Column({ type: 'jsonb', nullable: true }) poster!: {
    file: string;
    bytes: number;
    width: number;
    height: number;
  } | null;
  @Column({ type: 'jsonb', nullable: true }) failure!: MediaFailure | null;
  /** Processing runs asked for (the first upload and every reprocess); names the job. */
  @Column({ name: 'processing_runs', type: 'int', default: 0 }) processingRuns!: number;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ name: 'ready_at', type: 'timestamptz', nullable: true }) readyAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
