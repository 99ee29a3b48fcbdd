import { useThree } from '@react-three/fiber';
import { useEffect, useState, type JSX } from 'react';
import * as THREE from 'three';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { placement, type Bounds } from '../../shared/model.js';

/** Where a brand's model stands: shown by the stage (progress, or the fallback to the demo car). */
export type ModelLoad = { phase: 'loading'; progress: number | null } | { phase: 'ready' } | { phase: 'failed' };

/** Decoders served by our own server (server/http/models.routes.ts): no CDN, CSP 'self'. */
const DRACO_PATH = '/decoders/draco/';

let loader: GLTFLoader | null = null;
/**
 * One loader per page. Meshopt (what the server compresses geometry with) is bundled in this
 * chunk; Draco is only fetched, from our server, when a model served as uploaded uses it.
 */
function gltfLoader(): GLTFLoader {
  if (!loader) {
    loader = new GLTFLoader();
    loader.setMeshoptDecoder(MeshoptDecoder);
    loader.setDRACOLoader(new DRACOLoader().setDecoderPath(DRACO_PATH));
  }
  return loader;
}

function dispose(root: THREE.Object3D): void {
  root.traverse((o) => {
    const mesh = o as THREE.Mesh;
    if (!mesh.isMesh) return;
    mesh.geometry.dispose();
    for (const m of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) {
      for (const value of Object.values(m)) if (value instanceof THREE.Texture) value.dispose();
      m.dispose();
    }
  });
}

/**
 * A brand's uploaded model, placed like every other screen places it (`placement`, shared
 * with the server, which framed the camera with the same numbers): centred, on the floor,
 * in metres. Lit by the showroom's environment like the demo car.
 */
export function ModelCar({ url, bounds, onLoad }: { url: string; bounds: Bounds; onLoad: (state: ModelLoad) => void }): JSX.Element | null {
  const [scene, setScene] = useState<THREE.Group | null>(null);
  const invalidate = useThree((s) => s.invalidate);

  useEffect(() => {
    let current: THREE.Group | null = null;
    let cancelled = false;
    onLoad({ phase: 'loading', progress: 0 });
    gltfLoader().load(
      url,
      (gltf) => {
        if (cancelled) return dispose(gltf.scene);
        current = gltf.scene;
        gltf.scene.traverse((o) => {
          if ((o as THREE.Mesh).isMesh) o.castShadow = true;
        });
        setScene(gltf.scene);
        onLoad({ phase: 'ready' });
        invalidate();
      },
      (e) => {
        if (!cancelled) onLoad({ phase: 'loading', progress: e.lengthComputable && e.total > 0 ? e.loaded / e.total : null });
      },
      (err) => {
        console.warn('model failed to load', url, err);
        if (!cancelled) onLoad({ phase: 'failed' });
      },
    );
    return () => {
      cancelled = true;
      if (current) dispose(current);
      setScene(null);
    };
    // onLoad is a state setter's wrapper from the stage; a new model is a new URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, invalidate]);

  if (!scene) return null;
  const { scale, offset } = placement(bounds);
  return (
    <group name="model-car" position={offset} scale={scale}>
      <primitive object={scene} />
    </group>
  );
}
