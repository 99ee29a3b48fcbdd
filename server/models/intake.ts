import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import type { Request, Response } from 'express';
import { HttpError } from '../http/errors.js';

/** A request body written to disk, never held whole in memory. */
export interface ReceivedFile {
  path: string;
  bytes: number;
  /** sha256 of the bytes, hex. */
  sha256: string;
}

/**
 * After refusing an upload early, keep reading (and dropping) what the client is still
 * sending for this long at most, then close. Closing a socket with unread input makes the
 * kernel send a reset, and many clients then lose the answer they were sent (a lingering
 * close, as nginx does).
 */
const LINGER_MS = 1_000;
const LINGER_BYTES = 1024 * 1024;

export class BodyTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'too_large', `The model is larger than the ${formatMB(maxBytes)} this server accepts.`);
  }
}

function formatMB(bytes: number): string {
  return bytes >= 1_000_000 ? `${Math.round(bytes / 100_000) / 10} MB` : `${bytes} bytes`;
}

/**
 * Answers a refused upload without reading its body: the connection is closed after the
 * answer (after a short, bounded lingering read), so a 100 MB body is not read for nothing.
 */
export function closeAfterResponse(req: Request, res: Response): void {
  if (req.readableEnded || req.complete) return;
  res.set('Connection', 'close');
  res.once('finish', () => {
    let dropped = 0;
    const socket = req.socket;
    const stop = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    const timer = setTimeout(stop, LINGER_MS);
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER_BYTES) stop();
    });
    req.once('end', () => clearTimeout(timer));
    req.once('error', stop);
    req.resume();
  });
}

/** Counts and hashes the bytes going through; fails as soon as there are too many. */
class Meter extends Transform {
  bytes = 0;
  private hash = createHash('sha256');
  constructor(private maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(new BodyTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Streams the request body into a new file in `dir`. Refuses with 413 before reading anything
 * when Content-Length says it is too large, and while reading as soon as a body without one
 * (chunked) goes over. The partial file is removed on any failure.
 */
export async function receiveBody(req: Request, res: Response, dir: string, maxBytes: number): Promise<ReceivedFile> {
  const declared = req.get('content-length');
  if (declared !== undefined && Number(declared) > maxBytes) {
    closeAfterResponse(req, res);
    throw new BodyTooLargeError(maxBytes);
  }
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${Date.now()}-${randomBytes(6).toString('hex')}.upload`);
  const meter = new Meter(maxBytes);
  try {
    await writeBody(req, meter, file);
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    if (err instanceof BodyTooLargeError) {
      closeAfterResponse(req, res);
      throw err;
    }
    throw new HttpError(400, 'invalid_model', 'The upload was interrupted before the whole file arrived.');
  }
  if (meter.bytes === 0) {
    await fs.promises.rm(file, { force: true });
    throw new HttpError(400, 'invalid_model', 'The request body is empty: send the .glb or .gltf file as the body.');
  }
  return { path: file, bytes: meter.bytes, sha256: meter.digest() };
}

/**
 * Not `stream.pipeline`: on a too-large body it would destroy the request, hence the socket,
 * and the client would never get its 413. Here the request is only unpiped.
 */
function writeBody(req: Request, meter: Meter, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { flags: 'wx' });
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(meter);
      meter.destroy();
      out.destroy();
      reject(err);
    };
    meter.on('error', fail);
    out.on('error', fail);
    req.on('error', fail);
    req.on('close', () => {
      if (!req.complete) fail(new Error('client went away'));
    });
    out.on('finish', () => {
      settled = true;
      resolve();
    });
    req.pipe(meter).pipe(out);
  });
}
