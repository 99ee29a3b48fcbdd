import { describe, expect, it } from 'vitest';
import { ROUND_CHUNK, evenChunk } from './fanout.js';

describe('evenChunk: a round cut into equal turns nearest the chunk', () => {
  it('writes a round a little over one chunk in one turn, not a chunk and a remainder', () => {
    expect(evenChunk(540, 500)).toBe(540);
    expect(evenChunk(749, 500)).toBe(749);
  });

  it('cuts larger rounds into equal turns, none over 1.5 chunks', () => {
    expect(evenChunk(750, 500)).toBe(375);
    expect(evenChunk(1_000, 500)).toBe(500);
    expect(evenChunk(1_200, 500)).toBe(600);
    expect(evenChunk(3_000, 500)).toBe(500);
    expect(evenChunk(10_000, 500)).toBe(500);
    for (let n = 1; n <= 20_000; n += 37) {
      const c = evenChunk(n, ROUND_CHUNK);
      expect(c).toBeLessThanOrEqual(Math.max(n, 1.5 * ROUND_CHUNK));
      // The turns are equal but for the last, which is never a small remainder of a chunk.
      const last = n - c * (Math.ceil(n / c) - 1);
      if (n >= ROUND_CHUNK) expect(last, `n=${n}`).toBeGreaterThanOrEqual(ROUND_CHUNK / 3);
    }
  });

  it('keeps small chunks as they are (a test may write one socket a turn) and never returns 0', () => {
    expect(evenChunk(5, 2)).toBe(2);
    expect(evenChunk(3, 1)).toBe(1);
    expect(evenChunk(0, 500)).toBe(1);
  });
});
