import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import type { PerspectiveCamera } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { Pose, Vec3 } from '../../shared/presentation.js';
import { POSE_INTERVAL_MS } from '../../shared/protocol.js';
import { CHAPTER_FLY_MS, type PoseBuffer, type PoseSource } from './interpolation.js';
import { flightMs, flightPose } from './motion.js';
import { fitPoseToAspect, type Box } from './orbit.js';

/** Below this a camera change is invisible: not worth a message to thousands of viewers. */
const EPSILON = 1e-4;
/** How long "follow presenter" takes to fly back from free look. */
const FLY_MS = 900;

function currentPose(camera: PerspectiveCamera, controls: OrbitControlsImpl): Pose {
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  const p = camera.position;
  const t = controls.target;
  return { position: [r(p.x), r(p.y), r(p.z)], target: [r(t.x), r(t.y), r(t.z)], fov: r(camera.fov), t: Date.now() };
}

const differs = (a: Vec3, b: Vec3) => Math.abs(a[0] - b[0]) > EPSILON || Math.abs(a[1] - b[1]) > EPSILON || Math.abs(a[2] - b[2]) > EPSILON;

export function applyPose(camera: PerspectiveCamera, controls: OrbitControlsImpl | null, pose: Pose): void {
  camera.position.set(...pose.position);
  if (controls) controls.target.set(...pose.target);
  camera.lookAt(...pose.target);
  if (pose.fov !== undefined && Math.abs(camera.fov - pose.fov) > 1e-3) {
    camera.fov = pose.fov;
    camera.updateProjectionMatrix();
  }
}

/**
 * Presenter side: reads the camera each frame and sends it at most POSE_HZ times a second,
 * only while it changes. The pose after the camera stops is always sent: a throttled change
 * asks for one more frame, which sends it.
 */
export function HostCameraSync({ onPose, epoch, poses, reducedMotion }: { onPose: (pose: Pose) => void; epoch: number; poses: PoseBuffer; reducedMotion: boolean }) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const invalidate = useThree((s) => s.invalidate);
  const last = useRef<Pose | null>(null);
  const lastSentAt = useRef(0);
  const flight = useRef<{ from: Pose; to: Pose; startedAt: number; ms: number } | null>(null);
  const flights = useRef(poses.flights);
  // After a (re)connection, send the current view even if it has not moved.
  useEffect(() => {
    last.current = null;
    invalidate();
  }, [epoch, invalidate]);
  useEffect(() => {
    poses.onPose = invalidate;
    return () => {
      poses.onPose = null;
    };
  }, [poses, invalidate]);
  useFrame(() => {
    if (!controls) return;
    // A chapter or a hotspot: the server sent every screen there; this one flies too, and
    // sends nothing meanwhile (viewers fly on their own; the server has the end pose).
    if (poses.flights !== flights.current && poses.latest) {
      flights.current = poses.flights;
      flight.current = { from: currentPose(camera, controls), to: poses.latest, startedAt: performance.now(), ms: flightMs(CHAPTER_FLY_MS, reducedMotion) };
    }
    const f = flight.current;
    if (f) {
      const { pose, done } = flightPose(f.from, f.to, performance.now() - f.startedAt, f.ms);
      applyPose(camera, controls, pose);
      if (!done) return invalidate();
      flight.current = null;
      last.current = currentPose(camera, controls);
      return;
    }
    const pose = currentPose(camera, controls);
    const prev = last.current;
    const changed = !prev || differs(pose.position, prev.position) || differs(pose.target, prev.target) || Math.abs((pose.fov ?? 0) - (prev.fov ?? 0)) > EPSILON;
    if (!changed) return;
    const now = performance.now();
    if (now - lastSentAt.current < POSE_INTERVAL_MS) {
      invalidate(); // frames render on demand: ask for one more so this pose is sent
      return;
    }
    lastSentAt.current = now;
    last.current = pose;
    onPose(pose);
  });
  return null;
}

/**
 * Viewer side: while following, the camera shows the interpolated presenter pose; when the
 * viewer comes back from free look, it flies from where it is to the presenter's view. With
 * reduced motion every flight is a cut.
 */
export function ViewerCameraSync({ poses, following, reducedMotion, vehicleBox }: { poses: PoseSource; following: boolean; reducedMotion: boolean; vehicleBox: Box }) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const size = useThree((s) => s.size);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const invalidate = useThree((s) => s.invalidate);
  const flight = useRef<{ from: Pose; startedAt: number; ms: number } | null>(null);
  const wasFollowing = useRef(following);
  const flights = useRef(poses.flights);
  useEffect(() => {
    poses.onPose = invalidate;
    invalidate();
    return () => {
      poses.onPose = null;
    };
  }, [poses, invalidate, following, size]);
  useFrame(() => {
    if (following && !wasFollowing.current && controls) {
      flight.current = { from: currentPose(camera, controls), startedAt: performance.now(), ms: flightMs(FLY_MS, reducedMotion) };
    }
    // The presenter moved everybody to a chapter or a hotspot: fly there (a cut with reduced motion).
    if (poses.flights !== flights.current) {
      flights.current = poses.flights;
      if (following && controls) flight.current = { from: currentPose(camera, controls), startedAt: performance.now(), ms: flightMs(CHAPTER_FLY_MS, reducedMotion) };
    }
    wasFollowing.current = following;
    if (!following) return;
    const sampled = poses.sample(Date.now());
    if (!sampled) return;
    const target = fitPoseToAspect(sampled, size.width / Math.max(1, size.height), vehicleBox);
    // Keep rendering while between poses or flying; stop once the newest pose is shown.
    if (sampled !== poses.latest || flight.current) invalidate();
    const f = flight.current;
    if (f) {
      const { pose, done } = flightPose(f.from, target, performance.now() - f.startedAt, f.ms);
      if (done) flight.current = null;
      applyPose(camera, controls, pose);
    } else {
      applyPose(camera, controls, target);
    }
  });
  return null;
}

/** Writes the camera's state into a DOM element a few times a second, for tests and tooling. */
export function CameraProbe({ probe }: { probe: React.RefObject<HTMLElement | null> }) {
  const camera = useThree((s) => s.camera);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const invalidate = useThree((s) => s.invalidate);
  const lastWrite = useRef({ at: 0, azimuth: '', position: '' });
  useFrame(() => {
    const el = probe.current;
    if (!el) return;
    const p = camera.position;
    const t = controls?.target ?? { x: 0, y: 0, z: 0 };
    const azimuth = ((Math.atan2(p.x - t.x, p.z - t.z) * 180) / Math.PI).toFixed(1);
    const position = [p.x, p.y, p.z].map((v) => v.toFixed(2)).join(',');
    const last = lastWrite.current;
    if (azimuth === last.azimuth && position === last.position) return;
    const now = performance.now();
    // Frames render on demand: a throttled change asks for one more, so the pose the camera
    // stops on is always written (not the one up to 100 ms before it).
    if (now - last.at < 100) return invalidate();
    lastWrite.current = { at: now, azimuth, position };
    el.dataset.cameraAzimuth = azimuth;
    el.dataset.cameraPosition = position;
  });
  return null;
}
