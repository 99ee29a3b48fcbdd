import { ServerResponse, type IncomingMessage } from 'node:http';
import type { ServerOptions, Socket } from 'socket.io';
import { DEALER_NAMESPACE } from '../../shared/events.js';
import type { Logger } from '../logger.js';
import type { VitrineServer } from '../realtime/types.js';
import { clientIp, ipKey, type TrustProxy } from './clientIp.js';
import type { Perimeter, Refusal } from './perimeter.js';

/**
 * A session refused by a per-IP cap is closed by us this long after its handshake if the client
 * has not asked for a namespace (which is where it hears why): it must not linger.
 */
const REFUSED_SESSION_MS = 5_000;

interface Deps {
  perimeter: Perimeter;
  /** Browser origins allowed to open a socket (non-browser clients send none). */
  allowedOrigins: () => Set<string>;
  trust: TrustProxy;
  log: Logger;
}

export interface SocketGuard {
  /** Engine.IO's `allowRequest` (the first request of a session only): the per-IP caps. */
  allowRequest: NonNullable<ServerOptions['allowRequest']>;
  /** Checks every request's Origin, counts connections, refuses capped handshakes. Call before any other `io.use`. */
  attach(io: VitrineServer): void;
}

/** The connect_error a page gets: `message` `rate_limited`, `data` `{code, retryAfter}` (seconds). */
export function rateLimitedError(refusal: Refusal): Error & { data: { code: 'rate_limited'; retryAfter: number } } {
  return Object.assign(new Error('rate_limited'), { data: { code: 'rate_limited' as const, retryAfter: refusal.retryAfterS } });
}

export function socketGuard({ perimeter, allowedOrigins, trust, log }: Deps): SocketGuard {
  /** The client's IP, read once at the handshake (the polling request's TCP socket may be gone later). */
  const ips = new WeakMap<IncomingMessage, string>();
  /** Sessions a cap refused: accepted by Engine.IO so that the page hears why, then closed. */
  const refused = new WeakMap<IncomingMessage, Refusal>();
  const ipOf = (req: IncomingMessage): string => {
    let ip = ips.get(req);
    if (ip === undefined) ips.set(req, (ip = ipKey(clientIp(req, trust))));
    return ip;
  };

  /**
   * Engine.IO calls `allowRequest` for a session's first request only; every later long-polling
   * request and the WebSocket upgrade carry a session id and skip it. The Origin is checked here
   * instead, on every request: a page on another site can neither open a socket with a viewer's
   * browser nor ride one (a session id it learnt) through it.
   */
  const checkOrigin = (req: IncomingMessage, res: unknown, next: (err?: Error) => void): void => {
    const origin = req.headers.origin;
    if (origin === undefined || allowedOrigins().has(origin)) return next();
    log.warn({ origin, sid: /[?&]sid=/.test(req.url ?? '') }, 'socket refused: origin not allowed');
    if (res instanceof ServerResponse) {
      // Engine.IO's own shape for a refusal (code 4: FORBIDDEN).
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 4, message: 'origin not allowed' }));
    } else if (req.socket.writable) {
      // A WebSocket upgrade: no response object, the answer goes on the TCP socket itself.
      req.socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
    next(new Error('origin not allowed'));
  };

  /** A namespace's first middleware: a capped session, or a key from an IP out of wrong keys, hears `rate_limited`. */
  const gate = (carriesKey: (socket: Socket) => boolean) => (socket: Socket, next: (err?: Error) => void) => {
    const capped = refused.get(socket.request);
    if (capped) {
      next(rateLimitedError(capped));
      // After Socket.IO has sent the refusal (on the next tick), with what it still holds.
      setImmediate(() => socket.conn.close());
      return;
    }
    if (!carriesKey(socket)) return next();
    perimeter.keyAllowed(ipOf(socket.request)).then(
      (refusal) => next(refusal ? rateLimitedError(refusal) : undefined),
      () => next(),
    );
  };

  return {
    allowRequest(req, cb) {
      perimeter.handshake(ipOf(req)).then(
        (refusal) => {
          if (refusal) refused.set(req, refusal);
          cb(null, true);
        },
        () => cb(null, true),
      );
    },
    attach(io) {
      io.engine.use(checkOrigin);
      // Before Socket.IO's own listener, so that its sockets are built with the client's address.
      io.engine.prependListener('connection', (conn: { request: IncomingMessage; remoteAddress: string; once(e: 'close', f: () => void): void; close(): void }) => {
        // `socket.handshake.address` (logs, refused keys) names the client behind a trusted
        // proxy, as Express's `req.ip` does, rather than the proxy.
        conn.remoteAddress = clientIp(conn.request, trust);
        const ip = ipOf(conn.request);
        perimeter.opened(ip);
        conn.once('close', () => perimeter.closed(ip));
        if (!refused.has(conn.request)) return;
        const timer = setTimeout(() => conn.close(), REFUSED_SESSION_MS);
        conn.once('close', () => clearTimeout(timer));
      });
      io.use(gate((socket) => (socket.handshake.auth as { role?: unknown } | undefined)?.role === 'host'));
      io.of(DEALER_NAMESPACE).use(gate(() => true));
    },
  };
}
