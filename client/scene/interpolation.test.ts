import { describe, expect, it } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import { INTERP_DELAY_MS, PoseBuffer, easeInOutCubic } from './interpolation.js';

const at = (x: number, t: number): Pose => ({ position: [x, 1, 5], target: [0, 0, 0], fov: 40, t });

describe('PoseBuffer', () => {
  it('returns nothing before the first pose, then holds a lone pose', () => {
    const b = new PoseBuffer();
    expect(b.sample(0)).toBeNull();
    b.push(at(1, 1000), 5000);
    expect(b.sample(9999)?.position[0]).toBe(1);
  });

  it('renders between the two poses that bracket now − delay, whatever the clock offset', () => {
    const b = new PoseBuffer();
    // Host clock is 10 s behind the viewer's; delivery takes 5 ms.
    b.push(at(0, 1000), 11_005);
    b.push(at(10, 1050), 11_055);
    // Viewer time 11_130 → host 1125 → minus 100 ms delay → 1025: halfway.
    expect(b.sample(11_005 + 25 + INTERP_DELAY_MS)?.position[0]).toBeCloseTo(5, 6);
  });

  it('moves monotonically and without jumps through jittery arrivals', () => {
    const b = new PoseBuffer();
    const xs: number[] = [];
    for (let i = 0; i <= 20; i++) {
      const jitter = (i * 37) % 23; // 0–22 ms of arrival jitter
      b.push(at(i, i * 50), 1_000 + i * 50 + 5 + jitter);
      for (let f = 0; f < 3; f++) xs.push(b.sample(1_000 + i * 50 + f * 16 + 30)!.position[0]);
    }
    for (let i = 1; i < xs.length; i++) {
      expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]!);
      expect(xs[i]! - xs[i - 1]!).toBeLessThan(1); // no snapping: < one pose step per 16 ms frame
    }
  });

  it('ignores a pose older than the newest one', () => {
    const b = new PoseBuffer();
    b.push(at(5, 2000), 2000);
    b.push(at(1, 1000), 2001);
    expect(b.latest?.position[0]).toBe(5);
  });

  it('eases from 0 to 1', () => {
    expect(easeInOutCubic(0)).toBe(0);
    expect(easeInOutCubic(1)).toBe(1);
    expect(easeInOutCubic(0.5)).toBeCloseTo(0.5);
  });
});
