import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { RequiredContentBodyDto } from '../../infrastructure/i18n/content-text.dto.js';
import { NestedObject, Nullable, Optional } from '../../infrastructure/http/input-rules.js';
import { CONTENT_LOCALES, localizeText, pickLocalized } from '../../infrastructure/i18n/locales.js';
import type { LessonKindDefinition, Texts } from './lesson-kind.js';

/**
 * Learners who read little hear every text and see pictures: a trainer's recording per language
 * beside each learner-visible text, pictures on guide steps and as quiz answers. Both are media
 * assets (kinds `audio` and `picture`) referenced by id from the content; the catalog turns the
 * ids into files for learners (see `withMediaFiles`).
 */

/** A recording per language: media asset ids (kind `audio`) reading one text aloud. */
export type Voice = Partial<Record<string, string>>;

/** A picture (a media asset of kind `picture`) with its alt text per language. */
export interface Picture {
  mediaId: string;
  alt: Texts;
}

/** A learner-visible text and its recordings: what the translation matrix counts. */
export interface SpokenText {
  texts: Texts;
  voice?: Voice;
}

/** A media asset the content refers to, with the kind it must be. */
export interface MediaReference {
  mediaId: string;
  kind: 'audio' | 'picture';
}

export class VoiceDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Recording in Vietnamese (a media asset of kind audio)',
  })
  @Optional()
  @IsUUID()
  vi?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "In H'Mông" }) @Optional() @IsUUID() hmn?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'In Dao' }) @Optional() @IsUUID() ium?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'In Tày' }) @Optional() @IsUUID() tyz?: string;
}

/** A content field holding a text's recordings: documented, optional, validated as a VoiceDto. */
export const VoiceField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: VoiceDto, description }),
    Optional(),
    NestedObject(() => VoiceDto),
  );

export class PictureDto {
  @ApiProperty({ format: 'uuid', description: 'A media asset of kind picture' }) @IsUUID() mediaId!: string;
  @ApiProperty({
    type: RequiredContentBodyDto,
    description: 'What the picture shows, in every language its text is written in',
  })
  @NestedObject(() => RequiredContentBodyDto)
  alt!: RequiredContentBodyDto;
}

/** A summary's recordings as the API changes them: a language sent replaces it, `null` removes it. */
export class VoiceChangeDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Vietnamese (null: remove)' })
  @Nullable()
  @IsUUID()
  vi?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @Nullable() @IsUUID() hmn?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @Nullable() @IsUUID() ium?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @Nullable() @IsUUID() tyz?: string | null;
}

/** `old` with a change applied: languages set to an id replace, languages set to null go. */
export function changedVoice(old: Voice | undefined, change: VoiceChangeDto): Voice {
  const voice: Voice = { ...(old ?? {}) };
  for (const locale of CONTENT_LOCALES) {
    const id = change[locale];
    if (id) voice[locale] = id;
    else if (id === null) delete voice[locale];
  }
  return voice;
}

/** A voice from a DTO: only languages with an id. */
export const voiceOf = (dto: VoiceDto | undefined): Voice | undefined => {
  const voice = Object.fromEntries(CONTENT_LOCALES.flatMap((l) => (dto?.[l] ? [[l, dto[l]] as const] : [])));
  return Object.keys(voice).length > 0 ? voice : undefined;
};

/**
 * The languages a picture's alt text lacks although its text is written in them (a learner of
 * that language would get a picture described in another).
 */
export const missingAlt = (picture: Picture, ...texts: Texts[]): string[] =>
  CONTENT_LOCALES.filter((l) => !picture.alt[l] && texts.some((t) => !!t[l]));

/** Every media asset spoken texts and pictures refer to. */
export function mediaReferences(spoken: SpokenText[], pictures: Picture[]): MediaReference[] {
  return [
    ...spoken.flatMap((s) =>
      Object.values(s.voice ?? {}).map((mediaId) => ({ mediaId: mediaId!, kind: 'audio' as const })),
    ),
    ...pictures.map((p) => ({ mediaId: p.mediaId, kind: 'picture' as const })),
  ];
}

/** Every recording and picture a lesson's content refers to, by its kind's account. */
export function contentMedia(kind: LessonKindDefinition, content: object): MediaReference[] {
  return mediaReferences(kind.spokenTexts?.(content) ?? [], kind.pictures?.(content) ?? []);
}

/** A recording for the learner: their language's, else any in their chain, else Vietnamese's. */
export interface LearnerVoiceRef {
  mediaId: string;
  locale: string;
  /** Not in the learner's first language: the page says so beside the speaker button. */
  fallback: boolean;
}

export const learnerVoice = (voice: Voice | undefined, chain: readonly string[]): LearnerVoiceRef | null => {
  const picked = voice && pickLocalized(voice, chain);
  return picked ? { mediaId: picked.text, locale: picked.locale, fallback: picked.fallback } : null;
};

export const learnerPicture = (picture: Picture | undefined, chain: readonly string[]) =>
  picture ? { mediaId: picture.mediaId, alt: localizeText(picture.alt, chain) } : null;
