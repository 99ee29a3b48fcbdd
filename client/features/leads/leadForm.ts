import type { ValidationIssue } from '../../../shared/errors.js';
import { CONSENT_TEXT_VERSION, LeadSubmit, MAX_PREFERRED_DAYS_AHEAD, type LeadSubmitInput, type LeadType } from '../../../shared/lead.js';
import type { MessageKey } from '../../i18n/messages.js';

/** What the form holds: strings as typed, so a half-typed phone number stays as it was typed. */
export interface LeadFormValues {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  postcode: string;
  dealerId: string | null;
  preferredDate: string;
  /** A variant id of the vehicle. */
  variant: string;
  message: string;
  contact: boolean;
  marketing: boolean;
}

export type LeadField = 'firstName' | 'lastName' | 'email' | 'phone' | 'postcode' | 'dealerId' | 'preferredDate' | 'variant' | 'message' | 'contact';
/** One message per field, plus `form` for what no field explains. */
export type FieldErrors = Partial<Record<LeadField | 'form', MessageKey>>;

/** Top to bottom, as on screen: the first field in error gets the focus. */
export const FIELD_ORDER: readonly LeadField[] = ['firstName', 'lastName', 'email', 'phone', 'postcode', 'dealerId', 'preferredDate', 'variant', 'message', 'contact'];

export const POSTCODE_RE = /^\d{5}$/;

