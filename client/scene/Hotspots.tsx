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
 * car (a ray, re-checked while the camera moves, a few times a second), unless it is the one
 * being shown.
 */
export function HotspotTracker({ hotspots, elements, active = null }: { hotspots: Hotspot[]; elements: RefObject<MarkerElements>; active?: string | null }) {
  const camera = useThree((s) => s.camera);
  const scene = useThree((s) => s.scene);
  const size = useThree((s) => s.size);
  const invalidate = useThree((s) => s.invalidate);
  const occluded = useRef(new Map<string, boolean>());
  const checkedAt = useRef({ t: 0, key: '' });

  useFrame(() => {
    // The camera may have moved in this frame's earlier callbacks (a flight's step, a viewer's
    // sync): its matrices are only brought up to date by the render that follows. Projecting with
    // last frame's put every marker where the car was one step before; with software rendering's
    // few frames per flight, far from its point.
    camera.updateMatrixWorld();
    const now = performance.now();
    const camKey = `${camera.position.toArray().map((x) => x.toFixed(3))}`;
    const recheck = now - checkedAt.current.t > OCCLUSION_EVERY_MS && camKey !== checkedAt.current.key;
    if (recheck) checkedAt.current = { t: now, key: camKey };
    // The camera stopped where it was not yet checked (the end of a flight, between two checks):
    // a page that draws on demand would draw no more frames, and keep the markers hidden as they
    // were mid-flight. Ask for frames until the check at the final position has run.
    else if (camKey !== checkedAt.current.key) invalidate();
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
      // The hotspot being shown (its card open) keeps its marker while it faces the camera: the
      // camera flew there to look at it, and a lens or a grille a few centimetres proud of the
      // point must not hide the very thing on show.
      const visible = facing && onScreen && (h.id === active || !occluded.current.get(h.id));
      const x = ((projected.x + 1) / 2) * size.width;
      const y = ((1 - projected.y) / 2) * size.height;
      el.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px)`;
      const state = visible ? 'true' : 'false';
      if (el.dataset.visible !== state) el.dataset.visible = state;
    }
  });
  return null;
}
