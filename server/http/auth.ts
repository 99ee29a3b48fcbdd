import type { Request } from 'express';
import { checkKey } from '../access/check.js';
import type { LeadScope } from '../leads/access.js';
import { safeEqual } from '../keys.js';
import type { EventRecord, Store } from '../store/types.js';
import { HttpError, KeyRefusedError } from './errors.js';

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
  if (!safeEqual(token, adminToken)) throw new KeyRefusedError('wrong', null, 'This admin token is not valid.');
}

/**
 * The key in `Authorization: Bearer` must open this event (`:id`) with one of the `allowed`
 * scopes: no key → 401; a revoked or expired one → 401 with its `reason`; a key that opens
 * nothing here (another event's, another dealer's), or not this → 403.
 */
export async function requireScope(store: Store, adminToken: string, req: Request, allowed: LeadScope['kind'][]): Promise<{ event: EventRecord; scope: LeadScope }> {
  const key = bearer(req);
  if (!key) throw new HttpError(401, 'unauthorized', 'A key is required (Authorization: Bearer …).');
  const event = await store.events.findById(String(req.params.id));
  if (!event) throw new HttpError(404, 'not_found', 'No such event.');
  const check = await checkKey(store, event, key, { adminToken });
  if (!check.ok) throw new KeyRefusedError(check.refusal, event.id);
  if (!allowed.includes(check.scope.kind)) throw new HttpError(403, 'forbidden', 'This key does not give access to this.');
  return { event, scope: check.scope };
}
