import { Router } from 'express';
import { readFacts } from '../report/facts.js';
import { computeReport } from '../report/report.js';
import type { Store } from '../store/types.js';
import { requireScope } from './leads.routes.js';

interface Deps {
  store: Store;
  adminToken: string;
  /** Writes this process's pending sessions and reactions first, so the report includes them. */
  flush: () => Promise<void>;
}

/** The launch report (host key or admin token), computed from the store at each request. */
export function reportRouter({ store, adminToken, flush }: Deps): Router {
  const r = Router();

  r.get('/api/events/:id/report', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
    await flush();
    const report = computeReport(await readFacts(store, event), new Date());
    res.set('cache-control', 'no-store').json(report);
  });

  return r;
}
