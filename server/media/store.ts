import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MEDIA_PATH, MEDIA_TYPES, type MediaType, type MediaUploaded } from '../../shared/media.js';
import { HttpError } from '../http/errors.js';
import { reencodeRaster, RasterRejected, type RasterFormat } from './raster.js';
import { sanitiseSvg, SvgRejected } from './svg.js';

/** Content-hash file names: 128 bits of sha256, so a URL never serves two different files. */
const HASH_CHARS = 32;
/** Event ids become folder names: only ever the ids we make (UUIDs). */
const SAFE_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
/** A served file name: what `save` writes, nothing else. */
export const MEDIA_FILE = /^[0-9a-f]{32}\.(png|jpg|webp|svg)$/;

const EXT: Record<RasterFormat, 'png' | 'jpg' | 'webp'> = { png: 'png', jpeg: 'jpg', webp: 'webp' };
const NAMES: Record<MediaType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/svg+xml': 'SVG' };
export const TYPE_OF_EXT: Record<string, MediaType> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', svg: 'image/svg+xml' };

/**
 * `DATA_DIR/media/<eventId>/<hash>.<ext>`: images an event uses, after the checks. Files are
 * never rewritten (same bytes, same name), so the browser may cache them for a year.
 */
export class MediaStore {
  constructor(readonly dir: string) {}

  eventDir(eventId: string): string {
    if (!SAFE_SEGMENT.test(eventId)) throw new Error(`unsafe event id for a folder name: ${eventId}`);
    return path.join(this.dir, eventId);
  }

  /** The file behind a `/media/…` path, or null if it is not one of ours. */
  fileOf(eventId: string, file: string): string | null {
    return SAFE_SEGMENT.test(eventId) && MEDIA_FILE.test(file) ? path.join(this.dir, eventId, file) : null;
  }

  /** True when `url` names a file this event uploaded that is still there. */
  async has(eventId: string, url: string): Promise<boolean> {
    const m = MEDIA_PATH.exec(url);
    if (!m || m[1] !== eventId) return false;
    const file = this.fileOf(eventId, `${m[2]}.${m[3]}`);
    return file !== null && fs.promises.access(file).then(() => true, () => false);
  }

  /**
   * Checks and rewrites an uploaded image (SVG sanitised, raster decoded and re-encoded), then
   * stores it. `400 invalid_image` with a message for the person when it cannot be used, or
   * when its bytes turn out to be a format not in `allowed` (a JPEG sent as image/png).
   */
  async save(eventId: string, type: MediaType, body: Uint8Array, allowed: readonly MediaType[] = MEDIA_TYPES): Promise<MediaUploaded> {
    let data: Uint8Array;
    let ext: string;
    let width: number;
    let height: number;
    try {
      if (type === 'image/svg+xml') {
        const svg = sanitiseSvg(body);
        data = Buffer.from(svg.svg, 'utf8');
        ext = 'svg';
        ({ width, height } = svg);
      } else {
        const raster = await reencodeRaster(body);
        data = raster.data;
        ext = EXT[raster.format];
        ({ width, height } = raster);
      }
    } catch (err) {
      if (err instanceof SvgRejected || err instanceof RasterRejected) throw new HttpError(400, 'invalid_image', err.message);
      throw err;
    }
    if (!allowed.includes(TYPE_OF_EXT[ext]!)) {
      throw new HttpError(400, 'invalid_image', `This file is a ${ext.toUpperCase()} image; only ${allowed.map((t) => NAMES[t]).join(' or ')} is accepted here.`);
    }
    const name = `${createHash('sha256').update(data).digest('hex').slice(0, HASH_CHARS)}.${ext}`;
    const dir = this.eventDir(eventId);
    await fs.promises.mkdir(dir, { recursive: true });
    const final = path.join(dir, name);
    // Written beside, then renamed: a reader never sees half a file under the final name.
    const tmp = path.join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
    await fs.promises.writeFile(tmp, data, { flag: 'wx' });
    await fs.promises.rename(tmp, final);
    return { url: `/media/${eventId}/${name}`, type: TYPE_OF_EXT[ext]!, width, height, bytes: data.byteLength };
  }
}
