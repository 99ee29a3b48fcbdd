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
