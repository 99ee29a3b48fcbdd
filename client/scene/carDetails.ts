import * as THREE from 'three';
import { mergeGeometries } from 'three/addons/utils/BufferGeometryUtils.js';
import { CAR, REAR_AXLE_X, bodyProfile, buildBody, greenhouseFrame } from './carGeometry.js';

/** Small parts that sit on the lofted body: lights, seams, handles, charge flap, mirrors, wheels. */

interface Hit {
  p: THREE.Vector3;
  n: THREE.Vector3;
}

/** Rays against a slice of the body: details land exactly on the loft without an analytic inverse of
 * the surface. A plain typed-array Möller–Trumbore loop over a thin slice is ~20x cheaper than
 * THREE.Raycaster, which matters because the car is built on the main thread at mount. */
function projector(xMin: number, xMax: number) {
  const g = buildBody([xMin, xMax]);
  const p = g.getAttribute('position').array;
  const idx = g.index!.array;
  // Every detail ray is horizontal, so a per-triangle height range rejects almost all triangles early.
  const yLo = new Float32Array(idx.length / 3);
  const yHi = new Float32Array(idx.length / 3);
  for (let f = 0; f < yLo.length; f++) {
    const ys = [p[idx[3 * f]! * 3 + 1]!, p[idx[3 * f + 1]! * 3 + 1]!, p[idx[3 * f + 2]! * 3 + 1]!];
    yLo[f] = Math.min(...ys) - 1e-6;
    yHi[f] = Math.max(...ys) + 1e-6;
  }
  return (o: THREE.Vector3, dir: THREE.Vector3): Hit | null => {
    const d = dir.clone().normalize();
    const flat = Math.abs(d.y) < 1e-9;
    let best = Infinity;
    const n = new THREE.Vector3();
    for (let f = 0; f < yLo.length; f++) {
      if (flat && (o.y < yLo[f]! || o.y > yHi[f]!)) continue;
      const a = idx[3 * f]! * 3;
      const b = idx[3 * f + 1]! * 3;
      const c = idx[3 * f + 2]! * 3;
      const ax = p[a]!, ay = p[a + 1]!, az = p[a + 2]!;
      const e1x = p[b]! - ax, e1y = p[b + 1]! - ay, e1z = p[b + 2]! - az;
      const e2x = p[c]! - ax, e2y = p[c + 1]! - ay, e2z = p[c + 2]! - az;
      const px = d.y * e2z - d.z * e2y, py = d.z * e2x - d.x * e2z, pz = d.x * e2y - d.y * e2x;
      const det = e1x * px + e1y * py + e1z * pz;
      if (det < 1e-12) continue; // back face (seen from inside) or edge-on
      const tx = o.x - ax, ty = o.y - ay, tz = o.z - az;
      const u = (tx * px + ty * py + tz * pz) / det;
      if (u < 0 || u > 1) continue;
      const qx = ty * e1z - tz * e1y, qy = tz * e1x - tx * e1z, qz = tx * e1y - ty * e1x;
      const v = (d.x * qx + d.y * qy + d.z * qz) / det;
      if (v < 0 || u + v > 1) continue;
      const t = (e2x * qx + e2y * qy + e2z * qz) / det;
      if (t > 0 && t < best) {
        best = t;
        n.set(e1y * e2z - e1z * e2y, e1z * e2x - e1x * e2z, e1x * e2y - e1y * e2x).normalize();
      }
    }
    return best < Infinity ? { p: o.clone().addScaledVector(d, best), n } : null;
  };
}

type Cast = (i: number, t: number) => Hit | null;

/** A strip conforming to the body: column i along the strip, `rows` rays across it (t from -halfW to
 * +halfW), every point lifted `off` along its own normal. A flat ribbon would cut into the paint
 * wherever the surface curves across the strip. */
