import pg from 'pg';
import { loadConfig } from '../src/infrastructure/config/app-config.js';
import { StorageService } from '../src/infrastructure/storage/storage.service.js';
import { addLessons, createCourse, publishCourse, videoLesson } from './factories/course.factory.js';
import { adminAccessToken, registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, apiUrl, expectError, testEnv } from './support/api.js';
import { sampleVideo, uploadVideo, waitForMedia } from './support/media.js';

/**
 * The media pipeline end to end: presigned PUT to the run's real S3 server, confirm, the real
 * worker running ffprobe and ffmpeg, and the files served back.
 */
describe('media pipeline', () => {
  const storage = new StorageService(loadConfig(testEnv()));
  let trainer: TestUser;
  let other: TestUser;
  let learner: TestUser;
  let admin: string;
  let ready: { mediaId: string; media: any };

  const objectsOf = async (mediaId: string) =>
    (await storage.list('media', `media/${mediaId}/`)).map((o) => `${o.key}:${o.size}`).sort();

  beforeAll(async () => {
    [trainer, other, learner] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
      registerLearner(),
    ]);
    admin = await adminAccessToken();
    // 640×360 with sound: the ladder stops at 360p (no upscaling) and has an audio-only rung.
    const body = await sampleVideo({ seconds: 9, width: 640, height: 360, fps: 25 });
    const { mediaId, confirm } = await uploadVideo(trainer.accessToken, body, {
      fileName: 'Trả tiền điện.mp4',
    });
    expect(confirm.status).toBe(202);
    expect(['uploaded', 'processing', 'ready']).toContain(confirm.body.status);
    // Confirming twice is harmless.
    expect(
      (await api(`/api/v1/media/${mediaId}/confirm`, { token: trainer.accessToken, body: {} })).status,
    ).toBe(202);
    ready = { mediaId, media: await waitForMedia(trainer.accessToken, mediaId) };
  });

  it('transcodes the ladder without upscaling, with sizes and durations per rendition', () => {
    const { media } = ready;
    expect(media).toMatchObject({
      status: 'ready',
      fileName: 'Trả tiền điện.mp4',
      width: 640,
      height: 360,
      failure: null,
    });
    expect(media.durationSeconds).toBeCloseTo(9, 0);
    expect(media.renditions.map((r: any) => [r.name, r.kind, r.width, r.height])).toEqual([
      ['234p', 'video', 416, 234],
      ['360p', 'video', 640, 360],
      ['audio', 'audio', null, null],
    ]);
    for (const r of media.renditions) {
      expect(r.bytes).toBeGreaterThan(1000);
      expect(r.megabytes).toBeCloseTo(r.bytes / 1e6, 2);
      expect(r.durationSeconds).toBeCloseTo(9, 0);
    }
    const [low, mid, audio] = media.renditions;
    expect(low.bytes).toBeLessThan(mid.bytes);
    // Targets: ~145 kbps for 234p, ≤ 64 kbps audio only (measured, container included).
    expect(low.bitrateKbps).toBeLessThanOrEqual(200);
    expect(audio.bitrateKbps).toBeLessThanOrEqual(64);
    expect(media.download).toMatchObject({ rendition: '234p', url: `/media/${ready.mediaId}/download.mp4` });
    expect(media.download.bytes).toBeGreaterThan(1000);
    expect(media.posterUrl).toBe(`/media/${ready.mediaId}/poster.jpg`);
  });

  it('serves a master playlist we wrote, its renditions, the download with ranges, and the poster', async () => {
    const base = apiUrl();
    const master = await fetch(base + ready.media.hlsUrl);
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toMatch(/application\/vnd\.apple\.mpegurl/);
    const text = await master.text();
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      '234p/index.m3u8',
      '360p/index.m3u8',
      'audio/index.m3u8',
    ]);
    expect(text).toMatch(/RESOLUTION=416x234/);

    const playlist = await (await fetch(`${base}/media/${ready.mediaId}/234p/index.m3u8`)).text();
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    const segment = playlist.split('\n').find((l) => l.endsWith('.m4s'))!;
    const seg = await fetch(`${base}/media/${ready.mediaId}/234p/${segment}`);
    expect(seg.status).toBe(200);
    expect(seg.headers.get('cache-control')).toContain('max-age=86400');
    expect((await seg.arrayBuffer()).byteLength).toBeGreaterThan(100);

    const part = await fetch(base + ready.media.download.url, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${ready.media.download.bytes}`);
    const head = Buffer.from(await part.arrayBuffer());
    expect(head.length).toBe(100);
    expect(head.subarray(4, 8).toString()).toBe('ftyp');
    const tail = await fetch(base + ready.media.download.url, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect((await tail.arrayBuffer()).byteLength).toBe(10);
    const outside = await fetch(base + ready.media.download.url, { headers: { range: 'bytes=99999999-' } });
    expect(outside.status).toBe(416);

    const poster = Buffer.from(await (await fetch(base + ready.media.posterUrl)).arrayBuffer());
    expect([...poster.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]); // JPEG

    expectError(await api(`/media/${ready.mediaId}/source`), 404, 'MEDIA_NOT_FOUND');
    expectError(await api(`/media/${ready.mediaId}/..%2Fsecrets`), 404);
    expectError(await api(`/media/00000000-0000-4000-8000-000000000000/master.m3u8`), 404, 'MEDIA_NOT_FOUND');
  });

  it('processing again gives the same files and removes what a crashed attempt left behind', async () => {
    const before = await objectsOf(ready.mediaId);
    expect(before.length).toBeGreaterThan(8);
    // What a killed attempt or an older ladder could leave behind.
    await storage.put('media', `media/${ready.mediaId}/480p/seg-000.m4s`, Buffer.from('stale'), {
      contentType: 'video/iso.segment',
    });
    const again = await api(`/api/v1/media/${ready.mediaId}/reprocess`, {
      token: trainer.accessToken,
      body: {},
    });
    expect(again.status).toBe(202);
    expect(again.body.status).toMatch(/uploaded|processing/);
    const media = await waitForMedia(trainer.accessToken, ready.mediaId);
    expect(media.status).toBe('ready');
    expect(await objectsOf(ready.mediaId)).toEqual(before);
    expect(media.renditions).toEqual(ready.media.renditions);
    expectError(
      await api(`/api/v1/media/${ready.mediaId}/reprocess`, { token: other.accessToken, body: {} }),
      404,
      'MEDIA_NOT_FOUND',
    );
  });

  it('rejects a file that is not a video by its bytes, whatever its name and type say, and keeps nothing', async () => {
    const { mediaId } = await uploadVideo(trainer.accessToken, Buffer.from('%PDF-1.7\n'.padEnd(5000, 'x')), {
      fileName: 'hoa-don.mp4',
    });
    const media = await waitForMedia(trainer.accessToken, mediaId);
    expect(media.status).toBe('failed');
    expect(media.failure).toMatchObject({
      code: 'MEDIA_NOT_A_VIDEO',
      message: expect.stringMatching(/not a video/),
    });
    expect(await storage.list('media', `media/${mediaId}/`)).toEqual([]);
    // The refused original is gone too, so it cannot be processed again.
    expectError(
      await api(`/api/v1/media/${mediaId}/reprocess`, { token: trainer.accessToken, body: {} }),
      409,
      'MEDIA_CANNOT_REPROCESS',
    );
  });

  it('rejects a video longer than the configured maximum with the lengths in the reason', async () => {
    const body = await sampleVideo({ seconds: 61, width: 160, height: 90, fps: 2, audio: false });
    const { mediaId } = await uploadVideo(trainer.accessToken, body);
    const media = await waitForMedia(trainer.accessToken, mediaId);
    expect(media.failure).toMatchObject({
      code: 'MEDIA_TOO_LONG',
      message: expect.stringMatching(/1 min 1 s long; the limit is 1 min 0 s/),
      details: { maxDurationSeconds: 60 },
    });
  });

  it('processes a video without sound: no audio-only rendition', async () => {
    const body = await sampleVideo({ seconds: 3, width: 320, height: 180, fps: 10, audio: false });
    const { mediaId } = await uploadVideo(trainer.accessToken, body);
    const media = await waitForMedia(trainer.accessToken, mediaId);
    expect(media.status).toBe('ready');
    expect(media.renditions.map((r: any) => [r.name, r.width, r.height])).toEqual([['180p', 320, 180]]);
  });

  it('checks the upload request: type, size, fields; learners cannot upload', async () => {
    const ask = (body: unknown, token = trainer.accessToken) => api('/api/v1/media/uploads', { token, body });
    expectError(
      await ask({ fileName: 'x.pdf', contentType: 'application/pdf', bytes: 10 }),
      415,
      'STORAGE_UPLOAD_TYPE_MISMATCH',
    );
    expectError(
      await ask({ fileName: 'x.mp4', contentType: 'video/mp4', bytes: 600 * 1024 * 1024 }),
      413,
      'STORAGE_UPLOAD_TOO_LARGE',
    );
    expectError(await ask({ fileName: '', contentType: 'video/mp4', bytes: 0 }), 400, 'VALIDATION_FAILED');
    expectError(
      await ask({ fileName: 'x.mp4', contentType: 'video/mp4', bytes: 10 }, learner.accessToken),
      403,
      'FORBIDDEN',
    );
    expectError(await api('/api/v1/media/uploads', { body: {} }), 401, 'UNAUTHENTICATED');

    // Confirming before the file arrived: a clear 409, and the asset keeps waiting.
    const intent = await ask({ fileName: 'chua-gui.mp4', contentType: 'video/mp4', bytes: 1000 });
    const early = await api(`/api/v1/media/${intent.body.media.mediaId}/confirm`, {
      token: trainer.accessToken,
      body: {},
    });
    expectError(early, 409, 'STORAGE_UPLOAD_MISSING');
    expect(
      (await api(`/api/v1/media/${intent.body.media.mediaId}`, { token: trainer.accessToken })).body.status,
    ).toBe('awaiting_upload');
  });

  it('shows a video only to its uploader and admins', async () => {
    const id = ready.mediaId;
    expect((await api(`/api/v1/media/${id}`, { token: trainer.accessToken })).status).toBe(200);
    expect((await api(`/api/v1/media/${id}`, { token: admin })).status).toBe(200);
    expectError(await api(`/api/v1/media/${id}`, { token: other.accessToken }), 404, 'MEDIA_NOT_FOUND');
    expectError(
      await api(`/api/v1/media/${id}/confirm`, { token: other.accessToken, body: {} }),
      404,
      'MEDIA_NOT_FOUND',
    );
    expectError(await api(`/api/v1/media/${id}`, { token: learner.accessToken }), 403, 'FORBIDDEN');
    const mine = await api('/api/v1/media?pageSize=100', { token: trainer.accessToken });
    expect(mine.body.items.map((m: any) => m.mediaId)).toContain(id);
    const theirs = await api('/api/v1/media?pageSize=100', { token: other.accessToken });
    expect(theirs.body.items.map((m: any) => m.mediaId)).not.toContain(id);
  });

  it('attaches videos to lessons per language; learners see the best one with sizes and fallback markers', async () => {
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId);
    const draft = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken })
    ).body;
    const video = draft.lessons.find((l: any) => l.kind === 'video');
    const quiz = draft.lessons.find((l: any) => l.kind === 'quiz');
    const attach = (lessonKey: string, locale: string, mediaId: string, token = trainer.accessToken) =>
      api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${lessonKey}/media/${locale}`, {
        method: 'PUT',
        token,
        body: { mediaId },
      });

    // Another trainer's video cannot be attached; quizzes take no video; the id must exist.
    const theirs = await uploadVideo(
      other.accessToken,
      await sampleVideo({ seconds: 2, width: 320, height: 180 }),
    );
    expectError(await attach(video.lessonKey, 'vi', theirs.mediaId), 404, 'MEDIA_NOT_FOUND');
    expectError(await attach(quiz.lessonKey, 'vi', ready.mediaId), 400, 'AUTHORING_NOT_A_VIDEO');
    expectError(await attach(video.lessonKey, 'xx', ready.mediaId), 400);
    expectError(
      await attach(video.lessonKey, 'vi', ready.mediaId, other.accessToken),
      403,
      'AUTHORING_NOT_OWNER',
    );

    expect((await attach(video.lessonKey, 'vi', ready.mediaId)).status).toBe(200);
    const matrix = await api(`/api/v1/authoring/courses/${courseId}/versions/1/translations`, {
      token: trainer.accessToken,
    });
    const row = matrix.body.lessons.find((l: any) => l.lessonKey === video.lessonKey);
    expect(row.fields.video).toEqual({ vi: 'complete', hmn: 'missing', ium: 'missing', tyz: 'missing' });

    // A failed video blocks submission, naming the lesson and language.
    const broken = await uploadVideo(trainer.accessToken, Buffer.from('not a video at all'.repeat(100)));
    await waitForMedia(trainer.accessToken, broken.mediaId);
    expectError(await attach(video.lessonKey, 'hmn', broken.mediaId), 409, 'MEDIA_NOT_UPLOADED_YET');

    await publishCourse(trainer.accessToken, other.accessToken, courseId);
    const course = await api(`/api/v1/courses/${courseId}?lang=hmn`);
    const listed = course.body.lessons.find((l: any) => l.kind === 'video');
    expect(listed.video).toMatchObject({
      mediaId: ready.mediaId,
      status: 'ready',
      locale: 'vi',
      fallback: true,
    });
    expect(listed.video.renditions.map((r: any) => [r.name, r.megabytes])).toEqual(
      ready.media.renditions.map((r: any) => [r.name, r.megabytes]),
    );
    expect(course.body.lessons.find((l: any) => l.kind === 'quiz').video).toBeUndefined();
    const lesson = await api(`/api/v1/lessons/${listed.id}?lang=vi`);
    expect(lesson.body.video).toMatchObject({ locale: 'vi', fallback: false, hlsUrl: ready.media.hlsUrl });
  });

  it('refuses to submit a draft whose video failed after it was attached', async () => {
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId, [videoLesson]);
    const draft = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken })
    ).body;
    const lessonKey = draft.lessons[0].lessonKey;
    const { mediaId } = await uploadVideo(
      trainer.accessToken,
      await sampleVideo({ seconds: 2, width: 320, height: 180 }),
    );
    await waitForMedia(trainer.accessToken, mediaId);
    const attached = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${lessonKey}/media/hmn`, {
      method: 'PUT',
      token: trainer.accessToken,
      body: { mediaId },
    });
    expect(attached.status).toBe(200);

    // The original is lost from storage, then the video is processed again: it fails, with a reason.
    const db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    const [{ source_key }] = (await db.query('SELECT source_key FROM media_assets WHERE id = $1', [mediaId]))
      .rows;
    await db.end();
    await storage.remove('media', source_key);
    await api(`/api/v1/media/${mediaId}/reprocess`, { token: trainer.accessToken, body: {} });
    expect((await waitForMedia(trainer.accessToken, mediaId)).failure.code).toBe('MEDIA_SOURCE_MISSING');

    const submit = await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, {
      token: trainer.accessToken,
      body: {},
    });
    expectError(submit, 409, 'AUTHORING_MEDIA_NOT_USABLE');
    expect(submit.body.details.videos).toEqual([{ lessonKey, locale: 'hmn', status: 'failed' }]);
  });
});
