import type { ValidationIssue } from '../../../shared/errors.js';
import { MEDIA_MAX_BYTES } from '../../../shared/media.js';
import type { Pose, Vec3 } from '../../../shared/presentation.js';
import { DEMO_VEHICLE, modelVariantsOf, slugify, type Chapter, type Hotspot, type PaintVariant, type VehicleSetup } from '../../../shared/vehicle.js';
import type { MessageKey } from '../../i18n/messages.js';

/*
 * The studio's staging editor, the parts that need no browser: ids, list edits, camera and
 * surface maths, error mapping. Kept free of three.js: this module is in the studio's first
 * chunk, the 3D preview is loaded later.
 */

export type Paint = VehicleSetup['paints'][number];
export type Swatch = { name: string; color: string };

/** Limits of `VehicleSetup` (shared/vehicle.ts): the editor stops offering "add" there. */
export const MAX_PAINTS = 12;
export const MAX_HOTSPOTS = 24;
export const MAX_CHAPTERS = 20;
export const MAX_HOTSPOT_TEXT = 500;
/** What `POST /api/events/:id/media` takes for a hotspot (the schema's image URL: no SVG). */
export const MAX_IMAGE_BYTES = MEDIA_MAX_BYTES;
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

const ID_MAX = 40;

/**
 * An id made from a label that no other item has: "Bleu Nuit" → "bleu-nuit", then
 * "bleu-nuit-2"… Always matches `SlugId` (≤ 40 characters, no leading or trailing dash).
 */
export function uniqueSlug(label: string, taken: Iterable<string>, fallback: string): string {
  const used = new Set(taken);
  const base = slugify(label, fallback);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, ID_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!used.has(id)) return id;
  }
}

/** The list with one item moved up (-1) or down (+1); unchanged at either end. */
export function moveItem<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  const out = [...items];
  if (index < 0 || index >= items.length || to < 0 || to >= items.length) return out;
  [out[index], out[to]] = [out[to]!, out[index]!];
  return out;
}

/** To a tenth of a millimetre; `|| 0` turns -0 into 0 (it would print as "-0"). */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4 || 0;
type XYZ = { x: number; y: number; z: number };
const vec = (p: XYZ | Vec3): Vec3 => ('x' in p ? [p.x, p.y, p.z] : [p[0], p[1], p[2]]);

/** The preview's camera as a chapter's pose (`t: 0`: a stored pose, not a live one). */
export function poseFromCamera(position: XYZ | Vec3, target: XYZ | Vec3, fov: number): Pose {
  return { position: vec(position).map(round4) as Vec3, target: vec(target).map(round4) as Vec3, fov: Math.min(120, Math.max(10, round4(fov))), t: 0 };
}

/**
 * Where a click landed on the car, as a hotspot stores it: the point (already in world space,
 * i.e. stage metres) and the face's normal taken to world space. Normals transform by the
 * inverse transpose of the object's 3×3 matrix (= its cofactor matrix ÷ determinant), which
 * stays right under non-uniform scale. `matrixWorld` is three.js's column-major 4×4. A normal
 * pointing away from the camera (the back of a double-sided face) is turned around: a hotspot
 * faces whoever clicked it. Null for a degenerate matrix or normal.
 */
export function surfaceHit(point: XYZ | Vec3, faceNormal: XYZ | Vec3, matrixWorld: ArrayLike<number>, rayDirection?: XYZ | Vec3): { position: Vec3; normal: Vec3 } | null {
  const e = matrixWorld;
  const [a, d, g] = [e[0]!, e[1]!, e[2]!];
  const [b, ee, h] = [e[4]!, e[5]!, e[6]!];
  const [c, f, i] = [e[8]!, e[9]!, e[10]!];
  const cof = [
    [ee * i - f * h, -(d * i - f * g), d * h - ee * g],
    [-(b * i - c * h), a * i - c * g, -(a * h - b * g)],
    [b * f - c * ee, -(a * f - c * d), a * ee - b * d],
  ] as const;
  const det = a * cof[0][0] + b * cof[0][1] + c * cof[0][2];
  if (!(Math.abs(det) > 1e-12)) return null;
  const n = vec(faceNormal);
  let w = cof.map((row) => (row[0] * n[0] + row[1] * n[1] + row[2] * n[2]) * Math.sign(det)) as Vec3;
  const len = Math.hypot(...w);
  if (!(len > 1e-9)) return null;
  w = w.map((v) => v / len) as Vec3;
  if (rayDirection) {
    const r = vec(rayDirection);
    if (w[0] * r[0] + w[1] * r[1] + w[2] * r[2] > 0) w = w.map((v) => -v) as Vec3;
  }
  return { position: vec(point).map(round4) as Vec3, normal: w.map(round4) as Vec3 };
}