function band(cast: Cast, n: number, halfW: number, off: number, rows = 3): THREE.BufferGeometry {
  const cols: Hit[][] = [];
  for (let i = 0; i < n; i++) {
    const col = Array.from({ length: rows }, (_, r) => cast(i, -halfW + (2 * halfW * r) / (rows - 1)));
    if (col.every((h) => h)) cols.push(col as Hit[]);
  }
  const pos = cols.flat().flatMap((h) => h.p.clone().addScaledVector(h.n, off).toArray());
  const idx: number[] = [];
  for (let c = 0; c < cols.length - 1; c++) {
    for (let r = 0; r < rows - 1; r++) {
      const a = c * rows + r;
      idx.push(a, a + rows, a + 1, a + rows, a + rows + 1, a + 1);
    }
  }
  return finish(pos, idx, cols[0]?.[0]?.n);
}

/** Horizontal rays fanned (in plan) around a point inside the car: wraps a contour at height y. */
function fan(hit: ReturnType<typeof projector>, cx: number, y: number, fromDeg: number, toDeg: number, n: number): Cast {
  return (i, t) => {
    const a = THREE.MathUtils.degToRad(fromDeg + ((toDeg - fromDeg) * i) / (n - 1));
    const dir = new THREE.Vector3(Math.cos(a), 0, Math.sin(a));
    return hit(new THREE.Vector3(cx, y + t, 0).addScaledVector(dir, 4), dir.negate());
  };
}

/** Rays straight in from one side of the car, at (x, y) picked per column/row. */
function sideCast(hit: ReturnType<typeof projector>, s: 1 | -1, at: (i: number, t: number) => [number, number]): Cast {
  return (i, t) => {
    const [x, y] = at(i, t);
    return hit(new THREE.Vector3(x, y, 3 * s), new THREE.Vector3(0, 0, -s));
  };
}

/** A flat strip along analytic points (used on the planar side glass). */
function ribbon(hits: Hit[], across: THREE.Vector3, halfW: number, off: number): THREE.BufferGeometry {
  const pos: number[] = [];
  const idx: number[] = [];
  hits.forEach((h, i) => {
    const a = across.clone().addScaledVector(h.n, -h.n.dot(across)).normalize().multiplyScalar(halfW);
    const c = h.p.clone().addScaledVector(h.n, off);
    pos.push(...c.clone().sub(a).toArray(), ...c.clone().add(a).toArray());
    if (i > 0) idx.push(2 * i - 2, 2 * i, 2 * i - 1, 2 * i - 1, 2 * i, 2 * i + 1);
  });
  return finish(pos, idx, hits[0]?.n);
}

/** Builds the geometry and flips its winding if needed so faces point along the surface normal. */
function finish(pos: number[], idx: number[], outward: THREE.Vector3 | undefined): THREE.BufferGeometry {
  const v = (i: number) => new THREE.Vector3(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]);
  if (outward && idx.length >= 3) {
    const [a, b, c] = [v(idx[0]!), v(idx[1]!), v(idx[2]!)];
    if (b.sub(a).cross(c.sub(a)).dot(outward) < 0) for (let i = 0; i < idx.length; i += 3) [idx[i + 1], idx[i + 2]] = [idx[i + 2]!, idx[i + 1]!];
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.Float32BufferAttribute(pos, 3));
  g.setIndex(idx);
  g.computeVertexNormals();
  return g.toNonIndexed();
}

/** Rounded-rectangle patch projected onto the body along `dir`; `at(u, v)` places the ray origins. */
function patch(hit: ReturnType<typeof projector>, at: (u: number, v: number) => THREE.Vector3, dir: THREE.Vector3, w: number, h: number, r: number, off: number) {
  const outline: [number, number][] = [];
  const corners: [number, number][] = [[w / 2 - r, h / 2 - r], [-w / 2 + r, h / 2 - r], [-w / 2 + r, -h / 2 + r], [w / 2 - r, -h / 2 + r]];
  corners.forEach(([u, v], q) => {
    for (let i = 0; i <= 4; i++) {
      const a = ((q + i / 4) * Math.PI) / 2;
      outline.push([u + r * Math.cos(a), v + r * Math.sin(a)]);
    }
  });
  const hits = [[0, 0] as [number, number], ...outline].map(([u, v]) => hit(at(u, v), dir));
  if (hits.some((x) => !x)) return new THREE.BufferGeometry();
  const pos = hits.flatMap((x) => x!.p.clone().addScaledVector(x!.n, off).toArray());
  const idx = outline.flatMap((_, i) => [0, i + 1, ((i + 1) % outline.length) + 1]);
  return finish(pos, idx, hits[0]!.n);
}

