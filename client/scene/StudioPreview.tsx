import { OrbitControls } from '@react-three/drei';
import { Canvas, useFrame, useThree, type ThreeEvent } from '@react-three/fiber';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { boundingRadius, framingPose, placedBounds } from '../../shared/model.js';
import { DEFAULT_POSE, type Pose, type Vec3 } from '../../shared/presentation.js';
import { DEMO_VEHICLE, type Hotspot, type PaintVariant, type Vehicle } from '../../shared/vehicle.js';
import { poseFromCamera, surfaceHit, type PreviewHandle, type SurfacePoint } from '../features/studio/staging.js';
import { useI18n } from '../i18n/i18n.js';
import { AdaptiveResolution } from './AdaptiveResolution.js';
import { applyPose } from './CameraSync.js';
import { DemoCar } from './DemoCar.js';
import { HotspotMarkers, HotspotTracker, type MarkerElements } from './Hotspots.js';
import { flightMs, flightPose, useReducedMotion } from './motion.js';
import { ModelCar, type ModelLoad } from './ModelCar.js';
import { ORBIT_LIMITS, keyToOrbit, orbitBy, orbitLimitsFor, type OrbitLimits } from './orbit.js';
import { Showroom } from './Showroom.js';
import './stage.css';

/** A press that moved further than this (px) was an orbit drag, not a click on the car. */
const CLICK_SLOP_PX = 5;
const FLY_MS = 700;

export interface StudioPreviewProps {
  vehicle: Pick<Vehicle, 'modelUrl' | 'modelBounds'>;
  /** The variant shown: a defined paint, or one of the model's own (`modelVariant`). */
  paint: PaintVariant | null;
  bodyMaterials: string[];
  hotspots: Hotspot[];
  activeHotspot: string | null;
  /** While true, a click on the car places a hotspot there. */
  placing: boolean;
  onPlace: (hit: SurfacePoint) => void;
  /** A click in placing mode that missed the car. */
  onMiss: () => void;
  onCancel: () => void;
  onSelectHotspot: (id: string) => void;
  handle: RefObject<PreviewHandle | null>;
  label: string;
  hotspotLabel: (h: Hotspot) => string;
}

/** The editor's hold on the camera: capture, fly, and the keyboard's hotspot placement. */
function PreviewBridge({ handle, car, limits, keys, reducedMotion }: { handle: RefObject<PreviewHandle | null>; car: RefObject<THREE.Group | null>; limits: OrbitLimits; keys: RefObject<((key: string) => boolean) | null>; reducedMotion: boolean }) {
  const camera = useThree((s) => s.camera) as THREE.PerspectiveCamera;
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const invalidate = useThree((s) => s.invalidate);
  const raycaster = useThree((s) => s.raycaster);
  const flight = useRef<{ from: Pose; to: Pose; startedAt: number; ms: number } | null>(null);

  useEffect(() => {
    const current = (): Pose | null => (controls ? poseFromCamera(camera.position, controls.target, camera.fov) : null);
    handle.current = {
      capture: current,
      flyTo: (to) => {
        const from = current();
        if (!from) return;
        flight.current = { from, to, startedAt: performance.now(), ms: flightMs(FLY_MS, reducedMotion) };
        invalidate();
      },
      placeAtCentre: () => {
        if (!car.current) return null;
        raycaster.setFromCamera(new THREE.Vector2(0, 0), camera);
        const hit = raycaster.intersectObject(car.current, true).find((h) => h.face);
        return hit ? surfaceHit(hit.point, hit.face!.normal, hit.object.matrixWorld.elements, raycaster.ray.direction) : null;
      },
    };
    keys.current = (key) => {
      const step = keyToOrbit(key);
      if (!step || !controls) return false;
      flight.current = null;
      const t = controls.target;
      const target: Vec3 = [t.x, t.y, t.z];
      applyPose(camera, controls, { position: orbitBy([camera.position.x, camera.position.y, camera.position.z], target, step.dAzimuth, step.dPolar, step.zoom, limits), target, t: 0 });
      controls.update();
      invalidate();
      return true;
    };
    // A hand on the controls takes the camera back from a flight.
    const stop = () => (flight.current = null);
    controls?.addEventListener('start', stop);
    return () => {
      controls?.removeEventListener('start', stop);
      handle.current = null;
      keys.current = null;
    };
  }, [handle, keys, camera, controls, invalidate, raycaster, car, limits, reducedMotion]);

  useFrame(() => {
    const f = flight.current;
    if (!f || !controls) return;
    const { pose, done } = flightPose(f.from, f.to, performance.now() - f.startedAt, f.ms);
    applyPose(camera, controls, pose);
    controls.update();
    if (!done) invalidate();
    else flight.current = null;
  });
  return null;
}

/** Tells the page once the car is drawn (tests and the placing hint wait for it). */
function FirstFrame({ ready, onReady }: { ready: boolean; onReady: () => void }) {
  const done = useRef(false);
  useFrame(() => {
    if (done.current || !ready) return;
    done.current = true;
    requestAnimationFrame(onReady);
  });
  return null;
}

