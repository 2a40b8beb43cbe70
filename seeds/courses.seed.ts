import type { INestApplicationContext } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { CourseContentService } from '../src/modules/catalog/course-content.service.js';
import { parseWebVtt } from '../src/modules/media/webvtt.js';
import { StorageService } from '../src/infrastructure/storage/storage.service.js';
import { Buckets, StorageKeys } from '../src/infrastructure/storage/storage-keys.js';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { AppConfig } from '../src/infrastructure/config/app-config.js';
import { MediaService } from '../src/modules/media/media.service.js';
import { makeSampleVideo } from './sample-video.js';

/** Course seed files live in seeds/data/courses (JSON, not compiled). */
const coursesDir = join(
  dirname(fileURLToPath(import.meta.url)).replace(`${join('dist', 'seeds')}`, 'seeds'),
  'data',
  'courses',
);

type Texts = Record<string, string>;
interface SeedLesson {
  kind: string;
  title: Texts & { vi: string };
  summary?: Texts;
  captions?: { start: number; end: number; text: Texts }[];
  steps?: unknown[];
  passMark?: number;
  questions?: unknown[];
}
interface SeedCourse {
  slug: string;
  topic: string;
  learnerGroups: string[];
  title: Texts & { vi: string };
  summary?: Texts;
  lessons: SeedLesson[];
}

const stamp = (s: number) =>
  `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}.${String(Math.round((s % 1) * 1000)).padStart(3, '0')}`;

/** The captions of a sample video, as a WebVTT file per language. */
export function captionsToWebVtt(
  captions: NonNullable<SeedLesson['captions']>,
  locale: string,
): string | null {
  const cues = captions.filter((c) => c.text[locale]);
  if (cues.length === 0) return null;
  return `WEBVTT\n\n${cues.map((c) => `${stamp(c.start)} --> ${stamp(c.end)}\n${c.text[locale]}`).join('\n\n')}\n`;
}

/** A background colour per learner group, so the sample videos are told apart at a glance. */
const GROUP_COLOURS: Record<string, string> = {
  elderly: '0x1b5e20',
  pupils: '0x0d47a1',
  officials: '0x4a148c',
  'small-sellers': '0xbf360c',
};

/** The sample video of a seed lesson is named after it: `<course slug>-<lesson position>.mp4`. */
const sampleVideoName = (slug: string, position: number) => `${slug}-${position + 1}.mp4`;

/** Makes a lesson's sample video with ffmpeg: a title card and its bilingual captions burned in. */
async function makeLessonVideo(file: string, lesson: SeedLesson, course: SeedCourse, ffmpegPath?: string) {
  const captions = lesson.captions!;
  await makeSampleVideo(file, {
    seconds: Math.max(...captions.map((c) => c.end)),
    width: 854,
    height: 480,
    fps: 15,
    lines: [lesson.title.vi, lesson.title.hmn].filter((t): t is string => !!t),
    captions: captions.map((c) => ({
      start: c.start,
      end: c.end,
      lines: [c.text.vi, c.text.hmn].filter((t): t is string => !!t),
    })),
    background: GROUP_COLOURS[course.learnerGroups[0]],
    ffmpegPath,
  });
}

/** The accounts that author and review seed content (disabled: nobody signs in as them). */
async function systemUsers(dataSource: DataSource): Promise<{ author: string; reviewer: string }> {
  const ensure = async (email: string, name: string) => {
    await dataSource.query(
      `INSERT INTO users (email, display_name, password_hash, disabled_at) VALUES ($1, $2, '!', now())
       ON CONFLICT (email) DO NOTHING`,
      [email, name],
    );
    const [row] = await dataSource.query('SELECT id FROM users WHERE email = $1', [email]);
    return row.id as string;
  };
  return {
    author: await ensure('bien-soan@banso.local', 'Tổ biên soạn Bản Số'),
    reviewer: await ensure('tham-dinh@banso.local', 'Tổ thẩm định nội dung'),
  };
}

/**
 * The programme's courses from seeds/data/courses, published through the same content service as
 * authored ones (validation, four eyes, immutability). Idempotent: an existing slug is left alone.
 * Each video lesson gets its caption script as WebVTT subtitles and a reserved sample video,
 * which seedSampleVideos makes.
 */
