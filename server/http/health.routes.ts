import { Router } from 'express';
import type { Metrics } from '../metrics.js';
import type { RoomBus } from '../cluster/bus.js';
import type { Store } from '../store/types.js';

/**
 * `/healthz`: 200 while this process can serve, 503 naming what it cannot reach (the store,
 * Redis), so a load balancer stops sending it viewers until it recovers by itself.
 */
export function healthRouter(deps: { store: Store; metrics: Metrics; bus?: RoomBus }): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const store = await deps.store.healthy().catch(() => false);
    const redis = deps.bus ? deps.bus.healthy() : true;
    if (store && redis) {
      res.json({ ok: true });
      return;
    }
    const down = [store ? null : `the store (${deps.store.kind})`, redis ? null : 'Redis'].filter(Boolean).join(' and ');
    res.status(503).json({ ok: false, store, redis, error: { code: 'unavailable', message: `Not available: ${down}.` } });
  });
  r.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render());
  });
  return r;
}
