import { z } from 'zod';
import { ReactionSet } from './qa.js';
import { HexColor } from './vehicle.js';

/**
 * An event's branding (issue 5): applied to the viewer, host and dealer pages and to the QR
 * poster. Every field may be null: Vitrine's own look then.
 */
export const EventBrand = z.object({
  /** Shown beside (or instead of) the logo. */
  name: z.string().nullable(),
  /** Served by our own server (`/media/<eventId>/<hash>.svg|png`), sanitised on upload. */
  logoUrl: z.string().nullable(),
  /** Buttons, links, highlights. */
  accent: HexColor.nullable(),
  /** The page and stage background. */
  background: HexColor.nullable(),
  /** Addition: the reactions the viewers are offered, in order; absent: ❤️ 👏 🔥 😮 ⚡ (`reactionsOf`). */
  reactions: z.array(z.string()).optional(),
});
export type EventBrand = z.infer<typeof EventBrand>;

export const NO_BRAND: EventBrand = { name: null, logoUrl: null, accent: null, background: null };

/** `PATCH /api/events/:id/brand` (host key or admin): only the fields given change; null resets one. */
export const BrandPatch = z
  .object({
    name: z.string().trim().max(60, 'brand name: at most 60 characters').nullable(),
    accent: HexColor.nullable(),
    background: HexColor.nullable(),
    /** 1–6 distinct emojis; null puts the default set back. */
    reactions: ReactionSet.nullable(),
  })
  .partial()
  .strict();
export type BrandPatch = z.infer<typeof BrandPatch>;
