import { phoneAsDialled } from '../../../shared/phone.js';
import { leadFileName, type Lead, type LeadQuery, type LeadType } from '../../../shared/lead.js';
import type { LeadDownloadFormat } from '../../net/api.js';

/** The dealer page's filters, as the form holds them ('' = any). Days are `YYYY-MM-DD`, local. */
export interface LeadFilters {
  type: LeadType | '';
  dealerId: string;
  from: string;
  to: string;
}

export const noFilters: LeadFilters = { type: '', dealerId: '', from: '', to: '' };

/** The first instant of a local day, and the last: a dealer thinks in their own calendar days. */
export const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();
export const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

/** The same filters for the server (downloads), so a file holds exactly what the page shows. */
export function toLeadQuery(f: LeadFilters): LeadQuery {
  const q: LeadQuery = {};
  if (f.type) q.type = f.type;
  if (f.dealerId) q.dealerId = f.dealerId;
  if (f.from) q.since = dayStart(f.from);
  if (f.to) q.until = dayEnd(f.to);
  return q;
}

export function filterLeads(leads: readonly Lead[], f: LeadFilters): Lead[] {
  const q = toLeadQuery(f);
  // ISO-8601 UTC strings of one shape compare as text; parse to be safe with any offset.
  const since = q.since ? Date.parse(q.since) : -Infinity;
  const until = q.until ? Date.parse(q.until) : Infinity;
  return leads.filter((l) => {
    if (q.type && l.type !== q.type) return false;
    if (q.dealerId && l.dealerId !== q.dealerId) return false;
    const at = Date.parse(l.createdAt);
    return at >= since && at <= until;
  });
}

/** Milliseconds from the request to the first call back, for the leads already contacted. */
export function contactDelayMs(lead: Lead): number | null {
  return lead.contactedAt ? Math.max(0, Date.parse(lead.contactedAt) - Date.parse(lead.createdAt)) : null;
}

export function medianContactDelayMs(leads: readonly Lead[]): number | null {
  const delays = leads.map(contactDelayMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
  if (delays.length === 0) return null;
  const mid = delays.length >> 1;
  return delays.length % 2 ? delays[mid]! : (delays[mid - 1]! + delays[mid]!) / 2;
}

/** A delay as a dealer says it: minutes under an hour, hours and minutes under a day, then days. */
export function delayParts(ms: number): { days: number; hours: number; minutes: number } {
  // Whole minutes gone by, as "il y a 2 min" counts them: the two never disagree on one row.
  const minutes = Math.floor(ms / 60_000);
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}

/** "06 12 34 56 78" for a French number (overseas too: "0690 12 34 56"), "+44 20 7946 0958" for another; as stored if unreadable. */
export function displayPhone(e164: string): string {
  return phoneAsDialled(e164)?.text ?? e164;
}

/** "bleu-abysse" → "Bleu abysse": variant ids are slugs of the paint's name. */
export function variantLabel(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : id;
}

/** Today, local: the date in download file names. */
export function localDay(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `demandes-K7P2QX[-dealer]-2026-12-01.csv` (`leadFileName`), dated on this device's day. */
export function downloadName(code: string, format: LeadDownloadFormat, dealerId: string | null = null, d = new Date()): string {
  return leadFileName(code, format, dealerId, localDay(d));
}

/** How long a tap on "Contacté" can be taken back before it is recorded (LeadTable). */
export const CONTACT_UNDO_MS = 6_000;
