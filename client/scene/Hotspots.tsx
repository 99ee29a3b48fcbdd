import { useFrame, useThree } from '@react-three/fiber';
import { useRef, type RefObject } from 'react';
import * as THREE from 'three';
import type { Hotspot } from '../../shared/vehicle.js';

/** Markers are re-checked for occlusion at most this often while the camera moves (a ray per marker). */
const OCCLUSION_EVERY_MS = 150;
/** A marker this close behind a surface still shows: it sits on that surface. */
const SURFACE_SLACK_M = 0.06;

export type MarkerElements = Map<string, HTMLElement>;

/**
 * The hotspots' markers: real buttons over the canvas (focusable, read by screen readers, no
 * React work per frame), which `HotspotTracker` moves and hides from inside the scene.
 */
export function HotspotMarkers({
  hotspots,
  elements,
  active,
  label,
  onSelect,
}: {
  hotspots: Hotspot[];
  elements: RefObject<MarkerElements>;
  /** The hotspot whose card is open. */
  active: string | null;
  label: (h: Hotspot) => string;
  onSelect: (id: string) => void;
}) {
  return (
    <div className="hotspots">
      {hotspots.map((h, i) => (
        <button
          key={h.id}
          type="button"
          className="hotspot-marker"
          data-hotspot={h.id}
          data-visible="false"
          aria-pressed={active === h.id}
          aria-label={label(h)}
          ref={(el) => {
            if (el) elements.current.set(h.id, el);
            else elements.current.delete(h.id);
          }}
          onClick={() => onSelect(h.id)}
        >
          <span aria-hidden="true">{i + 1}</span>
          <span className="hotspot-marker-title" aria-hidden="true">{h.title}</span>
        </button>
      ))}
    </div>
  );
}

const v = new THREE.Vector3();
const toCamera = new THREE.Vector3();
const normal = new THREE.Vector3();
const raycaster = new THREE.Raycaster();

/**
 * Places each marker on its point of the car every frame, and hides it when the car is in
 * the way: facing away from the camera (cheap, every frame), or behind another part of the
 * car (a ray, re-checked while the camera moves, a few times a second).
 */
export function HotspotTracker({ hotspots, elements }: { hotspots: Hotspot[]; elements: RefObject<MarkerElements> }) {
  const camera = useThree((s) => s.camera);
  const scene = useThree((s) => s.scene);
  const size = useThree((s) => s.size);
  const occluded = useRef(new Map<string, boolean>());
  const checkedAt = useRef({ t: 0, key: '' });

  useFrame(() => {
    const now = performance.now();
    const camKey = `${camera.position.toArray().map((x) => x.toFixed(3))}`;
    const recheck = now - checkedAt.current.t > OCCLUSION_EVERY_MS && camKey !== checkedAt.current.key;
    if (recheck) checkedAt.current = { t: now, key: camKey };
    const car = scene.getObjectByName('model-car') ?? scene.getObjectByName('demo-car');
    for (const h of hotspots) {
      const el = elements.current.get(h.id);
      if (!el) continue;
      v.set(...h.position);
      toCamera.copy(camera.position).sub(v);
      const facing = normal.set(...h.normal).dot(toCamera) > 0;
      if (facing && recheck && car) {
        const distance = toCamera.length();
        raycaster.set(camera.position, toCamera.clone().negate().normalize());
        raycaster.far = Math.max(0, distance - SURFACE_SLACK_M);
        occluded.current.set(h.id, raycaster.intersectObject(car, true).length > 0);
      }
      const projected = v.project(camera);
      const onScreen = projected.z < 1 && Math.abs(projected.x) <= 1.05 && Math.abs(projected.y) <= 1.05;
      const visible = facing && onScreen && !occluded.current.get(h.id);
      const x = ((projected.x + 1) / 2) * size.width;
      const y = ((1 - projected.y) / 2) * size.height;
      el.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px)`;
      const state = visible ? 'true' : 'false';
      if (el.dataset.visible !== state) el.dataset.visible = state;
    }
  });
  return null;
}
