import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { resolveMediaTool } from '../src/modules/media/ffmpeg.js';
import { userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, apiUrl, expectError } from './support/api.js';
import { sampleSound as sound, uploadVideo as uploadMedia, waitForMedia } from './support/media.js';

const run = promisify(execFile);
const ffmpeg = resolveMediaTool('ffmpeg');

/** What ffmpeg's loudness meter and ffprobe say of a file's bytes. */
async function inspect(bytes: Buffer): Promise<{ lufs: number; streams: string }> {
  const path = `/tmp/banso-voice-${process.pid}-${Date.now()}.m4a`;
  await writeFile(path, bytes);
  try {
    const { stderr } = await run(ffmpeg, [
      '-hide_banner',
      '-nostats',
      '-i',
      path,
      '-af',
      'ebur128',
      '-f',
      'null',
      '-',
    ]);
    const { stdout } = await run(resolveMediaTool('ffprobe'), [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,channels',
      '-of',
      'csv=p=0',
      path,
    ]);
    // Integrated loudness (LUFS), measured the EBU R128 way, from the meter's summary.
    const lufs = Number(/I:\s+(-?[\d.]+) LUFS/.exec(stderr.slice(stderr.lastIndexOf('Summary')))![1]);
    return { lufs, streams: stdout.trim() };
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * Voice recordings through the media pipeline: a browser's recording (WebM Opus, which declares
 * no length) uploaded, normalised by the real worker to -16 LUFS and made mono AAC in M4A.
 */
describe('voice recordings', () => {
  let trainer: TestUser;
  const upload = async (body: Buffer, contentType: string, fileName = 'doc-to.webm') => {
    const { mediaId, confirm } = await uploadMedia(trainer.accessToken, body, { contentType, fileName });
    expect(confirm.status).toBe(202);
    return waitForMedia(trainer.accessToken, mediaId);
  };

  beforeAll(async () => {
    trainer = await userWithRoles([{ role: 'trainer' }]);
  });

  it('makes a quiet browser recording mono AAC at -16 LUFS, its length measured', async () => {
    // A quiet voice, streamed as MediaRecorder writes it: WebM Opus with no declared length.
    const recording = await sound('sine=frequency=220:duration=6', [
      '-af',
      'volume=-25dB',
      '-c:a',
      'libopus',
      '-f',
      'webm',
    ]);
    const media = await upload(recording, 'audio/webm');
    expect(media).toMatchObject({
      status: 'ready',
      kind: 'audio',
      failure: null,
      hlsUrl: null,
      pictures: [],
    });
    expect(media.voice.durationSeconds).toBeGreaterThan(5.8);
    expect(media.voice.durationSeconds).toBeLessThan(6.3);
    expect(media.voice.sourceLoudness).toBeLessThan(-30);
    expect(media.voice.bitrateKbps).toBeGreaterThan(24);
    expect(media.voice.bitrateKbps).toBeLessThan(44);

    const file = await fetch(`${apiUrl()}${media.voice.url}`);
    expect(file.headers.get('content-type')).toBe('audio/mp4');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.length).toBe(media.voice.bytes);
    const made = await inspect(bytes);
    expect(Math.abs(made.lufs + 16)).toBeLessThan(1);
    expect(made.streams).toBe('aac,1');
  });

  it('refuses a recording too long, one with nothing heard, and what is not sound', async () => {
    const long = await sound('sine=frequency=220:duration=181', [
      '-c:a',
      'libmp3lame',
      '-b:a',
      '8k',
      '-f',
      'mp3',
    ]);
    expect((await upload(long, 'audio/mpeg', 'dai.mp3')).failure).toMatchObject({
      code: 'MEDIA_TOO_LONG',
      details: { maxDurationSeconds: 180 },
    });
    const silence = await sound('anullsrc=channel_layout=mono:sample_rate=48000', [
      '-t',
      '3',
      '-c:a',
      'libopus',
      '-f',
      'ogg',
    ]);
    expect((await upload(silence, 'audio/ogg', 'im-lang.ogg')).failure).toMatchObject({
      code: 'MEDIA_SILENT',
    });
    const notSound = Buffer.from('%PDF-1.7\n'.padEnd(5000, 'x'));
    expect((await upload(notSound, 'audio/mpeg', 'hoa-don.mp3')).failure).toMatchObject({
      code: 'MEDIA_NOT_AUDIO',
    });
    expectError(
      await api('/api/v1/media/uploads', {
        token: trainer.accessToken,
        body: { fileName: 'dai.wav', contentType: 'audio/wav', bytes: 21 * 1024 * 1024 },
      }),
      413,
      'STORAGE_UPLOAD_TOO_LARGE',
    );
  });
});
