import { useFrame, useThree } from '@react-three/fiber';
import { useRef } from 'react';

/** Below 20 fps a drag feels sticky. */
const SLOW_FRAME_MS = 50;
const SLOW_FRAMES_BEFORE_STEP = 3;
const DPR_STEP = 0.7;
const MIN_DPR = 0.5;
/** Longer gaps are the on-demand loop idling, not a slow frame. */
const IDLE_GAP_MS = 2000;

/**
 * A slow device (an old phone, a browser without GPU) renders fewer pixels rather than fewer
 * frames: after a few slow frames in a row the pixel ratio steps down, to half at most, so
 * turning the car stays responsive. It never steps back up within a visit: flapping between
 * resolutions looks worse than a slightly softer picture.
 */
export function AdaptiveResolution() {
  const setDpr = useThree((s) => s.setDpr);
  const initialDpr = useThree((s) => s.viewport.initialDpr);
  const dpr = useRef(initialDpr);
  const slowInARow = useRef(0);
  const lastFrameAt = useRef(0);
  useFrame(() => {
    const now = performance.now();
    const gap = now - lastFrameAt.current;
    lastFrameAt.current = now;
    if (gap > IDLE_GAP_MS) return;
    slowInARow.current = gap > SLOW_FRAME_MS ? slowInARow.current + 1 : 0;
    if (slowInARow.current >= SLOW_FRAMES_BEFORE_STEP && dpr.current > MIN_DPR) {
      dpr.current = Math.max(MIN_DPR, dpr.current * DPR_STEP);
      slowInARow.current = 0;
      setDpr(dpr.current);
    }
  });
  return null;
}
