import * as THREE from 'three';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { placement } from '../../../shared/model.js';
import { DEMO_VEHICLE, type PaintVariant, type Vehicle } from '../../../shared/vehicle.js';
import { disposeObject, gltfLoader } from '../ModelCar.js';
import { demoCarObject } from '../demoCarObject.js';
import { applyVariant } from './modelPaint.js';

/** Decoders served by our own server, as the stage loads them (client/scene/ModelCar.tsx). */
const DRACO_PATH = '/decoders/draco/';

let plainLoader: GLTFLoader | null = null;
/**
 * Without a renderer (no WebGL at all), a loader without the KTX2 transcoder, which needs one
 * to pick a GPU format: a model with KTX2 textures then fails to load, and the button says so.
 */
function loaderFor(renderer: THREE.WebGLRenderer | null): GLTFLoader {
  if (renderer) return gltfLoader(renderer);
  if (!plainLoader) {
    plainLoader = new GLTFLoader();
    plainLoader.setMeshoptDecoder(MeshoptDecoder);
    plainLoader.setDRACOLoader(new DRACOLoader().setDecoderPath(DRACO_PATH));
  }
  return plainLoader;
}

/** Why the vehicle could not be built: the AR button says so in words. */
export class VehicleLoadError extends Error {
  override readonly name = 'VehicleLoadError';
}

/**
 * The vehicle on stage as a plain three.js object, placed as every screen places it: centred,
 * wheels on y = 0, in metres (`placement`), with the current paint. This is what AR puts on
 * the floor at real size and what Quick Look gets as USDZ. `renderer`: the one the model's
 * KTX2 textures are transcoded for (the stage's loader is shared, set up with the first).
 */
export async function buildVehicleObject(vehicle: Vehicle, variant: PaintVariant | null, renderer: THREE.WebGLRenderer | null): Promise<THREE.Group> {
  const root = new THREE.Group();
  root.name = 'vehicle';
  if (!vehicle.modelUrl || !vehicle.modelBounds) {
    // Without a variant, the paint the stage shows (Stage3D falls back to the first demo paint).
    root.add(demoCarObject(variant ?? DEMO_VEHICLE.variants[0]!));
    return root;
  }
  let gltf;
  try {
    gltf = await loaderFor(renderer).loadAsync(vehicle.modelUrl);
  } catch (err) {
    throw new VehicleLoadError(`model ${vehicle.modelUrl} failed to load: ${err instanceof Error ? err.message : String(err)}`);
  }
  await applyVariant(gltf, vehicle, variant);
  const { scale, offset } = placement(vehicle.modelBounds);
  const placed = new THREE.Group();
  placed.name = 'model-car';
  placed.position.set(...offset);
  placed.scale.setScalar(scale);
  placed.add(gltf.scene);
  gltf.scene.traverse((o) => {
    if ((o as THREE.Mesh).isMesh) o.castShadow = true;
  });
  root.add(placed);
  return root;
}

/** Frees what `buildVehicleObject` made (geometries, materials, textures): as the stage does. */
export { disposeObject };
