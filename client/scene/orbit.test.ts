import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../shared/presentation.js';
import { ORBIT_LIMITS, azimuthDeg, keyToOrbit, orbitBy } from './orbit.js';

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
  it('maps arrows and zoom keys, ignores others', () => {
    expect(keyToOrbit('ArrowLeft')?.dAzimuth).toBeLessThan(0);
    expect(keyToOrbit('+')?.zoom).toBeLessThan(1);
    expect(keyToOrbit('a')).toBeNull();
  });
});
