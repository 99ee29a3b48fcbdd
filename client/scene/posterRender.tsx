import { advance, createRoot, extend, useThree } from '@react-three/fiber';
import { useLayoutEffect } from 'react';
import * as THREE from 'three';
import type { Bounds } from '../../shared/model.js';
import type { Pose } from '../../shared/presentation.js';
import { ModelCar, type ModelLoad } from './ModelCar.js';
import { Showroom } from './Showroom.js';

/** 16:9 at the width the server keeps: a laptop's stage, and what `contain` fits on a phone. */
export const POSTER_SIZE = { width: 1600, height: 900 } as const;
/**
 * Frames are drawn one by one, on purpose: a software renderer queues frames faster than it
 * draws them, and reading the picture back waits for every queued one. After the model is
 * ready: one frame shows it (the showroom's environment renders then, and its contact shadow
 * notices the new content), a pause longer than the shadow's 0.5 s check, one frame bakes the
 * shadow, then the picture.
 */
const COMMIT_MS = 100;
const SHADOW_CHECK_MS = 600;
/** A model that has not loaded by then will not: the studio says so instead of waiting forever. */
const LOAD_TIMEOUT_MS = 60_000;
const WEBP_QUALITY = 0.86;
/**
 * The framing pose leaves room around the car for the stage's bars and captions; a poster is
 * shown whole (`contain`) on a phone and is better filled: the camera is narrowed this much.
 */
const POSTER_ZOOM = 1.35;

/** The vertical field of view that shows the middle 1/zoom of what `fov` shows. */
export function zoomedFov(fovDeg: number, zoom = POSTER_ZOOM): number {
  const half = (fovDeg * Math.PI) / 360;
  return (Math.atan(Math.tan(half) / zoom) * 360) / Math.PI;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why no poster was made (no WebGL in this browser, the model did not load). */
export class PosterRenderError extends Error {
  override readonly name = 'PosterRenderError';
}

export interface PosterInput {
  /** The model's URL on our server (same origin). */
  url: string;
  bounds: Bounds;
  /** The pose that frames the model (`ModelView.pose`): the poster is what a viewer first sees. */
  pose: Pose;
}

/** Aims the camera like the stage does for this pose. */
function Aim({ pose }: { pose: Pose }) {
  const camera = useThree((st) => st.camera);
  useLayoutEffect(() => {
    camera.position.set(...pose.position);
    camera.lookAt(...pose.target);
    camera.updateMatrixWorld();
  }, [camera, pose]);
  return null;
}

function toBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    // WebP where the browser encodes it; Safari falls back to PNG, which the server takes too.
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new PosterRenderError('the canvas could not be read back'))), 'image/webp', WEBP_QUALITY);
  });
}

/**
 * Renders the model in the showroom, framed by its pose, in an offscreen canvas of the
 * studio's page, and returns the picture (WebP, or PNG where the browser has no WebP encoder).
 * Same components as the stage (Showroom, ModelCar): the poster looks like the 3D view.
 */
export async function renderPoster(input: PosterInput): Promise<Blob> {
  // <Canvas> registers three's classes for JSX; a bare root must do it itself.
  extend(THREE as unknown as Parameters<typeof extend>[0]);
  const canvas = document.createElement('canvas');
  canvas.width = POSTER_SIZE.width;
  canvas.height = POSTER_SIZE.height;
  const root = createRoot(canvas);
  try {
    await root.configure({
      size: { width: POSTER_SIZE.width, height: POSTER_SIZE.height, top: 0, left: 0 },
      dpr: 1,
      shadows: true,
      // Frames only when this function draws one (see COMMIT_MS).
      frameloop: 'never',
      gl: { antialias: true, preserveDrawingBuffer: true },
      camera: { position: input.pose.position, fov: zoomedFov(input.pose.fov ?? 40), near: 0.1, far: 200 },
    });
  } catch (err) {
    root.unmount();
    throw new PosterRenderError(`no WebGL to render with: ${err instanceof Error ? err.message : String(err)}`);
  }
  let copy: HTMLCanvasElement;
  try {
    let store: ReturnType<typeof root.render> | null = null;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PosterRenderError('the model took too long to load')), LOAD_TIMEOUT_MS);
      const onLoad = (state: ModelLoad) => {
        if (state.phase === 'loading') return;
        clearTimeout(timer);
        if (state.phase === 'ready') resolve();
        else reject(new PosterRenderError('the model could not be loaded'));
      };
      store = root.render(
        <>
          <Showroom>
            <ModelCar url={input.url} bounds={input.bounds} onLoad={onLoad} />
          </Showroom>
          <Aim pose={input.pose} />
        </>,
      );
    });
    const frame = () => advance(performance.now(), true, store!.getState());
    await pause(COMMIT_MS); // React puts the loaded model in the scene
    frame();
    await pause(SHADOW_CHECK_MS); // the contact shadow sees the model and is remounted
    frame();
    await pause(COMMIT_MS);
    frame();
    // Copied at once to a 2D canvas, which is encoded once the 3D root is gone.
    const { gl } = store!.getState();
    copy = document.createElement('canvas');
    copy.width = gl.domElement.width;
    copy.height = gl.domElement.height;
    copy.getContext('2d')?.drawImage(gl.domElement, 0, 0);
  } finally {
    root.unmount();
  }
  return toBlob(copy);
}
