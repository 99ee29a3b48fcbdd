import { framingPose, placedBounds } from '../../shared/model.js';
import type { Pose } from '../../shared/presentation.js';
import { DEMO_VEHICLE, modelVariantsOf, type Chapter, type Vehicle, type VehicleSetup } from '../../shared/vehicle.js';
import type { EventRecord, ModelRecord } from '../store/types.js';

/** Where viewers download an event's model: `GET /models/<eventId>/<content hash>.glb`. */
export function modelPath(model: Pick<ModelRecord, 'eventId' | 'optimised'>): string {
  return `/models/${encodeURIComponent(model.eventId)}/${model.optimised.file}`;
}

export function posterPath(model: Pick<ModelRecord, 'eventId' | 'poster'>): string | null {
  return model.poster ? `/models/${encodeURIComponent(model.eventId)}/${model.poster.file}` : null;
}

/** Material names that are the body paint in most exports (Blender, 3ds Max, CAD tools; FR/EN/DE). */
const BODY_MATERIAL = /paint|body|carros|peinture|lack|karosserie|exterior|shell/i;

/** An uploaded model's first agenda: the framing view, then its profile, rear and top. */
export function defaultChapters(model: ModelRecord): Chapter[] {
  const front = framingPose(model.bounds);
  const b = placedBounds(model.bounds);
  const [tx, ty, tz] = front.target;
  const d = Math.hypot(front.position[0] - tx, front.position[1] - ty, front.position[2] - tz);
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  const around = (x: number, y: number, z: number): Pose => {
    const n = Math.hypot(x, y, z);
    return { position: [r(tx + (x / n) * d), r(ty + (y / n) * d), r(tz + (z / n) * d)], target: front.target, fov: front.fov, t: 0 };
  };
  // The longer horizontal axis is the car's length: its profile is seen from the other one.
  const lengthOnX = b.max[0] - b.min[0] >= b.max[2] - b.min[2];
  return [
    { id: 'exterieur', title: 'Extérieur', pose: front },
    { id: 'profil', title: 'Profil', pose: lengthOnX ? around(0, 0.25, 1) : around(1, 0.25, 0) },
    { id: 'arriere', title: 'Arrière', pose: around(-0.85, 0.3, -0.85) },
    { id: 'vue-haute', title: 'Vue d’ensemble', pose: around(0.4, 1.4, 0.6) },
  ];
}

/**
 * What `state.event.vehicle` says: the uploaded model (or the demo car) as the studio staged
 * it. Without staging: the model's own variants (the demo's paints for the demo car), its
 * body materials guessed from their names, no hotspots, and a four-view agenda.
 *
 * The demo car, unnamed in the studio, bears the launch's title: a brand's launch never shows
 * "Vitrine Aura EV" to its audience or on its poster (the review of 2026-11-25).
 */
export function vehicleOf(event: Pick<EventRecord, 'stage' | 'title'>, model: ModelRecord | null): Vehicle {
  const stage: VehicleSetup | null = event.stage;
  if (!model) {
    return {
      ...DEMO_VEHICLE,
      name: stage?.name ?? event.title,
      variants: stage?.paints.length ? stage.paints : DEMO_VEHICLE.variants,
      hotspots: stage?.hotspots ?? DEMO_VEHICLE.hotspots,
      chapters: stage?.chapters ?? DEMO_VEHICLE.chapters,
    };
  }
  const own = modelVariantsOf(model.details.variants);
  const useOwn = own.length > 0 && (stage?.modelVariants ?? true);
  const names = new Set(model.details.materials.map((m) => m.name));
  return {
    name: stage?.name ?? model.name,
    modelUrl: modelPath(model),
    modelBounds: model.bounds,
    posterUrl: posterPath(model),
    bodyMaterials: useOwn ? [] : (stage?.bodyMaterials ?? model.details.materials.map((m) => m.name).filter((n) => BODY_MATERIAL.test(n))).filter((n) => names.has(n)),
    variants: useOwn ? own : (stage?.paints ?? []),
    hotspots: stage?.hotspots ?? [],
    chapters: stage?.chapters ?? defaultChapters(model),
  };
}

/**
 * The staging the studio edits: what is stored, or the defaults written out (so the studio
 * always starts from what viewers see).
 */
export function setupOf(event: Pick<EventRecord, 'stage' | 'title'>, model: ModelRecord | null): VehicleSetup {
  if (event.stage) return event.stage;
  const v = vehicleOf(event, model);
  return {
    name: null,
    modelVariants: true,
    paints: model ? [] : v.variants,
    bodyMaterials: v.bodyMaterials,
    hotspots: v.hotspots,
    chapters: v.chapters,
  };
}

/**
 * What a schema cannot check alone: references to the model (its materials, its variants) and
 * to this event's uploads. Each problem names the field, like a schema issue.
 */
export function setupProblems(eventId: string, setup: VehicleSetup, model: ModelRecord | null): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  // Only the variants matter here, not the name.
  const vehicle = vehicleOf({ stage: setup, title: '' }, model);
  const variants = new Set(vehicle.variants.map((v) => v.id));
  setup.chapters.forEach((c, i) => {
    if (c.variant && !variants.has(c.variant)) problems.push({ path: ['chapters', i, 'variant'], message: `no variant "${c.variant}" on this vehicle` });
  });
  const materials = new Set(model?.details.materials.map((m) => m.name) ?? []);
  setup.bodyMaterials.forEach((name, i) => {
    if (!model) problems.push({ path: ['bodyMaterials', i], message: 'the demo car has no materials to pick: paints repaint its body' });
    else if (!materials.has(name)) problems.push({ path: ['bodyMaterials', i], message: `the model has no material "${name}"` });
  });
  const own = `/media/${eventId}/`;
  setup.hotspots.forEach((h, i) => {
    if (h.image && !h.image.startsWith(own)) problems.push({ path: ['hotspots', i, 'image'], message: 'the image must be uploaded to this event' });
  });
  return problems;
}
