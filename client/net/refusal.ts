/** The server's answer to a handshake refused by a per-IP cap (docs/protocol.md). */
interface RateLimited {
  message: string;
  data?: { retryAfter?: unknown };
}

/** Cap on the wait, whatever the server says: a page must not look dead for minutes. */
const MAX_WAIT_S = 60;

/**
 * When to try again after a handshake refused with `rate_limited` (a busy venue network), or
 * null for any other refusal. Socket.IO does not retry a refused handshake by itself. The wait is
 * the server's `retryAfter` plus up to half as much again at random, so that a venue's phones,
 * refused together, do not all come back in the same second.
 */
export function retryDelayMs(err: RateLimited, random: () => number = Math.random): number | null {
  if (err.message !== 'rate_limited') return null;
  const after = err.data?.retryAfter;
  const seconds = typeof after === 'number' && after > 0 ? Math.min(after, MAX_WAIT_S) : 5;
  return Math.round(seconds * 1_000 * (1 + random() / 2));
}
