/**
 * The floors' `GET /metrics`: event-loop delay p99 since the last scrape, measured and named as
 * Vitrine's own (server/metrics.ts: monitorEventLoopDelay at 10 ms, reset on each read), so
 * run.ts reads all three servers' loop delay the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Starts measuring now; the returned handler answers `GET /metrics` and says whether it did. */
export function loopDelayMetrics(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return (req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') return false;
    const p99Seconds = loop.percentile(99) / 1e9;
    loop.reset();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`nodejs_eventloop_delay_p99_seconds ${p99Seconds}\n`);
    return true;
  };
}