/** Frames render on demand: a change the scene cannot see (a marker added or moved) asks for one. */
function Invalidate({ on }: { on: unknown }) {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => invalidate(), [on, invalidate]);
  return null;
}

/**
 * The studio's 3D preview: the event's vehicle as viewers see it (same showroom, car, paints
 * and markers), plus what staging needs: a click on the car places a hotspot, and the editor
 * can capture the view or fly to one. Its own chunk, like the stage. Memoised: typing in the
 * editor must not re-render the scene (each frame costs a lot in software WebGL).
 */
export default memo(StudioPreview);

function StudioPreview(props: StudioPreviewProps) {
  const { t } = useI18n();
  const { modelUrl, modelBounds: bounds } = props.vehicle;
  const car = useRef<THREE.Group>(null);
  const keys = useRef<((key: string) => boolean) | null>(null);
  const markers = useRef<MarkerElements>(new Map());
  const [ready, setReady] = useState(false);
  const [load, setLoad] = useState<{ url: string; state: ModelLoad } | null>(null);
  const modelLoad: ModelLoad | null = !modelUrl ? null : load?.url === modelUrl ? load.state : { phase: 'loading', progress: null };
  const onModelLoad = useCallback((state: ModelLoad) => modelUrl && setLoad({ url: modelUrl, state }), [modelUrl]);
  const showModel = modelUrl && bounds && modelLoad?.phase !== 'failed';
  const limits = useMemo(() => (bounds ? orbitLimitsFor(boundingRadius(placedBounds(bounds))) : ORBIT_LIMITS), [bounds]);
  const [initial] = useState<Pose>(() => (bounds ? framingPose(bounds) : DEFAULT_POSE));
  const reducedMotion = useReducedMotion();

  const { placing, onPlace, onMiss } = props;
  const onCarClick = useCallback(
    (e: ThreeEvent<MouseEvent>) => {
      if (!placing || e.delta > CLICK_SLOP_PX || !e.face) return;
      e.stopPropagation(); // the nearest surface only
      const hit = surfaceHit(e.point, e.face.normal, e.object.matrixWorld.elements, e.ray.direction);
      if (hit) onPlace(hit);
    },
    [placing, onPlace],
  );

  function onKeyDown(e: KeyboardEvent) {
    if (placing && e.key === 'Escape') {
      e.preventDefault();
      return props.onCancel();
    }
    if (placing && e.key === 'Enter') {
      e.preventDefault();
      const hit = props.handle.current?.placeAtCentre();
      return hit ? onPlace(hit) : onMiss();
    }
    if (keys.current?.(e.key)) e.preventDefault();
  }

  return (
    <div className={`studio-preview${placing ? ' is-placing' : ''}`} data-testid="studio-preview" data-ready={ready} data-model-state={modelLoad?.phase ?? 'demo'}>
      <div className="studio-preview-canvas" role="img" aria-label={props.label} tabIndex={0} onKeyDown={onKeyDown}>
        <Canvas
          shadows
          frameloop="demand"
          dpr={[1, 2]}
          camera={{ position: initial.position, fov: initial.fov ?? 40, near: 0.1, far: 200 }}
          gl={{ antialias: true }}
          onCreated={({ camera }) => camera.lookAt(...initial.target)}
          onPointerMissed={(e) => {
            if (placing && e.type === 'click') onMiss();
          }}
        >
          <Showroom>
            <group ref={car} onClick={onCarClick}>
              {showModel ? (
                <ModelCar key={modelUrl} url={modelUrl} bounds={bounds} onLoad={onModelLoad} variant={props.paint} bodyMaterials={props.bodyMaterials} />
              ) : (
                <DemoCar paint={props.paint && !props.paint.modelVariant ? props.paint : DEMO_VEHICLE.variants[1]!} />
              )}
            </group>
          </Showroom>
          <OrbitControls
            makeDefault
            target={initial.target}
            enableDamping={false}
            minDistance={limits.minDistance}
            maxDistance={limits.maxDistance}
            minPolarAngle={limits.minPolar}
            maxPolarAngle={limits.maxPolar}
          />
          <PreviewBridge handle={props.handle} car={car} limits={limits} keys={keys} reducedMotion={reducedMotion} />
          <HotspotTracker hotspots={props.hotspots} elements={markers} active={props.activeHotspot} />
          <Invalidate on={props.hotspots.map((h) => `${h.id}@${h.position.join()}`).join('|')} />
          <AdaptiveResolution />
          <FirstFrame ready={!modelUrl || modelLoad?.phase !== 'loading'} onReady={() => setReady(true)} />
        </Canvas>
      </div>
      <HotspotMarkers hotspots={props.hotspots} elements={markers} active={props.activeHotspot} label={props.hotspotLabel} onSelect={props.onSelectHotspot} />
      {modelLoad && modelLoad.phase !== 'ready' ? (
        <p className={`model-status${modelLoad.phase === 'failed' ? ' model-status-failed' : ''}`} role="status">
          {modelLoad.phase === 'failed' ? t('model.loadFailed') : t('model.loading')}
        </p>
      ) : null}
    </div>
  );
}
