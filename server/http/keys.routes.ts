import { json, Router, type Request } from 'express';
import { KeyExpiryInput, KeyRef, KeyRotateInput, type KeyView } from '../../shared/access.js';
import type { KeyService } from '../access/service.js';
import type { EventRecord, Store } from '../store/types.js';
import { requireScope } from './auth.js';
import { HttpError, parseBody } from './errors.js';

interface Deps {
  store: Store;
  adminToken: string;
  keys: KeyService;
}

/**
 * The studio's "Accès" panel: rotate, revoke and date an event's keys. The admin token may
 * change any key; the host key may change the dealer keys (as it edits the directory), never
 * its own: a leaked presenter link must not lock the studio out of it, and a revoked host key
 * opens nothing, so it cannot undo its own revocation.
 */
export function keysRouter({ store, adminToken, keys }: Deps): Router {
  const r = Router();
  const body = json({ limit: '2kb' });

  /** validate → authorise: the ref, then who may change it. */
  async function authorise(req: Request): Promise<{ event: EventRecord; ref: KeyRef }> {
    const ref = KeyRef.safeParse(req.params.ref);
    const { event } = await requireScope(store, adminToken, req, ref.success && ref.data === 'host' ? ['admin'] : ['admin', 'host']);
    if (!ref.success) throw new HttpError(400, 'invalid_payload', 'The key is "host", "dealer" or "dealer:<dealerId>".', [{ path: ['ref'], message: ref.error.issues[0]?.message ?? 'invalid ref' }]);
    return { event, ref: ref.data };
  }

  const answer = (view: KeyView | null): { key: KeyView } => {
    if (!view) throw new HttpError(404, 'not_found', 'No such dealer.');
    return { key: view };
  };

  r.get('/api/events/:id/keys', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['admin', 'host']);
    res.set('cache-control', 'no-store').json({ keys: await keys.list(event) });
  });

  r.post('/api/events/:id/keys/:ref/rotate', body, async (req, res) => {
    const { event, ref } = await authorise(req);
    const input = parseBody(KeyRotateInput, req.body);
    res.set('cache-control', 'no-store').json(answer(await keys.rotate(event, ref, input.expiresAt)));
  });

  r.delete('/api/events/:id/keys/:ref', async (req, res) => {
    const { event, ref } = await authorise(req);
    res.set('cache-control', 'no-store').json(answer(await keys.revoke(event, ref)));
  });

  r.put('/api/events/:id/keys/:ref/expiry', body, async (req, res) => {
    const { event, ref } = await authorise(req);
    const input = parseBody(KeyExpiryInput, req.body);
    res.set('cache-control', 'no-store').json(answer(await keys.setExpiry(event, ref, input.expiresAt)));
  });

  return r;
}
