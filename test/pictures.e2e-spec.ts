import sharp from 'sharp';
import { loadConfig } from '../src/infrastructure/config/app-config.js';
import { StorageService } from '../src/infrastructure/storage/storage.service.js';
import { addLessons, createCourse } from './factories/course.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, apiUrl, expectError, testEnv } from './support/api.js';
import { uploadVideo as uploadMedia, waitForMedia } from './support/media.js';

/**
 * Pictures through the media pipeline: presigned PUT to the run's real S3 server, confirmation,
 * the real worker making WebP and JPEG variants with sharp, and the files served back.
 */
describe('pictures', () => {
  const storage = new StorageService(loadConfig(testEnv()));
  let trainer: TestUser;
  let other: TestUser;

  const upload = async (body: Buffer, contentType: string, fileName = 'anh-chup.jpg') => {
    const { mediaId, confirm } = await uploadMedia(trainer.accessToken, body, { contentType, fileName });
    expect(confirm.status).toBe(202);
    return { mediaId, media: await waitForMedia(trainer.accessToken, mediaId) };
  };
  const fetchFile = async (url: string) => {
    const res = await fetch(`${apiUrl()}${url}`);
    return { type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    [trainer, other] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
    ]);
  });

  it('makes WebP and JPEG at two widths from a phone photo: upright, never enlarged, without its EXIF', async () => {
    // A phone held upright: stored 1200×800 with "turn 90° clockwise", and where it was taken.
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2e7d32' } })
      .jpeg({ quality: 90 })
      .withExif({ IFD0: { Make: 'Điện thoại' }, IFD3: { GPSLatitudeRef: 'N' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const taken = await sharp(photo).metadata();
    expect(taken.orientation).toBe(6);
    expect(taken.exif).toBeDefined();
    const { mediaId, media } = await upload(photo, 'image/jpeg');
    expect(media).toMatchObject({
      status: 'ready',
      kind: 'picture',
      width: 800,
      height: 1200,
      failure: null,
    });
    expect(media.pictures.map((p: any) => [p.format, p.width, p.height])).toEqual([
      ['webp', 320, 480],
      ['jpeg', 320, 480],
      ['webp', 640, 960],
      ['jpeg', 640, 960],
    ]);
    // No video fields on a picture.
    expect(media).toMatchObject({ hlsUrl: null, renditions: [], download: null });

    for (const variant of media.pictures) {
      const file = await fetchFile(variant.url);
      expect(file.type).toBe(variant.format === 'webp' ? 'image/webp' : 'image/jpeg');
      expect(file.body.length).toBe(variant.bytes);
      const made = await sharp(file.body).metadata();
      expect([made.format, made.width, made.height]).toEqual([variant.format, variant.width, variant.height]);
      expect(made.exif).toBeUndefined();
      expect(made.orientation).toBeUndefined();
    }
    // The 640 px WebP a learner downloads is a fraction of the photo.
    expect(media.pictures[2].bytes).toBeLessThan(photo.length);
    const stored = (await storage.list('media', `media/${mediaId}/`))
      .map((o) => o.key.split('/').pop())
      .sort();
    expect(stored).toEqual(['picture-320.jpg', 'picture-320.webp', 'picture-640.jpg', 'picture-640.webp']);
  });

  it('makes one width of a small picture, and a JPEG on white from a transparent PNG', async () => {
    const png = await sharp({
      create: { width: 200, height: 150, channels: 4, background: { r: 200, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const { media } = await upload(png, 'image/png', 'so-do.png');
    expect(media.pictures.map((p: any) => [p.format, p.width, p.height])).toEqual([
      ['webp', 200, 150],
      ['jpeg', 200, 150],
    ]);
    const jpeg = await sharp((await fetchFile(media.pictures[1].url)).body)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...jpeg.data.subarray(0, 3)].every((v) => v > 240)).toBe(true);
  });

  it('refuses what is not a picture, too many pixels or too few, and keeps nothing', async () => {
    const notAPicture = await upload(Buffer.from('%PDF-1.7\n'.padEnd(5000, 'x')), 'image/png', 'hoa-don.png');
    expect(notAPicture.media).toMatchObject({
      status: 'failed',
      failure: { code: 'MEDIA_NOT_A_PICTURE', message: expect.stringMatching(/not a picture/) },
    });
    expect(await storage.list('media', `media/${notAPicture.mediaId}/`)).toEqual([]);

    // 48 megapixels of one colour: a few kilobytes of PNG, refused before it is decoded.
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#ffffff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(1_000_000);
    expect((await upload(bomb, 'image/png', 'qua-lon.png')).media.failure).toMatchObject({
      code: 'MEDIA_PICTURE_TOO_LARGE',
      details: { width: 8000, height: 6000, maxPixels: 40_000_000 },
    });

    const tiny = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000000' } })
      .webp()
      .toBuffer();
    expect((await upload(tiny, 'image/webp', 'nho.webp')).media.failure).toMatchObject({
      code: 'MEDIA_PICTURE_TOO_SMALL',
    });
  });

  it('checks the upload request and shows a picture only to its uploader', async () => {
    expectError(
      await api('/api/v1/media/uploads', {
        token: trainer.accessToken,
        body: { fileName: 'anh.jpg', contentType: 'image/jpeg', bytes: 16 * 1024 * 1024 },
      }),
      413,
      'STORAGE_UPLOAD_TOO_LARGE',
    );
    expectError(
      await api('/api/v1/media/uploads', {
        token: trainer.accessToken,
        body: { fileName: 'anh.gif', contentType: 'image/gif', bytes: 1000 },
      }),
      415,
      'STORAGE_UPLOAD_TYPE_MISMATCH',
    );
    // A type named like an object's own property is just another unknown type.
    for (const contentType of ['constructor', 'toString', '__proto__'])
      expectError(
        await api('/api/v1/media/uploads', {
          token: trainer.accessToken,
          body: { fileName: 'x', contentType, bytes: 1000 },
        }),
        415,
        'STORAGE_UPLOAD_TYPE_MISMATCH',
      );
    const picture = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#123456' } })
      .jpeg()
      .toBuffer();
    const { mediaId } = await upload(picture, 'image/jpeg');
    expectError(await api(`/api/v1/media/${mediaId}`, { token: other.accessToken }), 404, 'MEDIA_NOT_FOUND');

    // A picture is not a video lesson's video.
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId);
    const draft = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken })
    ).body;
    const video = draft.lessons.find((l: any) => l.kind === 'video');
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${video.lessonKey}/media/vi`, {
        method: 'PUT',
        token: trainer.accessToken,
        body: { mediaId },
      }),
      400,
      'MEDIA_WRONG_KIND',
    );
    const learner = await registerLearner();
    expectError(await api(`/api/v1/media/${mediaId}`, { token: learner.accessToken }), 403, 'FORBIDDEN');
  });
});
