import * as THREE from 'three';
import { mergeGeometries } from 'three/addons/utils/BufferGeometryUtils.js';
import type { Box } from './orbit.js';

/**
 * Pure geometry for the built-in demo EV. Front of the car is +x, up is +y, the right-hand side
 * (the side the default camera sees) is +z; the car is centred on x/z and its tyres touch y = 0.
 */
export const CAR = {
  length: 4.7,
  width: 1.9,
  height: 1.45,
  wheelbase: 2.9,
  frontAxleX: 1.42,
  track: 1.62,
  wheelRadius: 0.355,
  tyreWidth: 0.245,
  archRadius: 0.41,
} as const;
export const REAR_AXLE_X = CAR.frontAxleX - CAR.wheelbase;
/** The demo car's box on stage (what a phone's view widens to hold, orbit.ts). */
export const DEMO_CAR_BOX: Box = {
  min: [-CAR.length / 2, 0, -CAR.width / 2],
  max: [CAR.length / 2, CAR.height, CAR.width / 2],
};
const HALF_L = CAR.length / 2;
const AXLES = [CAR.frontAxleX, REAR_AXLE_X];

type Pt = readonly [number, number];
type Curve = (x: number) => number;

/** Monotone cubic (Fritsch–Carlson): profile curves never overshoot, and an overshoot on a roof or
 * sill line would show up as a wobble in the studio reflections. */
export function monotoneCurve(pts: readonly Pt[]): Curve {
  const n = pts.length;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const d = xs.slice(0, -1).map((x, i) => (ys[i + 1]! - ys[i]!) / (xs[i + 1]! - x));
  const m = xs.map((_, i) =>
    i === 0 ? d[0]! : i === n - 1 ? d[n - 2]! : d[i - 1]! * d[i]! <= 0 ? 0 : (d[i - 1]! + d[i]!) / 2,
  );
  d.forEach((di, i) => {
    if (di === 0) return void (m[i] = m[i + 1] = 0);
    const a = m[i]! / di;
    const b = m[i + 1]! / di;
    const s = a * a + b * b;
    if (s > 9) {
      m[i] = (3 / Math.sqrt(s)) * a * di;
      m[i + 1] = (3 / Math.sqrt(s)) * b * di;
    }
  });
  return (x) => {
    const cx = Math.min(Math.max(x, xs[0]!), xs[n - 1]!);
    let i = 0;
    while (i < n - 2 && cx > xs[i + 1]!) i++;
    const h = xs[i + 1]! - xs[i]!;
    const t = (cx - xs[i]!) / h;
    const t2 = t * t;
    const t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * ys[i]! + (t3 - 2 * t2 + t) * h * m[i]! + (-2 * t3 + 3 * t2) * ys[i + 1]! + (t3 - t2) * h * m[i + 1]!;
  };
}

/** Superellipse fall-off over the last `len` metres: rounds the nose and tail in plan and side view
 * before the end caps close them. */
function tipRound(d: number, len: number, n: number): number {
  if (d >= len) return 1;
  const u = 1 - Math.max(d, 0) / len;
  return Math.pow(1 - Math.pow(u, n), 1 / n);
}

// Side profile of the lower body (bumper → hood → beltline → ducktail) and the sill line.
const topMain = monotoneCurve([[-2.35, 1.03], [-2.2, 1.04], [-1.95, 1.02], [-1.5, 1.0], [-0.8, 0.98], [0, 0.955], [0.6, 0.925], [1.0, 0.895], [1.5, 0.845], [1.9, 0.785], [2.2, 0.71], [2.35, 0.66]]);
const bottomMain = monotoneCurve([[-2.35, 0.42], [-2.15, 0.31], [-1.95, 0.21], [-1.0, 0.17], [1.0, 0.17], [1.9, 0.19], [2.1, 0.22], [2.35, 0.3]]);
// Plan view: slightly wider rear haunches than the nose, like every current EV saloon.
const widthMain = monotoneCurve([[-2.35, 0.88], [-2.0, 0.93], [-1.48, 0.955], [-0.5, 0.94], [0.5, 0.935], [1.42, 0.94], [1.9, 0.91], [2.35, 0.84]]);
// Greenhouse roofline: raked screen, roof peak just behind the B-pillar, long fastback.
const GH_FRONT = 0.98;
const GH_REAR = -1.98;
const roofMain = monotoneCurve([[GH_REAR, 1.01], [-1.8, 1.14], [-1.5, 1.29], [-1.1, 1.405], [-0.7, 1.45], [-0.3, 1.44], [0, 1.4], [0.2, 1.34], [0.55, 1.14], [GH_FRONT, 0.88]]);
/** Height up to which the body is wrapped in black trim (sills, front splitter, rear diffuser). */
const trimLine = monotoneCurve([[-2.35, 0.5], [-2.1, 0.47], [-1.92, 0.3], [1.9, 0.3], [2.12, 0.36], [2.35, 0.4]]);

