import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RenditionRecord } from '../video-transcoder.js';

export const MEDIA_STATUSES = ['awaiting_upload', 'uploaded', 'processing', 'ready', 'failed'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];
export const MEDIA_KINDS = ['video', 'picture', 'audio'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The file a voice recording becomes: mono AAC-LC in M4A at a common loudness. */
export interface VoiceFile {
  file: string;
  bytes: number;
  durationSeconds: number;
  bitrateKbps: number;
  /** Integrated loudness of the recording as uploaded (LUFS), before normalising. */
  sourceLoudness: number;
}

/** One file made from a picture: a format at a width (height kept in proportion). */
export interface PictureVariant {
  format: 'webp' | 'jpeg';
  width: number;
  height: number;
  bytes: number;
  file: string;
}

export interface MediaFailure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A trainer's video, picture or voice recording: the uploaded source and, once processed, a
 * video's HLS ladder, offline download and poster, a picture's variants or a recording's M4A, all
 * under `media/<id>/` in the media bucket.
 * awaiting_upload → uploaded → processing → ready | failed.
 */
@Entity('media_assets')
@Index('media_assets_owner_idx', ['ownerId', 'createdAt'])
export class MediaAssetEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'owner_id', type: 'uuid' }) ownerId!: string;
  @Column({ type: 'varchar', length: 16 }) status!: MediaStatus;
  @Column({ type: 'varchar', length: 8, default: 'video' }) kind!: MediaKind;
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
  /** A ready picture's files, smallest first. */
  @Column({ type: 'jsonb', nullable: true }) pictures!: PictureVariant[] | null;
  /** A ready voice recording's file. */
  @Column({ type: 'jsonb', nullable: true }) voice!: VoiceFile | null;
  @Column({ type: 'jsonb', nullable: true }) failure!: MediaFailure | null;
  /** Processing runs asked for (the first upload and every reprocess); names the job. */
  @Column({ name: 'processing_runs', type: 'int', default: 0 }) processingRuns!: number;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ name: 'ready_at', type: 'timestamptz', nullable: true }) readyAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
