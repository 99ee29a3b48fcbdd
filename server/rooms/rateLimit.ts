/**
 * Token buckets per key: `count` actions per `perMs`, refilled continuously, so a viewer can
 * burst up to the limit and then goes at the sustained rate. In memory, per room: limits die
 * with the room (sharing them across processes is the Redis issue's work).
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private now: () => number = Date.now) {}

  /** Takes one token; false when the key is over its limit. */
  take(key: string, limit: { count: number; perMs: number }): boolean {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: limit.count, at: now };
    b.tokens = Math.min(limit.count, b.tokens + ((now - b.at) * limit.count) / limit.perMs);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return true;
  }
}