type Rounding = readonly [len: number, exponent: number];
interface End { centerY: number; top: Rounding; bottom: Rounding; plan: Rounding }
const NOSE: End = { centerY: 0.48, top: [0.24, 2.2], bottom: [0.14, 2], plan: [0.52, 2.4] };
const TAIL: End = { centerY: 0.72, top: [0.1, 3], bottom: [0.12, 2.5], plan: [0.45, 2.6] };
/** Height of the shoulder crease: flanks are near-vertical below it and lean in above it. */
const SHOULDER_Y = 0.74;

export function bodyProfile(x: number): { top: number; bottom: number; halfWidth: number } {
  const end = x > 0 ? NOSE : TAIL;
  const d = HALF_L - Math.abs(x);
  const top = end.centerY + (topMain(x) - end.centerY) * tipRound(d, ...end.top);
  let bottom = end.centerY + (bottomMain(x) - end.centerY) * tipRound(d, ...end.bottom);
  for (const ax of AXLES) {
    const dx = x - ax;
    // Arches are cut through the full width; black well liners hide the opening from below.
    if (Math.abs(dx) <= CAR.archRadius) bottom = Math.max(bottom, CAR.wheelRadius + Math.sqrt(CAR.archRadius ** 2 - dx * dx));
  }
  return { top, bottom, halfWidth: widthMain(x) * tipRound(d, ...end.plan) };
}

/** Side-wall half width at height y: tucked-in rocker, fullest at the shoulder, tumblehome above. */
function sideZ(hw: number, y: number): number {
  // The linear term above the shoulder is a slope break: it catches a crisp highlight line.
  const u = (y - SHOULDER_Y) / 0.3;
  const k = y <= SHOULDER_Y ? 0.05 * ((SHOULDER_Y - y) / 0.55) ** 2 : 0.035 * u + 0.1 * u * u;
  return hw * (1 - k);
}

const arc = (n: number, f: (phi: number) => [number, number]) => Array.from({ length: n }, (_, i) => f(((Math.PI / 2) * i) / (n - 1)));

/** Right half of a body cross-section as (z, y), bottom centre → top centre. Fixed point count so
 * consecutive sections can be stitched into a loft. */
export function bodySection(x: number): [number, number][] {
  const { top, bottom, halfWidth: hw } = bodyProfile(x);
  const h = Math.max(top - bottom, 0);
  const crown = Math.min(0.035, h * 0.15);
  const edgeY = top - crown;
  const rt = Math.min(0.13, (h - crown) * 0.5);
  const rb = Math.min(0.05, (h - crown) * 0.3);
  const zB = sideZ(hw, bottom + rb);
  const rbz = Math.min(rb, zB * 0.5);
  const yA = edgeY - rt;
  const zA = sideZ(hw, yA);
  const rz = Math.min(rt * 1.25, zA * 0.5);
  const w0 = zA - rz;
  const pts: [number, number][] = [0, 1, 2].map((i) => [((zB - rbz) * i) / 3, bottom]);
  pts.push(...arc(4, (p) => [zB - rbz + rbz * Math.sin(p), bottom + rb - rb * Math.cos(p)]));
  // Side samples always include the crease height so the slope break stays sharp.
  const yc = Math.min(Math.max(SHOULDER_Y, bottom + rb), yA);
  for (const t of [1 / 3, 2 / 3, 1]) pts.push([sideZ(hw, bottom + rb + (yc - bottom - rb) * t), bottom + rb + (yc - bottom - rb) * t]);
  for (const t of [1 / 3, 2 / 3]) pts.push([sideZ(hw, yc + (yA - yc) * t), yc + (yA - yc) * t]);
  pts.push(...arc(6, (p) => [w0 + rz * Math.cos(p), yA + rt * Math.sin(p)]));
  for (let i = 1; i <= 5; i++) {
    const z = w0 * (1 - i / 5);
    pts.push([z, edgeY + crown * (w0 > 1e-6 ? 1 - (z / w0) ** 2 : 1)]);
  }
  return pts;
}

/** Where the side glass sits at station x: base (wb at y=bottom) and top of the flank (zA at yA). */
export function greenhouseFrame(x: number, inset = 0) {
  const { top, halfWidth } = bodyProfile(x);
  const bottom = top - 0.025;
  const roof = Math.max(roofMain(x) - inset, bottom);
  const h = roof - bottom;
  const wb = sideZ(halfWidth, top) - 0.1 - inset;
  const crown = Math.min(0.05, h * 0.15);
  const r = Math.min(0.1, h * 0.4);
  const yA = roof - crown - r;
  return { top, bottom, roof, wb, crown, r, yA, zA: wb - 0.36 * (yA - bottom) }; // ~20° side-glass tumblehome
}

