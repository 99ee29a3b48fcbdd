import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../shared/presentation.js';
import { framingPose, placedBounds } from '../../shared/model.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { DEMO_CAR_BOX } from './carGeometry.js';
import { ORBIT_LIMITS, azimuthDeg, fitPoseToAspect, horizontalSpan, keyToOrbit, orbitBy, orbitLimitsFor, type Box } from './orbit.js';

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

describe('fitPoseToAspect with the car on stage', () => {
  const phone = 390 / 844;
  type P = { position: Vec3; target: Vec3; fov?: number };
  /** tan of the horizontal half-angle a screen of `aspect` shows with this pose. */
  const shownSpan = (p: P, aspect: number) => aspect * Math.tan(((p.fov ?? 40) * Math.PI) / 360);
  const holds = (p: P, box: Box, aspect: number) => horizontalSpan(box, p.position, p.target) <= shownSpan(p, aspect) + 1e-9;
  const vanBounds: { min: Vec3; max: Vec3 } = { min: [-2.9, 0, -1.05], max: [2.9, 2.6, 1.05] };
  const van: Box = placedBounds(vanBounds);

  it('shows a phone the whole demo car in every chapter that shows the presenter the whole car', () => {
    const wholeOnDesktop = DEMO_VEHICLE.chapters.filter((c) => holds(c.pose, DEMO_CAR_BOX, 16 / 9));
    expect(wholeOnDesktop.map((c) => c.id)).toEqual(expect.arrayContaining(['exterieur', 'couleurs', 'prix']));
    for (const c of wholeOnDesktop) {
      // What the phone used to get, a square screen's share, cut the car's ends off.
      expect(holds(fitPoseToAspect(c.pose, phone), DEMO_CAR_BOX, phone)).toBe(false);
      const fitted = fitPoseToAspect(c.pose, phone, DEMO_CAR_BOX);
      expect(holds(fitted, DEMO_CAR_BOX, phone), c.id).toBe(true);
      expect(fitted.fov).toBeLessThanOrEqual(55);
      expect(fitted.target).toEqual(c.pose.target);
      expect(azimuthDeg(fitted.position, fitted.target)).toBeCloseTo(azimuthDeg(c.pose.position, c.pose.target), 6);
      // …and not much more than that: the car fills the phone's width, less the margin.
      expect(horizontalSpan(DEMO_CAR_BOX, fitted.position, fitted.target)).toBeGreaterThan(shownSpan(fitted, phone) * 0.9);
    }
  });

  it('frames an uploaded van whole on a phone, from the camera the server frames it with', () => {
    const pose = framingPose(vanBounds);
    expect(holds(fitPoseToAspect(pose, phone), van, phone)).toBe(false);
    expect(holds(fitPoseToAspect(pose, phone, van), van, phone)).toBe(true);
    expect(holds(fitPoseToAspect(pose, 0.75, van), van, 0.75)).toBe(true);
  });

  it('keeps a square screen’s share of a close-up, where the whole car would make the detail a speck', () => {
    // A metre from the front wheel: the presenter sees a wheel, not a car.
    const wheel = { position: [2.2, 0.6, 1.6] as Vec3, target: [1.42, 0.35, 0.95] as Vec3, fov: 38, t: 0 };
    expect(holds(wheel, DEMO_CAR_BOX, 16 / 9)).toBe(false);
    expect(fitPoseToAspect(wheel, phone, DEMO_CAR_BOX)).toEqual(fitPoseToAspect(wheel, phone));
  });

  it('narrows gradually while the presenter zooms in: the phone’s view never jumps', () => {
    const from = DEMO_VEHICLE.chapters[0]!.pose;
    // Width shown at the target's distance, in metres, as the presenter dollies in by 1% a step from 1.2× to 0.35× the chapter's distance.
    const widths: number[] = [];
    for (let k = 1.2; k >= 0.35; k *= 0.99) {
      const pose = { ...from, position: from.position.map((v, i) => from.target[i]! + (v - from.target[i]!) * k) as Vec3 };
      const fitted = fitPoseToAspect(pose, phone, DEMO_CAR_BOX);
      widths.push(dist2(fitted.position, fitted.target) * shownSpan(fitted, phone));
    }
    const steps = widths.slice(1).map((w, i) => Math.abs(w / widths[i]! - 1));
    // Holding the whole car the phone does not zoom at all; past it, at most about three times the presenter's pace.
    expect(Math.max(...steps)).toBeLessThan(0.035);
    expect(widths.at(-1)!).toBeLessThan(widths[0]! / 2);
  });

  it('leaves landscape screens alone', () => {
    const pose = DEMO_VEHICLE.chapters[0]!.pose;
    expect(fitPoseToAspect(pose, 16 / 9, DEMO_CAR_BOX)).toBe(pose);
  });
});

function dist2(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
