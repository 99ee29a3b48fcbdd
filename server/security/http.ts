import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { bearer } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { ipKey } from './clientIp.js';
import type { Perimeter, Refusal } from './perimeter.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CROSS_SITE = 'This change was sent by another site’s page; only Vitrine’s own pages (or a client without a browser) can make it.';

/**
 * Fetch Metadata: a browser says who made a request (`Sec-Fetch-Site`). Every change under /api
 * comes from our own pages (`same-origin`), so a change made by another site's page, or a
 * sibling subdomain's (`same-site`), is refused before any route runs. Requests without the
 * header (curl, integrations, older browsers) go on: they carry their key in `Authorization`,
 * which a browser never adds by itself, so they cannot be forged across sites anyway.
 */
export const refuseCrossSite: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return next(new HttpError(403, 'forbidden', CROSS_SITE));
  next();
};

/** 429 `rate_limited` with `Retry-After` (seconds), through the one error handler. */
function rateLimited(res: Response, next: NextFunction, refusal: Refusal): void {
  res.set('retry-after', String(refusal.retryAfterS));
  next(new HttpError(429, 'rate_limited', `Too many requests from your network; try again in ${refusal.retryAfterS} s.`));
}

const ipOf = (req: Request): string => ipKey(req.ip ?? req.socket.remoteAddress ?? '');

/** `POST /api/events`: attempts a minute per IP, counted before the admin token is checked. */
export function capEventCreation(perimeter: Perimeter): RequestHandler {
  return (req, res, next) => {
    void perimeter.eventCreation(ipOf(req)).then((refusal) => (refusal ? rateLimited(res, next, refusal) : next()), next);
  };
}

/** A request with a key, from an IP that used up its wrong keys: refused before the key is read. */
export function gateKeys(perimeter: Perimeter): RequestHandler {
  return (req, res, next) => {
    if (!bearer(req)) return next();
    void perimeter.keyAllowed(ipOf(req)).then((refusal) => (refusal ? rateLimited(res, next, refusal) : next()), next);
  };
}