/** Greenhouse half-section; `inset` shrinks it for the dark cabin shell seen through the glass. */
export function greenhouseSection(x: number, inset = 0): [number, number][] {
  const { bottom, roof, wb, crown, r, yA, zA } = greenhouseFrame(x, inset);
  const rz = r * 1.3;
  const pts: [number, number][] = [[0, bottom], [wb * 0.5, bottom]];
  for (let i = 0; i < 4; i++) pts.push([wb + ((zA - wb) * i) / 4, bottom + ((yA - bottom) * i) / 4]);
  pts.push(...arc(5, (p) => [zA - rz + rz * Math.cos(p), yA + r * Math.sin(p)]));
  for (let i = 1; i <= 4; i++) {
    const z = (zA - rz) * (1 - i / 4);
    pts.push([z, roof - crown * (z / (zA - rz)) ** 2]);
  }
  return pts;
}

type Ring = [number, number, number][];

function ring(x: number, half: [number, number][], closed: boolean): Ring {
  const full = closed
    ? [...half, ...half.slice(1, -1).reverse().map(([z, y]): [number, number] => [-z, y])]
    : [...half.slice(1).reverse().map(([z, y]): [number, number] => [-z, y]), ...half];
  return full.map(([z, y]) => [x, y, z]);
}

/** Stitch rings ordered by increasing x; a closed ring wraps around. */
function stitch(rings: Ring[], closed: boolean): THREE.BufferGeometry {
  const n = rings[0]!.length;
  const idx: number[] = [];
  for (let s = 0; s < rings.length - 1; s++) {
    for (let j = 0; j < (closed ? n : n - 1); j++) {
      const a = s * n + j;
      const d = s * n + ((j + 1) % n);
      idx.push(a, a + n, d, a + n, d + n, d);
    }
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.Float32BufferAttribute(rings.flat(2), 3));
  g.setIndex(idx);
  g.computeVertexNormals();
  return g;
}

export function loft(stations: number[], half: (x: number) => [number, number][], closed: boolean): THREE.BufferGeometry {
  return stitch(stations.map((x) => ring(x, half(x), closed)), closed);
}

interface Station {
  x: number;
  half: [number, number][];
  /** +1/-1 on the end caps (whose surface faces along x), 0 on the lofted stations. */
  cap: number;
}

/** Rounded end cap: the end section shrinks (an affine inset, so it can never fold over itself)
 * while stepping out along x on a quarter ellipse (depth rx, edge radius ry), then closes as a
 * slightly domed face. Gives a clean bumper edge instead of a loft pinched to a point. */
function capRings(x0: number, dir: 1 | -1, half: [number, number][], rx: number, ry: number): Station[] {
  const cy = (half[0]![1] + half[half.length - 1]![1]) / 2;
  const w = Math.max(...half.map((p) => p[0]), 1e-6);
  const h = Math.max(...half.map((p) => Math.abs(p[1] - cy)), 1e-6);
  const inset = (dz: number, dy: number) =>
    half.map(([z, y]): [number, number] => [z * Math.max(1 - dz / w, 0), cy + (y - cy) * Math.max(1 - dy / h, 0)]);
  const out: Station[] = [];
  for (let k = 1; k <= 6; k++) {
    const t = (Math.PI / 2) * (k / 6);
    const d = ry * (1 - Math.cos(t));
    out.push({ x: x0 + dir * rx * Math.sin(t), half: inset(d, d), cap: dir });
  }
  for (const f of [0.4, 0.75, 1]) {
    out.push({ x: x0 + dir * (rx + DOME * f * (2 - f)), half: inset(ry + (w - ry) * 0.35 * f, ry + (h - ry) * f), cap: dir });
  }
  return out;
}

/** How far the closed end faces bulge out past the rounded edge. */
const DOME = 0.02;
const FRONT_CAP = { rx: 0.13, ry: 0.11 };
const REAR_CAP = { rx: 0.09, ry: 0.1 };

/** Station x-positions: an even spread, refined towards the rounded ends and around the wheel
 * arches (where the sill line jumps vertically). */
export function bodyStations(): number[] {
  const lo = -HALF_L + REAR_CAP.rx + DOME;
  const hi = HALF_L - FRONT_CAP.rx - DOME;
  const xs: number[] = [];
  for (let x = lo; x <= hi + 1e-9; x += 0.06) xs.push(x);
  for (let x = hi; x > hi - 0.45; x -= 0.03) xs.push(x);
  for (let x = lo; x < lo + 0.3; x += 0.03) xs.push(x);
  for (const ax of AXLES) {
    for (let k = 0; k <= 16; k++) xs.push(ax + CAR.archRadius * Math.cos((Math.PI * k) / 16));
    xs.push(ax - CAR.archRadius - 0.003, ax + CAR.archRadius + 0.003);
  }
  return clean(xs, lo, hi);
}

