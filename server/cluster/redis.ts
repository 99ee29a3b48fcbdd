import { createClient } from 'redis';
import type { Logger } from '../logger.js';

export type RedisClient = ReturnType<typeof createClient>;

/** How long starting up waits for Redis before it gives up and says so. */
const CONNECT_DEADLINE_MS = 10_000;

/** `host:port` of a Redis URL, never its password. */
const locationOf = (url: string): string => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 6379}`;
};

/** Retry every 0.1 s growing to 2 s, for ever: Redis coming back must be noticed within seconds. */
const reconnectStrategy = (retries: number): number => Math.min(100 * 2 ** retries, 2_000);

/**
 * A Redis client that never brings the process down: errors are logged (once per outage, not
 * once per retry), reconnection never stops. `failFast` clients refuse commands while Redis is
 * away instead of queueing them, for callers that have a local fallback (rate limits, room ops);
 * the Socket.IO adapter's client queues, so broadcasts sent during a short outage still go out.
 */
export async function connectRedis(url: string, log: Logger, name: string, options: { failFast: boolean }): Promise<RedisClient> {
  const client = createClient({
    url,
    name: `vitrine-${name}`,
    disableOfflineQueue: options.failFast,
    socket: { reconnectStrategy, connectTimeout: 3_000 },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.error({ err: err.message, client: name }, 'Redis is unreachable; retrying');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ client: name }, 'Redis is back');
  });
  // At start, an unreachable Redis is a configuration problem to report, not to wait on.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${locationOf(url)} did not answer within ${CONNECT_DEADLINE_MS / 1000} s`)), CONNECT_DEADLINE_MS);
  });
  try {
    await Promise.race([client.connect(), deadline]);
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return client;
}
