import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import { isDraftOnlyViolation } from '../../infrastructure/database/pg-errors.js';
import { Buckets, StorageKeys } from '../../infrastructure/storage/storage-keys.js';
import { StorageService } from '../../infrastructure/storage/storage.service.js';
import { CourseContentService } from '../catalog/course-content.service.js';
import { lessonKind } from '../lesson-kinds/lesson-kinds.js';
import type { CourseVersion } from '../catalog/catalog.types.js';
import type { Course } from '../catalog/catalog.types.js';
import { LearnerGroupsService } from '../catalog/learner-groups.service.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { parseWebVtt, WebVttError } from '../media/webvtt.js';
import { MediaService } from '../media/media.service.js';
import { AuthoringError, AuthoringErrorCode } from './authoring.errors.js';
import type {
  CreateCourseDto,
  CreateLessonDto,
  UpdateDraftDto,
  UpdateLessonDto,
} from './dto/authoring.dto.js';
import { compactTexts as texts } from '../../infrastructure/i18n/locales.js';
import { buildLessonContent } from '../catalog/lesson-content.js';
import {
  changedVoice,
  contentMedia,
  voiceOf,
  type MediaReference,
  type Voice,
} from '../lesson-kinds/voice-and-pictures.js';

/**
 * The authoring workflow: trainers own their courses (admins all); drafts are edited, submitted,
 * and published by a second person; published versions never change — editing one starts a new
 * draft version, and the previous version stays readable until the new one is published.
 */
@Injectable()
export class AuthoringService {
  constructor(
    @Inject(CourseContentService) private readonly content: CourseContentService,
    @Inject(LearnerGroupsService) private readonly learnerGroups: LearnerGroupsService,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(MediaService) private readonly media: MediaService,
  ) {}

  // --- access ---------------------------------------------------------------

  /** The course, if the caller owns it or is an admin; another trainer gets 403. */
  async ownedCourse(courseId: string, who: Principal): Promise<Course> {
    const course = await this.content.getCourse(courseId);
    if (course.ownerId !== who.userId && !hasRole(who, 'admin')) {
      throw new AuthoringError(AuthoringErrorCode.NotOwner, 'Only the course owner or an admin can do this.');
    }
    return course;
  }

  /** Owners and admins read every version; other trainers only versions in review (to review them). */
  async readableVersion(courseId: string, version: number, who: Principal) {
    const course = await this.content.getCourse(courseId);
    const v = await this.content.version(courseId, version);
    if (!v)
      throw new AuthoringError(AuthoringErrorCode.VersionNotFound, `Version ${version} does not exist.`);
    const mayRead = course.ownerId === who.userId || hasRole(who, 'admin') || v.status === 'in_review';
    if (!mayRead)
      throw new AuthoringError(
        AuthoringErrorCode.NotOwner,
        'Only the course owner or an admin can see this version.',
      );
    return { course, version: v, lessons: await this.content.lessons(v.id) };
  }

  /** The open draft, for an edit by its owner or an admin. */
  private async editableDraft(
    courseId: string,
    who: Principal,
  ): Promise<{ course: Course; draft: CourseVersion }> {
    const course = await this.ownedCourse(courseId, who);
    const draft = await this.content.openVersion(courseId);
    if (!draft) throw AuthoringError.noDraft();
    if (draft.status !== 'draft') throw AuthoringError.locked();
    return { course, draft };
  }

  /**
   * Writes to a draft, once the edit passed its checks: the editor becomes a contributor first
   * (so they can never review what they changed), then `write` runs. A submission that committed
   * since the draft was read makes the database refuse the write (only drafts change): the same
   * refusal as editing a version in review.
   */
  private async edit<T>(draft: CourseVersion, who: Principal, write: () => Promise<T>): Promise<T> {
    await this.content.addContributor(draft, who.userId);
    return this.onlyIfDraft(write);
  }

