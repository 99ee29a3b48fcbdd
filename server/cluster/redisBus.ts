import { randomBytes } from 'node:crypto';
import { KeyRef } from '../../shared/access.js';
import type { Pose } from '../../shared/presentation.js';
import type { Logger } from '../logger.js';
import type { LiveState, RoomBus, RoomOp } from './bus.js';
import { connectRedis, type RedisClient } from './redis.js';

/** A process's presence entry lives this long without a heartbeat: a killed process's viewers stop counting after it. */
export const PRESENCE_TTL_MS = 15_000;
const HEARTBEAT_MS = 5_000;
/** The links' reconnections of one outage (publisher, subscriber) make one resync. */
const RESYNC_DEBOUNCE_MS = 100;
/** How long a room being opened waits for its subscription before it opens anyway. */
const SUBSCRIBE_WAIT_MS = 1_000;
/** Live state outlives the rooms for a day: a process opening the room tomorrow reads the store's copy. */
const LIVE_TTL_S = 86_400;

/**
 * The rooms of every process that shares this Redis:
 * - ops go through pub/sub, one channel per event (`<prefix>room:<eventId>`), heard only by the
 *   processes that have the room open;
 * - the latest pose and presentation sit in a hash per event (`<prefix>live:<eventId>`), for
 *   a process opening the room later;
 * - reactions are counted in a hash (`<prefix>reactions:<eventId>`);
 * - each process writes its own audience into `<prefix>presence:<eventId>` as
 *   `count:expiresAt`, refreshed every 5 s; the audience is the sum of unexpired entries;
 * - a changed key goes to every process on `<prefix>keys` (`{from, eventId, ref}`);
 * - pub/sub keeps nothing for a process that is away: when a process's link comes back it
 *   says so on `<prefix>resync`, and every process (itself included) reads its rooms again.
 */
export class RedisBus implements RoomBus {
  readonly kind = 'redis';
  private readonly id = randomBytes(8).toString('hex');
  private readonly localAudience = new Map<string, number>();
  private readonly presenceListeners: ((eventId: string) => void)[] = [];
  private readonly keyListeners: ((eventId: string, ref: KeyRef) => void)[] = [];
  private readonly resyncListeners: (() => void)[] = [];
  private resyncTimer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private failures = 0;

  private constructor(
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    for (const client of [pub, sub]) {
      let lost = false;
      client.on('reconnecting', () => (lost = true));
      client.on('ready', () => {
        if (!lost) return;
        lost = false;
        this.recovered();
      });
    }
  }