/** Today in the viewer's own calendar, `YYYY-MM-DD` (what `<input type="date">` gives). */
export function todayIso(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/**
 * The last day a test drive may be asked for: the limit the server applies (shared), counted
 * from the viewer's own today. The server counts from the Paris day and accepts from the day
 * before it, so a viewer's today is never refused from another time zone.
 */
export function latestDayIso(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return todayIso(new Date(y, m - 1, d + MAX_PREFERRED_DAYS_AHEAD));
}

/**
 * The `lead:submit` payload. Fields a type does not ask for are left out (a brochure has no
 * preferred date); the variant goes by name, which is what a dealer reads in the lead list.
 */
export function toSubmission(id: string, type: LeadType, v: LeadFormValues, variantName: string | null): LeadSubmitInput & { id: string } {
  const given = (s: string) => (s.trim() ? s.trim() : undefined);
  const optional = {
    phone: given(v.phone),
    postcode: given(v.postcode),
    dealerId: v.dealerId ?? undefined,
    preferredDate: type === 'test_drive' ? given(v.preferredDate) : undefined,
    variant: variantName ?? undefined,
    message: given(v.message),
  };
  return {
    id,
    type,
    firstName: v.firstName.trim(),
    lastName: v.lastName.trim(),
    email: v.email.trim(),
    // Left out rather than sent empty: the outbox keeps (and may resend) exactly this object.
    ...Object.fromEntries(Object.entries(optional).filter(([, x]) => x !== undefined)),
    // `contact` is checked by the schema (literal true), so an unticked box is a field error.
    consent: { contact: v.contact as true, marketing: v.marketing, textVersion: CONSENT_TEXT_VERSION },
  };
}

/** The same schema the server applies, plus what only the browser knows: the viewer's today. */
export function validateLead(payload: LeadSubmitInput, today = todayIso()): FieldErrors {
  const parsed = LeadSubmit.safeParse(payload);
  const issues: ValidationIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
  const day = payload.preferredDate;
  if (typeof day === 'string' && day && (day < today || day > latestDayIso(today))) issues.push({ path: ['preferredDate'], message: 'out of range' });
  // The postcode (or a dealer picked by name) is what routes a request: without either it
  // reached no dealer's inbox and waited, unowned, in the brand's (the review of 2026-11-25).
  if (blank(payload.postcode) && blank(payload.dealerId)) issues.push({ path: ['postcode'], message: 'a postcode or a dealer is required' });
  return errorsFromIssues(issues, payload, today);
}

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/**
 * zod issues (ours or the server's `invalid_payload` `issues`) → one message per field, in the
 * viewer's words. Only paths are trusted, never the server's English messages: which words to
 * show follows from the path and what was typed.
 */
export function errorsFromIssues(issues: readonly ValidationIssue[], payload: Partial<LeadSubmitInput>, today = todayIso()): FieldErrors {
  const out: FieldErrors = {};
  const put = (field: LeadField | 'form', key: MessageKey) => {
    out[field] ??= key;
  };
  for (const { path } of issues) {
    switch (path[0]) {
      case 'firstName':
      case 'lastName':
        put(path[0], blank(payload[path[0]]) ? `lead.error.${path[0]}` : 'lead.error.nameTooLong');
        break;
      case 'email':
        put('email', blank(payload.email) ? 'lead.error.emailRequired' : 'lead.error.email');
        break;
      case 'phone':
        put('phone', blank(payload.phone) ? 'lead.error.phoneRequired' : 'lead.error.phone');
        break;
      case 'postcode':
        // Five digits that are no French postcode (00000, 99999): say so, not "5 digits".
        put('postcode', blank(payload.postcode) ? 'lead.error.postcodeRequired' : /^\d{5}$/.test(typeof payload.postcode === 'string' ? payload.postcode.trim() : '') ? 'lead.error.postcodeUnknown' : 'lead.error.postcode');
        break;
      case 'preferredDate':
        put('preferredDate', typeof payload.preferredDate === 'string' && payload.preferredDate > today ? 'lead.error.dateFar' : 'lead.error.date');
        break;
      case 'dealerId':
        put('dealerId', 'lead.error.dealer');
        break;
      case 'variant':
        put('variant', 'lead.error.variant');
        break;
      case 'message':
        put('message', 'lead.error.message');
        break;
      case 'consent':
        put(path[1] === 'contact' ? 'contact' : 'form', path[1] === 'contact' ? 'lead.error.consent' : 'lead.error.refused');
        break;
      default:
        put('form', 'lead.error.refused');
    }
  }
  if (Object.keys(out).length > 0) out.form ??= 'lead.error.form';
  return out;
}

/**
 * The viewer's own contact details, offered again in their next form on this device, only if
 * they ticked "remember me" (a showroom tablet is shared: nothing is kept by default). Consents
 * are never remembered: each request asks for them afresh.
 */
export const CONTACT_KEY = 'vitrine.leads.contact';
const REMEMBERED = ['firstName', 'lastName', 'email', 'phone', 'postcode'] as const;
export type RememberedContact = Partial<Pick<LeadFormValues, (typeof REMEMBERED)[number]>>;

/** What this device remembers; details stored before remembering was a choice are forgotten. */
export function loadContact(storage: Pick<Storage, 'getItem' | 'removeItem'> | null): RememberedContact {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(CONTACT_KEY) ?? '{}');
    const out: RememberedContact = {};
    if (!raw || typeof raw !== 'object' || (raw as { optIn?: unknown }).optIn !== true) {
      forgetContact(storage);
      return out;
    }
    for (const k of REMEMBERED) {
      const v = (raw as Record<string, unknown>)[k];
      if (typeof v === 'string') out[k] = v.slice(0, 254);
    }
    return out;
  } catch {
    forgetContact(storage);
    return {};
  }
}

/** On each request: remembered if the box is ticked, else whatever was remembered is forgotten. */
export function rememberContact(storage: Pick<Storage, 'setItem' | 'removeItem'> | null, v: LeadFormValues, remember: boolean): void {
  if (!remember) return forgetContact(storage);
  const keep: RememberedContact & { optIn: true } = { optIn: true };
  for (const k of REMEMBERED) keep[k] = v[k].trim();
  try {
    storage?.setItem(CONTACT_KEY, JSON.stringify(keep));
  } catch {
    /* private mode: nothing remembered */
  }
}

export function forgetContact(storage: Pick<Storage, 'removeItem'> | null): void {
  try {
    storage?.removeItem(CONTACT_KEY);
  } catch {
    /* nothing stored then */
  }
}

/** localStorage, or null where the browser refuses it (some private modes throw on access). */
export function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
