import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { yawFacing } from './webxr.js';

/** The demo car's three-quarter front (shared/model.ts VIEW_DIRECTION, flattened): what AR turns towards the person. */
const HERO = new THREE.Vector3(4.6, 0, 5.4).normalize();

describe('placing the car in AR', () => {
  it.each([
    ['in front, where the stage camera is', new THREE.Vector3(4.6, 1.5, 5.4)],
    ['behind', new THREE.Vector3(-3, 1.6, -2)],
    ['to one side, far away', new THREE.Vector3(0, 1.4, -9)],
    ['to the other side', new THREE.Vector3(7, 1.7, 0.2)],
  ])('turns its three-quarter front to a person standing %s', (_where, viewer) => {
    const at = new THREE.Vector3(1, 0, -2);
    const turned = HERO.clone().applyAxisAngle(new THREE.Vector3(0, 1, 0), yawFacing(at, viewer));
    const towards = viewer.clone().sub(at).setY(0).normalize();
    expect(turned.angleTo(towards)).toBeLessThan(1e-6);
  });
});
