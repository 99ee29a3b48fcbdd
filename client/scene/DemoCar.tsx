import { useEffect, useMemo, useState } from 'react';
import type { JSX } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import type * as THREE from 'three';
import type { PaintVariant } from '../../shared/vehicle.js';
import { blendToward, paintLook } from './paint.js';
import { demoCarObject } from './demoCarObject.js';
import { disposeObject } from './ModelCar.js';

/** The built-in parametric demo EV, built once per mount; only the paint material changes. */
export function DemoCar({ paint }: { paint: PaintVariant }): JSX.Element {
  const [car] = useState(() => demoCarObject(paint));
  const paintMaterial = useMemo(() => (car.getObjectByName('body') as THREE.Mesh).material as THREE.MeshPhysicalMaterial, [car]);
  const target = useMemo(() => paintLook(paint), [paint]);
  useEffect(() => () => disposeObject(car), [car]);

  // Paint changes blend in the render loop by mutating the material: no React state per frame.
  // The stage renders on demand, so the blend asks for frames until it has settled.
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => invalidate(), [target, invalidate]);
  useFrame((_, delta) => {
    if (!blendToward(paintMaterial, target, delta)) invalidate();
  });

  return <primitive object={car} />;
}
