import { getBounds, ImageUtils, Primitive, type Document, type Node, type Scene } from '@gltf-transform/core';
import { KHRMaterialsVariants, type MappingList, type Variant } from '@gltf-transform/extensions';
import type { Bounds, ModelDetails, ModelStats, TextureStats } from '../../shared/model.js';

/** The scene viewers see: the default one, else the first. */
export function mainScene(doc: Document): Scene | null {
  const root = doc.getRoot();
  return root.getDefaultScene() ?? root.listScenes()[0] ?? null;
}

/** Triangles one primitive draws (0 for points and lines). */
function triangleCount(p: Primitive): number {
  const indices = p.getIndices();
  const position = p.getAttribute('POSITION');
  const n = indices ? indices.getCount() : (position?.getCount() ?? 0);
  switch (p.getMode()) {
    case Primitive.Mode.TRIANGLES:
      return Math.floor(n / 3);
    case Primitive.Mode.TRIANGLE_STRIP:
    case Primitive.Mode.TRIANGLE_FAN:
      return Math.max(0, n - 2);
    default:
      return 0;
  }
}

/**
 * What a model costs to download and draw, counted per instance in the scene (a wheel mesh
 * used four times is four times the triangles and draw calls). Texture sizes come from the
 * image headers: nothing is decoded.
 */
export function measure(doc: Document, bytes: number): ModelStats {
  const root = doc.getRoot();
  let triangles = 0;
  let vertices = 0;
  let drawCalls = 0;
  const scene = mainScene(doc);
  scene?.traverse((node: Node) => {
    const mesh = node.getMesh();
    if (!mesh) return;
    for (const p of mesh.listPrimitives()) {
      triangles += triangleCount(p);
      vertices += p.getAttribute('POSITION')?.getCount() ?? 0;
      drawCalls++;
    }
  });
  const textures: TextureStats[] = root.listTextures().map((t, i) => {
    const image = t.getImage();
    const size = image ? ImageUtils.getSize(image, t.getMimeType()) : null;
    return {
      name: t.getName() || t.getURI() || `texture ${i}`,
      mimeType: t.getMimeType(),
      width: size?.[0] ?? 0,
      height: size?.[1] ?? 0,
      bytes: image?.byteLength ?? 0,
    };
  });
  return {
    bytes,
    triangles,
    vertices,
    drawCalls,
    meshes: root.listMeshes().length,
    materials: root.listMaterials().length,
    textures,
    extensions: root.listExtensionsUsed().map((e) => e.extensionName).sort(),
  };
}

/** The scene's world-space box, in the model's own units. */
export function sceneBounds(doc: Document): Bounds | null {
  const scene = mainScene(doc);
  if (!scene) return null;
  const { min, max } = getBounds(scene);
  if (![...min, ...max].every(Number.isFinite) || min[0] > max[0]) return null;
  return { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] };
}

function hex(rgba: number[]): string {
  // glTF colours are linear: the swatch is sRGB.
  const srgb = (c: number) => (c <= 0.0031308 ? c * 12.92 : 1.055 * Math.pow(c, 1 / 2.4) - 0.055);
  return `#${rgba.slice(0, 3).map((c) => Math.round(Math.min(1, Math.max(0, srgb(c))) * 255).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The materials the studio can pick as body paint (named ones, once each) and the model's own
 * `KHR_materials_variants`, with the colour of the first material each variant maps to.
 */
export function details(doc: Document): ModelDetails {
  const root = doc.getRoot();
  const seen = new Set<string>();
  const materials = root
    .listMaterials()
    .filter((m) => m.getName() && !seen.has(m.getName()) && seen.add(m.getName()))
    .map((m) => ({ name: m.getName(), color: hex(m.getBaseColorFactor()) }));
  const ext = root.listExtensionsUsed().find((e) => e.extensionName === KHRMaterialsVariants.EXTENSION_NAME) as KHRMaterialsVariants | undefined;
  const variants = (ext?.listVariants() ?? []).map((v: Variant, i) => {
    let color = '#808080';
    for (const mesh of root.listMeshes()) {
      for (const p of mesh.listPrimitives()) {
        const list = p.getExtension<MappingList>('KHR_materials_variants');
        const mapping = list?.listMappings().find((m) => m.listVariants().includes(v));
        const material = mapping?.getMaterial();
        if (material) {
          color = hex(material.getBaseColorFactor());
          return { name: v.getName() || `Variant ${i + 1}`, color };
        }
      }
    }
    return { name: v.getName() || `Variant ${i + 1}`, color };
  });
  return { materials, variants };
}
