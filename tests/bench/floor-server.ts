/**
 * The socket.io floor: a bare socket.io relay with nothing of Vitrine in it (no auth, no
 * validation, no rooms beyond one, no latest-wins), run by `npm run bench` under the same load as
 * Vitrine (ws-floor-server.ts is the other floor, without socket.io). PERFORMANCE.md asks for
 * it because absolute figures drift ±10–20% between runs: the comparison that means something is
 * Vitrine vs this, measured minutes apart on the same machine.
 * Speaks just enough of the Vitrine API for run.ts: POST /api/events, GET /metrics (loop delay),
 * handshake, `state`, poses.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { loopDelayMetrics } from './floor-metrics.js';

const metrics = loopDelayMetrics();
const httpServer = createServer((req, res) => {
  if (metrics(req, res)) return;
  if (req.method === 'POST' && req.url === '/api/events') {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'FLOOR2', hostKey: 'floor-host-key' }));
  } else {
    res.writeHead(404).end();
  }
});
const io = new Server(httpServer, { serveClient: false });

io.on('connection', (socket) => {
  const auth = socket.handshake.auth as { role?: string };
  if (auth.role === 'host') {
    // socket.io's default: every pose is one broadcast, queued behind earlier ones if need be.
    socket.on('camera:set', (pose: unknown) => void io.to('viewers').emit('camera:pose', pose));
  } else {
    void socket.join('viewers');
  }
  socket.emit('state', {});
});

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  process.stdout.write(`\n  Floor relay (bare socket.io) is running at http://127.0.0.1:${port}\n\n`);
});
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
