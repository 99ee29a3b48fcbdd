import { z } from 'zod';
import { Bounds } from './model.js';

export const PaintVariant = z.object({
  id: z.string(),
  name: z.string(),
  /** sRGB hex colour of the paint. */
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
  metalness: z.number().min(0).max(1),
  roughness: z.number().min(0).max(1),
  clearcoat: z.number().min(0).max(1),
});
export type PaintVariant = z.infer<typeof PaintVariant>;

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
  variants: z.array(PaintVariant),
});
export type Vehicle = z.infer<typeof Vehicle>;

/** The demo car every new event presents until a brand uploads its own model. */
export const DEMO_VEHICLE: Vehicle = {
  name: 'Vitrine Aura EV',
  modelUrl: null,
  modelBounds: null,
  variants: [
    { id: 'blanc-nacre', name: 'Blanc Nacré', color: '#e9ebee', metalness: 0.35, roughness: 0.28, clearcoat: 1 },
    { id: 'bleu-abysse', name: 'Bleu Abysse', color: '#1d3f8f', metalness: 0.75, roughness: 0.3, clearcoat: 1 },
    { id: 'rouge-rubis', name: 'Rouge Rubis', color: '#a3121f', metalness: 0.6, roughness: 0.32, clearcoat: 1 },
    { id: 'gris-titane', name: 'Gris Titane', color: '#5b6068', metalness: 0.8, roughness: 0.35, clearcoat: 1 },
    { id: 'vert-lagon', name: 'Vert Lagon', color: '#1f6b5c', metalness: 0.7, roughness: 0.3, clearcoat: 1 },
  ],
};

export const DEFAULT_VARIANT_ID = 'bleu-abysse';

/** The paint a variant id names, or the vehicle's first paint for an unknown id. */
export function paintOf(vehicle: Vehicle, variantId: string): PaintVariant {
  return vehicle.variants.find((v) => v.id === variantId) ?? vehicle.variants[0]!;
}
