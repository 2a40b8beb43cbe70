import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presignV4 } from '../src/infrastructure/storage/sigv4-presign.js';
import {
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
  waitForCertificate,
} from './factories/certification.factory.js';
import { httpDriver } from './factories/http-driver.js';
import { learnableCourse } from './factories/learning.factory.js';
import { registerLearner, userWithRoles } from './factories/user.factory.js';
import { api } from './support/api.js';
import { runScript, startPlatform, type PlatformProcess } from './support/platform-process.js';
import { Browser } from './support/portal-browser.js';
import { freePort } from './support/ports.js';

/**
 * Commune-hall mode: one laptop runs the embedded default, phones on its Wi-Fi use it. The
 * platform listens on every interface; the phones reach it at another address than the laptop's
 * loopback — here 127.0.0.2 stands for the laptop's Wi-Fi address — while the embedded S3 server
 * listens on 127.0.0.1 only, as it does on a real laptop. Every flow a phone or a trainer's second
 * laptop needs must work through that address alone, and every link handed out must point there.
 */
const ADMIN = { phone: '0900000019', password: 'quan-tri-vien-nha-van-hoa-xa' };

describe('commune-hall mode: the embedded default over Wi-Fi', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banso-hall-'));
  chmodSync(dir, 0o755);
  let hall: PlatformProcess;
  let base: string;
  let s3Port: number;
  /** Every status the hall answered in this test: none may be a 5xx. */
  const statuses: number[] = [];

  /** A request through the hall's Wi-Fi address. */
  const get = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, base), { redirect: 'manual', ...init });
    statuses.push(res.status);
    return res;
  };
  /** Every link in an answer: absolute ones must be on the hall's address; all must answer. */
  const linksIn = (value: unknown, found: string[] = []): string[] => {
    if (typeof value === 'string' && /^(https?:\/\/|\/(api|storage|media|verify)\/)/.test(value))
      found.push(value);
    else if (Array.isArray(value)) value.forEach((v) => linksIn(v, found));
    else if (value && typeof value === 'object') Object.values(value).forEach((v) => linksIn(v, found));
    return found;
  };
  /** Fails with the answer's body, so a refusal says why. */
  const expectStatus = async (res: Response, allowed: number[]) => {
    if (!allowed.includes(res.status))
      throw new Error(`${res.url}: expected ${allowed.join('/')}, got ${res.status}: ${await res.text()}`);
  };
  const expectOnHall = (links: string[]) => {
    for (const link of links) if (/^https?:/.test(link)) expect(link.startsWith(`${base}/`)).toBe(true);
  };

  beforeAll(async () => {
    const port = await freePort();
    s3Port = await freePort();
    base = `http://127.0.0.2:${port}`;
    const env = {
      NODE_ENV: 'development',
      DATA_DIR: join(dir, 'data'),
      HOST: '0.0.0.0',
      PORT: String(port),
      // The address the coordinator reads out to the room (and prints as a QR code).
      PUBLIC_BASE_URL: base,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      EMBEDDED_S3_PORT: String(s3Port),
      ADMIN_PHONE: ADMIN.phone,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
    };
    // The reference data and courses, without the 21 sample videos; then the laptop starts.
    const seed = await runScript('dist/seeds/run-seeds.js', env, ['--without-videos']);
    if (seed.code !== 0) throw new Error(`seeding failed:\n${seed.output.slice(-3000)}`);
    hall = await startPlatform(
      'embedded',
      { ...env, SEED_ON_FIRST_START: 'false' },
      { readyTimeoutMs: 90_000 },
    );
    // The factories and the portal client talk to the hall, through its Wi-Fi address only.
    process.env.BANSO_TEST_API_URL = base;
    process.env.BANSO_TEST_ENV = JSON.stringify(env);
  }, 180_000);
  afterAll(async () => {
    await hall?.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the address for phones with a QR code, and keeps object storage on the loopback', async () => {
    expect(hall.output()).toContain(`Phones on this network open ${base}/`);
    // A QR code in half blocks: many lines of them, and a finder pattern's 7-module edge
    // (no fixed run of blocks: what lies between depends on the address encoded).
    const qrLines = hall
      .output()
      .split('\n')
      .filter((line) => /[▀▄█].*[▀▄█].*[▀▄█]/.test(line));
    expect(qrLines.length).toBeGreaterThanOrEqual(10);
    expect(hall.output()).toMatch(/[▄█▀]{7}/);
    const reach = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port: s3Port }, () => (socket.destroy(), resolve(true)));
        socket.on('error', () => resolve(false));
      });
    expect(await reach('127.0.0.1')).toBe(true);
    expect(await reach('127.0.0.2')).toBe(false);
    expect((await get('/health/ready')).status).toBe(200);
  });

  it('lets a trainer upload a video from another device, and learners play it through the hall', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const intent = await api('/api/v1/media/uploads', {
      token: trainer.accessToken,
      body: { fileName: 'bai-hoc.mp4', contentType: 'video/mp4', bytes: 1000 },
    });
    expect(intent.status).toBe(201);
    expect(intent.body.upload.url.startsWith(`${base}/storage/`)).toBe(true);

    // The factory uploads through the link it is given: the hall's address, nothing else.
    const course = await learnableCourse(trainer, reviewer);
    const learner = await registerLearner();
    await httpDriver.enrol(learner.accessToken, course.courseId);
    const lesson = await api(`/api/v1/lessons/${course.videoId}`, { token: learner.accessToken });
    expect(lesson.status).toBe(200);
    const links = linksIn(lesson.body);
    expect(links.length).toBeGreaterThan(0);
    expectOnHall(links);
    for (const link of links) {
      const res = await get(link, { headers: { range: 'bytes=0-1023' } });
      expect([200, 206]).toContain(res.status);
      await res.arrayBuffer();
    }
  });

  it('takes a mentoring photo and hands out the certificate files, page links included, through the hall', async () => {
    const area = await testArea(1, 1);
    const village = area.communes[0].villageIds[0];
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const programmeId = await testProgramme(area, [course.courseId]);
    const candidate = await eligibleCandidate(village, course);

    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 9)]);
    const record = await api('/api/v1/certification/mentoring-records', {
      token: candidate.accessToken,
      body: {
        helpedOn: '2026-11-20',
        household: 'Hộ bà Giàng Thị Súa',
        task: 'online-bill-payment',
        photo: { contentType: 'image/jpeg', size: jpeg.length },
      },
    });
    expect(record.status).toBe(201);
    const upload = record.body.photoUpload;
    expectOnHall([upload.url]);
    expect(
      (await get(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(jpeg) })).status,
    ).toBe(200);
    const confirm = await api(
      `/api/v1/certification/mentoring-records/${record.body.record.id}/photo/confirm`,
      {
        method: 'POST',
        token: candidate.accessToken,
      },
    );
    expect(confirm.status).toBe(200);
    const listed = (await api('/api/v1/certification/mentoring-records', { token: candidate.accessToken }))
      .body;
    const photo = listed.find((r: any) => r.id === record.body.record.id).photo.url;
    expectOnHall([photo]);
    expect(Buffer.from(await (await get(photo)).arrayBuffer()).equals(jpeg)).toBe(true);

    const applied = await api('/api/v1/certification/applications', {
      token: candidate.accessToken,
      body: { programmeId },
    });
    expect(applied.status).toBe(201);
    const coordinator = await coordinatorOf(area.communes[0].id);
    const approved = await api(`/api/v1/certification/applications/${applied.body.id}/approve`, {
      token: coordinator.accessToken,
      body: { reason: 'Đã xác minh các hộ tại thôn.' },
    });
    expect(approved.status).toBe(200);
    const [issued] = (await api('/api/v1/certificates/mine', { token: candidate.accessToken })).body;
    const cert = await waitForCertificate(candidate.accessToken, issued.id, 60_000);
    expectOnHall(linksIn(cert));
    const pdf = Buffer.from(await (await get(cert.downloads.pdf)).arrayBuffer());
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(cert.pdfSha256);
    const credential = await get(cert.downloads.credential);
    expect(credential.status).toBe(200);
    expect(JSON.parse(await credential.text())).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      proof: [expect.objectContaining({ type: 'DataIntegrityProof' })],
    });
    expect((await get(cert.verifyUrl, { headers: { accept: 'text/html' } })).status).toBe(200);

    // The portal's own pages hand out the same links.
    const browser = await Browser.signedIn(candidate);
    const page = await browser.request('/my/certificates', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    // Read as a browser reads the attribute: entities decoded.
    const hrefs = [...page.text.matchAll(/href="([^"]+\/storage\/[^"]+)"/g)].map((m) =>
      m[1]
        .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
        .replace(/&amp;/g, '&'),
    );
    expect(hrefs).toHaveLength(2);
    expectOnHall(hrefs);
    for (const href of hrefs) await expectStatus(await get(href), [200]);
  });

  it('checks every storage link itself: another file, a changed or expired link, or a wrong path is refused', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const intent = await api('/api/v1/media/uploads', {
      token: trainer.accessToken,
      body: { fileName: 'bai-hoc.mp4', contentType: 'video/mp4', bytes: 1000 },
    });
    const { url, headers } = intent.body.upload;
    const put = (link: string, body: Buffer, h: Record<string, string> = headers) =>
      get(link, { method: 'PUT', headers: h, body: new Uint8Array(body) });
    const code = async (res: Response) => (await res.json()).code;

    // Another size or type than was agreed: the signature covers both.
    let res = await put(url, Buffer.alloc(2000));
    expect(res.status).toBe(403);
    expect(await code(res)).toBe('STORAGE_LINK_INVALID');
    res = await put(url, Buffer.alloc(1000), { 'content-type': 'image/png' });
    expect(res.status).toBe(403);
    // A changed key or signature.
    res = await put(url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=g'), Buffer.alloc(1000));
    expect([400, 403]).toContain(res.status);
    const other = url.replace(/\/([a-z0-9-]+)\.mp4\?/, '/someone-else.mp4?');
    res = await put(other, Buffer.alloc(1000));
    expect(res.status).toBe(403);
    // Expired.
    const storageUrl = new URL(url);
    const [, , bucket, ...key] = storageUrl.pathname.split('/');
    const old = new URL(
      presignV4({
        method: 'GET',
        endpoint: new URL(`http://127.0.0.1:${s3Port}`),
        bucket,
        key: key.join('/'),
        accessKey: 'S3RVER',
        secretKey: 'S3RVER',
        region: 'us-east-1',
        expiresSeconds: 60,
        now: new Date(Date.now() - 3600_000),
      }),
    );
    res = await get(`/storage${old.pathname}${old.search}`);
    expect(res.status).toBe(403);
    expect(await code(res)).toBe('STORAGE_LINK_EXPIRED');
    // Not a bucket of ours, a path that climbs, a parameter twice, a control character, no link.
    for (const path of [
      `/storage/other-bucket/${key.join('/')}${storageUrl.search}`,
      `/storage/${bucket}/%2e%2e/%2e%2e/etc/passwd${storageUrl.search}`,
      `/storage/${bucket}/${key.join('/')}${storageUrl.search}&X-Amz-Date=20260101T000000Z`,
      `/storage/${bucket}/${key.join('/')}${storageUrl.search}&x=%00`,
      `/storage/${bucket}/${key.join('/')}`,
      `/storage/${bucket}`,
    ]) {
      res = await get(path);
      await expectStatus(res.clone(), [400, 403, 404]);
      expect(typeof (await res.json()).code).toBe('string');
    }
    // An upload without a declared length.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        new URL(url),
        { method: 'PUT', headers: { ...headers, 'transfer-encoding': 'chunked' } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(Buffer.alloc(1000));
    });
    statuses.push(chunked);
    expect(chunked).toBe(411);
    // The store behind was never written: the agreed file still has not arrived.
    const confirm = await api(`/api/v1/media/${intent.body.media.mediaId}/confirm`, {
      token: trainer.accessToken,
      body: {},
    });
    expect(confirm.body.code).toBe('STORAGE_UPLOAD_MISSING');
  });

  afterAll(() => {
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
