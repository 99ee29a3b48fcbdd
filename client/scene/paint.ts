import * as THREE from 'three';
import type { PaintVariant } from '../../shared/vehicle.js';

/** Rate of the exponential paint blend: ~98% of the way to the new paint after 0.6 s, whatever the frame rate. */
const PAINT_RATE = 6.5;

export interface PaintLook {
  color: THREE.Color;
  metalness: number;
  roughness: number;
  clearcoat: number;
}

export function paintLook(p: Pick<PaintVariant, 'color' | 'metalness' | 'roughness' | 'clearcoat'>): PaintLook {
  return { color: new THREE.Color(p.color), metalness: p.metalness, roughness: p.roughness, clearcoat: p.clearcoat };
}

/**
 * Moves a material one frame's worth toward a look; true once it is there. The delta is
 * clamped: after an idle spell (frames render on demand) the first delta would jump the blend.
 */
export function blendToward(m: THREE.MeshStandardMaterial, target: PaintLook, delta: number): boolean {
  const k = 1 - Math.exp(-Math.min(delta, 1 / 30) * PAINT_RATE);
  m.color.lerp(target.color, k);
  m.metalness += (target.metalness - m.metalness) * k;
  m.roughness += (target.roughness - m.roughness) * k;
  const physical = m as THREE.MeshPhysicalMaterial;
  if (physical.isMeshPhysicalMaterial) physical.clearcoat += (target.clearcoat - physical.clearcoat) * k;
  const c = m.color;
  return (
    Math.abs(c.r - target.color.r) + Math.abs(c.g - target.color.g) + Math.abs(c.b - target.color.b) < 1e-3 &&
    Math.abs(m.metalness - target.metalness) + Math.abs(m.roughness - target.roughness) < 1e-3 &&
    (!physical.isMeshPhysicalMaterial || Math.abs(physical.clearcoat - target.clearcoat) < 1e-3)
  );
}