export async function seedCourses(
  app: INestApplicationContext,
): Promise<{ created: number; existing: number }> {
  const dataSource = app.get(DataSource);
  const content = app.get(CourseContentService);
  const storage = app.get(StorageService);
  const media = app.get(MediaService);
  const { author, reviewer } = await systemUsers(dataSource);
  const groups: { id: string; code: string }[] = await dataSource.query(
    'SELECT id, code FROM learner_groups',
  );
  let created = 0;
  let existing = 0;
  const seedOne = async (file: string) => {
    const seed = JSON.parse(readFileSync(join(coursesDir, file), 'utf8')) as SeedCourse;
    const [taken] = await dataSource.query('SELECT 1 FROM courses WHERE slug = $1', [seed.slug]);
    if (taken) {
      existing++;
      return;
    }
    const { course, version } = await content.createCourse(
      seed.slug,
      author,
      {
        topic: seed.topic,
        learnerGroupIds: seed.learnerGroups.map((code) => {
          const group = groups.find((g) => g.code === code);
          if (!group) throw new Error(`${file}: unknown learner group ${code}`);
          return group.id;
        }),
        title: seed.title,
        summary: seed.summary ?? {},
        createdBy: author,
      },
      () => new Error(`${file}: slug ${seed.slug} is taken`),
    );
    for (const [position, l] of seed.lessons.entries()) {
      const lesson = await content.addLesson(version.id, {
        kind: l.kind,
        required: true,
        title: l.title,
        summary: l.summary ?? {},
        content:
          l.kind === 'guide'
            ? { steps: l.steps }
            : l.kind === 'quiz'
              ? { passMark: l.passMark, questions: l.questions }
              : {},
      });
      if (l.kind === 'video' && l.captions?.length) {
        // The file comes later (seedSampleVideos): making 21 videos must not hold up the first start.
        const asset = await media.reserveImport(author, sampleVideoName(seed.slug, position), 'video/mp4');
        await content.setMedia(lesson, 'vi', asset.id);
      }
      for (const locale of ['vi', 'hmn', 'ium', 'tyz']) {
        const vtt = l.captions && captionsToWebVtt(l.captions, locale);
        if (!vtt) continue;
        const body = Buffer.from(vtt, 'utf8');
        const key = StorageKeys.subtitle(
          lesson.lessonKey,
          locale,
          createHash('sha256').update(body).digest('hex'),
        );
        await storage.put(Buckets.media, key, body, { contentType: 'text/vtt; charset=utf-8' });
        await content.setSubtitles(lesson, locale, {
          key,
          bytes: body.length,
          cues: parseWebVtt(vtt).length,
        });
      }
    }
    await content.transition(version.id, 'draft', 'in_review', {
      submittedBy: author,
      submittedAt: new Date(),
    });
    const inReview = (await content.versions(course.id))[0];
    if (!(await content.publish(inReview, reviewer))) throw new Error(`${file}: could not publish`);
    created++;
  };
  // A few courses at a time: first start of the embedded default waits for this.
  const files = readdirSync(coursesDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (let i = 0; i < files.length; i += 4) await Promise.all(files.slice(i, i + 4).map(seedOne));
  return { created, existing };
}

/**
 * Makes the seed lessons' sample videos with ffmpeg and hands them to the real pipeline, two at a
 * time. Works from what is still missing (seed assets waiting for their file), so a start
 * interrupted half-way finishes the job the next time. Returns how many it made.
 */
export async function seedSampleVideos(app: INestApplicationContext): Promise<number> {
  const media = app.get(MediaService);
  const ffmpegPath = app.get(AppConfig).media.ffmpegPath;
  const { author } = await systemUsers(app.get(DataSource));
  const waiting = await media.awaitingImports(author);
  if (waiting.length === 0) return 0;
  const lessons = new Map<string, { lesson: SeedLesson; course: SeedCourse }>();
  for (const file of readdirSync(coursesDir).filter((f) => f.endsWith('.json'))) {
    const course = JSON.parse(readFileSync(join(coursesDir, file), 'utf8')) as SeedCourse;
    course.lessons.forEach((lesson, position) =>
      lessons.set(sampleVideoName(course.slug, position), { lesson, course }),
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'banso-seed-'));
  let made = 0;
  try {
    const makeOne = async (asset: (typeof waiting)[number]) => {
      const seed = lessons.get(asset.fileName);
      if (!seed?.lesson.captions?.length) return;
      const file = join(work, asset.fileName);
      await makeLessonVideo(file, seed.lesson, seed.course, ffmpegPath);
      await media.completeImport(asset, file);
      await rm(file, { force: true });
      made++;
    };
    for (let i = 0; i < waiting.length; i += 2) await Promise.all(waiting.slice(i, i + 2).map(makeOne));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return made;
}
