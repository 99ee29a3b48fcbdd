import type sharpFn from 'sharp';
import { lazyRequire } from '../lazy.js';
import { MEDIA_MAX_SIDE_PX } from '../../shared/media.js';

const sharp = lazyRequire<typeof sharpFn>('sharp');

/** A PNG, JPEG or WebP decoded and written again by us. */
export interface EncodedRaster {
  data: Buffer;
  format: RasterFormat;
  width: number;
  height: number;
}

export type RasterFormat = 'png' | 'jpeg' | 'webp';

export class RasterRejected extends Error {}

/**
 * 40 megapixels: more than any camera photo a marketer uploads, and a bound on the memory a
 * small file that declares a huge size (a "decompression bomb") can make us allocate.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

const NAMES: Record<RasterFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' };

/**
 * Decodes the upload and encodes a fresh file of the same format: whatever the original carried
 * besides pixels (EXIF with GPS position, ICC profiles, text chunks, trailing bytes) is gone.
 * Scaled down to fit MEDIA_MAX_SIDE_PX, turned upright from its EXIF orientation first.
 * PNG stays PNG (transparency), JPEG stays JPEG, WebP stays WebP.
 */
export async function reencodeRaster(input: Uint8Array): Promise<EncodedRaster> {
  let format: string | undefined;
  try {
    format = (await sharp()(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch (err) {
    throw new RasterRejected(pixelLimit(err) ?? 'The file is not a PNG, JPEG or WebP image that can be read.');
  }
  // The bytes decide, not the Content-Type: sharp would also read SVG, GIF, TIFF, HEIF… here.
  if (format !== 'png' && format !== 'jpeg' && format !== 'webp') {
    throw new RasterRejected(`The file is ${format ? `a ${format.toUpperCase()} image` : 'not an image'}: send a PNG, JPEG or WebP (or an SVG as image/svg+xml).`);
  }
  try {
    let pipeline = sharp()(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .autoOrient()
      .resize({ width: MEDIA_MAX_SIDE_PX, height: MEDIA_MAX_SIDE_PX, fit: 'inside', withoutEnlargement: true });
    if (format === 'png') pipeline = pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
    else if (format === 'jpeg') pipeline = pipeline.jpeg({ quality: 86, mozjpeg: true });
    else pipeline = pipeline.webp({ quality: 86 });
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { data, format, width: info.width, height: info.height };
  } catch (err) {
    throw new RasterRejected(pixelLimit(err) ?? `The ${NAMES[format]} image is damaged and cannot be read.`);
  }
}

function pixelLimit(err: unknown): string | null {
  return /pixel limit/i.test((err as Error)?.message ?? '')
    ? `The image is larger than ${MAX_INPUT_PIXELS / 1_000_000} megapixels: scale it down (${MEDIA_MAX_SIDE_PX} px on the longest side is plenty).`
    : null;
}