const merge = (gs: THREE.BufferGeometry[]) => mergeGeometries(gs.filter((g) => g.getAttribute('position')));

export function buildDetails() {
  // Tight slices: the raycast is brute force, so each detail only sees the few rings it can land on.
  const front = projector(1.75, 2.4);
  const rear = projector(-2.4, -1.8);
  const up = new THREE.Vector3(0, 1, 0);

  // Thin full-width DRL bar with slimmer, brighter lamp blades at the corners.
  const headLights = merge([
    band(fan(front, 1.6, 0.6, -64, 64, 56), 56, 0.005, 0.005, 2),
    band(fan(front, 1.6, 0.562, 26, 64, 18), 18, 0.014, 0.005),
    band(fan(front, 1.6, 0.562, -64, -26, 18), 18, 0.014, 0.005),
  ]);
  const tailLights = band(fan(rear, -1.7, 0.93, 100, 260, 64), 64, 0.013, 0.005);
  const lightSurround = merge([
    band(fan(rear, -1.7, 0.93, 102, 258, 64), 64, 0.042, 0.0025),
    band(fan(front, 1.6, 0.578, -67, 67, 56), 56, 0.04, 0.0025),
  ]);

  const seams: THREE.BufferGeometry[] = [];
  const handles: THREE.BufferGeometry[] = [];
  for (const s of [1, -1] as const) {
    for (const x of [0.94, -0.12, -1.02]) {
      const y1 = bodyProfile(x).top - 0.1;
      seams.push(band(sideCast(projector(x - 0.05, x + 0.05), s, (i, t) => [x + t, 0.31 + ((y1 - 0.31) * i) / 11]), 12, 0.0028, 0.0015, 2));
    }
    for (const x0 of [0.02, -0.93]) handles.push(band(sideCast(projector(x0 - 0.05, x0 + 0.21), s, (i, t) => [x0 + (0.16 * i) / 5, 0.8 + t]), 6, 0.013, 0.003));
  }
  // Charge port on the right rear wing, where the default camera can see it.
  const onRight = (u: number, v: number) => new THREE.Vector3(-1.97 + u, 0.83 + v, 3);
  const inward = new THREE.Vector3(0, 0, -1);
  const side = projector(-2.08, -1.86);
  const chargeFlap = patch(side, onRight, inward, 0.13, 0.105, 0.025, 0.003);
  const chargeGap = patch(side, onRight, inward, 0.145, 0.12, 0.03, 0.0015);
  // Recessed-looking plate panel on the tail and a small satin badge on each end.
  const forward = new THREE.Vector3(1, 0, 0);
  const plate = patch(rear, (u, v) => new THREE.Vector3(-4, 0.64 + v, u), forward, 0.54, 0.13, 0.02, 0.002);
  const badges = merge([
    patch(rear, (u, v) => new THREE.Vector3(-4, 0.82 + v, u), forward, 0.07, 0.035, 0.017, 0.003),
    patch(front, (u, v) => new THREE.Vector3(4, 0.5 + v, u), forward.clone().negate(), 0.07, 0.035, 0.017, 0.003),
  ]);

  // Satin window surround: base line along the belt and a top line under the roof edge. It is what
  // makes a dark glass greenhouse read as side windows rather than a black blob.
  const dlo: THREE.BufferGeometry[] = [];
  for (const s of [1, -1] as const) {
    for (const which of ['base', 'top'] as const) {
      const hits: Hit[] = [];
      for (let k = 0; k <= 60; k++) {
        const x = 0.9 - (2.78 * k) / 60;
        const f = greenhouseFrame(x);
        const span = f.yA - f.bottom;
        if (span < 0.02) continue;
        const y = which === 'base' ? f.top + 0.012 : f.yA - 0.008;
        const z = f.wb + ((f.zA - f.wb) * (y - f.bottom)) / span;
        const n = new THREE.Vector3(0, f.wb - f.zA, span).normalize();
        hits.push({ p: new THREE.Vector3(x, y, z * s), n: n.setZ(n.z * s) });
      }
      dlo.push(ribbon(hits, up, which === 'base' ? 0.008 : 0.005, 0.002));
    }
  }

  const mirrors = merge(
    [1, -1].flatMap((s) => {
      const cap = new THREE.SphereGeometry(1, 16, 10).scale(0.075, 0.045, 0.1).translate(0.8, 0.99, 0.93 * s);
      const arm = new THREE.BoxGeometry(0.06, 0.018, 0.1).translate(0.82, 0.965, 0.84 * s);
      return [cap, arm].map((g) => g.deleteAttribute('uv').toNonIndexed());
    }),
  );
  return { headLights, tailLights, lightSurround, seams: merge(seams), handles: merge(handles), chargeFlap, chargeGap, mirrors, windowTrim: merge(dlo), plate, badges };
}