/** Key order must not make two equal setups look different (the server may answer in its own order). */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

/** Whether the draft differs from what is saved (the "unsaved changes" mark). */
export function sameSetup(a: VehicleSetup, b: VehicleSetup): boolean {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

// ── Paints ──────────────────────────────────────────────────────────────────────────────────

export type FinishId = 'metallic' | 'pearl' | 'matte' | 'solid';
export type Finish = Pick<PaintVariant, 'metalness' | 'roughness' | 'clearcoat'>;

/** The looks a marketer names, as material values (a starting point; the sliders refine them). */
export const FINISHES: Record<FinishId, Finish> = {
  metallic: { metalness: 0.8, roughness: 0.32, clearcoat: 1 },
  pearl: { metalness: 0.4, roughness: 0.25, clearcoat: 1 },
  matte: { metalness: 0.3, roughness: 0.72, clearcoat: 0 },
  solid: { metalness: 0.05, roughness: 0.38, clearcoat: 1 },
};

/**
 * The look a paint's values make, as a marketer would name it: low roughness without clear
 * coat reads as matte, then by how much metal flake there is. The presets above classify as
 * themselves; the sliders can make anything in between.
 */
export function finishOf(p: Finish): FinishId {
  if (p.roughness >= 0.6 || p.clearcoat < 0.25) return 'matte';
  if (p.metalness >= 0.6) return 'metallic';
  if (p.metalness >= 0.2) return 'pearl';
  return 'solid';
}

export function newPaint(setup: VehicleSetup, name: string): Paint {
  return { id: uniqueSlug(name, setup.paints.map((p) => p.id), 'teinte'), name, color: '#8a9099', ...FINISHES.metallic };
}

/**
 * The variants a chapter may name with this setup: the model's own ones (ids made as the
 * server makes them, server/models/vehicle.ts `modelVariants`), else the defined paints, else,
 * for the demo car, its built-in paints (the server falls back to them too).
 */
export function variantChoices(setup: Pick<VehicleSetup, 'paints' | 'modelVariants'>, modelVariants: readonly Swatch[], isDemo: boolean): PaintVariant[] {
  if (modelVariants.length > 0 && setup.modelVariants) return modelVariantsOf(modelVariants);
  if (setup.paints.length === 0 && isDemo) return DEMO_VEHICLE.variants;
  return setup.paints;
}

// ── Items named by the marketer ─────────────────────────────────────────────────────────────

type Kind = 'paints' | 'hotspots' | 'chapters';
const REF: Partial<Record<Kind, 'variant' | 'hotspot'>> = { paints: 'variant', hotspots: 'hotspot' };
const FALLBACK: Record<Kind, string> = { paints: 'teinte', hotspots: 'point', chapters: 'chapitre' };

/** Chapters that named `from` now name `to` (or nothing, when `to` is null). */
function retarget(chapters: Chapter[], field: 'variant' | 'hotspot', from: string, to: string | null): Chapter[] {
  return chapters.map((c) => {
    if (c[field] !== from) return c;
    const { [field]: _gone, ...rest } = c;
    return to === null ? rest : { ...rest, [field]: to };
  });
}

/**
 * Renames an item. Its id follows the new name while it has never been saved (so the ids
 * dealers and reports see read well), and stays as it is once saved (`locked`): a saved id is
 * what live screens, leads and the report refer to. Chapters follow a renamed id.
 */
export function renameItem(setup: VehicleSetup, kind: Kind, index: number, label: string, locked: ReadonlySet<string>): VehicleSetup {
  const items = setup[kind] as { id: string }[];
  const item = items[index];
  if (!item) return setup;
  const field = kind === 'paints' ? 'name' : 'title';
  let id = item.id;
  if (!locked.has(id) && label.trim()) id = uniqueSlug(label, items.filter((_, i) => i !== index).map((x) => x.id), FALLBACK[kind]);
  const next = { ...setup, [kind]: items.map((x, i) => (i === index ? { ...x, id, [field]: label } : x)) } as VehicleSetup;
  const ref = REF[kind];
  if (ref && id !== item.id) next.chapters = retarget(next.chapters, ref, item.id, id);
  return next;
}

/** Removes an item; chapters that pointed at it keep their view and lose the reference. */
export function removeItem(setup: VehicleSetup, kind: Kind, id: string): VehicleSetup {
  const next = { ...setup, [kind]: (setup[kind] as { id: string }[]).filter((x) => x.id !== id) } as VehicleSetup;
  const ref = REF[kind];
  if (ref) next.chapters = retarget(next.chapters, ref, id, null);
  return next;
}

export function newHotspot(setup: VehicleSetup, title: string, hit: { position: Vec3; normal: Vec3 }): Hotspot {
  return { id: uniqueSlug(title, setup.hotspots.map((h) => h.id), 'point'), title, text: '', position: hit.position, normal: hit.normal };
}

/** The issue's agenda, in order: a new chapter is offered the first title not used yet. */
export function suggestChapterTitle(existing: readonly string[], suggestions: readonly string[], numbered: (n: number) => string): string {
  const used = new Set(existing.map((t) => t.trim().toLowerCase()));
  return suggestions.find((s) => !used.has(s.toLowerCase())) ?? numbered(existing.length + 1);
}

export function newChapter(setup: VehicleSetup, title: string, pose: Pose): Chapter {
  return { id: uniqueSlug(title, setup.chapters.map((c) => c.id), 'chapitre'), title, pose };
}

// ── Errors ──────────────────────────────────────────────────────────────────────────────────

export type FieldErrors = ReadonlyMap<string, string>;
export const fieldKey = (...path: (string | number)[]) => path.join('.');

/** Issues (the schema's or the server's) by field; the first one per field wins. */
export function errorsByField(issues: readonly ValidationIssue[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of issues) if (!out.has(fieldKey(...i.path))) out.set(fieldKey(...i.path), i.message);
  return out;
}

/** Which of the editor's tabs shows a field. */
export type Section = 'paints' | 'hotspots' | 'chapters' | 'vehicle';
export function sectionOf(path: readonly (string | number)[]): Section {
  const head = path[0];
  if (head === 'hotspots' || head === 'chapters') return head;
  if (head === 'paints' || head === 'bodyMaterials' || head === 'modelVariants') return 'paints';
  return 'vehicle';
}

/**
 * What to tell the marketer about a field, in their language: the rule the field follows.
 * Null: the server's own words are the best there is (shown as they are).
 */
export function issueMessageKey(path: readonly (string | number)[]): MessageKey | null {
  const [head, , field] = path;
  if (path.length === 1 && head === 'name') return 'staging.err.name';
  if (head === 'bodyMaterials') return 'staging.err.bodyMaterial';
  if (path.length === 1 && (head === 'paints' || head === 'hotspots' || head === 'chapters')) return null;
  switch (`${String(head)}.${String(field)}`) {
    case 'paints.name': return 'staging.err.paintName';
    case 'paints.color': return 'staging.err.color';
    case 'paints.metalness': case 'paints.roughness': case 'paints.clearcoat': return 'staging.err.unit';
    case 'hotspots.title': return 'staging.err.hotspotTitle';
    case 'hotspots.text': return 'staging.err.hotspotText';
    case 'hotspots.position': case 'hotspots.normal': return 'staging.err.hotspotPlace';
    case 'hotspots.image': return 'staging.err.image';
    case 'chapters.title': return 'staging.err.chapterTitle';
    case 'chapters.pose': return 'staging.err.pose';
    case 'chapters.variant': return 'staging.err.chapterVariant';
    case 'chapters.hotspot': return 'staging.err.chapterHotspot';
    default: return null;
  }
}

// ── The 3D preview (client/scene/StudioPreview.tsx) ─────────────────────────────────────────

/** A point on the car's surface, in stage metres, with its outward unit normal. */
export type SurfacePoint = { position: Vec3; normal: Vec3 };

/** What the editor asks of the preview, outside React's data flow (the camera is the preview's). */
export interface PreviewHandle {
  /** The current view as a chapter's pose; null before the scene is up. */
  capture(): Pose | null;
  /** Flies the camera to a pose (a chapter's, a hotspot's). */
  flyTo(pose: Pose): void;
  /** The keyboard's way to place a hotspot: where the centre of the view meets the car. */
  placeAtCentre(): SurfacePoint | null;
}
