import { describe, expect, it } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import { CHAPTER_FLY_MS } from './interpolation.js';
import { flightMs, flightPose } from './motion.js';

const at = (x: number): Pose => ({ position: [x, 1, 5], target: [0, 0.6, 0], fov: 40, t: 0 });

describe('camera flights and reduced motion', () => {
  it('keeps a flight’s length normally, and makes it a cut with reduced motion', () => {
    expect(flightMs(CHAPTER_FLY_MS, false)).toBe(CHAPTER_FLY_MS);
    expect(flightMs(CHAPTER_FLY_MS, true)).toBe(0);
  });

  it('eases from one pose to the other over the flight, and lands at its end', () => {
    const start = flightPose(at(0), at(10), 0, 1_000);
    expect(start).toEqual({ pose: expect.objectContaining({ position: [0, 1, 5] }), done: false });
    const half = flightPose(at(0), at(10), 500, 1_000);
    expect(half.done).toBe(false);
    expect(half.pose.position[0]).toBeCloseTo(5);
    expect(flightPose(at(0), at(10), 250, 1_000).pose.position[0]).toBeLessThan(2.5); // eased: a slow start
    expect(flightPose(at(0), at(10), 1_000, 1_000)).toEqual({ pose: at(10), done: true });
  });

  it('lands at once, on the very first frame, when the flight lasts 0 ms', () => {
    const reduced = flightMs(CHAPTER_FLY_MS, true);
    expect(flightPose(at(0), at(10), 0, reduced)).toEqual({ pose: at(10), done: true });
  });
});
