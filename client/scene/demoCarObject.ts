import * as THREE from 'three';
import type { PaintVariant } from '../../shared/vehicle.js';
import { buildBody, buildGlass, buildTrim } from './carGeometry.js';
import { buildDetails, buildWheel, wheelPlacements } from './carDetails.js';

/** The demo car's materials. The paint is the only one a variant changes. */
function demoMaterials(paint: PaintVariant) {
  const ds = THREE.DoubleSide;
  return {
    paint: new THREE.MeshPhysicalMaterial({ name: 'paint', color: paint.color, metalness: paint.metalness, roughness: paint.roughness, clearcoat: paint.clearcoat, clearcoatRoughness: 0.03 }),
    glass: new THREE.MeshPhysicalMaterial({ name: 'glass', color: '#0a0d12', metalness: 0.2, roughness: 0.03, clearcoat: 1, transparent: true, opacity: 0.88, envMapIntensity: 1.6 }),
    cabin: new THREE.MeshStandardMaterial({ name: 'cabin', color: '#060607', roughness: 0.9 }),
    trim: new THREE.MeshStandardMaterial({ name: 'trim', color: '#0d0e10', roughness: 0.5, metalness: 0.1, side: ds }),
    gloss: new THREE.MeshPhysicalMaterial({ name: 'gloss', color: '#040506', roughness: 0.1, clearcoat: 1, side: ds }),
    satin: new THREE.MeshStandardMaterial({ name: 'satin', color: '#b8bcc2', metalness: 1, roughness: 0.32, side: ds }),
    handle: new THREE.MeshStandardMaterial({ name: 'handle', color: '#2c2f34', metalness: 1, roughness: 0.25, side: ds }),
    // toneMapped off so the LEDs stay pure white / red instead of being compressed to grey.
    head: new THREE.MeshStandardMaterial({ name: 'headlights', color: '#000000', emissive: '#eef4ff', emissiveIntensity: 2.5, toneMapped: false, side: ds }),
    tail: new THREE.MeshStandardMaterial({ name: 'taillights', color: '#000000', emissive: '#ff1a2c', emissiveIntensity: 2.2, toneMapped: false, side: ds }),
    tyre: new THREE.MeshStandardMaterial({ name: 'tyre', color: '#161617', roughness: 0.86, side: ds }),
    rim: new THREE.MeshStandardMaterial({ name: 'rim', color: '#d3d7dc', metalness: 0.65, roughness: 0.3 }),
    barrel: new THREE.MeshStandardMaterial({ name: 'barrel', color: '#1b1c1f', metalness: 0.6, roughness: 0.5, side: ds }),
    disc: new THREE.MeshStandardMaterial({ name: 'disc', color: '#8d9096', metalness: 0.9, roughness: 0.42 }),
    caliper: new THREE.MeshStandardMaterial({ name: 'caliper', color: '#2f6bff', metalness: 0.3, roughness: 0.35 }),
  };
}

/**
 * The built-in demo EV as a plain three.js group: what the stage shows (DemoCar.tsx) and what
 * AR places and exports. Its body mesh is named `body`; its paint material `paint`.
 * Built in metres (front +x, up +y, tyres on y = 0) from the stage's own geometry builders.
 */
export function demoCarObject(paint: PaintVariant): THREE.Group {
  const mat = demoMaterials(paint);
  const geo = { body: buildBody(), glass: buildGlass(), cabin: buildGlass(0.035), trim: buildTrim(), ...buildDetails() };
  const wheel = buildWheel();
  const car = new THREE.Group();
  car.name = 'demo-car';
  const add = (parent: THREE.Object3D, name: string, geometry: THREE.BufferGeometry, material: THREE.Material) => {
    const mesh = new THREE.Mesh(geometry, material);
    mesh.name = name;
    parent.add(mesh);
    return mesh;
  };
  add(car, 'body', geo.body, mat.paint).castShadow = true;
  add(car, 'charge-flap', geo.chargeFlap, mat.paint);
  add(car, 'charge-gap', geo.chargeGap, mat.trim);
  add(car, 'glass', geo.glass, mat.glass);
  add(car, 'cabin', geo.cabin, mat.cabin);
  add(car, 'trim', geo.trim, mat.trim).castShadow = true;
  add(car, 'seams', geo.seams, mat.trim);
  add(car, 'handles', geo.handles, mat.handle);
  add(car, 'light-surround', geo.lightSurround, mat.gloss);
  add(car, 'mirrors', geo.mirrors, mat.gloss);
  add(car, 'window-trim', geo.windowTrim, mat.satin);
  add(car, 'badges', geo.badges, mat.satin);
  add(car, 'plate', geo.plate, mat.gloss);
  add(car, 'headlights', geo.headLights, mat.head);
  add(car, 'taillights', geo.tailLights, mat.tail);
  wheelPlacements().forEach(({ position, side }, i) => {
    const w = new THREE.Group();
    w.name = `wheel-${i + 1}`;
    w.position.set(...position);
    w.rotation.y = side === 1 ? 0 : Math.PI;
    add(w, 'tyre', wheel.tyre, mat.tyre).castShadow = true;
    add(w, 'rim', wheel.rim, mat.rim);
    add(w, 'barrel', wheel.barrel, mat.barrel);
    add(w, 'disc', wheel.disc, mat.disc);
    add(w, 'caliper', wheel.caliper, mat.caliper);
    car.add(w);
  });
  return car;
}
