import * as THREE from 'three';
import { USDZExporter } from 'three/examples/jsm/exporters/USDZExporter.js';
import * as WebGLTextureUtils from 'three/examples/jsm/utils/WebGLTextureUtils.js';
import type { PaintVariant, Vehicle } from '../../../shared/vehicle.js';
import { buildVehicleObject, disposeObject } from './vehicleObject.js';

/** The MIME type Safari hands to AR Quick Look. */
export const USDZ_TYPE = 'model/vnd.usdz+zip';
/** Textures are downscaled to this in the USDZ: Quick Look on an older iPhone chokes on 4K maps. */
const MAX_TEXTURE_PX = 2048;

/** Why the USDZ could not be made (a texture that cannot be read back, a compressed one…). */
export class UsdzExportError extends Error {
  override readonly name = 'UsdzExportError';
}

/** The same triangles facing the other way: reversed winding, negated normals. */
function backFaces(geometry: THREE.BufferGeometry): THREE.BufferGeometry {
  const g = geometry.clone();
  if (!g.index) {
    const count = g.getAttribute('position').count;
    g.setIndex(Array.from({ length: count }, (_, i) => i));
  }
  const index = g.index!;
  for (let i = 0; i + 2 < index.count; i += 3) {
    const b = index.getX(i + 1);
    index.setX(i + 1, index.getX(i + 2));
    index.setX(i + 2, b);
  }
  const normal = g.getAttribute('normal') as THREE.BufferAttribute | undefined;
  if (normal) for (let i = 0; i < normal.count; i++) normal.setXYZ(i, -normal.getX(i), -normal.getY(i), -normal.getZ(i));
  return g;
}

/**
 * USD has no double-sided materials (the exporter would drop the flag and Quick Look would show
 * holes where a thin panel is seen from behind): each double-sided mesh gets a twin facing the
 * other way, and both use a one-sided copy of the material. Changes `root` in place (the export
 * builds an object of its own).
 */
export function splitDoubleSided(root: THREE.Object3D): number {
  const oneSided = new Map<THREE.Material, THREE.Material>();
  const frontOf = (m: THREE.Material) => {
    if (m.side !== THREE.DoubleSide) return m;
    let f = oneSided.get(m);
    if (!f) {
      f = m.clone();
      f.side = THREE.FrontSide;
      oneSided.set(m, f);
    }
    return f;
  };
  const twins: [THREE.Mesh, THREE.Mesh][] = [];
  root.traverse((o) => {
    const mesh = o as THREE.Mesh;
    if (!mesh.isMesh) return;
    const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    if (!materials.some((m) => m.side === THREE.DoubleSide)) return;
    mesh.material = Array.isArray(mesh.material) ? mesh.material.map(frontOf) : frontOf(mesh.material);
    const back = new THREE.Mesh(backFaces(mesh.geometry), mesh.material);
    back.name = `${mesh.name}_back`;
    twins.push([mesh, back]);
  });
  // Added after the walk: the twin shares the mesh's transform by being its child.
  for (const [mesh, back] of twins) mesh.add(back);
  return twins.length;
}

/** The object as a USDZ archive for AR Quick Look: anchored to a horizontal plane, in metres. */
export async function objectToUsdz(object: THREE.Object3D): Promise<Blob> {
  splitDoubleSided(object);
  try {
    const exporter = new USDZExporter();
    // A model served with KTX2 textures: they are decoded back to pictures through WebGL.
    exporter.setTextureUtils(WebGLTextureUtils);
    const bytes = await exporter.parseAsync(object, {
      quickLookCompatible: true,
      maxTextureSize: MAX_TEXTURE_PX,
      ar: { anchoring: { type: 'plane' }, planeAnchoring: { alignment: 'horizontal' } },
    });
    return new Blob([bytes], { type: USDZ_TYPE });
  } catch (err) {
    throw new UsdzExportError(`USDZ export failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The vehicle on stage, with its current paint, as a USDZ for AR Quick Look. Made in the
 * browser from the same model the stage shows, so there is no second file to prepare or keep
 * in step with the glTF.
 */
export async function exportUsdz(vehicle: Vehicle, variant: PaintVariant | null): Promise<Blob> {
  // Only to load KTX2 textures (the transcoder picks a format the GPU reads); none is drawn.
  let renderer: THREE.WebGLRenderer | null = null;
  if (vehicle.modelUrl) {
    try {
      renderer = new THREE.WebGLRenderer({ canvas: document.createElement('canvas') });
    } catch {
      renderer = null; // no WebGL: a model without KTX2 textures still exports
    }
  }
  try {
    const object = await buildVehicleObject(vehicle, variant, renderer);
    try {
      return await objectToUsdz(object);
    } finally {
      disposeObject(object);
    }
  } finally {
    renderer?.dispose();
  }
}
