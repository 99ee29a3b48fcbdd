import type * as THREE from 'three';
import type { GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { PaintVariant, Vehicle } from '../../../shared/vehicle.js';
import { ModelPaint } from '../modelVariants.js';
import { paintLook } from '../paint.js';

/**
 * The variant on stage, on a freshly loaded model, at once (the stage blends into it; AR and
 * Quick Look show it settled): its own `KHR_materials_variants` variant, or a defined paint on
 * the vehicle's body materials. The same rules as the stage (client/scene/modelVariants.ts).
 * No variant: the model as it was uploaded.
 */
export async function applyVariant(gltf: GLTF, vehicle: Pick<Vehicle, 'bodyMaterials'>, variant: PaintVariant | null): Promise<void> {
  if (!variant) return;
  const paint = new ModelPaint(gltf);
  if (variant.modelVariant !== undefined) {
    for (const [mesh, material] of await paint.variantMaterials(variant.modelVariant)) mesh.material = material;
    return;
  }
  const look = paintLook(variant);
  for (const m of paint.bodyMaterials(vehicle.bodyMaterials) as THREE.MeshPhysicalMaterial[]) {
    m.color.copy(look.color);
    m.metalness = look.metalness;
    m.roughness = look.roughness;
    m.clearcoat = look.clearcoat;
  }
}
