import { CONTENT_LOCALES, pickLocalized } from '../../infrastructure/i18n/locales.js';
import { lessonKind } from '../lesson-kinds/lesson-kinds.js';
import { learnerVoice } from '../lesson-kinds/voice-and-pictures.js';
import type { MediaAsset } from '../media/media.types.js';
import { playableVideo } from '../media/media.views.js';
import type { CatalogRow } from './course.repository.js';
import type { CourseSummaryResponse, LessonSummaryResponse } from './dto/course.dto.js';
import type { LearnerGroupEntity } from './entities/learner-group.entity.js';
import type { LessonEntity } from './entities/lesson.entity.js';

/** How the learner catalog's courses and lessons leave the API, in the reader's languages. */
export function courseSummaryView(
  version: CatalogRow,
  groups: LearnerGroupEntity[],
  chain: string[],
): CourseSummaryResponse {
  return {
    id: version.courseId,
    slug: version.slug,
    version: version.version,
    topic: version.topic,
    learnerGroups: version.learnerGroupIds
      .map((id) => groups.find((g) => g.id === id))
      .filter((g): g is LearnerGroupEntity => !!g)
      .map((g) => ({ id: g.id, code: g.code, name: pickLocalized(g.names, chain)! })),
    title: pickLocalized(version.title, chain)!,
    summary: pickLocalized(version.summary, chain),
    languages: version.languages,
    lessonCount: version.lessonCount,
    publishedAt: new Date(version.publishedAt).toISOString(),
  };
}

export function lessonSummaryView(
  l: LessonEntity,
  chain: string[],
  videos: Map<string, MediaAsset>,
): LessonSummaryResponse {
  // Any language's video beats none: the chain, then every content language.
  const picked = lessonKind(l.kind).hasMedia
    ? pickLocalized(l.content.media ?? {}, [...chain, ...CONTENT_LOCALES])
    : null;
  const asset = picked && videos.get(picked.text);
  return {
    id: l.id,
    lessonKey: l.lessonKey,
    position: l.position,
    kind: l.kind,
    required: l.required,
    title: pickLocalized(l.title, chain)!,
    summary: pickLocalized(l.summary, chain),
    // A reference until the catalog puts the recording's file in (withMediaFiles).
    summaryVoice: learnerVoice(l.summaryVoice, chain) as unknown as LessonSummaryResponse['summaryVoice'],
    ...(lessonKind(l.kind).hasMedia && {
      video: asset ? { ...playableVideo(asset), locale: picked.locale, fallback: picked.fallback } : null,
    }),
  };
}
