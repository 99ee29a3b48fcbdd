import type { Request } from 'express';
import { safeEqual } from '../keys.js';
import { HttpError } from './errors.js';

export function bearer(req: Request): string | null {
  const h = req.get('authorization');
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

/** 401 without a token, 403 with a wrong one: an integrator can tell "forgot" from "wrong". */
export function requireAdmin(req: Request, adminToken: string): void {
  const token = bearer(req);
  if (!token) throw new HttpError(401, 'unauthorized', 'An admin token is required (Authorization: Bearer …).');
  if (!safeEqual(token, adminToken)) throw new HttpError(403, 'forbidden', 'This admin token is not valid.');
}
