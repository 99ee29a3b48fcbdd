import net from 'node:net';

/**
 * A TCP proxy for fault tests: what it forwards goes through a link the test degrades (latency
 * with jitter, a bandwidth cap, connection resets) or cuts, each way on its own, without
 * touching the service others use. Pure `node:net`, no dependency: the server under test talks
 * to Redis or PostgreSQL through it, or clients talk to the server through it.
 *
 * Bytes are never reordered within a connection: a chunk leaves no earlier than the one before
 * it (a late chunk holds back the next ones, as on a real TCP connection), then the bandwidth
 * cap spreads it out. Both directions keep their own queue, delay and token bucket.
 */
export interface LinkFaults {
  /** Added to each chunk: `latencyMs ± jitterMs`, uniformly drawn (one way). */
  latencyMs?: number;
  jitterMs?: number;
  /** Token bucket, bytes a second (one way); bursts of up to a tenth of a second of traffic. */
  bytesPerSecond?: number;
  /**
   * Each connection (open now or opened later) is picked with probability `resetProbability`
   * (1 when only `resetAfterBytes` is given) and reset, both ends at once, once it has carried
   * `resetAfterBytes` more bytes (0 when only the probability is given: at once).
   */
  resetProbability?: number;
  resetAfterBytes?: number;
}

/** `up`: client → target; `down`: target → client. */
export type Direction = 'up' | 'down' | 'both';

export interface TcpProxy {
  /** `host:port` to give the server instead of the real service's. */
  readonly address: string;
  readonly port: number;
  /** Degrades the link from now on (open connections included); replaces the direction's faults. */
  set(faults: LinkFaults, direction?: Direction): void;
  /** Back to a clean link: bytes still held go out now, in order; no reset is pending. */
  heal(): void;
  /** Resets each open connection with probability `probability` (all by default); returns how many. */
  reset(probability?: number): number;
  /** Resets every open connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  readonly stats: { connections: number; resets: number; open: number };
  close(): Promise<void>;
}

/** Above this many queued bytes a direction stops reading its sender (TCP's window, roughly). */
const HIGH_WATER_BYTES = 64 * 1024;
/** A token bucket holds at most this long a burst. */
const BURST_S = 0.1;

interface Connection {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes this connection may still carry before it is reset; Infinity when not picked. */
  budget: number;
  lanes: Lane[];
}

/** One direction of one connection: its queue, its delay, its bucket. */
class Lane {
  private readonly queue: { data: Buffer; dueAt: number }[] = [];
  private queued = 0;
  private lastDueAt = 0;
  private tokens = 0;
  private refilledAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private ended = false;
  private heldByQueue = false;
  private heldByDest = false;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly link: {
      faults: () => LinkFaults;
      /** Bytes the connection may still carry before its reset. */
      budget: () => number;
      /** Counts forwarded bytes; false once the connection was reset because of them. */
      carried: (bytes: number) => boolean;
    },
  ) {
    from.on('data', (chunk: Buffer) => this.push(chunk));
    from.on('end', () => {
      this.ended = true;
      this.pump();
    });
    to.on('drain', () => {
      this.heldByDest = false;
      this.flow();
    });
  }