/** Wheel parts in wheel space: axis along z, outer face toward +z. */
export function buildWheel() {
  const R = CAR.wheelRadius;
  const W = CAR.tyreWidth / 2;
  const profile: [number, number][] = [[0.248, -W + 0.02], [0.29, -W], [0.33, -W + 0.005], [R - 0.006, -W + 0.03], [R, -W + 0.07], [R + 0.001, 0], [R, W - 0.07], [R - 0.006, W - 0.03], [0.33, W - 0.005], [0.29, W], [0.248, W - 0.02]];
  const tyre = new THREE.LatheGeometry(profile.map(([r, z]) => new THREE.Vector2(r, z)), 48).rotateX(Math.PI / 2);

  // Five twin-spoke aero face: windows cut into a disc.
  const face = new THREE.Shape().absarc(0, 0, 0.236, 0, Math.PI * 2, false);
  const N = 10;
  for (let i = 0; i < N; i++) {
    const a = (i * Math.PI * 2) / N;
    const span = (Math.PI * 2) / N;
    const [o0, o1, i0, i1] = [a + 0.07, a + span - 0.07, a + 0.2, a + span - 0.2];
    const ri = 0.1;
    const hole = new THREE.Path().moveTo(ri * Math.cos(i0), ri * Math.sin(i0));
    hole.absarc(0, 0, 0.212, o0, o1, false).lineTo(ri * Math.cos(i1), ri * Math.sin(i1)).absarc(0, 0, ri, i1, i0, true);
    face.holes.push(hole);
  }
  const rimFace = new THREE.ExtrudeGeometry(face, { depth: 0.016, bevelThickness: 0.008, bevelSize: 0.006, bevelSegments: 1, curveSegments: 4 }).translate(0, 0, W - 0.06);
  const lip = new THREE.TorusGeometry(0.24, 0.011, 6, 48).translate(0, 0, W - 0.045);
  const hub = new THREE.CylinderGeometry(0.05, 0.055, 0.03, 24).rotateX(Math.PI / 2).translate(0, 0, W - 0.04);
  const rim = merge([rimFace, lip, hub].map((g) => g.deleteAttribute('uv')).map((g) => (g.index ? g.toNonIndexed() : g)));
  const barrel = new THREE.CylinderGeometry(0.238, 0.238, 0.2, 40, 1, true).rotateX(Math.PI / 2).translate(0, 0, -0.03);
  const disc = new THREE.CylinderGeometry(0.18, 0.18, 0.024, 40).rotateX(Math.PI / 2);
  const caliper = new THREE.BoxGeometry(0.07, 0.15, 0.06).rotateZ(-Math.PI / 4).translate(-0.12, 0.12, 0.03);
  return { tyre, rim, barrel, disc, caliper };
}

/** Hub centres, with +1/-1 telling which way the outer face of that wheel points along z. */
export function wheelPlacements(): { position: [number, number, number]; side: 1 | -1 }[] {
  return [CAR.frontAxleX, REAR_AXLE_X].flatMap((x) =>
    ([1, -1] as const).map((side) => ({ position: [x, CAR.wheelRadius, (side * CAR.track) / 2] as [number, number, number], side })),
  );
}
