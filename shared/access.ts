import { z } from 'zod';

/**
 * The capability keys of an event, each named by a ref: the presenter's (`host`), the event's
 * shared dealer key (`dealer`, every lead) and one dealer's own key (`dealer:<dealerId>`, its
 * leads only). The studio rotates, revokes and dates each one (`/api/events/:id/keys/:ref`).
 */
export const KeyRef = z.union([
  z.literal('host'),
  z.literal('dealer'),
  z.string().regex(/^dealer:[A-Za-z0-9_.-]{1,40}$/, 'ref: "host", "dealer" or "dealer:<dealerId>"'),
]);
export type KeyRef = z.infer<typeof KeyRef>;

/** The dealer a ref names, or null for `host` and `dealer`. */
export const dealerOfRef = (ref: KeyRef): string | null => (ref.startsWith('dealer:') ? ref.slice('dealer:'.length) : null);

const Expiry = z.iso.datetime({ offset: true, message: 'expiresAt must be an ISO-8601 date-time with a time zone' }).nullable();

/** `PUT /api/events/:id/keys/:ref/expiry`: a date-time (in the past: expired at once) or null (never). */
export const KeyExpiryInput = z.object({ expiresAt: Expiry }).strict();
export type KeyExpiryInput = z.infer<typeof KeyExpiryInput>;

/** `POST /api/events/:id/keys/:ref/rotate`: optional body; without `expiresAt` a future expiry is kept. */
export const KeyRotateInput = z.object({ expiresAt: Expiry.optional() }).strict();
export type KeyRotateInput = z.infer<typeof KeyRotateInput>;

export const KeyStatus = z.enum(['active', 'expired', 'revoked']);
export type KeyStatus = z.infer<typeof KeyStatus>;

/** One key as the studio sees it. `key` and `link` are null once revoked: nothing to hand out. */
export const KeyView = z.object({
  ref: KeyRef,
  /** The dealer's name for a `dealer:<id>` ref. */
  name: z.string().nullable(),
  status: KeyStatus,
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  key: z.string().nullable(),
  /** The page the key opens, with the key in the fragment. */
  link: z.string().nullable(),
});
export type KeyView = z.infer<typeof KeyView>;

export { isKeyLoss, KeyLoss } from './keyLoss.js';
