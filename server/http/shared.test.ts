import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sharedFor } from './shared.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-12-01T18:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

describe('sharedFor', () => {
  it('computes once per key within the window, again after it', async () => {
    const shared = sharedFor<number>(4_000);
    let runs = 0;
    const compute = async () => ++runs;
    expect(await Promise.all([shared('a', compute), shared('a', compute), shared('b', compute)])).toEqual([1, 1, 2]);
    vi.advanceTimersByTime(3_999);
    expect(await shared('a', compute)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await shared('a', compute)).toBe(3);
  });

  it('forgets a failure at once: the next request tries again', async () => {
    const shared = sharedFor<string>(30_000);
    await expect(shared('a', () => Promise.reject(new Error('store away')))).rejects.toThrow('store away');
    expect(await shared('a', async () => 'ok')).toBe('ok');
  });
});
