import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimit.js';

describe('RateLimiter', () => {
  it('allows the limit, refuses the next, and refills with time', () => {
    let now = 0;
    const rl = new RateLimiter(() => now);
    const limit = { count: 5, perMs: 60_000 };
    for (let i = 0; i < 5; i++) expect(rl.take('a', limit)).toBe(true);
    expect(rl.take('a', limit)).toBe(false);
    expect(rl.take('b', limit)).toBe(true); // keys are independent
    now += 12_000; // one token back
    expect(rl.take('a', limit)).toBe(true);
    expect(rl.take('a', limit)).toBe(false);
  });
});

describe('RateLimiter pruning', () => {
  it('forgets buckets that filled up again, and answers exactly as if it had kept them', () => {
    let now = 0;
    const rl = new RateLimiter(() => now);
    const limit = { count: 2, perMs: 1000 };
    // 5,000 viewers come, act once each, and go: one every ms.
    for (let i = 0; i < 5000; i++, now++) expect(rl.take(`viewer-${i}`, limit)).toBe(true);
    // Only the buckets of the last second can still hold anything back.
    expect(rl.size).toBeLessThanOrEqual(2000);
    // A key still within its window keeps its bucket: 2 tokens a second, the 3rd take in a row is refused.
    expect(rl.take('viewer-4999', limit)).toBe(true);
    expect(rl.take('viewer-4999', limit)).toBe(false);
  });
});
