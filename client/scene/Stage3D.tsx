import { OrbitControls } from '@react-three/drei';
import { Canvas, useThree } from '@react-three/fiber';
import { useCallback, useRef, type KeyboardEvent } from 'react';
import type { PerspectiveCamera } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { Pose, Vec3 } from '../../shared/presentation.js';
import type { PaintVariant } from '../../shared/vehicle.js';
import { AdaptiveResolution } from './AdaptiveResolution.js';
import { CameraProbe, HostCameraSync, ViewerCameraSync, applyPose } from './CameraSync.js';
import { DemoCar } from './DemoCar.js';
import type { PoseBuffer } from './interpolation.js';
import { ORBIT_LIMITS, keyToOrbit, orbitBy } from './orbit.js';
import { Showroom } from './Showroom.js';

export type StageProps = {
  paint: PaintVariant;
  initialPose: Pose;
  /** Read by screen readers in place of the picture. */
  label: string;
} & (
  | { mode: 'host'; onPose: (pose: Pose) => void; epoch: number }
  | { mode: 'viewer'; poses: PoseBuffer; following: boolean; onFreeLook: () => void }
);

/** Keyboard orbit lives inside the Canvas, where the camera and the controls are. */
function useKeyboardOrbit() {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  return useCallback(
    (key: string): boolean => {
      const step = keyToOrbit(key);
      if (!step || !controls) return false;
      const t = controls.target;
      const target: Vec3 = [t.x, t.y, t.z];
      const next = orbitBy([camera.position.x, camera.position.y, camera.position.z], target, step.dAzimuth, step.dPolar, step.zoom);
      applyPose(camera, controls, { position: next, target, t: 0 });
      controls.update();
      return true;
    },
    [camera, controls],
  );
}

function KeyboardBridge({ handler }: { handler: React.RefObject<((key: string) => boolean) | null> }) {
  handler.current = useKeyboardOrbit();
  return null;
}

/** The 3D stage: its own chunk (three.js is large), loaded once the page shell is up. */
export default function Stage3D(props: StageProps) {
  const probe = useRef<HTMLDivElement>(null);
  const keyHandler = useRef<((key: string) => boolean) | null>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    if (keyHandler.current?.(e.key)) {
      e.preventDefault();
      if (props.mode === 'viewer') props.onFreeLook();
    }
  };
  const p = props.initialPose;
  return (
    <div
      ref={probe}
      className="stage"
      data-testid="stage"
      role="img"
      aria-label={props.label}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <Canvas
        shadows
        // Render only when something changes: a still car costs a phone no battery.
        frameloop="demand"
        dpr={[1, 2]}
        camera={{ position: p.position, fov: p.fov ?? 40, near: 0.1, far: 200 }}
        gl={{ antialias: true }}
        onCreated={({ camera }) => camera.lookAt(...p.target)}
      >
        <Showroom>
          <DemoCar paint={props.paint} />
        </Showroom>
        <OrbitControls
          makeDefault
          target={p.target}
          enablePan={false}
          // No damping: it decays per frame, not per second, so a slow device would keep
          // coasting (rendering and sending poses) long after the hand stopped.
          enableDamping={false}
          minDistance={ORBIT_LIMITS.minDistance}
          maxDistance={ORBIT_LIMITS.maxDistance}
          minPolarAngle={ORBIT_LIMITS.minPolar}
          maxPolarAngle={ORBIT_LIMITS.maxPolar}
          onStart={props.mode === 'viewer' ? props.onFreeLook : undefined}
        />
        {props.mode === 'host' ? <HostCameraSync onPose={props.onPose} epoch={props.epoch} /> : <ViewerCameraSync poses={props.poses} following={props.following} />}
        <KeyboardBridge handler={keyHandler} />
        <AdaptiveResolution />
        <CameraProbe probe={probe} />
      </Canvas>
    </div>
  );
}
