import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../shared/presentation.js';
import { ORBIT_LIMITS, azimuthDeg, fitPoseToAspect, keyToOrbit, orbitBy, orbitLimitsFor } from './orbit.js';

const target: Vec3 = [0, 0.6, 0];
const dist = (p: Vec3) => Math.hypot(p[0] - target[0], p[1] - target[1], p[2] - target[2]);

describe('orbitBy', () => {
  it('turns around the target at the same distance', () => {
    const p: Vec3 = [0, 2, 6];
    const q = orbitBy(p, target, Math.PI / 2, 0);
    expect(dist(q)).toBeCloseTo(dist(p), 6);
    expect(azimuthDeg(q, target)).toBeCloseTo(90, 4);
    expect(q[1]).toBeCloseTo(p[1], 6);
  });
  it('never goes under the floor nor into the car', () => {
    const low = orbitBy([0, 0.7, 6], target, 0, 3);
    expect(low[1]).toBeGreaterThan(target[1]);
    expect(dist(orbitBy([0, 2, 6], target, 0, 0, 0.01))).toBeCloseTo(ORBIT_LIMITS.minDistance, 6);
    expect(dist(orbitBy([0, 2, 6], target, 0, 0, 100))).toBeCloseTo(ORBIT_LIMITS.maxDistance, 6);
  });
  it('keeps the demo car\'s limits for a car, and moves them out for a bigger vehicle', () => {
    expect(orbitLimitsFor(2)).toEqual(ORBIT_LIMITS);
    const truck = orbitLimitsFor(6);
    expect(truck.maxDistance).toBeGreaterThan(ORBIT_LIMITS.maxDistance * 2);
    expect(dist(orbitBy([0, 2, 6], target, 0, 0, 0.01, truck))).toBeCloseTo(truck.minDistance, 6);
  });
  it('maps arrows and zoom keys, ignores others', () => {
    expect(keyToOrbit('ArrowLeft')?.dAzimuth).toBeLessThan(0);
    expect(keyToOrbit('+')?.zoom).toBeLessThan(1);
    expect(keyToOrbit('a')).toBeNull();
  });
});

describe('fitPoseToAspect', () => {
  const pose = { position: [4, 1.6, 5] as Vec3, target: [0, 0.6, 0] as Vec3, fov: 40, t: 1 };
  const halfWidthAtTarget = (p: { position: Vec3; target: Vec3; fov?: number }, aspect: number) =>
    dist2(p.position, p.target) * aspect * Math.tan(((p.fov ?? 40) * Math.PI) / 360);
  const dist2 = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

  it('leaves landscape screens alone', () => {
    expect(fitPoseToAspect(pose, 16 / 9)).toBe(pose);
  });
  it('shows a portrait phone as much width as a square screen, along the same line of sight', () => {
    const fitted = fitPoseToAspect(pose, 390 / 844);
    expect(halfWidthAtTarget(fitted, 390 / 844)).toBeCloseTo(halfWidthAtTarget(pose, 0.95), 6);
    expect(fitted.fov).toBeLessThanOrEqual(55);
    expect(azimuthDeg(fitted.position, fitted.target)).toBeCloseTo(azimuthDeg(pose.position, pose.target), 6);
    expect(fitted.target).toEqual(pose.target);
  });
});
