import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { toIssues, type ErrorBody } from '../../shared/errors.js';
import type { Logger } from '../logger.js';

/** An error whose code and message are safe to show; anything else becomes a 500 `internal`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ErrorBody['issues'],
  ) {
    super(message);
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

/** The one place HTTP errors are shaped: `{error:{code,message,issues?}}`, never a stack trace. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let body: ErrorBody;
    let status: number;
    if (err instanceof HttpError) {
      status = err.status;
      body = { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) };
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
