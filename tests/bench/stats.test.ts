import { describe, expect, it } from 'vitest';
import { riseInterval, type Condition } from './fuzz-run.js';
import { clockMs, msSince, percentile, type Histogram } from './stats.js';

const hist = (values: number[]): Histogram => {
  const h: Histogram = new Map();
  for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
  return h;
};

describe('bench numbers', () => {
  it('keeps latencies to a tenth of a millisecond', () => {
    const t = clockMs() - 12.34;
    const ms = msSince(t);
    expect(ms).toBeGreaterThanOrEqual(12.3);
    expect(ms).toBeLessThan(20); // the call itself takes microseconds; a loaded machine, a few ms
    expect(Math.round(ms * 10)).toBeCloseTo(ms * 10, 9);
    expect(Math.abs(clockMs() - Date.now())).toBeLessThan(5);
  });

  it('takes the nearest-rank percentile over fractional keys', () => {
    const h = hist(Array.from({ length: 100 }, (_, i) => (i + 1) / 10)); // 0.1 … 10.0
    expect(percentile(h, 99)).toBe(9.9);
    expect(percentile(h, 100)).toBe(10);
    expect(percentile(h, 50)).toBe(5);
  });

  it("brackets the fuzz rise by resampling each condition's phases", () => {
    const phase = (condition: Condition, p99: number) => {
      // 99 fast samples and one at the phase's p99 and above: its pooled p99 is known.
      const values = [...Array.from({ length: 98 }, () => 5), p99, p99 + 1];
      return { condition, pose: hist(values), acks: hist(values) };
    };
    const same = [10, 11, 12].flatMap((p) => [phase('baseline', p), phase('fuzz', p)]);
    const [lo, hi] = riseInterval(same, 'pose', 1);
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
    const slower = [...[10, 11, 12].map((p) => phase('baseline', p)), ...[20, 21, 22].map((p) => phase('fuzz', p))];
    const [lo2, hi2] = riseInterval(slower, 'pose', 1);
    expect(lo2).toBeGreaterThan(0.6);
    expect(hi2).toBeLessThan(1.3);
    expect(riseInterval(slower, 'pose', 1)).toEqual([lo2, hi2]); // seeded: the same run, the same interval
    expect(riseInterval([phase('baseline', 10)], 'acks', 1)).toEqual([NaN, NaN]);
  });
});
