import * as THREE from 'three';
import { unzipSync, strFromU8 } from 'three/examples/jsm/libs/fflate.module.js';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_VEHICLE, variantOf } from '../../../shared/vehicle.js';
import { exportUsdz, splitDoubleSided, USDZ_TYPE } from './quickLook.js';
import { buildVehicleObject } from './vehicleObject.js';

const rubis = variantOf(DEMO_VEHICLE, 'rouge-rubis')!;

describe('the demo car for AR', () => {
  it('is built in metres, wheels on the floor, with the paint on its body', async () => {
    const car = await buildVehicleObject(DEMO_VEHICLE, rubis, null);
    const box = new THREE.Box3().setFromObject(car);
    const size = box.getSize(new THREE.Vector3());
    expect(size.x).toBeCloseTo(4.7, 1);
    expect(size.y).toBeGreaterThan(1.3);
    expect(size.y).toBeLessThan(1.6);
    expect(box.min.y).toBeCloseTo(0, 2);
    const body = car.getObjectByName('body') as THREE.Mesh<THREE.BufferGeometry, THREE.MeshPhysicalMaterial>;
    expect(body.material.color.getHexString()).toBe('a3121f');
    expect(body.material.clearcoat).toBe(1);
  });
});

describe('USDZ for AR Quick Look', () => {
  it('is a zip whose first entry is the .usda scene, anchored on the floor, with the current paint', async () => {
    const blob = await exportUsdz(DEMO_VEHICLE, rubis);
    expect(blob.type).toBe(USDZ_TYPE);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(strFromU8(bytes.subarray(0, 2))).toBe('PK');
    const files = unzipSync(bytes);
    const names = Object.keys(files);
    // Quick Look reads the first file of the archive as the scene.
    expect(names[0]).toBe('model.usda');
    expect(names.filter((n) => /^geometries\/.*\.usda$/.test(n)).length).toBeGreaterThan(10);
    const scene = strFromU8(files['model.usda']!);
    expect(scene).toContain('metersPerUnit = 1');
    expect(scene).toContain('token preliminary:anchoring:type = "plane"');
    expect(scene).toContain('token preliminary:planeAnchoring:alignment = "horizontal"');
    // The paint, in the linear colour USD expects.
    const c = new THREE.Color(rubis.color);
    expect(scene).toContain(`color3f inputs:diffuseColor = (${c.r}, ${c.g}, ${c.b})`);
    expect(scene).toContain(`float inputs:metallic = ${rubis.metalness}`);
  });

  it('follows the variant: another paint is another colour in the file', async () => {
    const blanc = variantOf(DEMO_VEHICLE, 'blanc-nacre')!;
    const scene = strFromU8(unzipSync(new Uint8Array(await (await exportUsdz(DEMO_VEHICLE, blanc)).arrayBuffer()))['model.usda']!);
    const c = new THREE.Color(blanc.color);
    expect(scene).toContain(`color3f inputs:diffuseColor = (${c.r}, ${c.g}, ${c.b})`);
    const r = new THREE.Color(rubis.color);
    expect(scene).not.toContain(`color3f inputs:diffuseColor = (${r.r}, ${r.g}, ${r.b})`);
  });
});

describe('double-sided surfaces, which USD does not have', () => {
  it('get a twin facing the other way, so Quick Look shows no holes, and the exporter has nothing to warn about', async () => {
    const panel = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), new THREE.MeshStandardMaterial({ side: THREE.DoubleSide }));
    panel.name = 'panel';
    const root = new THREE.Group().add(panel);
    expect(splitDoubleSided(root)).toBe(1);
    const back = panel.getObjectByName('panel_back') as THREE.Mesh;
    expect((panel.material as THREE.Material).side).toBe(THREE.FrontSide);
    expect(back.material).toBe(panel.material);
    // Same triangle, reversed: the back's normal points the other way.
    const [a, b, c] = [0, 1, 2].map((i) => new THREE.Vector3().fromBufferAttribute(back.geometry.getAttribute('position') as THREE.BufferAttribute, back.geometry.index!.getX(i)));
    const facing = new THREE.Triangle(a, b, c).getNormal(new THREE.Vector3());
    expect(facing.z).toBeCloseTo(-1);
    expect(back.geometry.getAttribute('normal').getZ(0)).toBeCloseTo(-1);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await exportUsdz(DEMO_VEHICLE, rubis);
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /double sided/.test(m))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});