  /** This process's link is back: everybody (itself too) reads their rooms again. */
  private recovered(): void {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      for (const l of this.resyncListeners) l();
      // If the publisher is not back yet, its own reconnection says it again.
      this.pub.publish(`${this.prefix}resync`, this.id).catch(() => {});
    }, RESYNC_DEBOUNCE_MS);
    this.resyncTimer.unref();
  }

  static async connect(url: string, log: Logger, prefix = 'vitrine:'): Promise<RedisBus> {
    const pub = await connectRedis(url, log, 'bus', { failFast: true });
    const sub = await connectRedis(url, log, 'bus-sub', { failFast: false });
    const bus = new RedisBus(pub, sub, prefix, log);
    await sub.subscribe(`${prefix}presence`, (message) => {
      const [from, eventId] = message.split(' ');
      if (from !== bus.id && eventId) for (const l of bus.presenceListeners) l(eventId);
    });
    await sub.subscribe(`${prefix}keys`, (message) => bus.heardKey(message));
    await sub.subscribe(`${prefix}resync`, (from) => {
      if (from !== bus.id) for (const l of bus.resyncListeners) l();
    });
    return bus;
  }

  private key(kind: string, eventId: string): string {
    return `${this.prefix}${kind}:${eventId}`;
  }

  async subscribe(eventId: string, onOp: (op: RoomOp) => void): Promise<() => void> {
    const channel = this.key('room', eventId);
    const listener = (message: string): void => {
      const { from, op } = JSON.parse(message) as { from: string; op: RoomOp };
      if (from !== this.id) onOp(op);
    };
    // While Redis is away the subscription waits in the client's queue: the room opens now
    // (on the store's facts) and starts hearing the others when Redis is back.
    const subscribed = this.sub.subscribe(channel, listener).catch((err: unknown) => this.lost('subscribe', err));
    await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS).unref())]);
    return () => void this.sub.unsubscribe(channel, listener).catch(() => {});
  }

  publish(eventId: string, op: RoomOp): void {
    const multi = this.pub.multi().publish(this.key('room', eventId), JSON.stringify({ from: this.id, op }));
    // What a process opening the room later must start from.
    const live = this.key('live', eventId);
    if (op.k === 'pose' || (op.k === 'vehicle' && op.pose)) multi.hSet(live, 'pose', JSON.stringify(op.pose)).expire(live, LIVE_TTL_S);
    if (op.k === 'presentation') multi.hSet(live, 'presentation', JSON.stringify(op.presentation)).expire(live, LIVE_TTL_S);
    multi.exec().then(() => (this.failures = 0), (err: unknown) => this.lost('publish', err));
  }

  async live(eventId: string): Promise<LiveState | null> {
    try {
      const [live, reactions] = await Promise.all([this.pub.hGetAll(this.key('live', eventId)), this.pub.hGetAll(this.key('reactions', eventId))]);
      if (!live.pose && !live.presentation && Object.keys(reactions).length === 0) return null;
      return {
        pose: live.pose ? (JSON.parse(live.pose) as Pose) : null,
        presentation: live.presentation ? (JSON.parse(live.presentation) as LiveState['presentation']) : null,
        reactions: Object.fromEntries(Object.entries(reactions).map(([k, v]) => [k, Number(v)])),
      };
    } catch (err) {
      this.lost('live', err);
      return null;
    }
  }

  async addReactions(eventId: string, delta: Record<string, number>): Promise<Record<string, number> | null> {
    const key = this.key('reactions', eventId);
    try {
      const multi = this.pub.multi();
      for (const [emoji, n] of Object.entries(delta)) multi.hIncrBy(key, emoji, n);
      multi.expire(key, LIVE_TTL_S).hGetAll(key);
      const replies = await multi.exec();
      const totals = replies[replies.length - 1] as unknown as Record<string, string>;
      return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Number(v)]));
    } catch (err) {
      this.lost('reactions', err);
      return null;
    }
  }

  async presence(eventId: string, local: number): Promise<number> {
    const before = this.localAudience.get(eventId);
    if (local === 0) this.localAudience.delete(eventId);
    else this.localAudience.set(eventId, local);
    const key = this.key('presence', eventId);
    try {
      const multi = this.pub.multi();
      if (local === 0) multi.hDel(key, this.id);
      else multi.hSet(key, this.id, `${local}:${Date.now() + PRESENCE_TTL_MS}`).expire(key, LIVE_TTL_S);
      if (before !== local) multi.publish(`${this.prefix}presence`, `${this.id} ${eventId}`);
      multi.hGetAll(key);
      const replies = await multi.exec();
      return Math.max(local, audience(replies[replies.length - 1] as unknown as Record<string, string>));
    } catch (err) {
      this.lost('presence', err);
      return local;
    }
  }

  onPresence(listener: (eventId: string) => void): void {
    this.presenceListeners.push(listener);
  }

  keyChanged(eventId: string, ref: KeyRef): void {
    this.pub.publish(`${this.prefix}keys`, JSON.stringify({ from: this.id, eventId, ref })).then(() => (this.failures = 0), (err: unknown) => this.lost('keys', err));
  }

  onKeyChanged(listener: (eventId: string, ref: KeyRef) => void): void {
    this.keyListeners.push(listener);
  }

  private heardKey(message: string): void {
    try {
      const { from, eventId, ref } = JSON.parse(message) as { from?: unknown; eventId?: unknown; ref?: unknown };
      const parsed = KeyRef.safeParse(ref);
      if (from === this.id || typeof eventId !== 'string' || !parsed.success) return;
      for (const l of this.keyListeners) l(eventId, parsed.data);
    } catch {
      // Not ours: another version or a stray publisher on the channel.
    }
  }

  onResync(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  /** Keeps this process's entries alive and lets everybody recount (a dead process's entry expires). */
  private async beat(): Promise<void> {
    for (const [eventId, local] of this.localAudience) {
      await this.presence(eventId, local);
      for (const l of this.presenceListeners) l(eventId);
    }
  }

  healthy(): boolean {
    return this.pub.isReady && this.sub.isReady;
  }

  private lost(what: string, err: unknown): void {
    // One line per outage, not one per pose.
    if (this.failures++ === 0) this.log.warn({ err: err instanceof Error ? err.message : String(err), what }, 'Redis: a room update was not shared');
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    const mine = [...this.localAudience.keys()];
    this.localAudience.clear();
    await Promise.allSettled(mine.map((eventId) => this.pub.hDel(this.key('presence', eventId), this.id)));
    await Promise.allSettled([this.sub.close(), this.pub.close()]);
  }
}

/** The sum of the unexpired `count:expiresAt` entries. */
export function audience(entries: Record<string, string>, now = Date.now()): number {
  let total = 0;
  for (const value of Object.values(entries)) {
    const [count, expires] = value.split(':').map(Number);
    if (count !== undefined && expires !== undefined && expires > now) total += count;
  }
  return total;
}
