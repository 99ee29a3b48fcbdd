import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../shared/code.js';
import { newEventCode, newKey, safeEqual } from './keys.js';

describe('keys', () => {
  it('makes 256-bit url-safe keys that differ', () => {
    const a = newKey();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(newKey()).not.toBe(a);
  });
  it('compares keys exactly', () => {
    const k = newKey();
    expect(safeEqual(k, k)).toBe(true);
    expect(safeEqual(k.slice(1), k)).toBe(false);
    expect(safeEqual(undefined, k)).toBe(false);
    expect(safeEqual('', k)).toBe(false);
  });
  it('makes valid event codes', () => {
    for (let i = 0; i < 200; i++) expect(normalizeCode(newEventCode())).not.toBeNull();
  });
});
