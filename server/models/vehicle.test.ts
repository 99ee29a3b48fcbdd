import { Document } from '@gltf-transform/core';
import { KHRMaterialsVariants } from '@gltf-transform/extensions';
import { describe, expect, it } from 'vitest';
import { framingPose } from '../../shared/model.js';
import { DEFAULT_POSE } from '../../shared/presentation.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import type { ModelRecord } from '../store/types.js';
import { details } from './measure.js';
import { defaultChapters, setupOf, setupProblems, vehicleOf } from './vehicle.js';

/** A body and a seat, and two paint variants that swap the body's material. */
function carWithVariants(): Document {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const position = doc.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
  const body = doc.createMaterial('Carrosserie').setBaseColorFactor([0.2, 0.2, 0.2, 1]);
  const seat = doc.createMaterial('Sellerie').setBaseColorFactor([0.05, 0.03, 0.02, 1]);
  doc.createMaterial('Carrosserie'); // a second material of the same name is listed once
  const red = doc.createMaterial('Rouge').setBaseColorFactor([1, 0, 0, 1]);
  const blue = doc.createMaterial('Bleu').setBaseColorFactor([0, 0, 1, 1]);
  const bodyPrim = doc.createPrimitive().setAttribute('POSITION', position).setMaterial(body);
  const seatPrim = doc.createPrimitive().setAttribute('POSITION', position).setMaterial(seat);
  const ext = doc.createExtension(KHRMaterialsVariants);
  const vRed = ext.createVariant('Rosso Corsa');
  const vBlue = ext.createVariant('Blu Elettrico');
  const mappings = ext.createMappingList();
  mappings.addMapping(ext.createMapping().setMaterial(red).addVariant(vRed));
  mappings.addMapping(ext.createMapping().setMaterial(blue).addVariant(vBlue));
  bodyPrim.setExtension('KHR_materials_variants', mappings);
  doc.createScene().addChild(doc.createNode().setMesh(doc.createMesh().addPrimitive(bodyPrim).addPrimitive(seatPrim)));
  return doc;
}

const record = (over: Partial<ModelRecord> = {}): ModelRecord => ({
  eventId: 'ev1',
  name: 'Aura GT',
  original: { file: 'a.source.glb', bytes: 10 },
  optimised: { file: '0123456789abcdef0123456789abcdef.glb', bytes: 5 },
  stats: { before: { bytes: 10, triangles: 1, vertices: 3, drawCalls: 1, meshes: 1, materials: 1, textures: [], extensions: [] }, after: { bytes: 5, triangles: 1, vertices: 3, drawCalls: 1, meshes: 1, materials: 1, textures: [], extensions: [] } },
  bounds: { min: [-2.3, 0, -0.95], max: [2.3, 1.5, 0.95] },
  pose: DEFAULT_POSE,
  note: null,
  details: { materials: [], variants: [] },
  poster: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  ...over,
});

describe('model details', () => {
  it('lists named materials once, with sRGB swatches, and the KHR variants with the colour they map to', () => {
    const d = details(carWithVariants());
    expect(d.materials.map((m) => m.name)).toEqual(['Carrosserie', 'Sellerie', 'Rouge', 'Bleu']);
    // Linear 0.2 is sRGB ~124 (#7c): the swatch shows what the eye sees.
    expect(d.materials[0]!.color).toBe('#7c7c7c');
    expect(d.variants).toEqual([
      { name: 'Rosso Corsa', color: '#ff0000' },
      { name: 'Blu Elettrico', color: '#0000ff' },
    ]);
    expect(details(new Document())).toEqual({ materials: [], variants: [] });
  });
});

describe('vehicleOf', () => {
  it('gives an uploaded model its own variants, no body materials, and a four-view agenda by default', () => {
    const model = record({ details: details(carWithVariants()) });
    const v = vehicleOf({ stage: null, title: 'Lancement Aura' }, model);
    expect(v.variants.map((x) => [x.id, x.name, x.modelVariant])).toEqual([
      ['rosso-corsa', 'Rosso Corsa', 'Rosso Corsa'],
      ['blu-elettrico', 'Blu Elettrico', 'Blu Elettrico'],
    ]);
    expect(v.bodyMaterials).toEqual([]);
    expect(v.chapters).toEqual(defaultChapters(model));
    expect(v.chapters[0]!.pose).toEqual(framingPose(model.bounds));
    expect(v.modelUrl).toBe('/models/ev1/0123456789abcdef0123456789abcdef.glb');
  });

  it('guesses the body materials of a model without variants by their names, and uses the studio paints on them', () => {
    const model = record({ details: { materials: [{ name: 'Car_Paint_Red', color: '#aa0000' }, { name: 'Glass', color: '#000000' }], variants: [] } });
    expect(vehicleOf({ stage: null, title: 'Lancement Aura' }, model)).toMatchObject({ bodyMaterials: ['Car_Paint_Red'], variants: [] });
    const stage = { ...setupOf({ stage: null, title: 'Lancement Aura' }, model), modelVariants: false, paints: [{ id: 'noir', name: 'Noir', color: '#000000', metalness: 0.6, roughness: 0.3, clearcoat: 1 }], bodyMaterials: ['Glass', 'Gone'] };
    const v = vehicleOf({ stage, title: 'Lancement Aura' }, model);
    expect(v.variants.map((x) => x.id)).toEqual(['noir']);
    // A material the model no longer has (replaced by a new upload) is dropped.
    expect(v.bodyMaterials).toEqual(['Glass']);
    expect(setupProblems('ev1', stage, model)).toEqual([{ path: ['bodyMaterials', 1], message: 'the model has no material "Gone"' }]);
  });

  it('the demo car: its paints, hotspots and agenda unless the studio staged others', () => {
    // Unnamed, the demo car bears the launch's title, never "Vitrine Aura EV".
    expect(vehicleOf({ stage: null, title: 'Lancement Aura' }, null)).toEqual({ ...DEMO_VEHICLE, name: 'Lancement Aura' });
    const setup = setupOf({ stage: null, title: 'Lancement Aura' }, null);
    expect(setup.paints).toEqual(DEMO_VEHICLE.variants);
    expect(vehicleOf({ stage: { ...setup, paints: [], name: 'Prototype' }, title: 'Lancement Aura' }, null)).toMatchObject({ name: 'Prototype', variants: DEMO_VEHICLE.variants });
  });

  it('the default agenda looks at the model from four sides, all at the framing distance', () => {
    const model = record();
    const [front, side, rear, top] = defaultChapters(model);
    const dist = (p: { position: number[]; target: number[] }) => Math.hypot(...p.position.map((x, i) => x - p.target[i]!));
    expect(dist(side!.pose)).toBeCloseTo(dist(front!.pose), 3);
    expect(rear!.pose.position[0]).toBeLessThan(0);
    expect(top!.pose.position[1]).toBeGreaterThan(front!.pose.position[1]);
    // The model is longer along x: its profile is seen from +z.
    expect(Math.abs(side!.pose.position[0] - side!.pose.target[0])).toBeLessThan(0.01);
  });
});
