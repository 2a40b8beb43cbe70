import { Controller, Get, Headers, Inject, Param, ParseUUIDPipe, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Buckets, StorageKeys } from '../../infrastructure/storage/storage-keys.js';
import { StorageService } from '../../infrastructure/storage/storage.service.js';
import { Public } from '../../infrastructure/auth/auth.decorators.js';
import { contentTypeOf } from './media-processing.service.js';
import { MediaError } from './media.errors.js';

const FILE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Processed video files on the API's own origin (same origin for the service worker and the
 * CSP; HLS playlists use relative paths). The asset id is an unguessable UUID and only reaches
 * people allowed to watch (docs/decisions.md). A CDN or nginx cache can sit in front.
 */
@ApiExcludeController()
@Public()
@Controller('media')
export class MediaFilesController {
  constructor(@Inject(StorageService) private readonly storage: StorageService) {}

  @Get(':id/:file')
  file(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('file') file: string,
    @Headers('range') range: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(id, [file], range, reply);
  }

  @Get(':id/:rendition/:file')
  renditionFile(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('rendition') rendition: string,
    @Param('file') file: string,
    @Headers('range') range: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(id, [rendition, file], range, reply);
  }

  private async serve(
    id: string,
    path: string[],
    range: string | undefined,
    reply: FastifyReply,
  ): Promise<StreamableFile> {
    if (!path.every((p) => FILE.test(p)) || path.join('/').startsWith('source')) throw MediaError.notFound();
    const key = StorageKeys.mediaFile(id, path.join('/'));
    const object = await this.storage.stat(Buckets.media, key).catch(() => {
      throw MediaError.notFound();
    });
    const type = contentTypeOf(path.at(-1)!);
    // Same names are rewritten only when a video is processed again: playlists revalidate sooner.
    void reply.header(
      'cache-control',
      type.includes('mpegurl') ? 'public, max-age=300' : 'public, max-age=86400',
    );
    void reply.header('etag', `"${object.etag}"`);
    void reply.header('accept-ranges', 'bytes');
    const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
    if (m && (m[1] || m[2])) {
      const start = m[1] ? Number(m[1]) : Math.max(0, object.size - Number(m[2]));
      const end = m[1] && m[2] ? Math.min(Number(m[2]), object.size - 1) : object.size - 1;
      if (start > end || start >= object.size) {
        void reply.status(416).header('content-range', `bytes */${object.size}`);
        return new StreamableFile(Buffer.alloc(0), { type });
      }
      void reply.status(206).header('content-range', `bytes ${start}-${end}/${object.size}`);
      return new StreamableFile(await this.storage.getRange(Buckets.media, key, start, end), {
        type,
        length: end - start + 1,
      });
    }
    return new StreamableFile(await this.storage.getStream(Buckets.media, key), {
      type,
      length: object.size,
    });
  }
}
