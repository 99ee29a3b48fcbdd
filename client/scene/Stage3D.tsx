import { OrbitControls } from '@react-three/drei';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PerspectiveCamera } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { boundingRadius, placedBounds } from '../../shared/model.js';
import type { Pose, Vec3 } from '../../shared/presentation.js';
import { DEMO_VEHICLE, type PaintVariant, type Vehicle } from '../../shared/vehicle.js';
import { useI18n } from '../i18n/i18n.js';
import { AdaptiveResolution } from './AdaptiveResolution.js';
import { CameraProbe, HostCameraSync, ViewerCameraSync, applyPose } from './CameraSync.js';
import { DEMO_CAR_BOX } from './carGeometry.js';
import { DemoCar } from './DemoCar.js';
import type { PoseBuffer, PoseSource } from './interpolation.js';
import { HotspotMarkers, HotspotTracker, type MarkerElements } from './Hotspots.js';
import { ModelCar, type ModelLoad } from './ModelCar.js';
import { useReducedMotion } from './motion.js';
import { ORBIT_LIMITS, keyToOrbit, orbitBy, orbitLimitsFor, type Box, type OrbitLimits } from './orbit.js';
import { Showroom } from './Showroom.js';
import './stage.css';

export type StageProps = {
  /** The variant on stage (null: the vehicle has none). */
  paint: PaintVariant | null;
  /** The brand's uploaded model when `modelUrl` is set; the demo car otherwise (and by default). */
  vehicle?: Vehicle;
  initialPose: Pose;
  /** Read by screen readers in place of the picture. */
  label: string;
  /** The hotspot whose card is open (its marker shows pressed). */
  activeHotspot: string | null;
  onHotspot: (id: string) => void;
} & (
  /** The presenter's camera as received: the presenter flies with its `fly` poses; viewers follow it (or a replay's recording). */
  | { mode: 'host'; poses: PoseBuffer; onPose: (pose: Pose) => void; epoch: number }
  | { mode: 'viewer'; poses: PoseSource; following: boolean; onFreeLook: () => void }
);

/** Keyboard orbit lives inside the Canvas, where the camera and the controls are. */
function useKeyboardOrbit(limits: OrbitLimits) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  return useCallback(
    (key: string): boolean => {
      const step = keyToOrbit(key);
      if (!step || !controls) return false;
      const t = controls.target;
      const target: Vec3 = [t.x, t.y, t.z];
      const next = orbitBy([camera.position.x, camera.position.y, camera.position.z], target, step.dAzimuth, step.dPolar, step.zoom, limits);
      applyPose(camera, controls, { position: next, target, t: 0 });
      controls.update();
      return true;
    },
    [camera, controls, limits],
  );
}

function KeyboardBridge({ handler, limits }: { handler: React.RefObject<((key: string) => boolean) | null>; limits: OrbitLimits }) {
  handler.current = useKeyboardOrbit(limits);
  return null;
}

/**
 * A new vehicle comes with the pose that frames it. Viewers get it through their pose buffer;
 * the presenter's camera is set here, once per model (then it is theirs to move).
 */
function FrameNewVehicle({ modelUrl, pose }: { modelUrl: string | null; pose: Pose }) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const invalidate = useThree((s) => s.invalidate);
  const shown = useRef(modelUrl);
  useEffect(() => {
    if (shown.current === modelUrl) return;
    shown.current = modelUrl;
    applyPose(camera, controls, pose);
    controls?.update();
    invalidate();
  }, [modelUrl, pose, camera, controls, invalidate]);
  return null;
}

/**
 * Marks `vitrine:first-frame` (User Timing) after the first frame that shows the vehicle: the
 * demo car, or the brand's model once loaded. The time-to-first-frame benchmark reads it.
 */
function FirstFrameMark({ ready }: { ready: boolean }) {
  const done = useRef(false);
  useFrame(() => {
    if (done.current || !ready) return;
    done.current = true;
    // After this frame is drawn, not when it starts.
    requestAnimationFrame(() => performance.mark('vitrine:first-frame'));
  });
  return null;
}

/** Loading progress, or why the demo car is shown instead of the brand's. */
function ModelStatus({ load }: { load: ModelLoad | null }) {
  const { t } = useI18n();
  if (!load || load.phase === 'ready') return null;
  if (load.phase === 'failed') {
    return (
      <p className="model-status model-status-failed" role="alert">
        {t('model.loadFailed')}
      </p>
    );
  }
  const percent = load.progress === null ? null : Math.round(load.progress * 100);
  return (
    <div className="model-status" role="status" aria-live="polite">
      <span>{percent === null ? t('model.loading') : t('model.loadingPercent', { percent })}</span>
      <progress max={100} value={percent ?? undefined} aria-hidden="true" />
    </div>
  );
}

