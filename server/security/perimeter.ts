import type { IpLimits } from '../cluster/ipLimits.js';
import type { Logger } from '../logger.js';

/**
 * Per-client-IP caps (docs/security.md). 0 turns one off. Generous by default: a launch venue
 * puts hundreds of phones behind one Wi-Fi NAT address, and they must all get in, also when they
 * all reconnect at once after a Wi-Fi blip.
 */
export interface IpCaps {
  /** Sockets (Engine.IO sessions) open at once from one IP, every process together. */
  connections: number;
  /** New sockets a second from one IP (a burst up to this many, then this rate). */
  handshakesPerSecond: number;
  /** `POST /api/events` a minute from one IP, refused ones included. */
  eventCreationsPerMinute: number;
  /** Refused keys (wrong, revoked, expired) a minute from one IP, over HTTP or at a handshake. */
  keyFailuresPerMinute: number;
}

export const DEFAULT_IP_CAPS: IpCaps = {
  connections: 1_000,
  handshakesPerSecond: 200,
  eventCreationsPerMinute: 20,
  keyFailuresPerMinute: 30,
};

/** No caps at all: benchmarks open thousands of sockets from 127.0.0.1. */
export const NO_IP_CAPS: IpCaps = { connections: 0, handshakesPerSecond: 0, eventCreationsPerMinute: 0, keyFailuresPerMinute: 0 };

export type CapName = 'connections' | 'handshakes' | 'event_creations' | 'key_failures';

/** A refusal: which cap, and when trying again makes sense. */
export interface Refusal {
  cap: CapName;
  retryAfterS: number;
}

/** A refused connection cap has no refill rate: a retry after this long is a fair guess. */
const CONNECTIONS_RETRY_MS = 10_000;
const MINUTE_MS = 60_000;

/**
 * The caps themselves, over `IpLimits` (this process's counts, or every process's through
 * Redis). `ip` is always an `ipKey()`. Every method answers null to let the request in.
 */
export class Perimeter {
  /** This process's open connections per IP (the truth it writes to Redis). */
  private own = new Map<string, number>();
  /** `cap ip` → until when a refusal is not logged again: one warning per IP per window. */
  private quiet = new Map<string, number>();

  constructor(
    readonly caps: IpCaps,
    private limits: IpLimits,
    private log: Logger,
    private now: () => number = Date.now,
  ) {}

  /** A new socket from `ip` (its first request): its handshake rate, then its open connections. */
  async handshake(ip: string): Promise<Refusal | null> {
    const { handshakesPerSecond: perSecond, connections } = this.caps;
    if (perSecond > 0) {
      const taken = await this.limits.take(`hs:${ip}`, { count: perSecond, perMs: 1_000 }, 1);
      if (!taken.ok) return this.refuse('handshakes', ip, taken.retryMs, 1_000);
    }
    if (connections > 0) {
      const open = await this.limits.connections(ip, this.own.get(ip) ?? 0);
      if (open >= connections) return this.refuse('connections', ip, CONNECTIONS_RETRY_MS, MINUTE_MS);
    }
    return null;
  }

  /** A socket from `ip` opened (accepted or not: it holds a connection until it closes). */
  opened(ip: string): void {
    if (this.caps.connections <= 0) return;
    const n = (this.own.get(ip) ?? 0) + 1;
    this.own.set(ip, n);
    void this.limits.connections(ip, n);
  }

  closed(ip: string): void {
    if (this.caps.connections <= 0) return;
    const n = Math.max(0, (this.own.get(ip) ?? 0) - 1);
    if (n === 0) this.own.delete(ip);
    else this.own.set(ip, n);
    void this.limits.connections(ip, n);
  }

  /** Open connections from `ip` in this process (tests, metrics). */
  openFrom(ip: string): number {
    return this.own.get(ip) ?? 0;
  }

  /** An attempt to create an event: every attempt counts, the admin token is checked after. */
  async eventCreation(ip: string): Promise<Refusal | null> {
    const perMinute = this.caps.eventCreationsPerMinute;
    if (perMinute <= 0) return null;
    const taken = await this.limits.take(`create:${ip}`, { count: perMinute, perMs: MINUTE_MS }, 1);
    return taken.ok ? null : this.refuse('event_creations', ip, taken.retryMs, MINUTE_MS);
  }

  /** Before a key is checked: refused while `ip` has used up its failures, even with a right key. */
  async keyAllowed(ip: string): Promise<Refusal | null> {
    const perMinute = this.caps.keyFailuresPerMinute;
    if (perMinute <= 0) return null;
    const left = await this.limits.take(`keyfail:${ip}`, { count: perMinute, perMs: MINUTE_MS }, 0);
    return left.ok ? null : this.refuse('key_failures', ip, left.retryMs, MINUTE_MS);
  }

  /** A key was refused (wrong, another event's, revoked, expired): one failure for `ip` (`createApp`'s `keyFailed`). */
  keyFailed(ip: string): void {
    const perMinute = this.caps.keyFailuresPerMinute;
    if (perMinute <= 0) return;
    void this.limits.take(`keyfail:${ip}`, { count: perMinute, perMs: MINUTE_MS }, 1);
  }

  private refuse(cap: CapName, ip: string, retryMs: number, windowMs: number): Refusal {
    const now = this.now();
    const key = `${cap} ${ip}`;
    if ((this.quiet.get(key) ?? 0) <= now) {
      // The IP and the cap only: no key, no path (a path can hold an event id).
      this.log.warn({ ip, cap, limit: this.caps[capField[cap]] }, 'rate_limited: a per-IP cap was reached');
      this.quiet.set(key, now + windowMs);
      if (this.quiet.size > 10_000) for (const [k, until] of this.quiet) if (until <= now) this.quiet.delete(k);
    }
    return { cap, retryAfterS: Math.max(1, Math.ceil(retryMs / 1_000)) };
  }
}

const capField: Record<CapName, keyof IpCaps> = {
  connections: 'connections',
  handshakes: 'handshakesPerSecond',
  event_creations: 'eventCreationsPerMinute',
  key_failures: 'keyFailuresPerMinute',
};
