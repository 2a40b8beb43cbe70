import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Min } from 'class-validator';
import { PageMetaDto } from '../../../infrastructure/http/pagination.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { MEDIA_KINDS, MEDIA_STATUSES } from '../entities/media-asset.entity.js';
import { AUDIO_UPLOAD_TYPES, PICTURE_UPLOAD_TYPES, VIDEO_UPLOAD_TYPES } from '../media.service.js';

export class RequestUploadDto {
  @ApiProperty({ example: 'thanh-toan-tien-dien.mp4', description: 'Shown to the trainer only' })
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  fileName!: string;

  @ApiProperty({
    enum: [
      ...Object.keys(VIDEO_UPLOAD_TYPES),
      ...Object.keys(PICTURE_UPLOAD_TYPES),
      ...Object.keys(AUDIO_UPLOAD_TYPES),
    ],
    example: 'video/mp4',
    description: 'A video type makes a video, a picture type a picture, an audio type a voice recording',
  })
  @IsString()
  @Length(3, 100)
  contentType!: string;

  @ApiProperty({ example: 18_500_000, description: 'Exact size in bytes (signed into the upload URL)' })
  @IsInt()
  @Min(1)
  bytes!: number;
}

export class PresignedUploadResponse {
  @ApiProperty() url!: string;
  @ApiProperty({ enum: ['PUT'] }) method!: 'PUT';
  @ApiProperty({ description: 'Send exactly these headers with the PUT' }) headers!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class RenditionResponse {
  @ApiProperty({ example: '234p' }) name!: string;
  @ApiProperty({ enum: ['video', 'audio'] }) kind!: 'video' | 'audio';
  @ApiProperty({ nullable: true, type: Number }) width!: number | null;
  @ApiProperty({ nullable: true, type: Number }) height!: number | null;
  @ApiProperty({ description: 'Measured average bitrate (kbps)' }) bitrateKbps!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty({ example: 2.21 }) megabytes!: number;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty() playlistUrl!: string;
}

export class VideoDownloadResponse {
  @ApiProperty() url!: string;
  @ApiProperty({ example: '234p' }) rendition!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() megabytes!: number;
}

export class MediaFailureResponse {
  @ApiProperty({ example: 'MEDIA_TOO_LONG' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() details?: Record<string, unknown>;
}

export class PlayableVideoResponse {
  @ApiProperty({ format: 'uuid' }) mediaId!: string;
  @ApiProperty({ enum: MEDIA_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) durationSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'HLS master playlist' }) hlsUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) posterUrl!: string | null;
  @ApiProperty({
    nullable: true,
    type: VideoDownloadResponse,
    description: 'MP4 of the lowest rung, for offline',
  })
  download!: VideoDownloadResponse | null;
  @ApiProperty({ type: [RenditionResponse], description: 'Lowest first' }) renditions!: RenditionResponse[];
}

export class PictureVariantResponse {
  @ApiProperty({ enum: ['webp', 'jpeg'] }) format!: 'webp' | 'jpeg';
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty() url!: string;
}

export class VoiceResponse {
  @ApiProperty({ description: 'Mono AAC-LC in M4A, normalised to -16 LUFS' }) url!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty() bitrateKbps!: number;
  @ApiProperty({ description: 'Integrated loudness of the upload (LUFS), before normalising' })
  sourceLoudness!: number;
}

export class MediaResponse extends PlayableVideoResponse {
  @ApiProperty({ nullable: true, type: VoiceResponse, description: "A ready recording's file" })
  voice!: VoiceResponse | null;
  @ApiProperty({ enum: MEDIA_KINDS }) kind!: string;
  @ApiProperty({
    type: [PictureVariantResponse],
    description: "A ready picture's files: WebP and JPEG at up to two widths, smallest first",
  })
  pictures!: PictureVariantResponse[];
  @ApiProperty() fileName!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty({ description: 'Size of the uploaded original' }) bytes!: number;
  @ApiProperty({ nullable: true, type: Number }) width!: number | null;
  @ApiProperty({ nullable: true, type: Number }) height!: number | null;
  @ApiProperty({ nullable: true, type: MediaFailureResponse }) failure!: MediaFailureResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) readyAt!: string | null;
}

export class UploadIntentResponse {
  @ApiProperty({ type: MediaResponse }) media!: MediaResponse;
  @ApiProperty({ type: PresignedUploadResponse }) upload!: PresignedUploadResponse;
}

export class MediaPageResponse {
  @ApiProperty({ type: [MediaResponse] }) items!: MediaResponse[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}
