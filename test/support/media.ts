import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { resolveMediaTool } from '../../src/modules/media/ffmpeg.js';
import { makeSampleVideo, type SampleVideoOptions } from '../../seeds/sample-video.js';
import { api, type ApiResponse } from './api.js';

/** A sample video file made with ffmpeg, as bytes. */
export async function sampleVideo(options: SampleVideoOptions): Promise<Buffer> {
  const path = `/tmp/banso-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mp4`;
  await makeSampleVideo(path, options);
  const bytes = await readFile(path);
  await rm(path, { force: true });
  return bytes;
}

/** A sound made by ffmpeg from a lavfi source (`sine=…`), in the given output format, as bytes. */
export async function sampleSound(source: string, output: string[]): Promise<Buffer> {
  const { stdout } = await promisify(execFile)(
    resolveMediaTool('ffmpeg'),
    ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', source, ...output, 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** The trainer's side of an upload: ask, PUT straight to storage, confirm. Returns the media id. */
export async function uploadVideo(
  token: string,
  body: Buffer,
  options: { fileName?: string; contentType?: string } = {},
): Promise<{ mediaId: string; confirm: ApiResponse }> {
  const contentType = options.contentType ?? 'video/mp4';
  const intent = await api('/api/v1/media/uploads', {
    token,
    body: { fileName: options.fileName ?? 'bai-hoc.mp4', contentType, bytes: body.length },
  });
  if (intent.status !== 201) throw new Error(`upload intent failed: ${intent.status} ${intent.text}`);
  const put = await fetch(intent.body.upload.url, {
    method: 'PUT',
    headers: intent.body.upload.headers,
    body: new Uint8Array(body),
  });
  if (!put.ok) throw new Error(`PUT to storage failed: ${put.status} ${await put.text()}`);
  const mediaId = intent.body.media.mediaId as string;
  const confirm = await api(`/api/v1/media/${mediaId}/confirm`, { token, body: {} });
  return { mediaId, confirm };
}

/** Polls the media status until processing is over (ready or failed). */
export async function waitForMedia(token: string, mediaId: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/api/v1/media/${mediaId}`, { token });
    if (res.body?.status === 'ready' || res.body?.status === 'failed') return res.body;
    if (Date.now() > deadline)
      throw new Error(`media ${mediaId} still ${res.body?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
