import type { Course, CourseVersion, Lesson } from '../catalog/catalog.types.js';
import type {
  AuthoringCourseResponse,
  AuthoringVersionResponse,
  VersionHistoryEntry,
} from './dto/authoring.dto.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** How authoring's courses and versions leave the API: explicit fields, texts in every language. */
export function historyEntry(v: CourseVersion): VersionHistoryEntry {
  return {
    version: v.version,
    status: v.status,
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
    submittedAt: iso(v.submittedAt),
    publishedBy: v.publishedBy,
    publishedAt: iso(v.publishedAt),
    reviewNote: v.reviewNote,
  };
}

export function courseResponse(course: Course, versions: CourseVersion[]): AuthoringCourseResponse {
  return {
    id: course.id,
    slug: course.slug,
    ownerId: course.ownerId,
    archived: !!course.archivedAt,
    publishedVersion: versions.find((v) => v.id === course.publishedVersionId)?.version ?? null,
    versions: versions.map(historyEntry),
  };
}

export function versionResponse(
  course: Course,
  v: CourseVersion,
  lessons: Lesson[],
): AuthoringVersionResponse {
  return {
    courseId: course.id,
    slug: course.slug,
    version: v.version,
    status: v.status,
    topic: v.topic,
    learnerGroupIds: v.learnerGroupIds,
    title: v.title as Record<string, string>,
    summary: v.summary as Record<string, string>,
    summaryVoice: v.summaryVoice as Record<string, string>,
    reviewNote: v.reviewNote,
    lessons: lessons.map((l) => ({
      id: l.id,
      lessonKey: l.lessonKey,
      position: l.position,
      kind: l.kind,
      required: l.required,
      title: l.title as Record<string, string>,
      summary: l.summary as Record<string, string>,
      summaryVoice: l.summaryVoice as Record<string, string>,
      content: l.content as Record<string, unknown>,
    })),
  };
}
