import { z } from 'zod';
import { Bounds } from './model.js';
import { CtaKind, Pose, Vec3, type Pose as PoseT } from './presentation.js';

/** Ids the studio makes from names: short, URL- and CSS-safe, stable across edits. */
export const SlugId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'id: 1–40 lowercase letters, digits or -');
export const HexColor = z.string().regex(/^#[0-9a-f]{6}$/i, 'colour: #rrggbb');
const unit = z.number().finite().min(0).max(1);

/**
 * A paint or trim variant. Either a paint the marketer defined (colour and finish, applied to
 * the vehicle's body materials) or one of the model's own `KHR_materials_variants`
 * (`modelVariant` names it; `color` is then only the swatch).
 */
export const PaintVariant = z.object({
  id: SlugId,
  name: z.string().trim().min(1, 'a variant needs a name').max(40),
  /** sRGB hex colour of the paint (the swatch, for a model variant). */
  color: HexColor,
  metalness: unit,
  roughness: unit,
  clearcoat: unit,
  modelVariant: z.string().max(120).optional(),
});
export type PaintVariant = z.infer<typeof PaintVariant>;

/** A unit-length direction (the surface normal at a hotspot). */
const Direction = Vec3.refine((v) => Math.abs(Math.hypot(...v) - 1) < 0.02, 'normal must be a unit vector');

/** A point of interest on the car's surface, in stage metres (the placed model's space). */
export const Hotspot = z.object({
  id: SlugId,
  title: z.string().trim().min(1, 'a hotspot needs a title').max(60),
  text: z.string().trim().max(500),
  position: Vec3,
  normal: Direction,
  /** Served by our own server (`/media/…`, uploaded through the studio). */
  image: z.string().regex(/^\/media\/[A-Za-z0-9_-]{1,64}\/[0-9a-f]{32}\.(png|jpg|webp)$/, 'image: a /media/ URL from an upload').optional(),
  cta: CtaKind.optional(),
});
export type Hotspot = z.infer<typeof Hotspot>;

/** One step of the presentation: where the camera goes, and optionally a paint and a hotspot. */
export const Chapter = z.object({
  id: SlugId,
  title: z.string().trim().min(1, 'a chapter needs a title').max(40),
  pose: Pose,
  variant: SlugId.optional(),
  hotspot: SlugId.optional(),
});
export type Chapter = z.infer<typeof Chapter>;

export const Vehicle = z.object({
  name: z.string(),
  /** null: the built-in parametric demo car. */
  modelUrl: z.string().nullable(),
  /**
   * Addition: the uploaded model's bounding box in its own units (null with the demo car).
   * Every browser places the model from it with `placement()` (shared/model.ts), the same
   * numbers the server framed the initial camera with.
   */
  modelBounds: Bounds.nullable(),
  /** Addition: a still picture of the car for browsers without WebGL (null: none yet). */
  posterUrl: z.string().nullable(),
  /** Addition: the model's materials a defined paint repaints (empty with model variants and the demo car). */
  bodyMaterials: z.array(z.string()),
  variants: z.array(PaintVariant),
  chapters: z.array(Chapter),
  hotspots: z.array(Hotspot),
});
export type Vehicle = z.infer<typeof Vehicle>;

const uniqueIds = (items: { id: string }[]) => new Set(items.map((i) => i.id)).size === items.length;

/**
 * `PUT /api/events/:id/vehicle`: how the studio stages the event's vehicle. The model's own
 * variants are used when it has some and `modelVariants` is true; otherwise `paints` (applied
 * to `bodyMaterials` of an uploaded model, or to the demo car's body).
 */
export const VehicleSetup = z
  .object({
    /** null: the uploaded model's name, else the demo car's. */
    name: z.string().trim().min(1).max(80).nullable(),
    modelVariants: z.boolean(),
    paints: z.array(PaintVariant.omit({ modelVariant: true })).max(12, 'at most 12 paints'),
    bodyMaterials: z.array(z.string().max(120)).max(32),
    hotspots: z.array(Hotspot).max(24, 'at most 24 hotspots'),
    chapters: z.array(Chapter).max(20, 'at most 20 chapters'),
  })
  .superRefine((s, ctx) => {
    if (!uniqueIds(s.paints)) ctx.addIssue({ code: 'custom', path: ['paints'], message: 'two paints have the same id' });
    if (!uniqueIds(s.hotspots)) ctx.addIssue({ code: 'custom', path: ['hotspots'], message: 'two hotspots have the same id' });
    if (!uniqueIds(s.chapters)) ctx.addIssue({ code: 'custom', path: ['chapters'], message: 'two chapters have the same id' });
    const hotspots = new Set(s.hotspots.map((h) => h.id));
    s.chapters.forEach((c, i) => {
      if (c.hotspot && !hotspots.has(c.hotspot)) ctx.addIssue({ code: 'custom', path: ['chapters', i, 'hotspot'], message: `no hotspot "${c.hotspot}"` });
    });
  });
export type VehicleSetup = z.infer<typeof VehicleSetup>;

/** The demo car's paints, hotspots and agenda: a new event is ready to present as it is. */
const DEMO_PAINTS: PaintVariant[] = [
  { id: 'blanc-nacre', name: 'Blanc Nacré', color: '#e9ebee', metalness: 0.35, roughness: 0.28, clearcoat: 1 },
  { id: 'bleu-abysse', name: 'Bleu Abysse', color: '#1d3f8f', metalness: 0.75, roughness: 0.3, clearcoat: 1 },
  { id: 'rouge-rubis', name: 'Rouge Rubis', color: '#a3121f', metalness: 0.6, roughness: 0.32, clearcoat: 1 },
  { id: 'gris-titane', name: 'Gris Titane', color: '#5b6068', metalness: 0.8, roughness: 0.35, clearcoat: 1 },
  { id: 'vert-lagon', name: 'Vert Lagon', color: '#1f6b5c', metalness: 0.7, roughness: 0.3, clearcoat: 1 },
];

const DEMO_HOTSPOTS: Hotspot[] = [
  {
    id: 'recharge',
    title: 'Recharge rapide',
    text: 'De 10 à 80 % en 26 minutes sur une borne de 150 kW. Trappe de recharge sur l’aile arrière droite.',
    position: [-1.97, 0.83, 0.92],
    normal: [-0.2, 0.19, 0.96],
    cta: 'test_drive',
  },
  {
    id: 'jantes',
    title: 'Jantes aéro 19 pouces',
    text: 'Dessinées pour l’autonomie : jusqu’à 22 km de plus qu’une jante classique.',
    position: [1.42, 0.36, 0.91],
    normal: [0, 0, 1],
  },
  {
    id: 'phares',
    title: 'Signature lumineuse',
    text: 'Phares matriciels LED : les feux de route restent allumés sans éblouir.',
    position: [2.32, 0.6, 0.55],
    normal: [0.89, 0.43, 0.18],
    cta: 'brochure',
  },
];

const pose = (position: [number, number, number], target: [number, number, number], fov = 40): PoseT => ({ position, target, fov, t: 0 });

const DEMO_CHAPTERS: Chapter[] = [
  { id: 'exterieur', title: 'Extérieur', pose: pose([4.6, 1.6, 5.4], [0, 0.6, 0]) },
  { id: 'design', title: 'Design & lumière', pose: pose([5.4, 1.1, 1.8], [1.2, 0.6, 0.3], 38), hotspot: 'phares' },
  { id: 'recharge', title: 'Batterie & recharge', pose: pose([-4.6, 1.4, 3.6], [-1.5, 0.7, 0.6], 38), hotspot: 'recharge' },
  { id: 'couleurs', title: 'Teintes', pose: pose([0, 1.2, 6.8], [0, 0.6, 0]), variant: 'rouge-rubis' },
  { id: 'prix', title: 'Prix & offres', pose: pose([-4.6, 2.2, 4.8], [0, 0.6, 0]) },
];

/** The demo car every new event presents until a brand uploads its own model. */
export const DEMO_VEHICLE: Vehicle = {
  name: 'Vitrine Aura EV',
  modelUrl: null,
  modelBounds: null,
  posterUrl: '/poster-demo.webp',
  bodyMaterials: [],
  variants: DEMO_PAINTS,
  chapters: DEMO_CHAPTERS,
  hotspots: DEMO_HOTSPOTS,
};

export const DEFAULT_VARIANT_ID = 'bleu-abysse';

/** The variant an id names, or null (a vehicle without variants, or an unknown id). */
export function variantOf(vehicle: Vehicle, variantId: string): PaintVariant | null {
  return vehicle.variants.find((v) => v.id === variantId) ?? null;
}

/** Slug for an id made from a name: "Bleu Abysse" → "bleu-abysse". */
export function slugify(name: string, fallback = 'item'): string {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || fallback;
}

/**
 * A model's own `KHR_materials_variants` (name and swatch colour, from the server's model
 * details) as paint variants: ids made from their names, unique. The server and the studio's
 * preview both use it, so the ids a chapter names are the ones screens get.
 */
export function modelVariantsOf(variants: readonly { name: string; color: string }[]): PaintVariant[] {
  const used = new Set<string>();
  return variants.map((v, i) => {
    let id = slugify(v.name, `variante-${i + 1}`);
    if (used.has(id)) id = `${id.slice(0, 36)}-${i + 1}`;
    used.add(id);
    return { id, name: v.name.slice(0, 40) || `Variante ${i + 1}`, color: v.color, metalness: 0.5, roughness: 0.35, clearcoat: 1, modelVariant: v.name };
  });
}

/** Distance from a hotspot the camera stops at, and how far it is lifted, in metres. */
const HOTSPOT_VIEW_DISTANCE = 2.6;
const HOTSPOT_LIFT = 0.35;
/** How far the camera's line to a hotspot may climb above or dip below the horizontal (sine of the angle). */
const HOTSPOT_MAX_RISE = 0.55;
const HOTSPOT_MAX_DIP = 0.1;
/** Under this horizontal share, a normal (a roof, a bonnet, a sill's underside) leans out from the turntable's axis. */
const HOTSPOT_MIN_OUTWARD = 0.5;

/**
 * The direction the camera looks at a hotspot from: its surface's normal, but from beside the car,
 * a little above, never from under it nor straight down on it. A normal that points mostly up or
 * down (picked on a roof, a bonnet, the lower lip of a sill) gets the direction out from the
 * turntable's axis added, so the camera stands outside the car rather than under or inside it.
 */
export function hotspotViewDirection(position: readonly number[], normal: readonly number[]): [number, number, number] {
  const [px = 0, , pz = 0] = position;
  const [nx = 0, ny = 0, nz = 0] = normal;
  let hx = nx;
  let hz = nz;
  const horizontal = Math.hypot(hx, hz);
  if (horizontal < HOTSPOT_MIN_OUTWARD) {
    const out = Math.hypot(px, pz);
    const [ox, oz] = out > 1e-6 ? [px / out, pz / out] : [0, 1];
    const lean = (HOTSPOT_MIN_OUTWARD - horizontal) * 2;
    hx += ox * lean;
    hz += oz * lean;
  }
  const h = Math.hypot(hx, hz) || 1;
  const rise = Math.min(HOTSPOT_MAX_RISE, Math.max(-HOTSPOT_MAX_DIP, ny / (Math.hypot(nx, ny, nz) || 1)));
  const flat = Math.sqrt(1 - rise * rise);
  return [(hx / h) * flat, rise, (hz / h) * flat];
}

/** Where the camera goes to look at a hotspot: in front of its surface, from beside the car, a little above it. */
export function hotspotPose(h: Pick<Hotspot, 'position' | 'normal'>): PoseT {
  const [px, py, pz] = h.position;
  const [dx, dy, dz] = hotspotViewDirection(h.position, h.normal);
  const position: [number, number, number] = [px + dx * HOTSPOT_VIEW_DISTANCE, Math.max(0.4, py + dy * HOTSPOT_VIEW_DISTANCE + HOTSPOT_LIFT), pz + dz * HOTSPOT_VIEW_DISTANCE];
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  return { position: position.map(r) as [number, number, number], target: [r(px), r(py), r(pz)], fov: 38, t: 0 };
}
