import type { Logger } from '../logger.js';
import type { Room } from '../rooms/room.js';
import { connectRedis, type RedisClient } from './redis.js';

export interface Limit {
  count: number;
  perMs: number;
}

/**
 * Per-viewer rate limits of a room. In one process, the room's own token buckets; with Redis,
 * one bucket per key for every process, so a viewer with tabs on two processes gets the same
 * allowance as with one.
 */
export interface Limits {
  /** Takes one token; false when the key is over its limit. */
  take(room: Room, key: string, limit: Limit): Promise<boolean>;
  close(): Promise<void>;
}

export const localLimits: Limits = {
  take: async (room, key, limit) => room.limits.take(key, limit),
  close: async () => {},
};

/**
 * The token bucket of `rooms/rateLimit.ts`, run inside Redis so that reading and writing the
 * bucket is one atomic step whichever process asks. Redis's clock, not the processes'.
 * ARGV: count, perMs, and the tokens to take (1, or 0 to only look; the per-IP caps look before
 * a key check and take after a failed one). Answers {1|0, ms until one token is back}.
 */
export const TAKE = `
local count = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local cost = tonumber(ARGV[3] or '1')
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or count
local at = tonumber(b[2]) or now
tokens = math.min(count, tokens + (now - at) * count / per)
local ok = 0
if tokens >= 1 then
  tokens = tokens - cost
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], per)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) * per / count) end
return {ok, wait}
`;

/**
 * Shared limits. While Redis is unreachable the room's own buckets decide, so a viewer is never
 * refused, nor let through unlimited, because of an outage.
 */
export async function redisLimits(url: string, log: Logger, prefix = 'vitrine:'): Promise<Limits> {
  const client: RedisClient = await connectRedis(url, log, 'limits', { failFast: true });
  return {
    async take(room, key, limit) {
      try {
        const [ok] = (await client.eval(TAKE, { keys: [`${prefix}limit:${room.event.id}:${key}`], arguments: [String(limit.count), String(limit.perMs)] })) as number[];
        return ok === 1;
      } catch {
        return room.limits.take(key, limit);
      }
    },
    async close() {
      await client.close().catch(() => {});
    },
  };
}
