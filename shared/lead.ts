import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { KeyStatus } from './access.js';
import type { EventBrand } from './brand.js';
import { CtaKind } from './presentation.js';

/** What a viewer asks for; the same four kinds the presenter can push as a call to action. */
export const LeadType = CtaKind;
export type LeadType = z.infer<typeof LeadType>;
export const LEAD_TYPES = LeadType.options;

/**
 * Version of the consent wording the form shows (client/i18n, `lead.consent.*`). Change it
 * whenever that wording changes: each lead stores the version its person agreed to.
 */
export const CONSENT_TEXT_VERSION = 'contact-v1-2026-11';

/** How far ahead a test drive may be asked for, in days (client and server). */
export const MAX_PREFERRED_DAYS_AHEAD = 366;

/** Default retention of leads, in months, after which they are purged (per event, configurable). */
export const DEFAULT_RETENTION_MONTHS = 12;

/** Empty form fields mean "not given": `""` and whitespace become `undefined`. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const personName = (what: string) => z.string().trim().min(1, `${what} is required`).max(80, `${what} is at most 80 characters`);

/** France's overseas regions have their own country codes but are dialled like France. */
const OVERSEAS: CountryCode[] = ['GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF'];

/**
 * A phone number as typed ("06 12 34 56 78", "+33 6 12…", "0033…", "0690 12 34 56" in
 * Guadeloupe) → E.164 ("+33612345678", "+590690123456"). French by default, then the overseas
 * regions: that is how our viewers type them. Full metadata (`/max`), so a number is checked
 * against the real numbering plan, not only its length.
 */
export function toE164(input: string): string | null {
  for (const region of ['FR' as CountryCode, ...OVERSEAS]) {
    const parsed = parsePhoneNumberFromString(input, region);
    if (parsed?.isValid()) return parsed.number;
    // An international number ("+44…") does not depend on the region: one try is enough.
    if (input.trim().startsWith('+') || input.trim().startsWith('00')) return null;
  }
  return null;
}

export const Phone = z
  .string()
  .trim()
  .max(32, 'phone number is too long')
  .transform((s, ctx) => {
    const e164 = toE164(s);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'not a valid phone number' });
      return z.NEVER;
    }
    return e164;
  });

export const Email = z.string().trim().max(254, 'email is too long').pipe(z.email({ message: 'not a valid email address' }));
export const FrenchPostcode = z.string().trim().regex(/^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/, 'a French postcode has 5 digits');
/** A real calendar day, `YYYY-MM-DD`. */
export const IsoDay = z.iso.date({ message: 'a date is YYYY-MM-DD' });

/** `lead:submit` (CONTRACT.md). The browser makes `id`: it is the idempotency key. */
export const LeadSubmit = z
  .object({
    id: z.uuid({ message: 'id must be a UUID' }),
    type: LeadType,
    firstName: personName('first name'),
    lastName: personName('last name'),
    email: Email,
    phone: optional(Phone),
    postcode: optional(FrenchPostcode),
    dealerId: optional(z.string().max(64)),
    preferredDate: optional(IsoDay),
    variant: optional(z.string().max(64)),
    message: optional(z.string().trim().max(1000, 'message is at most 1,000 characters')),
    consent: z.object({
      contact: z.literal(true, { message: 'consent to be contacted is required' }),
      marketing: z.boolean().optional(),
      textVersion: z.string().min(1).max(64),
    }),
  })
  .superRefine((lead, ctx) => {
    if (lead.type === 'callback' && !lead.phone) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'a phone number is required for a call back' });
    }
  });
export type LeadSubmitInput = z.input<typeof LeadSubmit>;
export type LeadSubmit = z.output<typeof LeadSubmit>;

/** How the dealer was chosen: by the viewer, the nearest to their postcode, or none known. */
/** `assigned` (addition): no dealer at first, given to one later from the inbox (`LeadAssign`). */
export const LeadRouting = z.enum(['chosen', 'nearest', 'none', 'assigned']);
export type LeadRouting = z.infer<typeof LeadRouting>;

export const LeadSource = z.enum(['live', 'replay']);
export type LeadSource = z.infer<typeof LeadSource>;

/** A stored lead, as dealers read it (`GET /api/events/:id/leads`, the dealer page). */
export const Lead = z.object({
  id: z.string(),
  eventId: z.string(),
  type: LeadType,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  /** E.164. */
  phone: z.string().nullable(),
  postcode: z.string().nullable(),
  dealerId: z.string().nullable(),
  dealerName: z.string().nullable(),
  routing: LeadRouting,
  preferredDate: z.string().nullable(),
  variant: z.string().nullable(),
  message: z.string().nullable(),
  consent: z.object({ contact: z.literal(true), marketing: z.boolean(), textVersion: z.string(), at: z.string() }),
  source: LeadSource,
  createdAt: z.string(),
  /** First time a dealer marked it contacted; never moves afterwards. */
  contactedAt: z.string().nullable(),
});
export type Lead = z.infer<typeof Lead>;

/** What `lead:submit` acknowledges: enough for "sent" and "who will call you". */
export interface LeadReceipt {
  id: string;
  type: LeadType;
  dealerId: string | null;
  dealerName: string | null;
  createdAt: string;
}

export const receiptOf = (l: Lead): LeadReceipt => ({ id: l.id, type: l.type, dealerId: l.dealerId, dealerName: l.dealerName, createdAt: l.createdAt });

