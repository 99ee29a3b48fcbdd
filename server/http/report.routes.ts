import { Router } from 'express';
import { readFacts } from '../report/facts.js';
import { computeReport } from '../report/report.js';
import type { EventReport } from '../../shared/report.js';
import type { Store } from '../store/types.js';
import { requireScope } from './auth.js';
import { sharedFor } from './shared.js';

interface Deps {
  store: Store;
  adminToken: string;
  /** Writes this process's pending sessions and reactions first, so the report includes them. */
  flush: () => Promise<void>;
}

/**
 * How long a computed report is served again. Every open dashboard polls every 5 s and a big
 * event's report takes ~0.1 s of the event loop to compute (20,000 viewers: 157 ms): computed
 * once per interval, shared by every presenter asking, it never stalls the cameras.
 */
export const REPORT_REUSE_MS = 4_000;

/** The launch report (host key or admin token), computed from the store, at most once per REPORT_REUSE_MS per event. */
export function reportRouter({ store, adminToken, flush }: Deps): Router {
  const r = Router();
  const shared = sharedFor<EventReport>(REPORT_REUSE_MS);

  r.get('/api/events/:id/report', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
    const report = await shared(event.id, () => flush().then(async () => computeReport(await readFacts(store, event), new Date())));
    res.set('cache-control', 'no-store').json(report);
  });

  return r;
}
