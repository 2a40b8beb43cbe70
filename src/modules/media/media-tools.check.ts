import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { registerReadinessNote, type ReadinessNote } from '../../infrastructure/health/readiness-notes.js';
import { describeMediaTool, MEDIA_TOOL_ADVICE } from './ffmpeg.js';

/**
 * At start, says which ffmpeg and ffprobe this image would use: a warning in the log, with the
 * install command, when it is the npm-bundled fallback (an old static build) or none at all, and
 * the same as a note in `/health/ready`.
 */
@Injectable()
export class MediaToolsCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Media');

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const ffmpeg = describeMediaTool('ffmpeg', this.config.media.ffmpegPath);
    const ffprobe = describeMediaTool('ffprobe', this.config.media.ffprobePath);
    const weak = [ffmpeg, ffprobe].some((t) => t.source === 'bundled' || t.source === 'missing');
    const note: ReadinessNote = {
      status: weak ? 'degraded' : 'ok',
      detail:
        `ffmpeg: ${ffmpeg.source}${ffmpeg.path ? ` (${ffmpeg.path})` : ''}, ` +
        `ffprobe: ${ffprobe.source}${ffprobe.path ? ` (${ffprobe.path})` : ''}` +
        (weak ? `; ${MEDIA_TOOL_ADVICE}` : ''),
    };
    registerReadinessNote('ffmpeg', () => note);
    if (weak) this.logger.warn(`Video tools — ${note.detail}`);
  }
}
