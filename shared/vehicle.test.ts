import { describe, expect, it } from 'vitest';
import { DEMO_VEHICLE, hotspotPose, hotspotViewDirection } from './vehicle.js';

const sub = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x - b[i]!);
const norm = (v: readonly number[]) => Math.hypot(...v);
/** Sine of the angle the camera's line to its target makes with the horizontal (positive: from above). */
const elevation = (p: { position: readonly number[]; target: readonly number[] }) => {
  const d = sub(p.position, p.target);
  return d[1]! / norm(d);
};

describe('hotspotPose', () => {
  it('keeps the demo hotspots where they were: along their own normals, which already face out and a little up', () => {
    for (const h of DEMO_VEHICLE.hotspots) {
      const d = hotspotViewDirection(h.position, h.normal);
      const n = h.normal.map((x) => x / norm(h.normal));
      expect(norm(sub(d, n))).toBeLessThan(0.01);
    }
  });

  it('looks at a hotspot on the underside of a sill from beside the car, not from under or inside it', () => {
    // The jeep's lower body, picked from a low camera: the face points down and a little out.
    const sill = { position: [0.95, 0.42, 0.6] as [number, number, number], normal: [0.15, -0.98, 0.1] as [number, number, number] };
    const pose = hotspotPose(sill);
    const out = (p: readonly number[]) => Math.hypot(p[0]!, p[2]!);
    expect(out(pose.position) - out(sill.position)).toBeGreaterThan(2); // well outside the body, not under it
    expect(pose.position[1]).toBeGreaterThanOrEqual(0.4);
    expect(elevation(pose)).toBeGreaterThan(-0.15);
    expect(norm(sub(pose.position, pose.target))).toBeGreaterThan(2.4);
  });

  it('looks at a roof or bonnet hotspot from the side and above, never straight down (where "up" is undefined)', () => {
    for (const position of [[0.2, 1.55, 0], [1.6, 1.0, 0], [0, 1.5, 0]] as [number, number, number][]) {
      const pose = hotspotPose({ position, normal: [0, 1, 0] });
      const e = elevation(pose);
      expect(e).toBeGreaterThan(0.3);
      expect(e).toBeLessThan(0.75);
    }
  });

  it('returns a unit direction whatever the normal given', () => {
    for (const normal of [[0, 0, 0], [0, -1, 0], [3, 0, 4], [-0.2, 0.5, 0.1]] as [number, number, number][]) {
      expect(norm(hotspotViewDirection([1, 0.5, -0.4], normal))).toBeCloseTo(1, 9);
    }
  });
});
