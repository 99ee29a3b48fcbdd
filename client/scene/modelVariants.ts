import * as THREE from 'three';
import type { GLTF, GLTFParser } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { PaintLook } from './paint.js';

/** `KHR_materials_variants` of one primitive: three's loader leaves it in userData. */
interface Mapping {
  material: number;
  variants: number[];
}

interface MappedMesh {
  mesh: THREE.Mesh;
  /** The material the file gives it outside any variant. */
  original: THREE.Material;
  mappings: Mapping[];
}

/**
 * What repaints a loaded model: its own variants (three's GLTFLoader has no plugin for
 * `KHR_materials_variants` but keeps the extension in userData, which is enough) and the
 * body materials a paint defined in the studio applies to.
 */
export class ModelPaint {
  private readonly variantNames: string[];
  private readonly mapped: MappedMesh[] = [];
  /** Every mesh with its file material: body paint replaces some, and can be undone. */
  private readonly meshes: { mesh: THREE.Mesh; original: THREE.Material }[] = [];
  /** A physical copy of each body material (clearcoat), made once. */
  private readonly bodyCopies = new Map<THREE.Material, THREE.MeshPhysicalMaterial>();
  private readonly parser: GLTFParser;

  constructor(gltf: GLTF) {
    this.parser = gltf.parser;
    const ext = (gltf.parser.json as { extensions?: { KHR_materials_variants?: { variants?: { name?: string }[] } } }).extensions?.KHR_materials_variants;
    this.variantNames = (ext?.variants ?? []).map((v, i) => v.name ?? `Variant ${i + 1}`);
    gltf.scene.traverse((o) => {
      const mesh = o as THREE.Mesh;
      if (!mesh.isMesh || Array.isArray(mesh.material)) return;
      this.meshes.push({ mesh, original: mesh.material });
      const mappings = (mesh.userData.gltfExtensions as { KHR_materials_variants?: { mappings?: Mapping[] } } | undefined)?.KHR_materials_variants?.mappings;
      if (mappings?.length) this.mapped.push({ mesh, original: mesh.material, mappings });
    });
  }

  /** The materials each mapped mesh wears in this variant (its file material where unmapped). */
  async variantMaterials(name: string): Promise<Map<THREE.Mesh, THREE.Material>> {
    const index = this.variantNames.indexOf(name);
    const out = new Map<THREE.Mesh, THREE.Material>();
    await Promise.all(
      this.mapped.map(async ({ mesh, original, mappings }) => {
        const mapping = index < 0 ? undefined : mappings.find((m) => m.variants.includes(index));
        out.set(mesh, mapping ? ((await this.parser.getDependency('material', mapping.material)) as THREE.Material) : original);
      }),
    );
    return out;
  }

  /**
   * Puts physical copies of the named materials on the meshes that wear them (and the file's
   * own back on the others); returns the copies, which a paint then blends toward its look.
   */
  bodyMaterials(names: readonly string[]): THREE.MeshPhysicalMaterial[] {
    const wanted = new Set(names);
    const used = new Set<THREE.MeshPhysicalMaterial>();
    for (const { mesh, original } of this.meshes) {
      if (!wanted.has(original.name) || !(original as THREE.MeshStandardMaterial).isMeshStandardMaterial) {
        if (this.bodyCopies.has(original)) mesh.material = original;
        continue;
      }
      let copy = this.bodyCopies.get(original);
      if (!copy) {
        copy = new THREE.MeshPhysicalMaterial();
        // Standard properties (maps included) from the file's material; clearcoat is ours.
        THREE.MeshStandardMaterial.prototype.copy.call(copy, original as THREE.MeshStandardMaterial);
        copy.clearcoatRoughness = 0.03;
        // The paint is the body's finish: a glow the file gives it without a map (an old
        // converter's ambient, e.g. the jeep fixture's 0.35 grey) would wash any colour out.
        if (!copy.emissiveMap) copy.emissive.setRGB(0, 0, 0);
        this.bodyCopies.set(original, copy);
      }
      mesh.material = copy;
      used.add(copy);
    }
    return [...used];
  }

  dispose(): void {
    for (const copy of this.bodyCopies.values()) copy.dispose();
  }
}

/**
 * A model variant's materials swapped in with a short blend: each mesh first wears a copy of
 * its new material in the old one's colour and finish, which blends to the new look; the real
 * material replaces the copy once there.
 */
export interface Fade {
  mesh: THREE.Mesh;
  copy: THREE.MeshStandardMaterial;
  final: THREE.Material;
  look: PaintLook;
}

export function startFades(next: Map<THREE.Mesh, THREE.Material>): Fade[] {
  const fades: Fade[] = [];
  for (const [mesh, final] of next) {
    const from = mesh.material as THREE.Material;
    if (from === final) continue;
    const a = from as THREE.MeshStandardMaterial;
    const b = final as THREE.MeshStandardMaterial;
    if (!a.isMeshStandardMaterial || !b.isMeshStandardMaterial) {
      mesh.material = final;
      continue;
    }
    const copy = b.clone();
    copy.color.copy(a.color);
    copy.metalness = a.metalness;
    copy.roughness = a.roughness;
    mesh.material = copy;
    const clearcoat = (b as THREE.MeshPhysicalMaterial).clearcoat ?? 0;
    fades.push({ mesh, copy, final, look: { color: b.color.clone(), metalness: b.metalness, roughness: b.roughness, clearcoat } });
  }
  return fades;
}

export function finishFade(f: Fade): void {
  f.mesh.material = f.final;
  f.copy.dispose();
}
