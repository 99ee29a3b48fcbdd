import { useSyncExternalStore } from 'react';
import type { Pose } from '../../shared/presentation.js';
import { easeInOutCubic, lerpPose } from './interpolation.js';

/**
 * Camera flights (a chapter, a hotspot, "follow the presenter", the studio's "look at") carry a
 * viewer across the scene for a second or so: vestibular motion, which people who asked their
 * system for less motion (WCAG 2.3.3) get as a cut instead: the camera is at once where the
 * flight would have landed. The decision is pure, so it is unit-tested; the hook reads it.
 */
export const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)';

/** How long a flight of `ms` takes on this screen: 0 (a cut) with reduced motion. */
export function flightMs(ms: number, reducedMotion: boolean): number {
  return reducedMotion ? 0 : ms;
}

/**
 * Where a flight from `from` to `to` lasting `durationMs` is after `elapsedMs`, and whether it is
 * over. A zero-length flight lands at once.
 */
export function flightPose(from: Pose, to: Pose, elapsedMs: number, durationMs: number): { pose: Pose; done: boolean } {
  if (durationMs <= 0 || elapsedMs >= durationMs) return { pose: to, done: true };
  return { pose: lerpPose(from, to, easeInOutCubic(Math.max(0, elapsedMs) / durationMs)), done: false };
}

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia?.(REDUCED_MOTION_QUERY);
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
}

const reduced = () => window.matchMedia?.(REDUCED_MOTION_QUERY).matches ?? false;

/** The system's reduced-motion setting, followed live (it can change while a page is open). */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, reduced, () => false);
}
