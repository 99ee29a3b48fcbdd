import { z } from 'zod';
import { BrandPatch } from './brand.js';
import { EventPublic } from './event.js';

/**
 * Images an event uses (issue 5): the brand's logo, hotspot pictures. Uploaded to
 * `POST /api/events/:id/media`, re-encoded (raster) or sanitised (SVG) by the server, and served
 * from our own origin under a content-hash name.
 */
export const MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'] as const;
export const MediaType = z.enum(MEDIA_TYPES);
export type MediaType = z.infer<typeof MediaType>;

/** 2 MB: a crisp logo or a hotspot photo is far smaller; anything bigger is a mistake. */
export const MEDIA_MAX_BYTES = 2_000_000;

/** The longest side of a stored raster image: bigger ones are scaled down on upload. */
export const MEDIA_MAX_SIDE_PX = 2048;

/** `/media/<eventId>/<32 hex>.<ext>`: what an upload answers and what brand/hotspot fields hold. */
export const MEDIA_PATH = /^\/media\/([A-Za-z0-9_-]{1,64})\/([0-9a-f]{32})\.(png|jpg|webp|svg)$/;

/** `201` answer of `POST /api/events/:id/media`. */
export const MediaUploaded = z.object({
  url: z.string().regex(MEDIA_PATH),
  type: MediaType,
  /** Pixels for raster images; the viewBox (else width/height) for SVG. */
  width: z.number().positive(),
  height: z.number().positive(),
  /** The stored (re-encoded or sanitised) file's size. */
  bytes: z.number().int().positive(),
});
export type MediaUploaded = z.infer<typeof MediaUploaded>;

/** A logo is SVG or PNG (sharp edges, transparency); photos (JPEG, WebP) make poor logos. */
export const LOGO_TYPES: readonly MediaType[] = ['image/svg+xml', 'image/png'];

/**
 * `PATCH /api/events/:id/brand` as the server takes it: `BrandPatch`, plus `logoUrl` (an
 * addition): null removes the logo; a string must be an SVG or PNG this event uploaded.
 */
export const BrandUpdate = BrandPatch.extend({
  logoUrl: z
    .string()
    .regex(/^\/media\/[A-Za-z0-9_-]{1,64}\/[0-9a-f]{32}\.(png|svg)$/, 'logoUrl: an SVG or PNG /media/ URL from an upload')
    .nullable()
    .optional(),
}).strict();
export type BrandUpdate = z.infer<typeof BrandUpdate>;

/** `GET /api/events/:code/poster` (public): what the printable QR poster shows. */
export const PosterView = z.object({
  event: EventPublic,
  vehicle: z.object({ name: z.string() }),
  /** The viewer link the QR code carries (PUBLIC_URL based). */
  viewerUrl: z.string(),
});
export type PosterView = z.infer<typeof PosterView>;
