import type sharpFn from 'sharp';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { raw, Router, type Request, type Response } from 'express';
import { closeAfterResponse } from '../models/intake.js';
import type { ModelService } from '../models/service.js';
import type { Store } from '../store/types.js';
import { HttpError } from './errors.js';
import { requireScope } from './auth.js';
import { lazyRequire } from '../lazy.js';

const sharp = lazyRequire<typeof sharpFn>('sharp');

/** What the studio may send: a canvas capture (WebP where the browser makes it, PNG otherwise) or a photo. */
const POSTER_TYPES = ['image/webp', 'image/png', 'image/jpeg'];
/** The formats sharp must find in the bytes: the Content-Type alone is the sender's word (an SVG is not a poster). */
const POSTER_FORMATS = new Set(['webp', 'png', 'jpeg']);
export const POSTER_MAX_BYTES = 4 * 1024 * 1024;
/** Wide enough for a laptop's stage; a phone downloads far less than the model it replaces. */
export const POSTER_MAX_WIDTH_PX = 1600;
/** A decoded picture larger than this is refused before it is decoded (a 4 MB PNG can be 1 GB of pixels). */
const MAX_INPUT_PIXELS = 40_000_000;
const WEBP_QUALITY = 80;
/** Content-hash file names, like the model's: a new poster gets a new (year-cached) URL. */
const HASH_CHARS = 32;

interface Deps {
  store: Store;
  adminToken: string;
  models: ModelService;
  publicUrl: () => string;
  /** Tells open pages that the vehicle changed (its `posterUrl`). */
  onPosterChanged: (eventId: string) => Promise<void>;
}

const readBody = raw({ type: () => true, limit: POSTER_MAX_BYTES });

/** The raw body as a Buffer; `413 too_large` past the limit (through the error handler). */
function bodyOf(req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    readBody(req, res, (err?: unknown) => (err ? reject(err) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))));
  });
}

/** Re-encodes whatever picture was sent as a clean WebP: no metadata, at most 1600 px wide. */
async function toPosterWebp(input: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  let format: string | undefined;
  try {
    format = (await sharp()(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    throw new HttpError(400, 'invalid_image', 'The poster is not a readable WebP, PNG or JPEG image.');
  }
  if (!format || !POSTER_FORMATS.has(format)) throw new HttpError(400, 'invalid_image', `The poster must be a WebP, PNG or JPEG image (this is ${format ?? 'unknown'}).`);
  try {
    // sharp writes no metadata unless asked to (no EXIF, no GPS, no ICC beyond sRGB).
    const { data, info } = await sharp()(input, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ width: POSTER_MAX_WIDTH_PX, withoutEnlargement: true })
      .webp({ quality: WEBP_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    throw new HttpError(400, 'invalid_image', 'The poster image could not be decoded.');
  }
}

/**
 * `PUT /api/events/:id/model/poster`: the still picture browsers without WebGL show instead of
 * the 3D stage. The studio renders it from the uploaded model; any picture will do.
 */
export function posterRouter({ store, adminToken, models, publicUrl, onPosterChanged }: Deps): Router {
  const r = Router();

  r.put('/api/events/:id/model/poster', async (req, res) => {
    let eventId: string;
    let modelFile: string;
    try {
      const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
      eventId = event.id;
      const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!POSTER_TYPES.includes(type)) throw new HttpError(415, 'unsupported_media_type', 'Send the poster as the body with Content-Type: image/webp, image/png or image/jpeg.');
      const declared = Number(req.get('content-length'));
      if (declared > POSTER_MAX_BYTES) throw new HttpError(413, 'too_large', `A poster is at most ${POSTER_MAX_BYTES / 1024 / 1024} MB.`);
      const model = await store.models.get(event.id);
      if (!model) throw new HttpError(404, 'not_found', 'This event has no model yet: upload one first.');
      modelFile = model.optimised.file;
      // A poster rendered from a model the studio has since replaced must not go on the new one.
      const rendered = req.query.model;
      if (typeof rendered === 'string' && rendered !== modelFile) throw new HttpError(409, 'conflict', 'The model changed since this poster was rendered.');
    } catch (err) {
      // Refused before reading the body: do not read (up to 4 MB of) it for nothing.
      closeAfterResponse(req, res);
      throw err;
    }

    const poster = await toPosterWebp(await bodyOf(req, res));
    const file = `${createHash('sha256').update(poster.data).digest('hex').slice(0, HASH_CHARS)}.poster.webp`;
    const dir = models.eventDir(eventId);
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.writeFile(path.join(dir, file), poster.data);

    // The model may have been replaced (or removed) while the picture was being encoded: a
    // poster of the old car must not go on the new one.
    const current = await store.models.get(eventId);
    if (current?.optimised.file !== modelFile) {
      if (current?.poster?.file !== file) await fs.promises.rm(path.join(dir, file), { force: true });
      throw current ? new HttpError(409, 'conflict', 'The model changed while the poster was being saved.') : new HttpError(404, 'not_found', 'This event has no model any more.');
    }
    const previous = await store.models.setPoster(eventId, { file, bytes: poster.data.length });
    if (!previous) throw new HttpError(404, 'not_found', 'This event has no model any more.');
    if (previous.poster && previous.poster.file !== file) await fs.promises.rm(path.join(dir, previous.poster.file), { force: true });
    await onPosterChanged(eventId);
    const model = await store.models.get(eventId);
    res.json({ model: model ? models.view(model, publicUrl()) : null, poster: { bytes: poster.data.length, width: poster.width, height: poster.height } });
  });

  return r;
}
