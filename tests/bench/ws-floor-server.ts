/**
 * The bare `ws` floor: the cheapest broadcast Node can do, as PERFORMANCE.md measured it. One
 * `JSON.stringify` per pose, one `ws.send` per viewer, nothing else: no socket.io framing, no
 * rooms, no auth, no latest-wins. Run by `npm run bench` under the same load as Vitrine and the
 * socket.io floor; the CPU goal is "Vitrine ≤ 1.3× this".
 * Speaks just enough for run.ts: POST /api/events, GET /metrics (loop delay), and WebSockets on
 * any path: `?role=host` sends poses as JSON text, anything else is a viewer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { loopDelayMetrics } from './floor-metrics.js';

const metrics = loopDelayMetrics();
const httpServer = createServer((req, res) => {
  if (metrics(req, res)) return;
  if (req.method === 'POST' && req.url === '/api/events') {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'WSFLOOR', hostKey: 'floor-host-key' }));
  } else {
    res.writeHead(404).end();
  }
});
const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false, clientTracking: false });
const viewers = new Set<WebSocket>();

wss.on('connection', (ws, req) => {
  if (new URL(req.url ?? '/', 'http://floor').searchParams.get('role') === 'host') {
    ws.on('message', (data) => {
      const text = JSON.stringify(JSON.parse(data.toString()));
      for (const viewer of viewers) viewer.send(text);
    });
  } else {
    viewers.add(ws);
    ws.once('close', () => viewers.delete(ws));
  }
});

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  process.stdout.write(`\n  Floor relay (bare ws) is running at http://127.0.0.1:${port}\n\n`);
});
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
