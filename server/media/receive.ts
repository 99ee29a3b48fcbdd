import type { Request, Response } from 'express';
import type { MediaType } from '../../shared/media.js';
import { HttpError } from '../http/errors.js';
import { requireScope } from '../http/auth.js';
import { closeAfterResponse } from '../models/intake.js';
import type { EventRecord, Store } from '../store/types.js';

export class ImageTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'too_large', `The image is larger than the ${Math.round(maxBytes / 100_000) / 10} MB this server accepts.`);
  }
}

/**
 * Reads a small request body (an image) into memory. Refuses with 413 before reading anything
 * when Content-Length is too large, and as soon as a chunked body goes over; then the
 * connection closes after the answer (`closeAfterResponse`), so the rest is never read.
 */
export function readImageBody(req: Request, res: Response, maxBytes: number): Promise<Buffer> {
  const declared = req.get('content-length');
  if (declared !== undefined && Number(declared) > maxBytes) {
    closeAfterResponse(req, res);
    return Promise.reject(new ImageTooLargeError(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (err: Error | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, bytes));
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        req.pause();
        closeAfterResponse(req, res);
        done(new ImageTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (bytes === 0) done(new HttpError(400, 'invalid_image', 'The request body is empty: send the image file as the body.'));
      else done(null);
    };
    const onError = () => done(new HttpError(400, 'invalid_image', 'The upload was interrupted before the whole image arrived.'));
    const onClose = () => {
      if (!req.complete) onError();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * The event, if the bearer is its host key or the admin token, and the image type from
 * Content-Type (one of `allowed`). A refusal here answers without reading the body.
 */
export async function authoriseUpload(deps: { store: Store; adminToken: string }, req: Request, res: Response, allowed: readonly MediaType[]): Promise<{ event: EventRecord; type: MediaType }> {
  try {
    const { event } = await requireScope(deps.store, deps.adminToken, req, ['host', 'admin']);
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() as MediaType;
    if (!allowed.includes(type)) {
      throw new HttpError(415, 'unsupported_media_type', `Send the image as the body with Content-Type: ${allowed.join(', ')}.`);
    }
    return { event, type };
  } catch (err) {
    closeAfterResponse(req, res);
    throw err;
  }
}
