import type { Vec3 } from '../../shared/presentation.js';

/** Keeps the camera above the floor and out of the car, whatever the input. */
export const ORBIT_LIMITS = { minDistance: 2.8, maxDistance: 14, minPolar: 0.15, maxPolar: Math.PI / 2 - 0.04 };
export type OrbitLimits = typeof ORBIT_LIMITS;

/** The demo car's bounding radius (half its diagonal), which ORBIT_LIMITS were tuned for. */
const DEMO_RADIUS_M = 2.65;

/**
 * The limits for a vehicle of this bounding radius: the demo car's, or further out for a
 * bigger one (a van, a truck), so the whole of it can still be seen and not entered.
 */
export function orbitLimitsFor(radius: number): OrbitLimits {
  const k = Math.max(1, radius / DEMO_RADIUS_M);
  return { ...ORBIT_LIMITS, minDistance: ORBIT_LIMITS.minDistance * k, maxDistance: ORBIT_LIMITS.maxDistance * k };
}

/**
 * Turns the camera around its target: the keyboard's way to orbit (arrows) and zoom (+/−),
 * for people who do not drag. Pure: returns the new position.
 */
export function orbitBy(position: Vec3, target: Vec3, dAzimuth: number, dPolar: number, zoom = 1, limits: OrbitLimits = ORBIT_LIMITS): Vec3 {
  const [x, y, z] = [position[0] - target[0], position[1] - target[1], position[2] - target[2]];
  const r0 = Math.hypot(x, y, z) || 1;
  const r = Math.min(limits.maxDistance, Math.max(limits.minDistance, r0 * zoom));
  const azimuth = Math.atan2(x, z) + dAzimuth;
  const polar = Math.min(limits.maxPolar, Math.max(limits.minPolar, Math.acos(Math.min(1, Math.max(-1, y / r0))) + dPolar));
  return [
    target[0] + r * Math.sin(polar) * Math.sin(azimuth),
    target[1] + r * Math.cos(polar),
    target[2] + r * Math.sin(polar) * Math.cos(azimuth),
  ];
}

/** Azimuth in degrees (0 = camera on +z), for probes and accessibility text. */
export function azimuthDeg(position: Vec3, target: Vec3): number {
  return (Math.atan2(position[0] - target[0], position[2] - target[2]) * 180) / Math.PI;
}

const STEP = (4 * Math.PI) / 180;

/** Key → orbit step; null for keys we leave alone. */
export function keyToOrbit(key: string): { dAzimuth: number; dPolar: number; zoom: number } | null {
  switch (key) {
    case 'ArrowLeft': return { dAzimuth: -STEP, dPolar: 0, zoom: 1 };
    case 'ArrowRight': return { dAzimuth: STEP, dPolar: 0, zoom: 1 };
    case 'ArrowUp': return { dAzimuth: 0, dPolar: -STEP, zoom: 1 };
    case 'ArrowDown': return { dAzimuth: 0, dPolar: STEP, zoom: 1 };
    case '+': case '=': return { dAzimuth: 0, dPolar: 0, zoom: 0.92 };
    case '-': case '_': return { dAzimuth: 0, dPolar: 0, zoom: 1.08 };
    default: return null;
  }
}

/**
 * The presenter frames the car on a landscape screen; a narrower screen keeps at least the width
 * a square screen would show (a full 16:9 width would shrink a close-up to a toy on a phone).
 */
const REFERENCE_ASPECT = 0.95;
/** The presenter's screen, taken as 16:9: the most width a viewer is ever shown. */
const PRESENTER_ASPECT = 16 / 9;
/** Room left either side of the car when a narrow screen widens to hold all of it. */
const CAR_MARGIN = 1.06;
/** Past this vertical field of view perspective distorts: dolly back instead. */
const MAX_FIT_FOV_DEG = 55;

/** A box in world space (metres on stage): the vehicle's. */
export interface Box {
  min: Vec3;
  max: Vec3;
}

/**
 * How wide the box looks from `position` looking at `target`: the tangent of the horizontal
 * half-angle, either side of the line of sight, that holds all of its corners (Infinity when a
 * corner is level with or behind the camera).
 */
export function horizontalSpan(box: Box, position: Vec3, target: Vec3): number {
  const f = unit([target[0] - position[0], target[1] - position[1], target[2] - position[2]]);
  const r = unit([-f[2], 0, f[0]]); // forward × up: the screen's horizontal
  let span = 0;
  for (const x of [box.min[0], box.max[0]]) {
    for (const y of [box.min[1], box.max[1]]) {
      for (const z of [box.min[2], box.max[2]]) {
        const d = [x - position[0], y - position[1], z - position[2]];
        const depth = d[0]! * f[0] + d[1]! * f[1] + d[2]! * f[2];
        if (depth <= 0.05) return Infinity;
        span = Math.max(span, Math.abs(d[0]! * r[0] + d[2]! * r[2]) / depth);
      }
    }
  }
  return span;
}

/**
 * Adapts a presenter pose to a viewer's screen shape. On a portrait phone the view keeps its line
 * of sight and target, and widens (first a wider field of view up to 55°, then stepping back):
 * - to the whole car (`box`), with a margin, while the presenter's view holds all of it: a
 *   launch's main shots show the whole car on every screen, not its middle;
 * - to a square screen's share of the presenter's view when the presenter closes in on a detail
 *   (a wheel, a headlight), where the whole car would make the detail a speck; in between the
 *   coverage narrows gradually, so a zoom never makes the phone's view jump.
 * Without a box, a square screen's share throughout.
 */
export function fitPoseToAspect<P extends { position: Vec3; target: Vec3; fov?: number }>(pose: P, aspect: number, box?: Box): P {
  if (!(aspect > 0) || aspect >= REFERENCE_ASPECT) return pose;
  const rad = Math.PI / 180;
  const fov = pose.fov ?? 40;
  const tanHalf = Math.tan((fov * rad) / 2);
  const [tx, ty, tz] = pose.target;
  const [px, py, pz] = pose.position;
  const at = (scale: number): Vec3 => [tx + (px - tx) * scale, ty + (py - ty) * scale, tz + (pz - tz) * scale];
  // The tangent of the horizontal half-angle the phone must show from `scale` times as far.
  const wanted = (scale: number): number => {
    const square = (REFERENCE_ASPECT * tanHalf) / scale;
    if (!box) return square;
    const presenter = (PRESENTER_ASPECT * tanHalf) / scale;
    const car = horizontalSpan(box, at(scale), pose.target) * CAR_MARGIN;
    // Past the whole car, presenter² / car: continuous, and narrowing twice as fast as the
    // presenter closes in, down to the square's share.
    return Math.max(square, car <= presenter ? car : (presenter * presenter) / car);
  };
  const here = wanted(1);
  const newFov = Math.min(MAX_FIT_FOV_DEG, Math.max(fov, (2 * Math.atan(here / aspect)) / rad));
  const shown = aspect * Math.tan((newFov * rad) / 2);
  // Stepping back shrinks the car less than the target plane (its near corners are closer):
  // a few rounds settle the distance where what is wanted from there fits.
  let scale = Math.max(1, here / shown);
  for (let i = 1; i < 6; i++) scale = Math.max(1, (scale * wanted(scale)) / shown);
  return { ...pose, fov: newFov, position: at(scale) };
}

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}
