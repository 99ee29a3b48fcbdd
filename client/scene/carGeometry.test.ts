import { describe, expect, it } from 'vitest';
import type * as THREE from 'three';
import { CAR, REAR_AXLE_X, bodyProfile, buildBody, buildGlass, buildTrim, monotoneCurve } from './carGeometry.js';
import { buildDetails, buildWheel, wheelPlacements } from './carDetails.js';

const box = (g: THREE.BufferGeometry) => {
  g.computeBoundingBox();
  return g.boundingBox!;
};
const tris = (g: THREE.BufferGeometry) => (g.index ? g.index.count : g.getAttribute('position').count) / 3;

describe('demo car geometry', () => {
  const body = buildBody();
  const glass = buildGlass();

  it('body matches the stated length and width and is centred on x/z', () => {
    const b = box(body);
    expect(b.max.x - b.min.x).toBeCloseTo(CAR.length, 2);
    expect(b.max.z - b.min.z).toBeGreaterThan(CAR.width - 0.04);
    expect(b.max.z - b.min.z).toBeLessThan(CAR.width + 0.02);
    expect((b.max.x + b.min.x) / 2).toBeCloseTo(0, 2);
    expect((b.max.z + b.min.z) / 2).toBeCloseTo(0, 5);
    expect(b.min.y).toBeGreaterThan(0.12); // ground clearance
  });

  it('roof (glass) reaches the stated height and sits on the body', () => {
    const g = box(glass);
    expect(g.max.y).toBeCloseTo(CAR.height, 2);
    expect(g.min.y).toBeGreaterThan(0.8);
    expect(g.max.z).toBeLessThan(box(body).max.z);
  });

  it('has no NaN in any geometry', () => {
    const all = [body, glass, buildTrim(), ...Object.values(buildDetails()), ...Object.values(buildWheel())];
    for (const g of all) {
      const arr = g.getAttribute('position').array;
      expect(Array.from(arr).every(Number.isFinite)).toBe(true);
    }
  });

  it('places four wheels on the wheelbase and track, touching the floor', () => {
    const wheels = wheelPlacements();
    expect(wheels).toHaveLength(4);
    const xs = [...new Set(wheels.map((w) => w.position[0]))].sort((a, b) => a - b);
    expect(xs[1]! - xs[0]!).toBeCloseTo(CAR.wheelbase, 6);
    expect(xs[0]).toBe(REAR_AXLE_X);
    for (const w of wheels) expect(Math.abs(w.position[2])).toBeCloseTo(CAR.track / 2, 6);
    const tyre = box(buildWheel().tyre);
    for (const w of wheels) expect(w.position[1] + tyre.min.y).toBeCloseTo(0, 2);
    // Tyres stay inside the body's plan outline (no wheel poking out sideways).
    expect(CAR.track / 2 + tyre.max.z).toBeLessThan(box(body).max.z + 0.005);
  });

  it('cuts wheel arches that clear the tyres', () => {
    for (const ax of [CAR.frontAxleX, REAR_AXLE_X]) {
      for (const dx of [-0.3, -0.15, 0, 0.15, 0.3]) {
        const tyreTop = CAR.wheelRadius + Math.sqrt(CAR.wheelRadius ** 2 - Math.min(dx * dx, CAR.wheelRadius ** 2));
        expect(bodyProfile(ax + dx).bottom).toBeGreaterThan(tyreTop + 0.03);
      }
    }
  });

  it('stays a light scene: under 60k triangles for the whole car', () => {
    const d = buildDetails();
    const w = buildWheel();
    const total = tris(body) + 2 * tris(glass) + tris(buildTrim()) + Object.values(d).reduce((a, g) => a + tris(g), 0) + 4 * Object.values(w).reduce((a, g) => a + tris(g), 0);
    expect(total).toBeLessThan(60_000);
  });

  it('monotone curve interpolates without overshoot', () => {
    const c = monotoneCurve([[0, 0], [1, 1], [2, 1], [3, 0]]);
    expect(c(1)).toBeCloseTo(1, 9);
    for (let x = 0; x <= 3; x += 0.05) expect(c(x)).toBeLessThanOrEqual(1 + 1e-9);
  });
});
