import { Router } from 'express';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/types.js';

export function healthRouter(deps: { store: Store; metrics: Metrics }): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const ok = await deps.store.healthy().catch(() => false);
    res.status(ok ? 200 : 503).json(ok ? { ok: true } : { ok: false, error: { code: 'unavailable', message: 'The store is not available.' } });
  });
  r.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render());
  });
  return r;
}
