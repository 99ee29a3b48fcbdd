import { createClient } from 'redis';
import type { Logger } from '../logger.js';

export type RedisClient = ReturnType<typeof createClient>;

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
  await client.connect();
  return client;
}
