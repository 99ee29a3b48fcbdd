import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import { TAKE, type Limit } from './limits.js';
import { connectRedis, type RedisClient } from './redis.js';

/** A bucket's answer: `ok`, else `retryMs` until a token is back. */
export interface Taken {
  ok: boolean;
  retryMs: number;
}

/**
 * What the per-IP caps (server/security/perimeter.ts) count: token buckets that belong to no
 * room, and how many connections an IP holds. One process counts alone; with Redis, every
 * process counts into the same buckets and sees the others' connections.
 */
export interface IpLimits {
  /** Takes `cost` tokens from `key`'s bucket (0: only looks); `ok` while at least one was left. */
  take(key: string, limit: Limit, cost: 0 | 1): Promise<Taken>;
  /** This process now holds `own` connections from `ip`; answers what every live process holds. */
  connections(ip: string, own: number): Promise<number>;
  close(): Promise<void>;
}

/** How often forgotten buckets are swept: an IP seen once must not stay in memory for ever. */
const SWEEP_EVERY_MS = 60_000;

/** The token buckets of `rooms/rateLimit.ts`, for the whole process, able to look without taking. */
export class LocalBuckets {
  private buckets = new Map<string, { tokens: number; at: number; fullAt: number }>();
  private sweptAt = 0;

  constructor(private now: () => number = Date.now) {}

  take(key: string, limit: Limit, cost: 0 | 1): Taken {
    const now = this.now();
    if (now - this.sweptAt > SWEEP_EVERY_MS) this.sweep(now);
    const rate = limit.count / limit.perMs;
    const b = this.buckets.get(key);
    let tokens = b ? Math.min(limit.count, b.tokens + (now - b.at) * rate) : limit.count;
    const ok = tokens >= 1;
    if (ok) tokens -= cost;
    if (tokens >= limit.count) this.buckets.delete(key);
    else this.buckets.set(key, { tokens, at: now, fullAt: now + (limit.count - tokens) / rate });
    return { ok, retryMs: tokens >= 1 ? 0 : Math.ceil((1 - tokens) / rate) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, b] of this.buckets) if (b.fullAt <= now) this.buckets.delete(key);
  }
}

export function localIpLimits(): IpLimits {
  const buckets = new LocalBuckets();
  return {
    take: async (key, limit, cost) => buckets.take(key, limit, cost),
    connections: async (_ip, own) => own,
    close: async () => {},
  };
}

/**
 * Connections per IP across processes: a hash per IP, one field per process holding its own
 * count (written, never incremented, so a count missed during an outage heals at the next
 * change). Fields of processes whose heartbeat key expired (a crash) are dropped, not summed.
 * KEYS[1]: the IP's hash; ARGV: this process's id, its count, the heartbeat keys' prefix, TTL ms.
 */
const CONNECTIONS = `
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
local all = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #all, 2 do
  if all[i] == ARGV[1] or redis.call('EXISTS', ARGV[3] .. all[i]) == 1 then
    total = total + tonumber(all[i + 1])
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
if total > 0 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4])) end
return total
`;

/** A process is alive while its heartbeat key is: refreshed every 10 s, gone 30 s after a crash. */
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TTL_MS = 30_000;
/** An IP's connection hash outlives its last change by this long (then it is stale anyway). */
const CONNECTIONS_TTL_MS = 24 * 3_600_000;

/**
 * Shared per-IP counts. While Redis is unreachable each process counts alone (local buckets, its
 * own connections), so an outage neither refuses everyone nor lifts the caps.
 */
export async function redisIpLimits(url: string, log: Logger, prefix = 'vitrine:'): Promise<IpLimits> {
  const client: RedisClient = await connectRedis(url, log, 'ip-limits', { failFast: true });
  const local = new LocalBuckets();
  const id = randomBytes(6).toString('hex');
  const alive = `${prefix}ip:proc:`;
  const beat = () => client.set(alive + id, '1', { PX: HEARTBEAT_TTL_MS }).catch(() => {});
  await beat();
  const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
  heartbeat.unref();
  return {
    async take(key, limit, cost) {
      try {
        const [ok, wait] = (await client.eval(TAKE, { keys: [`${prefix}ip:${key}`], arguments: [String(limit.count), String(limit.perMs), String(cost)] })) as number[];
        return { ok: ok === 1, retryMs: wait ?? 0 };
      } catch {
        return local.take(key, limit, cost);
      }
    },
    async connections(ip, own) {
      try {
        return Number(await client.eval(CONNECTIONS, { keys: [`${prefix}ip:conn:${ip}`], arguments: [id, String(own), alive, String(CONNECTIONS_TTL_MS)] }));
      } catch {
        return own;
      }
    },
    async close() {
      clearInterval(heartbeat);
      // The other processes stop counting this one's connections at once, not in 30 s.
      await client.del(alive + id).catch(() => {});
      await client.close().catch(() => {});
    },
  };
}