  private async onlyIfDraft<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isDraftOnlyViolation(e)) throw AuthoringError.locked();
      throw e;
    }
  }

  private async draftLesson(courseId: string, lessonKey: string, who: Principal) {
    const { course, draft } = await this.editableDraft(courseId, who);
    const lesson = (await this.content.lessons(draft.id)).find((l) => l.lessonKey === lessonKey);
    if (!lesson)
      throw new AuthoringError(AuthoringErrorCode.LessonNotFound, 'The lesson is not in the draft.');
    return { course, draft, lesson };
  }

  /**
   * Recordings and pictures newly referred to must be the editor's (or the owner's) and of the
   * right kind; those `kept` from before stay whoever uploaded them (an admin's, say).
   */
  private async assertMedia(
    refs: MediaReference[],
    who: Principal,
    ownerId: string,
    kept: MediaReference[] = [],
  ): Promise<void> {
    const known = new Set(kept.map((r) => `${r.kind}:${r.mediaId}`));
    const added = refs.filter((r) => !known.has(`${r.kind}:${r.mediaId}`));
    if (added.length > 0) await this.media.assertAttachable(added, who, ownerId);
  }

  private async assertLearnerGroups(ids: string[]): Promise<void> {
    for (const id of ids) {
      if (!(await this.learnerGroups.findActive(id))) {
        throw new AuthoringError(
          AuthoringErrorCode.UnknownLearnerGroup,
          `Learner group ${id} does not exist.`,
        );
      }
    }
  }

  // --- courses and drafts ---------------------------------------------------

  listMine(who: Principal) {
    return this.content.coursesWithLatestVersion(hasRole(who, 'admin') ? null : who.userId);
  }

  async history(courseId: string, who: Principal) {
    const course = await this.ownedCourse(courseId, who);
    return { course, versions: await this.content.versions(courseId) };
  }

  async createCourse(dto: CreateCourseDto, who: Principal) {
    await this.assertLearnerGroups(dto.learnerGroupIds);
    return this.content.createCourse(
      dto.slug,
      who.userId,
      {
        topic: dto.topic,
        learnerGroupIds: dto.learnerGroupIds,
        title: texts(dto.title) as { vi: string },
        summary: texts(dto.summary),
        createdBy: who.userId,
      },
      () =>
        new AuthoringError(
          AuthoringErrorCode.SlugTaken,
          `The address "${dto.slug}" is already used by another course.`,
        ),
    );
  }

  /**
   * Texts merge by language: the API sends only the languages it changes. `replacing` names
   * languages the caller edits as a whole (the portal's side-by-side editor): one left out of
   * `dto` is removed, so a wrong translation can be cleared.
   */
  async updateDraft(
    courseId: string,
    dto: UpdateDraftDto,
    who: Principal,
    replacing: readonly string[] = [],
  ) {
    const { course, draft } = await this.editableDraft(courseId, who);
    if (dto.learnerGroupIds) await this.assertLearnerGroups(dto.learnerGroupIds);
    const summaryVoice = dto.summaryVoice && changedVoice(draft.summaryVoice, dto.summaryVoice);
    await this.assertMedia(recordings(summaryVoice), who, course.ownerId, recordings(draft.summaryVoice));
    await this.edit(draft, who, () =>
      this.content.updateDraft(draft.id, {
        ...(summaryVoice && { summaryVoice }),
        ...(dto.topic && { topic: dto.topic }),
        ...(dto.learnerGroupIds && { learnerGroupIds: dto.learnerGroupIds }),
        ...(dto.title && { title: mergeTexts(draft.title, dto.title, replacing) as typeof draft.title }),
        ...(dto.summary && { summary: mergeTexts(draft.summary, dto.summary, replacing) }),
      }),
    );
    return draft.version;
  }

  /** Returns the draft's version number. */
  async addLesson(courseId: string, dto: CreateLessonDto, who: Principal): Promise<number> {
    const { course, draft } = await this.editableDraft(courseId, who);
    const summaryVoice = voiceOf(dto.summaryVoice) ?? {};
    await this.assertMedia(
      [...recordings(summaryVoice), ...lessonMedia(dto.kind, dto.content ?? {})],
      who,
      course.ownerId,
    );
    await this.edit(draft, who, () =>
      this.content.addLesson(draft.id, {
        kind: dto.kind,
        required: dto.required ?? true,
        title: texts(dto.title) as { vi: string },
        summary: texts(dto.summary),
        summaryVoice,
        content: dto.content ?? {},
      }),
    );
    return draft.version;
  }

  /** Like updateDraft: texts merge by language, except the languages in `replacing`. */
  async updateLesson(
    courseId: string,
    lessonKey: string,
    dto: UpdateLessonDto,
    who: Principal,
    replacing: readonly string[] = [],
  ) {
    const { course, draft, lesson } = await this.draftLesson(courseId, lessonKey, who);
    const summaryVoice = dto.summaryVoice && changedVoice(lesson.summaryVoice, dto.summaryVoice);
    await this.assertMedia(
      [
        ...recordings(summaryVoice),
        ...(dto.content !== undefined ? lessonMedia(lesson.kind, dto.content) : []),
      ],
      who,
      course.ownerId,
      [...recordings(lesson.summaryVoice), ...contentMedia(lessonKind(lesson.kind), lesson.content)],
    );
    await this.edit(draft, who, () =>
      this.content.updateLesson(lesson, {
        ...(summaryVoice && { summaryVoice }),
        ...(dto.title && { title: mergeTexts(lesson.title, dto.title, replacing) as typeof lesson.title }),
        ...(dto.summary && { summary: mergeTexts(lesson.summary, dto.summary, replacing) }),
        ...(dto.required !== undefined && { required: dto.required }),
        ...(dto.content !== undefined && { content: dto.content }),
      }),
    );
    return draft.version;
  }

  /** Validates a WebVTT file and attaches it to a draft video lesson for one language. */
  async putSubtitles(courseId: string, lessonKey: string, locale: string, vtt: string, who: Principal) {
    const { draft, lesson } = await this.draftLesson(courseId, lessonKey, who);
    if (!lessonKind(lesson.kind).hasMedia) {
      throw new AuthoringError(AuthoringErrorCode.NotAVideo, 'Subtitles belong to video lessons.');
    }
    let cues: number;
    try {
      cues = parseWebVtt(vtt).length;
    } catch (e) {
      if (!(e instanceof WebVttError)) throw e;
      throw new AuthoringError(
        AuthoringErrorCode.InvalidSubtitles,
        `The subtitles are not valid WebVTT: ${e.message}.`,
        {
          line: e.line,
        },
      );
    }
    const body = Buffer.from(vtt.normalize('NFC'), 'utf8');
    const key = StorageKeys.subtitle(
      lesson.lessonKey,
      locale,
      createHash('sha256').update(body).digest('hex'),
    );
    await this.edit(draft, who, async () => {
      await this.storage.put(Buckets.media, key, body, { contentType: 'text/vtt; charset=utf-8' });
      await this.content.setSubtitles(lesson, locale, { key, bytes: body.length, cues });
    });
    return draft.version;
  }

  /**
   * Attaches an uploaded video to a draft video lesson for one language. The video may still be
   * processing; submitting for review needs it not to have failed.
   */
  async attachMedia(courseId: string, lessonKey: string, locale: string, mediaId: string, who: Principal) {
    const { course, draft, lesson } = await this.draftLesson(courseId, lessonKey, who);
    if (!lessonKind(lesson.kind).hasMedia) {
      throw new AuthoringError(AuthoringErrorCode.NotAVideo, 'Videos belong to video lessons.');
    }
    await this.media.attachable(mediaId, who, course.ownerId);
    await this.edit(draft, who, () => this.content.setMedia(lesson, locale, mediaId));
    return draft.version;
  }

  async detachMedia(courseId: string, lessonKey: string, locale: string, who: Principal) {
    const { draft, lesson } = await this.draftLesson(courseId, lessonKey, who);
    await this.edit(draft, who, () => this.content.setMedia(lesson, locale, null));
  }

  async removeSubtitles(courseId: string, lessonKey: string, locale: string, who: Principal) {
    const { draft, lesson } = await this.draftLesson(courseId, lessonKey, who);
    await this.edit(draft, who, () => this.content.setSubtitles(lesson, locale, null));
  }

  async removeLesson(courseId: string, lessonKey: string, who: Principal) {
    const { draft, lesson } = await this.draftLesson(courseId, lessonKey, who);
    await this.edit(draft, who, () => this.content.removeLesson(lesson));
  }

  async reorderLessons(courseId: string, lessonKeys: string[], who: Principal) {
    const { draft } = await this.editableDraft(courseId, who);
    const current = (await this.content.lessons(draft.id)).map((l) => l.lessonKey);
    if (current.length !== lessonKeys.length || !current.every((k) => lessonKeys.includes(k))) {
      throw new AuthoringError(
        AuthoringErrorCode.BadLessonOrder,
        'Give every lesson of the draft exactly once.',
      );
    }
    await this.edit(draft, who, () => this.content.reorderLessons(draft.id, lessonKeys));
    return draft.version;
  }

  /** Editing a published course: a new draft version, copied from the published one. */
  async startNewDraft(courseId: string, who: Principal) {
    const course = await this.ownedCourse(courseId, who);
    if (await this.content.openVersion(courseId)) {
      throw new AuthoringError(
        AuthoringErrorCode.DraftExists,
        'This course already has a draft or a version in review.',
      );
    }
    const published = (await this.content.versions(courseId)).find((v) => v.id === course.publishedVersionId);
    if (!published)
      throw new AuthoringError(AuthoringErrorCode.NothingPublished, 'Nothing is published yet.');
    return this.content.draftFrom(published, who.userId);
  }

  async discardDraft(courseId: string, who: Principal) {
    const { draft } = await this.editableDraft(courseId, who);
    return this.onlyIfDraft(() => this.content.discard(draft));
  }

  async setArchived(courseId: string, archived: boolean, who: Principal) {
    await this.ownedCourse(courseId, who);
    await this.content.setArchived(courseId, archived);
  }

  // --- review ---------------------------------------------------------------

  async submit(courseId: string, who: Principal) {
    const { draft } = await this.editableDraft(courseId, who);
    const lessons = await this.content.lessons(draft.id);
    if (lessons.length === 0) {
      throw new AuthoringError(AuthoringErrorCode.EmptyCourse, 'Add at least one lesson before submitting.');
    }
    const unusable = [...(await this.content.mediaStatuses(lessons)).entries()].flatMap(
      ([lessonId, byLocale]) =>
        Object.entries(byLocale)
          .filter(([, status]) => status === 'failed' || status === 'missing' || status === 'awaiting_upload')
          .map(([locale, status]) => ({
            lessonKey: lessons.find((l) => l.id === lessonId)!.lessonKey,
            locale,
            status,
          })),
    );
    if (unusable.length > 0) {
      throw new AuthoringError(
        AuthoringErrorCode.MediaNotUsable,
        'Some videos failed processing or were never uploaded: replace or remove them first.',
        { videos: unusable },
      );
    }
    // Recordings and pictures too: one that failed processing would leave a text silent.
    const refs = [
      ...recordings(draft.summaryVoice),
      ...lessons.flatMap((l) => [
        ...recordings(l.summaryVoice),
        ...contentMedia(lessonKind(l.kind), l.content),
      ]),
    ];
    const assets = await this.media.byIds(refs.map((r) => r.mediaId));
    const broken = refs.filter((r) => {
      const status = assets.get(r.mediaId)?.status;
      return !status || status === 'failed' || status === 'awaiting_upload';
    });
    if (broken.length > 0) {
      throw new AuthoringError(
        AuthoringErrorCode.MediaNotUsable,
        'Some recordings or pictures failed processing: record or upload them again first.',
        { media: broken.map((r) => ({ ...r, status: assets.get(r.mediaId)?.status ?? 'missing' })) },
      );
    }
    const moved = await this.content.transition(draft.id, 'draft', 'in_review', {
      submittedBy: who.userId,
      submittedAt: new Date(),
      reviewNote: null,
    });
    if (!moved) throw AuthoringError.conflict();
    return draft.version;
  }

  async withdraw(courseId: string, who: Principal) {
    await this.ownedCourse(courseId, who);
    const open = await this.inReview(courseId);
    if (!(await this.content.transition(open.id, 'in_review', 'draft'))) throw AuthoringError.conflict();
    return open.version;
  }

  /** Versions waiting for someone who had no hand in them. */
  async reviewQueue(who: Principal) {
    return (await this.content.inReview()).filter((v) => !hadAHand(v, who));
  }

  async reject(courseId: string, reason: string, who: Principal) {
    const open = await this.inReview(courseId);
    this.assertSecondPerson(open, who);
    if (!(await this.content.transition(open.id, 'in_review', 'draft', { reviewNote: reason })))
      throw AuthoringError.conflict();
    return open.version;
  }

  /** Four eyes: the publisher did not create, edit or submit the version. */
  async publish(courseId: string, who: Principal) {
    const open = await this.inReview(courseId);
    this.assertSecondPerson(open, who);
    if (!(await this.content.publish(open, who.userId))) throw AuthoringError.conflict();
    return open.version;
  }

  private async inReview(courseId: string): Promise<CourseVersion> {
    await this.content.getCourse(courseId);
    const open = await this.content.openVersion(courseId);
    if (!open || open.status !== 'in_review') {
      throw new AuthoringError(
        AuthoringErrorCode.NotInReview,
        'No version of this course is waiting for review.',
      );
    }
    return open;
  }

  private assertSecondPerson(version: CourseVersion, who: Principal) {
    if (!hasRole(who, 'trainer') && !hasRole(who, 'admin')) throw CommonError.forbidden();
    if (hadAHand(version, who)) {
      throw new AuthoringError(
        AuthoringErrorCode.FourEyes,
        'A second person must review and publish: another trainer or an admin.',
      );
    }
  }

  translationMatrix(courseId: string, version: number, who: Principal) {
    return this.readableVersion(courseId, version, who).then(({ version: v }) =>
      this.content.translationMatrix(v),
    );
  }
}

const hadAHand = (v: CourseVersion, who: Principal) =>
  v.createdBy === who.userId || v.submittedBy === who.userId || (v.contributors ?? []).includes(who.userId);

/** Old texts with the new ones over them; languages in `replacing` that the new texts lack are dropped. */
function mergeTexts(
  old: Partial<Record<string, string>> | null | undefined,
  next: object,
  replacing: readonly string[],
): Partial<Record<string, string>> {
  const kept = Object.fromEntries(
    Object.entries(old ?? {}).filter(([locale]) => !replacing.includes(locale)),
  );
  return { ...kept, ...texts(next) };
}

const recordings = (voice: Voice | undefined): MediaReference[] =>
  Object.values(voice ?? {}).map((mediaId) => ({ mediaId: mediaId!, kind: 'audio' }));

/** The media a lesson's authored content refers to (invalid content: a 400 listing its problems). */
const lessonMedia = (kind: string, raw: unknown): MediaReference[] =>
  contentMedia(lessonKind(kind), buildLessonContent(kind, raw));
