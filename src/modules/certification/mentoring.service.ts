import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import { StorageService, type PresignedUpload } from '../../infrastructure/storage/storage.service.js';
import { Buckets } from '../../infrastructure/storage/storage-keys.js';
import { StorageError, StorageErrorCode } from '../../infrastructure/storage/storage.errors.js';
import { GeographyService } from '../geography/geography.service.js';
import { householdKey } from './certificate-identifiers.js';
import { CertificationError, CertificationErrorCode } from './certification.errors.js';
import { CertificationRepository } from './certification.repository.js';
import { PHOTO_TYPES, type CreateMentoringRecordDto, type PhotoUploadDto } from './dto/certification.dto.js';
import type { MentoringRecordEntity, MentoringTask } from './entities/mentoring-record.entity.js';

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
/** First bytes of each accepted image type: the declared type alone proves nothing. */
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

export interface MentoringRecordView {
  id: string;
  helpedOn: string;
  household: string;
  villageId: string | null;
  task: MentoringTask;
  note: string | null;
  photo: { status: 'awaiting_upload' | 'ready'; url?: string } | null;
  createdAt: string;
}

/**
 * "1 kèm 5" evidence: the households a candidate helped, logged by the candidate. Photos go to
 * the private certificates bucket (they show people's homes); staff see them through short links.
 */
@Injectable()
export class MentoringService {
  constructor(
    @Inject(CertificationRepository) private readonly repo: CertificationRepository,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async create(
    candidateId: string,
    dto: CreateMentoringRecordDto,
    now = new Date(),
  ): Promise<{ record: MentoringRecordView; photoUpload: PresignedUpload | null }> {
    // Dates are days in Vietnam; a record for tomorrow is a typo.
    const today = vietnamDay(now);
    if (dto.helpedOn > today || dto.helpedOn < '2020-01-01') {
      throw new CertificationError(
        CommonErrorCode.ValidationFailed,
        `helpedOn must be a day between 2020-01-01 and today (${today}).`,
      );
    }
    if (dto.villageId && !(await this.geography.findOfLevel(dto.villageId, ['village']))) {
      throw new CertificationError(CertificationErrorCode.InvalidVillage, 'villageId must be a village.');
    }
    const photoKey =
      dto.photo && `evidence/${candidateId}/${randomUUID()}.${EXTENSION[dto.photo.contentType]}`;
    // Signing the upload checks the declared type and size, before anything is stored.
    const photoUpload = dto.photo ? this.presign(photoKey!, dto.photo) : null;
    const record = await this.repo.createRecord({
      candidateId,
      helpedOn: dto.helpedOn,
      household: dto.household,
      householdKey: householdKey(dto.household),
      villageId: dto.villageId ?? null,
      task: dto.task as MentoringTask,
      note: dto.note ?? null,
      ...(photoKey && { photoKey, photoStatus: 'awaiting_upload' as const }),
    });
    return { record: await this.view(record, false), photoUpload };
  }

  /** A new upload link for a record's photo (the first one expired, or the photo is replaced). */
  async photoUpload(candidateId: string, recordId: string, photo: PhotoUploadDto): Promise<PresignedUpload> {
    const record = await this.own(candidateId, recordId);
    if (!record.photoKey || !record.photoKey.endsWith(`.${EXTENSION[photo.contentType]}`)) {
      throw new CertificationError(
        CertificationErrorCode.NoPhotoExpected,
        'Declare the photo when you log the record; a photo keeps the type it was declared with.',
      );
    }
    return this.presign(record.photoKey, photo);
  }

  async confirmPhoto(candidateId: string, recordId: string): Promise<MentoringRecordView> {
    const record = await this.own(candidateId, recordId);
    if (!record.photoKey) {
      throw new CertificationError(CertificationErrorCode.NoPhotoExpected, 'This record has no photo.');
    }
    const type = Object.keys(EXTENSION).find((t) => record.photoKey!.endsWith(`.${EXTENSION[t]}`))!;
    await this.storage.verifyUpload(Buckets.certificates, record.photoKey, {
      maxBytes: MAX_PHOTO_BYTES,
      contentType: type,
    });
    const head = await this.storage.readStart(Buckets.certificates, record.photoKey, 12);
    if (!MAGIC[type](head)) {
      await this.storage.remove(Buckets.certificates, record.photoKey);
      throw new StorageError(StorageErrorCode.UploadTypeMismatch, `The file is not a ${type} image.`);
    }
    await this.repo.markPhotoReady(record.id);
    return this.view({ ...record, photoStatus: 'ready' }, false);
  }

  /** A candidate's records, newest first, with short photo links (for the candidate and reviewers). */
  async recordsOf(candidateId: string): Promise<MentoringRecordView[]> {
    return Promise.all((await this.repo.recordsOf(candidateId)).map((r) => this.view(r, true)));
  }

  private async own(candidateId: string, recordId: string): Promise<MentoringRecordEntity> {
    const record = await this.repo.findRecord(recordId);
    if (!record || record.candidateId !== candidateId) throw CertificationError.recordNotFound();
    return record;
  }

  private presign(key: string, photo: PhotoUploadDto): PresignedUpload {
    return this.storage.presignedPut(Buckets.certificates, key, {
      contentType: photo.contentType,
      size: photo.size,
      maxBytes: MAX_PHOTO_BYTES,
      allowedTypes: PHOTO_TYPES,
    });
  }

  private async view(r: MentoringRecordEntity, withLink: boolean): Promise<MentoringRecordView> {
    return {
      id: r.id,
      helpedOn: r.helpedOn,
      household: r.household,
      villageId: r.villageId,
      task: r.task,
      note: r.note,
      photo: r.photoStatus
        ? {
            status: r.photoStatus,
            ...(withLink &&
              r.photoStatus === 'ready' && {
                url: this.storage.presignedGet(Buckets.certificates, r.photoKey!, {
                  expiresSeconds: this.config.certification.linkTtlSeconds,
                }),
              }),
          }
        : null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