/** The 3D stage: its own chunk (three.js is large), loaded once the page shell is up. */
export default function Stage3D(props: StageProps) {
  const { t } = useI18n();
  const keysHint = useId();
  const reducedMotion = useReducedMotion();
  const probe = useRef<HTMLDivElement>(null);
  const keyHandler = useRef<((key: string) => boolean) | null>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    if (keyHandler.current?.(e.key)) {
      e.preventDefault();
      if (props.mode === 'viewer') props.onFreeLook();
    }
  };
  const p = props.initialPose;
  const vehicle = props.vehicle ?? DEMO_VEHICLE;
  const modelUrl = vehicle.modelUrl;
  const bounds = vehicle.modelBounds;
  const [load, setLoad] = useState<{ url: string; state: ModelLoad } | null>(null);
  // Until the loader reports, a new model counts as loading (the progress shows at once).
  const modelLoad: ModelLoad | null = !modelUrl ? null : load?.url === modelUrl ? load.state : { phase: 'loading', progress: null };
  const onModelLoad = useCallback(
    (state: ModelLoad) => {
      if (modelUrl) setLoad({ url: modelUrl, state });
    },
    [modelUrl],
  );
  const markers = useRef<MarkerElements>(new Map());
  const limits = useMemo(() => (bounds ? orbitLimitsFor(boundingRadius(placedBounds(bounds))) : ORBIT_LIMITS), [bounds]);
  const showModel = modelUrl && bounds && modelLoad?.phase !== 'failed';
  // What a narrow screen's view widens to hold: the car on stage, uploaded or the demo's.
  const vehicleBox = useMemo<Box>(() => (showModel && bounds ? placedBounds(bounds) : DEMO_CAR_BOX), [showModel, bounds]);
  return (
    // An application, not an image: it takes the arrow keys (screen readers pass them through)
    // and holds the hotspots' buttons. What it shows is said by the page's StageAnnouncer.
    <div
      ref={probe}
      className="stage"
      data-testid="stage"
      data-model-state={modelLoad?.phase ?? 'demo'}
      role="application"
      aria-roledescription={t('stage.roleDescription')}
      aria-label={props.label}
      aria-describedby={keysHint}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <p id={keysHint} hidden>{t('stage.keys')}</p>
      <Canvas
        shadows
        // Render only when something changes: a still car costs a phone no battery.
        frameloop="demand"
        dpr={[1, 2]}
        camera={{ position: p.position, fov: p.fov ?? 40, near: 0.1, far: 200 }}
        gl={{ antialias: true }}
        onCreated={({ camera }) => camera.lookAt(...p.target)}
      >
        <Showroom vehicleShown={!modelUrl || modelLoad?.phase !== 'loading'}>
          {showModel ? (
            <ModelCar key={modelUrl} url={modelUrl} bounds={bounds} onLoad={onModelLoad} variant={props.paint} bodyMaterials={vehicle.bodyMaterials} />
          ) : (
            <DemoCar paint={props.paint ?? DEMO_VEHICLE.variants[0]!} />
          )}
        </Showroom>
        <OrbitControls
          makeDefault
          target={p.target}
          enablePan={false}
          // No damping: it decays per frame, not per second, so a slow device would keep
          // coasting (rendering and sending poses) long after the hand stopped.
          enableDamping={false}
          minDistance={limits.minDistance}
          maxDistance={limits.maxDistance}
          minPolarAngle={limits.minPolar}
          maxPolarAngle={limits.maxPolar}
          onStart={props.mode === 'viewer' ? props.onFreeLook : undefined}
        />
        {props.mode === 'host' ? (
          <HostCameraSync onPose={props.onPose} epoch={props.epoch} poses={props.poses} reducedMotion={reducedMotion} />
        ) : (
          <ViewerCameraSync poses={props.poses} following={props.following} reducedMotion={reducedMotion} vehicleBox={vehicleBox} />
        )}
        {modelLoad?.phase === 'loading' ? null : <HotspotTracker hotspots={vehicle.hotspots} elements={markers} active={props.activeHotspot} />}
        <KeyboardBridge handler={keyHandler} limits={limits} />
        {props.mode === 'host' ? <FrameNewVehicle modelUrl={modelUrl} pose={props.initialPose} /> : null}
        <AdaptiveResolution />
        <CameraProbe probe={probe} />
        <FirstFrameMark ready={!modelUrl || modelLoad?.phase !== 'loading'} />
      </Canvas>
      {modelLoad?.phase === 'loading' ? null : (
        <HotspotMarkers hotspots={vehicle.hotspots} elements={markers} active={props.activeHotspot} label={(h) => t('hotspot.marker', { title: h.title })} onSelect={props.onHotspot} />
      )}
      <ModelStatus load={modelLoad} />
    </div>
  );
}
