import type { Socket as NetSocket } from 'node:net';
import type { VitrineSocket } from '../realtime/types.js';

/**
 * One WebSocket text frame (server to client: unmasked, final) holding a Socket.IO event on the
 * default namespace, exactly the bytes Socket.IO would write: Engine.IO message `4`, Socket.IO
 * EVENT `2`, then the JSON array. Built once per broadcast and written as is to every viewer.
 */
export function eventFrame(event: string, payload: unknown): Buffer {
  const body = Buffer.from(`42${JSON.stringify([event, payload])}`, 'utf8');
  return Buffer.concat([frameHeader(body.length), body]);
}

/** The header of such a frame whose payload is `n` bytes long (the payload is written after it). */
export function frameHeader(n: number): Buffer {
  if (n < 126) return Buffer.from([0x81, n]);
  if (n < 65_536) return Buffer.from([0x81, 126, n >> 8, n & 0xff]);
  // A Q&A batch or a `state` of a long event can go past 64 KB: the 64-bit length (a Buffer is < 4 GB).
  const head = Buffer.alloc(10);
  head[0] = 0x81;
  head[1] = 127;
  head.writeUInt32BE(n, 6);
  return head;
}

/**
 * The TCP socket under a viewer's WebSocket, when its session can take a frame written
 * straight to it: WebSocket transport, open, not upgrading, no compression negotiated. Reaches
 * into Engine.IO's and ws's objects (pinned versions; tests/integration cover the path), and
 * answers null whenever anything is not as expected, so the caller falls back to `emit`.
 */
export function rawSocketOf(socket: VitrineSocket): NetSocket | null {
  const conn = socket.conn as unknown as { readyState?: string; upgrading?: boolean; transport?: { name?: string; socket?: { readyState?: number; _socket?: NetSocket; _extensions?: Record<string, unknown> } } };
  const t = conn.transport;
  if (conn.readyState !== 'open' || conn.upgrading || t?.name !== 'websocket') return null;
  const ws = t.socket;
  if (!ws || ws.readyState !== 1 || !ws._socket || (ws._extensions && Object.keys(ws._extensions).length > 0)) return null;
  return ws._socket.destroyed ? null : ws._socket;
}

/**
 * The TCP socket under a viewer's WebSocket when a frame written to it now comes after every
 * packet Socket.IO was asked to send before: `rawSocketOf`, and nothing waiting in Engine.IO's
 * write buffer (packets wait there while the transport is still writing, e.g. an ack).
 */
export function rawSocketInOrder(socket: VitrineSocket): NetSocket | null {
  const waiting = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer;
  return waiting && waiting.length === 0 ? rawSocketOf(socket) : null;
}