  private push(chunk: Buffer): void {
    const { latencyMs = 0, jitterMs = 0 } = this.link.faults();
    const delay = Math.max(0, latencyMs + (Math.random() * 2 - 1) * jitterMs);
    this.lastDueAt = Math.max(Date.now() + delay, this.lastDueAt);
    this.queue.push({ data: chunk, dueAt: this.lastDueAt });
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER_BYTES) this.heldByQueue = true;
    this.flow();
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const now = Date.now();
      if (head.dueAt > now) return this.wait(head.dueAt - now);
      let n = Math.min(head.data.length, this.link.budget());
      const rate = this.link.faults().bytesPerSecond;
      if (rate) {
        const burst = Math.max(1, rate * BURST_S);
        this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * rate);
        this.refilledAt = now;
        // Wait for a worthwhile slice rather than waking up for every few bytes.
        const want = Math.max(Math.min(n, burst / 2), 1);
        if (this.tokens < want) return this.wait(Math.ceil(((want - this.tokens) / rate) * 1000));
        n = Math.min(n, Math.floor(this.tokens));
        this.tokens -= n;
      }
      const part = head.data.subarray(0, n);
      if (n === head.data.length) this.queue.shift();
      else head.data = head.data.subarray(n);
      this.queued -= n;
      if (this.to.destroyed || this.to.writableEnded) return;
      if (!this.to.write(part)) this.heldByDest = true;
      if (!this.link.carried(n)) return;
    }
    if (this.queued < HIGH_WATER_BYTES / 2) this.heldByQueue = false;
    this.flow();
    if (this.ended && !this.to.destroyed && !this.to.writableEnded) this.to.end();
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, ms);
  }

  private flow(): void {
    if (this.from.destroyed) return;
    if (this.heldByQueue || this.heldByDest) this.from.pause();
    else this.from.resume();
  }

  /** The link is clean again: what it still holds goes now, in order. */
  release(): void {
    const now = Date.now();
    for (const item of this.queue) item.dueAt = Math.min(item.dueAt, now);
    this.lastDueAt = Math.min(this.lastDueAt, now);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pump();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.queued = 0;
  }
}

/**
 * Listens on 127.0.0.1, on a port of its own. `target` is read at each new connection: a test
 * may point it at a server it starts after the proxy (whose public URL is the proxy's).
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Connection>();
  const faults: { up: LinkFaults; down: LinkFaults } = { up: {}, down: {} };
  const stats = { connections: 0, resets: 0, open: 0 };
  let down = false;

  /** Draws whether a connection will be reset, and after how many bytes, under the current faults. */
  const budgetFor = (): number => {
    const f = { ...faults.down, ...faults.up };
    if (f.resetProbability === undefined && f.resetAfterBytes === undefined) return Infinity;
    return Math.random() < (f.resetProbability ?? 1) ? (f.resetAfterBytes ?? 0) : Infinity;
  };

  const resetOne = (c: Connection): void => {
    if (!open.delete(c)) return;
    stats.resets += 1;
    stats.open = open.size;
    for (const lane of c.lanes) lane.stop();
    for (const s of [c.client, c.upstream]) if (!s.destroyed) s.resetAndDestroy();
  };

  const server = net.createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const c: Connection = { client, upstream, budget: budgetFor(), lanes: [] };
    open.add(c);
    stats.connections += 1;
    stats.open = open.size;
    const carried = (bytes: number): boolean => {
      c.budget -= bytes;
      if (c.budget > 0 || c.budget === Infinity) return true;
      resetOne(c);
      return false;
    };
    const budget = () => c.budget;
    c.lanes = [new Lane(client, upstream, { faults: () => faults.up, budget, carried }), new Lane(upstream, client, { faults: () => faults.down, budget, carried })];
    // One end failing (a reset, a refused upstream) resets the other: the peer learns at once.
    const fail = () => resetOne(c);
    client.on('error', fail);
    upstream.on('error', fail);
    const closed = () => {
      if (!client.destroyed || !upstream.destroyed) return;
      open.delete(c);
      stats.open = open.size;
      for (const lane of c.lanes) lane.stop();
    };
    client.on('close', closed);
    upstream.on('close', closed);
    if (c.budget === 0) resetOne(c);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const reset = (probability = 1): number => {
    let n = 0;
    for (const c of [...open]) {
      if (Math.random() < probability) {
        resetOne(c);
        n += 1;
      }
    }
    return n;
  };

  return {
    address: `127.0.0.1:${port}`,
    port,
    stats,
    set(next, direction = 'both') {
      if (direction !== 'down') faults.up = { ...next };
      if (direction !== 'up') faults.down = { ...next };
      for (const c of open) c.budget = Math.min(c.budget, budgetFor());
      for (const c of [...open]) if (c.budget === 0) resetOne(c);
    },
    heal() {
      faults.up = {};
      faults.down = {};
      for (const c of open) {
        c.budget = Infinity;
        for (const lane of c.lanes) lane.release();
      }
    },
    reset,
    cut() {
      down = true;
      reset(1);
    },
    restore() {
      down = false;
    },
    async close() {
      down = true;
      reset(1);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
