import { useEffect, useMemo, useState } from 'react';
import type { JSX } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import * as THREE from 'three';
import type { PaintVariant } from '../../shared/vehicle.js';
import { blendToward, paintLook } from './paint.js';
import { buildBody, buildGlass, buildTrim } from './carGeometry.js';
import { buildDetails, buildWheel, wheelPlacements } from './carDetails.js';


function createMaterials(paint: PaintVariant) {
  const ds = THREE.DoubleSide;
  return {
    paint: new THREE.MeshPhysicalMaterial({
      color: paint.color,
      metalness: paint.metalness,
      roughness: paint.roughness,
      clearcoat: paint.clearcoat,
      clearcoatRoughness: 0.03,
    }),
    glass: new THREE.MeshPhysicalMaterial({
      color: '#0a0d12',
      metalness: 0.2,
      roughness: 0.03,
      clearcoat: 1,
      transparent: true,
      opacity: 0.88,
      envMapIntensity: 1.6,
    }),
    cabin: new THREE.MeshStandardMaterial({ color: '#060607', roughness: 0.9 }),
    trim: new THREE.MeshStandardMaterial({ color: '#0d0e10', roughness: 0.5, metalness: 0.1, side: ds }),
    gloss: new THREE.MeshPhysicalMaterial({ color: '#040506', roughness: 0.1, clearcoat: 1, side: ds }),
    satin: new THREE.MeshStandardMaterial({ color: '#b8bcc2', metalness: 1, roughness: 0.32, side: ds }),
    handle: new THREE.MeshStandardMaterial({ color: '#2c2f34', metalness: 1, roughness: 0.25, side: ds }),
    // toneMapped off so the LEDs stay pure white / red instead of being compressed to grey.
    head: new THREE.MeshStandardMaterial({ color: '#000000', emissive: '#eef4ff', emissiveIntensity: 2.5, toneMapped: false, side: ds }),
    tail: new THREE.MeshStandardMaterial({ color: '#000000', emissive: '#ff1a2c', emissiveIntensity: 2.2, toneMapped: false, side: ds }),
    tyre: new THREE.MeshStandardMaterial({ color: '#161617', roughness: 0.86, side: ds }),
    rim: new THREE.MeshStandardMaterial({ color: '#d3d7dc', metalness: 0.65, roughness: 0.3 }),
    barrel: new THREE.MeshStandardMaterial({ color: '#1b1c1f', metalness: 0.6, roughness: 0.5, side: ds }),
    disc: new THREE.MeshStandardMaterial({ color: '#8d9096', metalness: 0.9, roughness: 0.42 }),
    caliper: new THREE.MeshStandardMaterial({ color: '#2f6bff', metalness: 0.3, roughness: 0.35 }),
  };
}

function buildGeometries() {
  return { body: buildBody(), glass: buildGlass(), cabin: buildGlass(0.035), trim: buildTrim(), ...buildDetails(), wheel: buildWheel() };
}

/** The built-in parametric demo EV. Geometry is built once per mount; only the paint material changes. */
export function DemoCar({ paint }: { paint: PaintVariant }): JSX.Element {
  const geo = useMemo(buildGeometries, []);
  const [mat] = useState(() => createMaterials(paint));
  const target = useMemo(() => paintLook(paint), [paint]);

  useEffect(
    () => () => {
      const { wheel, ...rest } = geo;
      [...Object.values(rest), ...Object.values(wheel)].forEach((g) => g.dispose());
      Object.values(mat).forEach((m) => m.dispose());
    },
    [geo, mat],
  );

  // Paint changes blend in the render loop by mutating the material: no React state per frame.
  // The stage renders on demand, so the blend asks for frames until it has settled.
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => invalidate(), [target, invalidate]);
  useFrame((_, delta) => {
    if (!blendToward(mat.paint, target, delta)) invalidate();
  });

  const w = geo.wheel;
  return (
    <group name="demo-car">
      <mesh geometry={geo.body} material={mat.paint} castShadow />
      <mesh geometry={geo.chargeFlap} material={mat.paint} />
      <mesh geometry={geo.chargeGap} material={mat.trim} />
      <mesh geometry={geo.glass} material={mat.glass} />
      <mesh geometry={geo.cabin} material={mat.cabin} />
      <mesh geometry={geo.trim} material={mat.trim} castShadow />
      <mesh geometry={geo.seams} material={mat.trim} />
      <mesh geometry={geo.handles} material={mat.handle} />
      <mesh geometry={geo.lightSurround} material={mat.gloss} />
      <mesh geometry={geo.mirrors} material={mat.gloss} />
      <mesh geometry={geo.windowTrim} material={mat.satin} />
      <mesh geometry={geo.badges} material={mat.satin} />
      <mesh geometry={geo.plate} material={mat.gloss} />
      <mesh geometry={geo.headLights} material={mat.head} />
      <mesh geometry={geo.tailLights} material={mat.tail} />
      {wheelPlacements().map(({ position, side }) => (
        <group key={position.join()} position={position} rotation={[0, side === 1 ? 0 : Math.PI, 0]}>
          <mesh geometry={w.tyre} material={mat.tyre} castShadow />
          <mesh geometry={w.rim} material={mat.rim} />
          <mesh geometry={w.barrel} material={mat.barrel} />
          <mesh geometry={w.disc} material={mat.disc} />
          <mesh geometry={w.caliper} material={mat.caliper} />
        </group>
      ))}
    </group>
  );
}
