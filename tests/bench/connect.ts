/**
 * How the fan-out's few active viewers (side-viewers.ts) open their sockets: real socket.io-client
 * sockets, one connection each, ramped up a batch of handshakes at a time. The crowds connect
 * lighter: connect-ws.ts (fan-out) and light-socket.ts (Q&A and lead bursts) speak the same wire
 * protocol over bare `ws` sockets.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';

export type Viewer = Socket<ServerToClientEvents, ClientToServerEvents>;

const CONNECT_TIMEOUT_MS = 30_000;

export interface ConnectOptions {
  url: string;
  code: string;
  /** Handshakes in flight at a time, so the server sees a crowd arriving, not a storm. */
  batch: number;
  /** Called when a joined viewer's socket closes (there is no reconnection: a drop is counted). */
  onDisconnect: () => void;
  /** Called on each new socket before it connects (listeners that must not miss anything). */
  setup?: (socket: Viewer, index: number) => void;
}

/** `${prefix}-000000`, `${prefix}-000001`…: viewerIds that never cross load generators. */
export const viewerIds = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);

/** Resolves with the socket once it has its first `state` (the server's "you are in"), or with the error. */
function connectOne(viewerId: string, index: number, o: ConnectOptions): Promise<Viewer | string> {
  const socket: Viewer = io(o.url, {
    auth: { code: o.code, role: 'viewer', viewerId },
    transports: ['websocket'],
    forceNew: true, // one connection per viewer, as browsers have; the default would multiplex them all
    reconnection: false, // a dropped viewer must show up as a drop, not be silently replaced
    timeout: CONNECT_TIMEOUT_MS,
  });
  o.setup?.(socket, index);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.close();
      resolve('no state within 30 s');
    }, CONNECT_TIMEOUT_MS);
    socket.once('state', () => {
      clearTimeout(timer);
      socket.on('disconnect', o.onDisconnect);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      resolve(err.message);
    });
  });
}

/** Connects `ids` in order; `sockets[i]` is the viewer `ids[i]`, or null if it failed to join. */
export function connectViewers(ids: string[], o: ConnectOptions): Promise<Joined<Viewer>> {
  return connectInBatches(ids, o.batch, (id, index) => connectOne(id, index, o));
}

export interface Joined<S> {
  sockets: (S | null)[];
  failed: number;
  firstError: string | null;
  ms: number;
}

/** `batch` handshakes in flight at a time, `ids` in order; `one` resolves with the joined socket or the error. */
export async function connectInBatches<S>(ids: string[], batch: number, one: (id: string, index: number) => Promise<S | string>): Promise<Joined<S>> {
  const started = Date.now();
  const sockets: (S | null)[] = [];
  let failed = 0;
  let firstError: string | null = null;
  for (let from = 0; from < ids.length; from += batch) {
    const chunk = ids.slice(from, from + batch);
    for (const r of await Promise.all(chunk.map((id, j) => one(id, from + j)))) {
      if (typeof r !== 'string') sockets.push(r);
      else {
        sockets.push(null);
        failed++;
        firstError ??= r;
      }
    }
  }
  return { sockets, failed, firstError, ms: Date.now() - started };
}
