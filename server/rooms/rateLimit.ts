/**
 * Token buckets per key: `count` actions per `perMs`, refilled continuously, so a viewer can
 * burst up to the limit and then goes at the sustained rate. In memory, per room: limits die
 * with the room (sharing them across processes is the Redis issue's work).
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number; fullAt: number }>();
  private takes = 0;

  constructor(private now: () => number = Date.now) {}

  /** Keys held (buckets not yet full again). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token; false when the key is over its limit. */
  take(key: string, limit: { count: number; perMs: number }): boolean {
    const now = this.now();
    if (++this.takes % PRUNE_EVERY === 0) this.prune(now);
    const b = this.buckets.get(key) ?? { tokens: limit.count, at: now, fullAt: now };
    b.tokens = Math.min(limit.count, b.tokens + ((now - b.at) * limit.count) / limit.perMs);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    b.fullAt = now + ((limit.count - b.tokens) * limit.perMs) / limit.count;
    this.buckets.set(key, b);
    return ok;
  }

  /**
   * Forgets the buckets that have filled up again: a missing bucket starts full, so no answer
   * changes, and a room open for hours with thousands of viewers coming and going (the soak:
   * 8,000 over 30 minutes) no longer keeps one bucket per viewer and kind until it closes.
   */
  private prune(now: number): void {
    for (const [key, b] of this.buckets) if (b.fullAt <= now) this.buckets.delete(key);
  }
}

/** Takes between two prunes: the sweep's cost spread thin, and the map bounded by the keys active in that span. */
const PRUNE_EVERY = 1000;
