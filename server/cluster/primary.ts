import cluster, { type Worker } from 'node:cluster';
import net from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from '../logger.js';

/** The first bytes of a request the primary reads to route it: enough for the request line. */
const MAX_PEEK_BYTES = 8_192;

/** Engine.IO session ids made by worker `i` start with `w<i>.`: the primary routes on them. */
export const sessionPrefix = (index: number): string => `w${index}.`;

/** The worker a request belongs to, from the `sid` of its request line (polling); null: any. */
export function workerOfRequest(head: string): number | null {
  const line = head.slice(0, head.indexOf('\r\n') === -1 ? head.length : head.indexOf('\r\n'));
  const m = /[?&]sid=w(\d+)\./.exec(line);
  return m ? Number(m[1]) : null;
}

interface Handoff {
  vitrine: 'connection';
  /** What the primary read before handing the socket over, base64. */
  head: string;
}

/**
 * `WORKERS=n`: n processes behind one port. The primary owns the port and hands each TCP
 * connection to a worker: a request that carries an Engine.IO session id goes to the worker that
 * made it (HTTP long-polling needs every request of a session on the same process), anything
 * else round-robin over the live workers. WebSocket sessions are one connection, so they need
 * nothing more. A worker that dies is replaced; its viewers reconnect, to any worker, and get the
 * room's state from Redis. `env` is given to every worker (the resolved PUBLIC_URL, admin token).
 */
export async function runPrimary(options: { workers: number; port: number; host: string; env: Record<string, string>; log: Logger }): Promise<{ url: string; stop(): Promise<void> }> {
  const { log } = options;
  const slots: (Worker | null)[] = Array.from({ length: options.workers }, () => null);
  const ready = new Set<number>();
  let next = 0;
  let stopping = false;
  const waiting: { socket: net.Socket; head: Buffer; target: number | null }[] = [];

  const pick = (target: number | null): Worker | null => {
    if (target !== null && ready.has(target)) return slots[target] ?? null;
    const live = [...ready];
    if (live.length === 0) return null;
    return slots[live[next++ % live.length]!] ?? null;
  };
  const handOver = (socket: net.Socket, head: Buffer, target: number | null): void => {
    const worker = pick(target);
    if (!worker) {
      waiting.push({ socket, head, target });
      return;
    }
    const message: Handoff = { vitrine: 'connection', head: head.toString('base64') };
    worker.send(message, socket, (err) => {
      if (err) socket.destroy();
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      if (!head.includes('\r\n') && head.length < MAX_PEEK_BYTES) return;
      socket.off('data', onData);
      socket.pause();
      // Stop reading now: what the kernel still holds goes over with the socket, but bytes this
      // process read meanwhile (a POST body a moment behind its headers) would be dropped when
      // the socket is handed over; they are taken along with the head.
      // (read() may restart reading; nothing arrives before the synchronous stop and hand-over.)
      for (let more = socket.read() as Buffer | null; more !== null; more = socket.read() as Buffer | null) head = Buffer.concat([head, more]);
      (socket as unknown as { _handle?: { readStop?: () => void } })._handle?.readStop?.();
      handOver(socket, head, workerOfRequest(head.toString('latin1')));
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    socket.resume();
  });

  const fork = (index: number): void => {
    const worker = cluster.fork({ ...options.env, VITRINE_WORKER_INDEX: String(index) });
    slots[index] = worker;
    worker.on('message', (msg: unknown) => {
      if ((msg as { vitrine?: string }).vitrine !== 'ready') return;
      ready.add(index);
      for (const w of waiting.splice(0)) handOver(w.socket, w.head, w.target);
    });
    worker.on('exit', (code, signal) => {
      ready.delete(index);
      if (slots[index] === worker) slots[index] = null;
      if (stopping) return;
      log.error({ worker: index, code, signal }, 'a worker stopped; starting another');
      setTimeout(() => fork(index), 500).unref();
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const addr = server.address() as net.AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  options.env.PUBLIC_URL ||= url;
  for (let i = 0; i < options.workers; i++) fork(i);
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (ready.size === options.workers) {
        clearInterval(check);
        resolve();
      }
    }, 50);
  });
  return {
    url,
    async stop() {
      stopping = true;
      server.close();
      await Promise.all(
        slots.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (!w || w.isDead()) return resolve();
              w.once('exit', () => resolve());
              w.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/**
 * In a worker: takes the connections the primary hands over into `httpServer` (which does not
 * listen itself), with the bytes the primary already read put back in front.
 */
export function serveHandedConnections(httpServer: HttpServer): void {
  process.on('message', (msg: unknown, socket?: net.Socket) => {
    const m = msg as Partial<Handoff>;
    if (m.vitrine !== 'connection' || !socket) return;
    httpServer.emit('connection', socket);
    socket.emit('data', Buffer.from(m.head ?? '', 'base64'));
    socket.resume();
  });
  process.send?.({ vitrine: 'ready' });
}
