import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ServerOptions } from 'socket.io';
import type { Logger } from '../logger.js';
import type { RoomBus } from './bus.js';
import { redisIpLimits, type IpLimits } from './ipLimits.js';
import { redisLimits, type Limits } from './limits.js';
import { connectRedis } from './redis.js';
import { RedisBus } from './redisBus.js';

/** What a process needs to serve events beside other processes: one Redis, four uses. */
export interface ClusterLink {
  bus: RoomBus;
  limits: Limits;
  /** The per-IP caps, counted by every process together. */
  ipLimits: IpLimits;
  /** Socket.IO broadcasts reach every process's sockets through a Redis stream. */
  adapter: ServerOptions['adapter'];
  close(): Promise<void>;
}

/**
 * Connects to Redis (`REDIS_URL`). `prefix` keeps the keys, channels and stream of one
 * deployment (or one test) apart from another's on the same Redis.
 */
export async function connectCluster(url: string, log: Logger, prefix = 'vitrine:'): Promise<ClusterLink> {
  const adapterClient = await connectRedis(url, log, 'adapter', { failFast: false });
  const bus = await RedisBus.connect(url, log, prefix);
  const limits = await redisLimits(url, log, prefix);
  const ipLimits = await redisIpLimits(url, log, prefix);
  return {
    bus,
    limits,
    ipLimits,
    adapter: createAdapter(adapterClient, { streamName: `${prefix}socket.io`, maxLen: 10_000 }) as ServerOptions['adapter'],
    async close() {
      await Promise.allSettled([bus.close(), limits.close(), ipLimits.close()]);
      // The adapter's reading loop holds a duplicate of this client; destroying ends both.
      adapterClient.destroy();
    },
  };
}
