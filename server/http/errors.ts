import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { KeyLoss } from '../../shared/access.js';
import { toIssues, type ErrorBody } from '../../shared/errors.js';
import type { KeyFailureListener, KeyRefusal } from '../access/check.js';
import type { Logger } from '../logger.js';

/** An error whose code and message are safe to show; anything else becomes a 500 `internal`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ErrorBody['issues'],
    /** Why a key that once opened this no longer does (a 401 only). */
    readonly reason?: KeyLoss,
  ) {
    super(message);
  }
}

/**
 * A presented key was refused. The error handler reports it (`KeyFailureListener`) before
 * answering: 403 `forbidden` for a key that never opened this, 401 `unauthorized` with a
 * `reason` for one that did and no longer does, so a page can say "this link is no longer valid".
 */
const KEY_REFUSALS: Record<KeyRefusal, { status: number; code: string; message: string | null; reason?: KeyLoss }> = {
  wrong: { status: 403, code: 'forbidden', message: null },
  revoked: { status: 401, code: 'unauthorized', message: 'This link is no longer valid: its key was replaced or revoked.', reason: KeyLoss.revoked },
  expired: { status: 401, code: 'unauthorized', message: 'This link has expired.', reason: KeyLoss.expired },
};

export class KeyRefusedError extends HttpError {
  constructor(
    readonly refusal: KeyRefusal,
    readonly eventId: string | null,
    wrongMessage = 'This key does not give access to this.',
  ) {
    const r = KEY_REFUSALS[refusal];
    super(r.status, r.code, r.message ?? wrongMessage, undefined, r.reason);
  }
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new HttpError(400, 'invalid_payload', 'The request body is not valid.', toIssues(result.error));
  return result.data;
}

export const notFoundApi: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, 'not_found', 'No such endpoint.'));
};

/**
 * The one place HTTP errors are shaped: `{error:{code,message,issues?,reason?}}`, never a stack
 * trace. A refused key is reported to `keyFailed` here, once per request.
 */
export function errorHandler(log: Logger, keyFailed?: KeyFailureListener): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let body: ErrorBody;
    let status: number;
    if (err instanceof KeyRefusedError) keyFailed?.({ via: 'http', refusal: err.refusal, eventId: err.eventId, ip: req.ip });
    if (err instanceof HttpError) {
      status = err.status;
      body = { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}), ...(err.reason ? { reason: err.reason } : {}) };
    } else if (isBodyParserError(err)) {
      status = err.status;
      body = err.type === 'entity.too.large'
        ? { code: 'too_large', message: 'The request body is too large.' }
        : { code: 'invalid_payload', message: 'The request body is not valid JSON.' };
    } else {
      status = 500;
      body = { code: 'internal', message: 'Something went wrong on our side.' };
      log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  };
}

function isBodyParserError(err: unknown): err is { status: number; type: string } {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err && typeof (err as { status: unknown }).status === 'number';
}
