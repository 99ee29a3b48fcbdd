import { Document, NodeIO } from '@gltf-transform/core';
import { KHRMaterialsVariants } from '@gltf-transform/extensions';
import type * as THREE from 'three';
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { describe, expect, it } from 'vitest';
import type { PaintVariant } from '../../../shared/vehicle.js';
import { applyVariant } from './modelPaint.js';

/** A two-mesh car whose body has the file's own variants "Bleu" and "Noir" (KHR_materials_variants). */
async function carWithVariants({ bodyEmissive }: { bodyEmissive?: [number, number, number] } = {}): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const positions = doc.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
  const material = (name: string, rgb: [number, number, number]) => doc.createMaterial(name).setBaseColorFactor([...rgb, 1]);
  const body = material('CarPaint', [1, 0, 0]);
  if (bodyEmissive) body.setEmissiveFactor(bodyEmissive);
  const glass = material('Glass', [0.1, 0.1, 0.1]);
  const blue = material('CarPaint_Bleu', [0, 0, 1]);
  const black = material('CarPaint_Noir', [0.01, 0.01, 0.01]);
  const variants = doc.createExtension(KHRMaterialsVariants);
  const bleu = variants.createVariant('Bleu');
  const noir = variants.createVariant('Noir');
  const bodyPrim = doc.createPrimitive().setAttribute('POSITION', positions).setMaterial(body);
  bodyPrim.setExtension(
    'KHR_materials_variants',
    variants.createMappingList().addMapping(variants.createMapping().setMaterial(blue).addVariant(bleu)).addMapping(variants.createMapping().setMaterial(black).addVariant(noir)),
  );
  const glassPrim = doc.createPrimitive().setAttribute('POSITION', positions).setMaterial(glass);
  const scene = doc.createScene();
  scene.addChild(doc.createNode('body').setMesh(doc.createMesh('body').addPrimitive(bodyPrim)));
  scene.addChild(doc.createNode('glass').setMesh(doc.createMesh('glass').addPrimitive(glassPrim)));
  return new NodeIO().registerExtensions([KHRMaterialsVariants]).writeBinary(doc);
}

async function load(glb: Uint8Array): Promise<GLTF> {
  const data = glb.buffer.slice(glb.byteOffset, glb.byteOffset + glb.byteLength) as ArrayBuffer;
  return new GLTFLoader().parseAsync(data, '');
}

const meshNamed = (gltf: GLTF, name: string) => gltf.scene.getObjectByName(name) as THREE.Mesh<THREE.BufferGeometry, THREE.MeshStandardMaterial>;
const hex = (m: THREE.Material) => `#${(m as THREE.MeshStandardMaterial).color.getHexString()}`;

const rubis: PaintVariant = { id: 'rouge-rubis', name: 'Rouge Rubis', color: '#a3121f', metalness: 0.6, roughness: 0.32, clearcoat: 1 };

const bleu = (name: string): PaintVariant => ({ ...rubis, id: name.toLowerCase(), name, modelVariant: name });

describe("the model's own variants (KHR_materials_variants)", () => {
  it('puts the chosen one on the primitives it maps, leaving the rest', async () => {
    const gltf = await load(await carWithVariants());
    expect(hex(meshNamed(gltf, 'body').material)).toBe('#ff0000');
    const glass = meshNamed(gltf, 'glass').material;

    await applyVariant(gltf, { bodyMaterials: [] }, bleu('Bleu'));
    expect(meshNamed(gltf, 'body').material.name).toBe('CarPaint_Bleu');
    expect(hex(meshNamed(gltf, 'body').material)).toBe('#0000ff');
    expect(meshNamed(gltf, 'glass').material).toBe(glass);

    await applyVariant(gltf, { bodyMaterials: [] }, bleu('Noir'));
    expect(meshNamed(gltf, 'body').material.name).toBe('CarPaint_Noir');
  });

  it('leaves the file’s own material for a variant the file does not have', async () => {
    const gltf = await load(await carWithVariants());
    await applyVariant(gltf, { bodyMaterials: ['CarPaint'] }, bleu('Vert'));
    expect(meshNamed(gltf, 'body').material.name).toBe('CarPaint');
    expect(hex(meshNamed(gltf, 'body').material)).toBe('#ff0000');
  });
});

describe('a defined paint on the body materials', () => {
  it('repaints only the named materials, as physical materials with clearcoat', async () => {
    const gltf = await load(await carWithVariants());
    const glassBefore = meshNamed(gltf, 'glass').material;
    await applyVariant(gltf, { bodyMaterials: ['CarPaint'] }, rubis);
    const paint = meshNamed(gltf, 'body').material as unknown as THREE.MeshPhysicalMaterial;
    expect(paint.isMeshPhysicalMaterial).toBe(true);
    expect(paint.name).toBe('CarPaint');
    expect(hex(paint)).toBe('#a3121f');
    expect(paint).toMatchObject({ metalness: 0.6, roughness: 0.32, clearcoat: 1 });
    expect(meshNamed(gltf, 'glass').material).toBe(glassBefore);
  });

  it('drops a glow the body material has without a map, which washed every paint out to grey', async () => {
    const gltf = await load(await carWithVariants({ bodyEmissive: [0.345, 0.345, 0.345] }));
    expect(meshNamed(gltf, 'body').material.emissive.getHexString()).not.toBe('000000');
    await applyVariant(gltf, { bodyMaterials: ['CarPaint'] }, rubis);
    const paint = meshNamed(gltf, 'body').material;
    expect(hex(paint)).toBe('#a3121f');
    expect(paint.emissive.getHexString()).toBe('000000');
  });

  it('changes nothing without a variant or without body materials', async () => {
    const gltf = await load(await carWithVariants());
    await applyVariant(gltf, { bodyMaterials: ['CarPaint'] }, null);
    expect(hex(meshNamed(gltf, 'body').material)).toBe('#ff0000');
    await applyVariant(gltf, { bodyMaterials: [] }, rubis);
    expect(hex(meshNamed(gltf, 'body').material)).toBe('#ff0000');
  });
});
