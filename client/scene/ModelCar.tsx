import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type JSX } from 'react';
import * as THREE from 'three';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { placement, type Bounds } from '../../shared/model.js';
import type { PaintVariant } from '../../shared/vehicle.js';
import { finishFade, ModelPaint, startFades, type Fade } from './modelVariants.js';
import { blendToward, paintLook } from './paint.js';

/** Where a brand's model stands: shown by the stage (progress, or the fallback to the demo car). */
export type ModelLoad = { phase: 'loading'; progress: number | null } | { phase: 'ready' } | { phase: 'failed' };

/** Decoders served by our own server (server/http/models.routes.ts): no CDN, CSP 'self'. */
const DRACO_PATH = '/decoders/draco/';
const BASIS_PATH = '/decoders/basis/';

let loader: GLTFLoader | null = null;
/**
 * One loader per page. Meshopt (what the server compresses geometry with) is bundled in this
 * chunk; Draco and the KTX2 (Basis Universal) transcoder are only fetched, from our server,
 * when a model served as uploaded uses them. KTX2 needs the renderer to pick a GPU format.
 */
export function gltfLoader(renderer: THREE.WebGLRenderer): GLTFLoader {
  if (!loader) {
    loader = new GLTFLoader();
    loader.setMeshoptDecoder(MeshoptDecoder);
    loader.setDRACOLoader(new DRACOLoader().setDecoderPath(DRACO_PATH));
    loader.setKTX2Loader(new KTX2Loader().setTranscoderPath(BASIS_PATH).detectSupport(renderer));
  }
  return loader;
}

/** Frees a loaded model's geometries, materials and textures. */
export function disposeObject(root: THREE.Object3D): void {
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
export function ModelCar({
  url,
  bounds,
  onLoad,
  variant = null,
  bodyMaterials = [],
}: {
  url: string;
  bounds: Bounds;
  onLoad: (state: ModelLoad) => void;
  /** The variant on stage: one of the model's own, or a paint for `bodyMaterials`. */
  variant?: PaintVariant | null;
  bodyMaterials?: readonly string[];
}): JSX.Element | null {
  const [loaded, setLoaded] = useState<{ scene: THREE.Group; paint: ModelPaint } | null>(null);
  const scene = loaded?.scene ?? null;
  const invalidate = useThree((s) => s.invalidate);
  const gl = useThree((s) => s.gl);

  useEffect(() => {
    let current: { scene: THREE.Group; paint: ModelPaint } | null = null;
    let cancelled = false;
    onLoad({ phase: 'loading', progress: 0 });
    gltfLoader(gl).load(
      url,
      (gltf) => {
        if (cancelled) return disposeObject(gltf.scene);
        gltf.scene.traverse((o) => {
          if ((o as THREE.Mesh).isMesh) o.castShadow = true;
        });
        current = { scene: gltf.scene, paint: new ModelPaint(gltf) };
        setLoaded(current);
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
      if (current) {
        disposeObject(current.scene);
        current.paint.dispose();
      }
      setLoaded(null);
    };
    // onLoad is a state setter's wrapper from the stage; a new model is a new URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, gl, invalidate]);

  // The model's own variant: its materials swap in with a short blend.
  const fades = useRef<Fade[]>([]);
  const modelVariant = variant?.modelVariant ?? null;
  useEffect(() => {
    if (!loaded) return;
    let stale = false;
    void loaded.paint.variantMaterials(modelVariant ?? '').then((next) => {
      if (stale) return;
      fades.current.forEach(finishFade);
      fades.current = startFades(next);
      invalidate();
    });
    return () => {
      stale = true;
    };
  }, [loaded, modelVariant, invalidate]);

  // A paint defined in the studio: the body materials blend toward it, like the demo car's.
  const bodyKey = bodyMaterials.join('\n');
  const body = useRef<THREE.MeshPhysicalMaterial[]>([]);
  // Before paint: the meshes wear the body copies (or their own again) in the same frame.
  useLayoutEffect(() => {
    body.current = loaded && !modelVariant ? loaded.paint.bodyMaterials(bodyKey ? bodyKey.split('\n') : []) : [];
    invalidate();
  }, [loaded, modelVariant, bodyKey, invalidate]);
  const look = useMemo(() => (variant && !variant.modelVariant ? paintLook(variant) : null), [variant]);
  useEffect(() => invalidate(), [look, invalidate]);
  useFrame((_, delta) => {
    let moving = false;
    if (look) for (const m of body.current) moving = !blendToward(m, look, delta) || moving;
    fades.current = fades.current.filter((f) => {
      if (!blendToward(f.copy, f.look, delta)) return true;
      finishFade(f);
      return false;
    });
    if (moving || fades.current.length) invalidate();
  });

  if (!scene) return null;
  const { scale, offset } = placement(bounds);
  return (
    <group name="model-car" position={offset} scale={scale}>
      <primitive object={scene} />
    </group>
  );
}
