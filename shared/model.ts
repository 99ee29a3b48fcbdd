import { z } from 'zod';
import { Pose, type Vec3 } from './presentation.js';

/** A brand's uploaded model (issue 5): what the API answers and what the studio shows. */

const finite = z.number().finite();
/** Bounds are in the model's own units, which may be millimetres: no ±1000 m cap here. */
export const Point3 = z.tuple([finite, finite, finite]);
export type Point3 = z.infer<typeof Point3>;

export const Bounds = z.object({ min: Point3, max: Point3 });
export type Bounds = z.infer<typeof Bounds>;

export const TextureStats = z.object({
  name: z.string(),
  mimeType: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type TextureStats = z.infer<typeof TextureStats>;

/** What a model costs a phone: measured before and after optimisation. */
export const ModelStats = z.object({
  bytes: z.number().int().nonnegative(),
  triangles: z.number().int().nonnegative(),
  vertices: z.number().int().nonnegative(),
  /** One per rendered primitive (mesh primitive × node using it). */
  drawCalls: z.number().int().nonnegative(),
  meshes: z.number().int().nonnegative(),
  materials: z.number().int().nonnegative(),
  textures: z.array(TextureStats),
  extensions: z.array(z.string()),
});
export type ModelStats = z.infer<typeof ModelStats>;

const Swatch = z.object({ name: z.string(), color: z.string().regex(/^#[0-9a-f]{6}$/) });

/**
 * What the studio stages a model with: its named materials (a paint repaints the body ones)
 * and its own `KHR_materials_variants`, each with the base colour shown as a swatch.
 */
export const ModelDetails = z.object({ materials: z.array(Swatch), variants: z.array(Swatch) });
export type ModelDetails = z.infer<typeof ModelDetails>;

/** `POST /api/events/:id/model` → `201 {"model": ModelView}`; also `GET` of the same path. */
export const ModelView = z.object({
  /** Served by our own server under `/models/`, immutable (the name is a content hash). */
  url: z.string(),
  name: z.string(),
  /** Bytes of the file viewers download. */
  bytes: z.number().int().nonnegative(),
  /** Bytes of the file as uploaded (kept). */
  originalBytes: z.number().int().nonnegative(),
  stats: z.object({ before: ModelStats, after: ModelStats }),
  bounds: Bounds,
  /** The initial camera pose that frames this model (stored with the event). */
  pose: Pose,
  /** Why the served file is not the optimised one, when it is not (e.g. the original was smaller). */
  note: z.string().nullable(),
  /** Materials and variants of the served file. */
  details: ModelDetails,
  /** A still picture for browsers without WebGL, once the studio has rendered one. */
  posterUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type ModelView = z.infer<typeof ModelView>;


/** A model whose longest side is outside this range (metres) is in some other unit. */
export const PLAUSIBLE_LENGTH_M = { min: 1.5, max: 12 } as const;
/** What a model in strange units is scaled to: a typical car's length. */
export const CAR_LENGTH_M = 4.5;

export interface Placement {
  /** Uniform scale, then offset: world = local × scale + offset. */
  scale: number;
  offset: Vec3;
}

/**
 * Where a model goes on stage: centred on the turntable, wheels on the floor (y = 0), and in
 * metres. A model whose longest side is not a plausible vehicle length in metres (a jeep of
 * 17 units, a car modelled in millimetres) is scaled to a car's length. Pure, shared: the
 * server frames the camera with the same numbers every browser places the model with.
 */
export function placement(bounds: Bounds): Placement {
  const size = bounds.max.map((v, i) => v - bounds.min[i]!) as [number, number, number];
  const longest = Math.max(...size);
  const plausible = longest >= PLAUSIBLE_LENGTH_M.min && longest <= PLAUSIBLE_LENGTH_M.max;
  const scale = !(longest > 0) ? 1 : plausible ? 1 : CAR_LENGTH_M / longest;
  const centre = (i: number) => (bounds.min[i]! + bounds.max[i]!) / 2;
  return { scale, offset: [-centre(0) * scale, -bounds.min[1] * scale, -centre(2) * scale] };
}

/** The placed model's box, in metres on stage. */
export function placedBounds(bounds: Bounds): Bounds {
  const { scale, offset } = placement(bounds);
  const at = (p: Point3): Point3 => [p[0] * scale + offset[0], p[1] * scale + offset[1], p[2] * scale + offset[2]];
  return { min: at(bounds.min), max: at(bounds.max) };
}

/** The demo car's three-quarter front view, as a direction from its target. */
const VIEW_DIRECTION: Vec3 = normalise([4.6, 1.0, 5.4]);
const FRAME_FOV_DEG = 40;
/** How much of the bounding sphere's height the frame shows (under 1: a little cropped, like the demo car). */
const SPHERE_FILL = 0.93;

/** The camera that frames a model placed by `placement`: what host and viewers start from. */
export function framingPose(bounds: Bounds): Pose {
  const b = placedBounds(bounds);
  const radius = boundingRadius(b);
  const target: Vec3 = [0, round((b.max[1] - b.min[1]) * 0.4), 0];
  const distance = (radius / Math.sin(((FRAME_FOV_DEG / 2) * Math.PI) / 180)) * SPHERE_FILL;
  const position = VIEW_DIRECTION.map((d, i) => round(target[i]! + d * distance)) as Vec3;
  return { position, target, fov: FRAME_FOV_DEG, t: 0 };
}

/** Half the diagonal of a box. */
export function boundingRadius(b: Bounds): number {
  return Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]) / 2 || 1;
}

function normalise(v: Vec3): Vec3 {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
