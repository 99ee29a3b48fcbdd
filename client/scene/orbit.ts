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
 * a square screen would show (a full 16:9 width would shrink the car to a toy on a phone).
 */
const REFERENCE_ASPECT = 0.95;
/** Past this vertical field of view perspective distorts: dolly back instead. */
const MAX_FIT_FOV_DEG = 55;

/**
 * Adapts a presenter pose to a viewer's screen shape: on a portrait phone, the same horizontal
 * coverage as the presenter's view (first a wider field of view up to 55°, then stepping back
 * along the same line of sight). Direction and target never change, so it is the same view.
 */
export function fitPoseToAspect<P extends { position: Vec3; target: Vec3; fov?: number }>(pose: P, aspect: number): P {
  if (!(aspect > 0) || aspect >= REFERENCE_ASPECT) return pose;
  const rad = Math.PI / 180;
  const fov = pose.fov ?? 40;
  const wantedHalfWidth = REFERENCE_ASPECT * Math.tan((fov * rad) / 2); // per unit of distance
  const neededFov = (2 * Math.atan(wantedHalfWidth / aspect)) / rad;
  const newFov = Math.min(MAX_FIT_FOV_DEG, Math.max(fov, neededFov));
  const scale = Math.max(1, wantedHalfWidth / (aspect * Math.tan((newFov * rad) / 2)));
  const [tx, ty, tz] = pose.target;
  const [px, py, pz] = pose.position;
  return { ...pose, fov: newFov, position: [tx + (px - tx) * scale, ty + (py - ty) * scale, tz + (pz - tz) * scale] };
}
