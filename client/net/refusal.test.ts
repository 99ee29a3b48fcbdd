import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './refusal.js';

describe('retryDelayMs', () => {
  it('waits the server’s Retry-After plus up to half again, only for rate_limited', () => {
    const err = { message: 'rate_limited', data: { code: 'rate_limited', retryAfter: 10 } };
    expect(retryDelayMs(err, () => 0)).toBe(10_000);
    expect(retryDelayMs(err, () => 0.999)).toBe(14_995);
    expect(retryDelayMs({ message: 'rate_limited' }, () => 0)).toBe(5_000);
    expect(retryDelayMs({ message: 'rate_limited', data: { retryAfter: 3_600 } }, () => 0)).toBe(60_000);
    expect(retryDelayMs({ message: 'unauthorized' })).toBeNull();
  });
});
