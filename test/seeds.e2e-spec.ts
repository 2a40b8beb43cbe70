import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, testEnv } from './support/api.js';
import { ROOT, runScript } from './support/platform-process.js';

const dir = join(ROOT, 'seeds', 'data', 'courses');
const seeds = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { slug: string; learnerGroups: string[] });

/** `npm run seed` ran before the tests (test/support/run-tests.ts): the programme's courses are published. */
describe('seeded courses', () => {
  it('publishes at least 16 courses, at least 4 per learner group, in vi and hmn (two also in a third language)', async () => {
    expect(seeds.length).toBeGreaterThanOrEqual(16);
    const slugs = new Set(seeds.map((s) => s.slug));
    for (const group of ['elderly', 'pupils', 'officials', 'small-sellers']) {
      const page = (await api(`/api/v1/courses?group=${group}&pageSize=100`)).body;
      const seeded = page.items.filter((c: { slug: string }) => slugs.has(c.slug));
      expect(seeded.length).toBeGreaterThanOrEqual(4);
      for (const c of seeded) expect(c.languages).toEqual(expect.arrayContaining(['vi', 'hmn']));
    }
    const third = (await api('/api/v1/courses?language=tyz&pageSize=100')).body.items.filter(
      (c: { slug: string }) => slugs.has(c.slug),
    );
    const dao = (await api('/api/v1/courses?language=ium&pageSize=100')).body.items.filter(
      (c: { slug: string }) => slugs.has(c.slug),
    );
    expect(third.length + dao.length).toBeGreaterThanOrEqual(2);
  });

  it('gives every course 3–6 lessons mixing video, quiz and guide, with subtitles on the videos', async () => {
    for (const { slug } of seeds) {
      const course = (await api(`/api/v1/courses/${slug}?lang=hmn`)).body;
      expect(course.lessons.length).toBeGreaterThanOrEqual(3);
      expect(course.lessons.length).toBeLessThanOrEqual(6);
      const kinds = new Set(course.lessons.map((l: { kind: string }) => l.kind));
      expect(kinds.has('video') && kinds.has('quiz')).toBe(true);
      const video = course.lessons.find((l: { kind: string }) => l.kind === 'video');
      const detail = (await api(`/api/v1/lessons/${video.id}?lang=hmn`)).body;
      expect(detail.subtitles.map((t: { locale: string }) => t.locale).slice(0, 2)).toEqual(['hmn', 'vi']);
    }
    const one = (await api(`/api/v1/courses/${seeds[0].slug}`)).body.lessons.find(
      (l: { kind: string }) => l.kind === 'video',
    );
    const track = (await api(`/api/v1/lessons/${one.id}`)).body.subtitles[0];
    const vtt = (await api(track.url)).text;
    expect(vtt.startsWith('WEBVTT')).toBe(true);
  });

  it('gives every video lesson a sample video that went through the real pipeline: full ladder, sizes, poster', async () => {
    // The worker transcodes the seed videos in the background, behind trainers' uploads.
    const deadline = Date.now() + 300_000;
    let pending: string[];
    do {
      pending = [];
      for (const { slug } of seeds) {
        const course = (await api(`/api/v1/courses/${slug}?lang=hmn`)).body;
        for (const lesson of course.lessons.filter((l: { kind: string }) => l.kind === 'video')) {
          expect(lesson.video).toMatchObject({ locale: 'vi', fallback: true });
          if (lesson.video.status !== 'ready') {
            expect(lesson.video.status).not.toBe('failed');
            pending.push(`${slug}: ${lesson.video.status}`);
            continue;
          }
          expect(lesson.video.renditions.map((r: { name: string }) => r.name)).toEqual([
            '234p',
            '360p',
            '480p',
            'audio',
          ]);
          for (const r of lesson.video.renditions) expect(r.megabytes).toBeGreaterThan(0);
          expect(lesson.video.download.megabytes).toBeGreaterThan(0);
          expect(lesson.video.durationSeconds).toBeGreaterThanOrEqual(20);
        }
      }
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 2000));
    } while (pending.length > 0 && Date.now() < deadline);
    expect(pending).toEqual([]);
  }, 330_000);

  it('is idempotent', async () => {
    const again = await runScript('dist/seeds/run-seeds.js', testEnv());
    expect(again.code).toBe(0);
    expect(again.output).toMatch(
      new RegExp(
        `courses: 0 created, ${seeds.length} already there; 0 certification programme\\(s\\) created; 0 sample videos made`,
      ),
    );
  });
});