function clean(xs: number[], lo: number, hi: number): number[] {
  const s = xs.filter((x) => x >= lo - 1e-9 && x <= hi + 1e-9).sort((a, b) => a - b);
  return s.filter((x, i) => i === 0 || x - s[i - 1]! > 0.0015);
}

/** Lower part of a body section (below the trim line), pushed 4 mm out so it sits on the paint. */
function clipBelow(src: [number, number][], cut: number): [number, number][] {
  const kept: [number, number][] = [src[0]!];
  for (let i = 1; i < src.length && kept[kept.length - 1]![1] < cut; i++) {
    const [z0, y0] = src[i - 1]!;
    const [z1, y1] = src[i]!;
    if (y1 <= cut) kept.push([z1, y1]);
    else if (y0 < cut) kept.push([z0 + ((z1 - z0) * (cut - y0)) / (y1 - y0), cut]);
  }
  const len = kept.slice(1).reduce((acc, p, i) => acc + Math.hypot(p[0] - kept[i]![0], p[1] - kept[i]![1]), 0);
  const out: [number, number][] = [];
  const K = 9;
  for (let k = 0; k < K; k++) {
    let want = (len * k) / (K - 1);
    let i = 1;
    for (; i < kept.length - 1; i++) {
      const seg = Math.hypot(kept[i]![0] - kept[i - 1]![0], kept[i]![1] - kept[i - 1]![1]);
      if (want <= seg) break;
      want -= seg;
    }
    const a = kept[Math.max(i - 1, 0)]!;
    const b = kept[Math.min(i, kept.length - 1)]!;
    const seg = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const t = Math.min(want / seg, 1);
    const nz = (b[1] - a[1]) / seg;
    const ny = -(b[0] - a[0]) / seg;
    out.push([a[0] + (b[0] - a[0]) * t + nz * 0.004, a[1] + (b[1] - a[1]) * t + ny * 0.004]);
  }
  out[0]![0] = 0;
  return out;
}

let stationCache: Station[] | null = null;

/** Every body ring in order of x: rear cap, lofted stations, front cap. Memoised: it is pure, and the
 * detail builder slices the body many times. */
function bodyStationsWithCaps(): Station[] {
  if (stationCache) return stationCache;
  const st = bodyStations();
  const lo = st[0]!;
  const hi = st[st.length - 1]!;
  stationCache = [
    ...capRings(lo, -1, bodySection(lo), REAR_CAP.rx, REAR_CAP.ry).reverse(),
    ...st.map((x) => ({ x, half: bodySection(x), cap: 0 })),
    ...capRings(hi, 1, bodySection(hi), FRONT_CAP.rx, FRONT_CAP.ry),
  ];
  return stationCache;
}

/** Black trim: the body below the trim line (sills, front splitter, rear diffuser) plus arch liners. */
export function buildTrim(): THREE.BufferGeometry {
  const all = bodyStationsWithCaps();
  const f = CAR.frontAxleX;
  const r = REAR_AXLE_X;
  const a = CAR.archRadius;
  // Three runs split by the arches, where the body bottom is above the trim line.
  const runs = [all.filter((s) => s.x > f + a), all.filter((s) => s.x > r + a && s.x < f - a), all.filter((s) => s.x < r - a)];
  const parts = runs.map((run) =>
    // On the caps the surface faces along x, so the trim is lifted along x as well.
    stitch(run.map((s) => ring(s.x + s.cap * 0.004, clipBelow(s.half, trimLine(s.x)), false)), false),
  );
  for (const ax of AXLES) {
    const well = new THREE.CylinderGeometry(a - 0.004, a - 0.004, 1.8, 24, 1, true, Math.PI / 2, Math.PI);
    well.rotateX(Math.PI / 2).translate(ax, CAR.wheelRadius, 0);
    parts.push(well.deleteAttribute('uv'));
  }
  return mergeGeometries(parts.map((p) => (p.index ? p.toNonIndexed() : p)));
}

export function buildGlass(inset = 0): THREE.BufferGeometry {
  const xs: number[] = [];
  const n = inset > 0 ? 24 : 56;
  for (let k = 0; k <= n; k++) xs.push(GH_REAR + ((GH_FRONT - GH_REAR) * k) / n);
  return loft(xs, (x) => greenhouseSection(x, inset), true);
}

/** `range` keeps only the rings within [min, max] x: a cheap slice for raycasting details onto. */
export function buildBody(range: readonly [number, number] = [-HALF_L, HALF_L]): THREE.BufferGeometry {
  const inRange = bodyStationsWithCaps().filter((s) => s.x >= range[0] - 1e-9 && s.x <= range[1] + 1e-9);
  return stitch(inRange.map((s) => ring(s.x, s.half, true)), true);
}
