import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { PictureVariant } from './entities/media-asset.entity.js';
import { MediaFailureCode, MediaRejection } from './media.errors.js';

/** Formats a picture may arrive in (what phones and trainers' computers make). */
export const PICTURE_FORMATS = ['jpeg', 'png', 'webp'] as const;
/**
 * Widths made: 320 for the smallest phones and 2G, 640 for a 360–412 px wide screen at twice its
 * density. A picture narrower than a width is not enlarged: its own width is made instead.
 */
export const PICTURE_WIDTHS = [320, 640] as const;
/** A decompression bomb (a small file of a huge image) is refused before it is decoded. */
export const MAX_PICTURE_PIXELS = 40_000_000;
/** Too small to show anything to a learner. */
const MIN_PICTURE_SIDE = 64;

export interface MadePicture {
  width: number;
  height: number;
  variants: PictureVariant[];
}

/**
 * Makes a picture's variants in `outDir`: turned upright by its EXIF orientation, at each width of
 * PICTURE_WIDTHS (never enlarged), as WebP (what every target phone's browser shows) and JPEG (the
 * fallback for the few that do not), with no metadata kept (a phone's photo carries where it was
 * taken). Refuses what is not a JPEG, PNG or WebP picture, or is too large or too small.
 */
export async function makePictureVariants(source: string, outDir: string): Promise<MadePicture> {
  let metadata: Metadata;
  try {
    metadata = await sharp(source, { limitInputPixels: false }).metadata();
  } catch {
    throw new MediaRejection(MediaFailureCode.NotAPicture, 'This file is not a picture (JPEG, PNG or WebP).');
  }
  if (!PICTURE_FORMATS.includes(metadata.format as (typeof PICTURE_FORMATS)[number])) {
    throw new MediaRejection(
      MediaFailureCode.NotAPicture,
      'This file is not a picture (JPEG, PNG or WebP).',
      {
        format: metadata.format ?? null,
      },
    );
  }
  // Its sides once turned upright by its EXIF orientation.
  const { width, height } = metadata.autoOrient;
  if (width * height > MAX_PICTURE_PIXELS) {
    throw new MediaRejection(
      MediaFailureCode.PictureTooLarge,
      `This picture is ${width}×${height} pixels; at most ${MAX_PICTURE_PIXELS / 1_000_000} megapixels are taken.`,
      { width, height, maxPixels: MAX_PICTURE_PIXELS },
    );
  }
  if (Math.min(width, height) < MIN_PICTURE_SIDE) {
    throw new MediaRejection(
      MediaFailureCode.PictureTooSmall,
      `This picture is ${width}×${height} pixels; each side needs at least ${MIN_PICTURE_SIDE}.`,
      { width, height, minSide: MIN_PICTURE_SIDE },
    );
  }
  const widths = [...new Set(PICTURE_WIDTHS.map((w) => Math.min(w, width)))];
  const variants: PictureVariant[] = [];
  for (const target of widths) {
    const upright = sharp(source, { limitInputPixels: MAX_PICTURE_PIXELS, sequentialRead: true })
      .autoOrient()
      .resize({ width: target, withoutEnlargement: true });
    for (const format of ['webp', 'jpeg'] as const) {
      const file = `picture-${target}.${format === 'jpeg' ? 'jpg' : 'webp'}`;
      const encoded =
        format === 'webp'
          ? upright.clone().webp({ quality: 70, effort: 4 })
          : upright.clone().flatten({ background: '#ffffff' }).jpeg({ quality: 72, mozjpeg: true });
      let info: OutputInfo;
      try {
        info = await encoded.toFile(join(outDir, file));
      } catch (e) {
        throw new MediaRejection(MediaFailureCode.Unreadable, 'This picture could not be read.', {
          detail: (e as Error).message.slice(0, 200),
        });
      }
      variants.push({
        format,
        width: info.width,
        height: info.height,
        bytes: (await stat(join(outDir, file))).size,
        file,
      });
    }
  }
  return { width, height, variants };
}
