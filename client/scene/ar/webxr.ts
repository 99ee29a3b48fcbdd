import * as THREE from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';
import { XREstimatedLight } from 'three/examples/jsm/webxr/XREstimatedLight.js';
import { disposeObject } from './vehicleObject.js';

/** The words the overlay shows, in the page's language. */
export interface ArTexts {
  close: string;
  preparing: string;
  scan: string;
  place: string;
  placed: string;
}

/** The demo car's three-quarter front view (shared/model.ts VIEW_DIRECTION): the side it shows the person. */
const HERO_YAW = Math.atan2(4.6, 5.4);

/**
 * The turn (about +y) that shows the car's three-quarter front to someone standing at
 * `viewer`, for a car standing at `at`.
 */
export function yawFacing(at: THREE.Vector3, viewer: THREE.Vector3): number {
  return Math.atan2(viewer.x - at.x, viewer.z - at.z) - HERO_YAW;
}

/** The overlay's content: a close button and one line of guidance. */
export function buildOverlay(overlay: HTMLElement, texts: ArTexts, onClose: () => void): { hint: (text: string) => void } {
  overlay.className = 'ar-overlay';
  overlay.replaceChildren();
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'btn ar-overlay-close';
  close.textContent = texts.close;
  close.addEventListener('click', onClose);
  const hint = document.createElement('p');
  hint.className = 'ar-overlay-hint';
  hint.setAttribute('role', 'status');
  hint.textContent = texts.preparing;
  // A tap on our own buttons must not also place the car (Chrome sends it to the session too).
  overlay.addEventListener('beforexrselect', (e) => e.preventDefault());
  overlay.append(close, hint);
  return { hint: (text) => (hint.textContent = text) };
}

function reticle(): THREE.Mesh {
  const ring = new THREE.Mesh(
    new THREE.RingGeometry(0.2, 0.26, 48).rotateX(-Math.PI / 2),
    new THREE.MeshBasicMaterial({ color: 0x5ee1c8, transparent: true, opacity: 0.9, depthTest: false }),
  );
  ring.matrixAutoUpdate = false;
  ring.visible = false;
  ring.renderOrder = 2;
  return ring;
}

/**
 * Runs an immersive-ar session already granted (it must be requested in the tap's own task):
 * the camera's view, a ring where the floor is found, and the car at real size (metres) where
 * the person taps, turned to show them its three-quarter front. A second tap moves it. Ends
 * when the person closes it (our button, or the system's back gesture); `onEnd` then runs once.
 */
export async function runArSession(
  session: XRSession,
  opts: { overlay: HTMLElement; texts: ArTexts; car: (renderer: THREE.WebGLRenderer) => Promise<THREE.Object3D>; onEnd: (error?: unknown) => void },
): Promise<void> {
  const { overlay, texts } = opts;
  const ui = buildOverlay(overlay, texts, () => void session.end().catch(() => undefined));

  const renderer = new THREE.WebGLRenderer({ antialias: true, alpha: true });
  renderer.setPixelRatio(window.devicePixelRatio);
  renderer.xr.enabled = true;
  renderer.xr.setReferenceSpaceType('local');
  renderer.shadowMap.enabled = true;
  renderer.shadowMap.type = THREE.PCFSoftShadowMap;

  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(70, window.innerWidth / window.innerHeight, 0.01, 100);
  // Paint needs something to reflect: a neutral room, until the device estimates the real light.
  const pmrem = new THREE.PMREMGenerator(renderer);
  const room = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
  scene.environment = room;
  const hemi = new THREE.HemisphereLight(0xffffff, 0x444444, 1.2);
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(2, 6, 3);
  sun.castShadow = true;
  sun.shadow.mapSize.set(1024, 1024);
  Object.assign(sun.shadow.camera, { left: -4, right: 4, top: 4, bottom: -4, near: 0.5, far: 20 });
  scene.add(hemi, sun, sun.target);

  // Only where the browser granted it: XREstimatedLight asks for a light probe without handling a refusal.
  const estimated = session.enabledFeatures?.includes('light-estimation') ? new XREstimatedLight(renderer) : null;
  estimated?.addEventListener('estimationstart', () => {
    scene.add(estimated);
    scene.remove(hemi);
    if (estimated.environment) scene.environment = estimated.environment;
  });
  estimated?.addEventListener('estimationend', () => {
    scene.remove(estimated);
    scene.add(hemi);
    scene.environment = room;
  });

  const ring = reticle();
  scene.add(ring);
  // The car's shadow on the real floor: only the shadow of this plane is drawn.
  const floor = new THREE.Mesh(new THREE.PlaneGeometry(12, 12).rotateX(-Math.PI / 2), new THREE.ShadowMaterial({ opacity: 0.35 }));
  floor.receiveShadow = true;
  floor.visible = false;
  scene.add(floor);

  let car: THREE.Object3D | null = null;
  let hitSource: XRHitTestSource | null = null;
  let ended = false;
  const finish = (error?: unknown) => {
    if (ended) return;
    ended = true;
    renderer.setAnimationLoop(null);
    hitSource?.cancel();
    if (car) disposeObject(car);
    disposeObject(scene);
    estimated?.dispose();
    room.dispose();
    pmrem.dispose();
    renderer.dispose();
    overlay.remove();
    opts.onEnd(error);
  };
  session.addEventListener('end', () => finish());

  try {
    await renderer.xr.setSession(session);
    const viewerSpace = await session.requestReferenceSpace('viewer');
    hitSource = (await session.requestHitTestSource?.({ space: viewerSpace })) ?? null;
    if (!hitSource) throw new Error('hit-test was granted but no hit test source could be made');
  } catch (err) {
    finish(err);
    void session.end().catch(() => undefined);
    return;
  }

  opts.car(renderer).then(
    (object) => {
      if (ended) return disposeObject(object);
      car = object;
      car.visible = false;
      scene.add(car);
      ui.hint(texts.scan);
    },
    (err: unknown) => {
      finish(err);
      void session.end().catch(() => undefined);
    },
  );

  const viewer = new THREE.Vector3();
  session.addEventListener('select', () => {
    if (!car || !ring.visible) return;
    car.position.setFromMatrixPosition(ring.matrix);
    renderer.xr.getCamera().getWorldPosition(viewer);
    car.rotation.set(0, yawFacing(car.position, viewer), 0);
    car.visible = true;
    floor.position.copy(car.position);
    floor.visible = true;
    sun.target.position.copy(car.position);
    sun.position.copy(car.position).add(new THREE.Vector3(2, 6, 3));
    ui.hint(texts.placed);
  });

  let seen = false;
  renderer.setAnimationLoop((_time, frame) => {
    const space = renderer.xr.getReferenceSpace();
    if (frame && hitSource && space) {
      const pose = frame.getHitTestResults(hitSource)[0]?.getPose(space);
      ring.visible = pose !== undefined;
      if (pose) {
        ring.matrix.fromArray(pose.transform.matrix);
        if (!seen && car) {
          seen = true;
          if (!car.visible) ui.hint(texts.place);
        }
      }
    }
    renderer.render(scene, camera);
  });
}