/** Filters of `GET /api/events/:id/leads` and `leads.csv`. */
export const LeadQuery = z.object({
  type: LeadType.optional(),
  since: z.iso.datetime({ offset: true, message: 'since must be an ISO-8601 date-time' }).optional(),
  until: z.iso.datetime({ offset: true, message: 'until must be an ISO-8601 date-time' }).optional(),
  dealerId: z.string().min(1).max(64).optional(),
});
export type LeadQuery = z.infer<typeof LeadQuery>;

/** A number, or a decimal string ("45.764"): never `""`, `null` or `false` read as 0. */
const coordinate = (name: string, limit: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z.number({ message: `${name} must be a number` }).min(-limit, `${name} is -${limit} to ${limit}`).max(limit, `${name} is -${limit} to ${limit}`),
  );

const DealerId = z.string().trim().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'id: 1–40 letters, digits, ".", "-" or "_"');

/** One dealer of an event's directory, as imported (CSV columns) or edited in the studio. */
export const DealerInput = z.object({
  id: DealerId,
  name: z.string().trim().min(1, 'name is required').max(120),
  address: z.string().trim().max(200).default(''),
  postcode: FrenchPostcode,
  city: z.string().trim().min(1, 'city is required').max(80),
  latitude: coordinate('latitude', 90),
  longitude: coordinate('longitude', 180),
  email: Email,
  phone: optional(Phone),
});
export type DealerInput = z.output<typeof DealerInput>;

/** What a viewer sees when choosing a dealer: no email, no key. */
export interface DealerPublic {
  id: string;
  name: string;
  address: string;
  postcode: string;
  city: string;
  phone: string | null;
  /** Straight-line distance from the viewer's position or postcode, when one was given. */
  distanceKm?: number;
}

/** The studio's view of a dealer: everything, its own key and its lead-inbox link. */
export interface DealerAdmin extends DealerPublic {
  latitude: number;
  longitude: number;
  email: string;
  key: string;
  link: string;
  /** Addition: the key's state (rotate, revoke and date it in the studio's "Accès" panel). */
  keyStatus: KeyStatus;
}

/** `PATCH /api/events/:id` (host or admin): the lead-related settings of an event. */
export const EventSettings = z.object({
  /** Empty means "use the default notice", stored as null. */
  privacyNotice: z
    .string()
    .trim()
    .max(20_000, 'the privacy notice is at most 20,000 characters')
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional(),
  /**
   * Addition: where viewers exercise their rights (the brand's or its data protection officer's
   * e-mail address, or an https page). Empty means none, stored as null.
   */
  privacyContact: z
    .string()
    .trim()
    .max(200, 'the privacy contact is at most 200 characters')
    .refine((s) => s === '' || isPrivacyContact(s), 'the privacy contact is an e-mail address or an https:// address')
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional(),
  retentionMonths: z.number().int().min(1, 'at least 1 month').max(120, 'at most 120 months').optional(),
});
export type EventSettings = z.infer<typeof EventSettings>;

/** An e-mail address, or an https:// page with a host. */
export function isPrivacyContact(s: string): boolean {
  if (z.email().safeParse(s).success) return true;
  if (!isPrivacyPage(s)) return false;
  try {
    return new URL(s).hostname.includes('.');
  } catch {
    return false;
  }
}

/** A privacy contact that is a web page (opened in a new tab), not an e-mail address. */
export const isPrivacyPage = (contact: string): boolean => /^https:\/\//i.test(contact);

/** How a privacy contact is reached: `mailto:` for an e-mail address, the page itself otherwise. */
export const privacyContactHref = (contact: string): string => (isPrivacyPage(contact) ? contact : `mailto:${contact}`);

/** `GET /api/events/:code/privacy`: what the viewers' privacy page shows (no key needed). */
export interface EventPrivacy {
  title: string;
  /** The organiser's own notice; null: the default one. */
  privacyNotice: string | null;
  privacyContact: string | null;
  retentionMonths: number;
  /** Addition: the page wears the event's brand, and the default notice names it. */
  brand: EventBrand;
}

/** `PATCH /api/events/:id`'s answer: the settings now in force. */
export interface EventSettingsSaved {
  privacyNotice: string | null;
  privacyContact: string | null;
  retentionMonths: number;
}

/**
 * A lead download's file name, in French like the file: `demandes-K7P2QX-2026-12-01-excel.csv`,
 * with the dealer's id when the file holds one dealer's leads (`demandes-K7P2QX-lyon-1-…`), so
 * files sort by date in a folder and two dealers' never overwrite each other. The French Excel
 * file and the plain CSV may both be downloaded: the names tell them apart.
 */
export function leadFileName(code: string, format: 'excel' | 'csv' | 'json', dealerId: string | null, day: string): string {
  const dealer = dealerId ? `-${dealerId.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40)}` : '';
  return `demandes-${code}${dealer === '-' ? '' : dealer}-${day}${format === 'excel' ? '-excel.csv' : format === 'json' ? '.json' : '.csv'}`;
}

/** Addition: `POST /api/events/:id/leads/:leadId/assign`, a lead without a dealer given to one. */
export const LeadAssign = z.object({ dealerId: z.string().trim().min(1, 'dealerId: a dealer of the directory').max(64) });
export type LeadAssign = z.infer<typeof LeadAssign>;
