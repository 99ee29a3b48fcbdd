import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { useFrame } from '@react-three/fiber';
import { ContactShadows, Environment, Lightformer } from '@react-three/drei';
import * as THREE from 'three';

const SKY_TOP = '#08090b';
const HORIZON = '#24272c';
const FLOOR = '#17191c';

/** Huge inverted sphere shaded from a lit horizon to a dark ceiling: the studio cyclorama. */
function Backdrop() {
  const geometry = useMemo(() => {
    const g = new THREE.SphereGeometry(60, 32, 24);
    const top = new THREE.Color(SKY_TOP);
    const horizon = new THREE.Color(HORIZON);
    const pos = g.getAttribute('position');
    const colors: number[] = [];
    const c = new THREE.Color();
    for (let i = 0; i < pos.count; i++) {
      const t = Math.pow(THREE.MathUtils.clamp(pos.getY(i) / 60, 0, 1), 0.6);
      colors.push(...c.copy(horizon).lerp(top, t).toArray());
    }
    g.setAttribute('color', new THREE.Float32BufferAttribute(colors, 3));
    return g;
  }, []);
  useEffect(() => () => geometry.dispose(), [geometry]);
  return (
    <mesh geometry={geometry} renderOrder={-1}>
      <meshBasicMaterial vertexColors side={THREE.BackSide} fog={false} toneMapped={false} depthWrite={false} />
    </mesh>
  );
}

/**
 * drei's ContactShadows blurs with a plane at world y = 0 seen from its own camera, so it only works
 * at or just below y = 0; the floor therefore sits a few mm lower still.
 *
 * The contact shadow is baked once (frames=1) because re-rendering it every frame is the most
 * expensive thing in the scene on software WebGL. A cheap bounding-box check twice a second
 * re-bakes it when the content changes, e.g. when a brand's model finishes loading.
 */
function useContentRevision(ref: RefObject<THREE.Group | null>): number {
  const [revision, setRevision] = useState(0);
  const last = useRef('');
  const clock = useRef(0);
  useFrame((_, delta) => {
    clock.current -= delta;
    if (clock.current > 0 || !ref.current) return;
    clock.current = 0.5;
    const box = new THREE.Box3().setFromObject(ref.current);
    const sig = box.isEmpty() ? 'empty' : [...box.min.toArray(), ...box.max.toArray()].map((v) => v.toFixed(2)).join();
    if (sig !== last.current) {
      last.current = sig;
      setRevision((r) => r + 1);
    }
  });
  return revision;
}

/**
 * True once a first frame has been drawn. The costly parts of the studio (the environment's six
 * renders and its prefiltering, the baked contact shadow, and the shaders they add) come in the
 * frame after: on a slow phone the car shows lit by the key light seconds earlier, then takes
 * its reflections. A `vitrine:studio-frame` mark follows the first full frame. `ready` is false
 * while an uploaded model is still loading: its first frame, not the empty stage's, comes first.
 */
function useAfterFirstFrame(ready: boolean): boolean {
  const [after, setAfter] = useState(false);
  const drawn = useRef(false);
  const marked = useRef(false);
  useFrame(() => {
    if (!drawn.current) {
      // Wait for the car itself: a model still loading would otherwise pay for the studio first.
      if (!ready) return;
      drawn.current = true;
      // Once this frame is on screen, not within it.
      setTimeout(() => setAfter(true), 0);
    } else if (after && !marked.current) {
      marked.current = true;
      requestAnimationFrame(() => performance.mark('vitrine:studio-frame'));
    }
  });
  return after;
}

/** Dark studio: softbox environment generated in code (no HDR download), key light, floor, contact shadow. */
export function Showroom({ children, vehicleShown = true }: { children?: ReactNode; vehicleShown?: boolean }) {
  const content = useRef<THREE.Group>(null);
  const revision = useContentRevision(content);
  const full = useAfterFirstFrame(vehicleShown);
  return (
    <>
      <color attach="background" args={[HORIZON]} />
      <fog attach="fog" args={[HORIZON, 12, 45]} />
      <Backdrop />
      {full ? <StudioLight revision={revision} /> : null}
      <directionalLight position={[4, 8, 5]} intensity={1.6} color="#fff6ec" />
      <hemisphereLight args={['#cfd6e0', '#15161a', 0.25]} />
      <mesh rotation-x={-Math.PI / 2} position-y={-0.004} receiveShadow>
        <circleGeometry args={[45, 64]} />
        <meshStandardMaterial color={FLOOR} roughness={0.42} metalness={0.05} envMapIntensity={0.6} />
      </mesh>
      <group ref={content}>{children}</group>
    </>
  );
}

/** The softbox environment (reflections) and the baked contact shadow. */
function StudioLight({ revision }: { revision: number }) {
  return (
    <>
      <Environment resolution={256} frames={1}>
        <color attach="background" args={['#1d1f23']} />
        {/* Overhead softbox: the broad highlight on roof, hood and glass. */}
        <Lightformer form="rect" intensity={2} position={[0, 7, 0]} rotation-x={Math.PI / 2} scale={[12, 4, 1]} />
        {/* Long low strips either side: the crisp horizontal reflection line along the flanks. */}
        <Lightformer form="rect" intensity={3} position={[0, 1.6, 7]} scale={[16, 0.6, 1]} />
        <Lightformer form="rect" intensity={2} position={[0, 1.6, -7]} scale={[16, 0.6, 1]} />
        {/* Front and rear fills. */}
        <Lightformer form="rect" intensity={1.4} position={[9, 2.5, 2]} scale={[4, 3, 1]} />
        <Lightformer form="rect" intensity={1.2} position={[-9, 2.5, -2]} scale={[4, 3, 1]} />
        {/* Broad, dim panel on the viewer's side: lifts the flanks out of black. */}
        <Lightformer form="rect" intensity={0.7} position={[6, 2, 7]} scale={[7, 3.5, 1]} />
        <Lightformer form="ring" intensity={1.5} position={[4, 5, 6]} scale={3} />
      </Environment>
      <ContactShadows key={revision} frames={1} position={[0, -0.001, 0]} scale={11} resolution={1024} blur={2.4} far={1.4} opacity={0.85} />
    </>
  );
}
