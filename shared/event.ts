import { z } from 'zod';
import { EventBrand } from './brand.js';
import { CODE_ALPHABET, CODE_LENGTH } from './code.js';

export const Locale = z.enum(['fr', 'en']);
export type Locale = z.infer<typeof Locale>;

export const EventStatus = z.enum(['scheduled', 'live', 'ended']);
export type EventStatus = z.infer<typeof EventStatus>;

export const EventCode = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`), 'invalid event code'));

/** `POST /api/events` body. */
export const CreateEventInput = z.object({
  title: z.string().trim().min(1, 'title is required').max(120, 'title is at most 120 characters'),
  startsAt: z.iso.datetime({ offset: true, message: 'startsAt must be an ISO-8601 date-time' }).optional(),
  locale: Locale.optional(),
});
export type CreateEventInput = z.infer<typeof CreateEventInput>;

/** What anybody with the code may see. */
export const EventPublic = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  status: EventStatus,
  startsAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  locale: Locale,
  createdAt: z.string(),
  /** Addition: the brand's name, logo and colours (all null: Vitrine's own look). */
  brand: EventBrand,
});
export type EventPublic = z.infer<typeof EventPublic>;

export const EventLinks = z.object({ viewer: z.string(), host: z.string(), dealer: z.string() });
export type EventLinks = z.infer<typeof EventLinks>;

/** `201` answer of `POST /api/events`: the public view plus the capability keys and links. */
export const EventCreated = EventPublic.extend({
  hostKey: z.string(),
  dealerKey: z.string(),
  links: EventLinks,
});
export type EventCreated = z.infer<typeof EventCreated>;
