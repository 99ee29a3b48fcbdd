import type { Locale } from '../../../shared/event.js';
import { LEAD_TYPES, type LeadType } from '../../../shared/lead.js';
import type { EventReport, FirstContact } from '../../../shared/report.js';

/**
 * What the report page and the live dashboard show, computed from an `EventReport`: pure
 * functions, unit-tested, no DOM. Formatting follows the page's language (fr-FR first).
 */

const intlLocale = (l: Locale) => (l === 'fr' ? 'fr-FR' : 'en-GB');

/** The timeline as columns, as a chart takes them: x in Unix seconds (uPlot's time unit). */
export interface TimelineColumns {
  times: number[];
  viewers: number[];
  joins: number[];
  reactions: number[];
  questions: number[];
  votes: number[];
  leads: number[];
}

export function timelineColumns(timeline: EventReport['timeline']): TimelineColumns {
  const c: TimelineColumns = { times: [], viewers: [], joins: [], reactions: [], questions: [], votes: [], leads: [] };
  for (const m of timeline) {
    c.times.push(Date.parse(m.minute) / 1000);
    c.viewers.push(m.viewers);
    c.joins.push(m.joins);
    c.reactions.push(m.reactions);
    c.questions.push(m.questions);
    c.votes.push(m.votes);
    c.leads.push(m.leads);
  }
  return c;
}

/** A chart's time axis never spans less than this: one minute of data is not a full-width bar. */
export const MIN_SPAN_S = 10 * 60;

/**
 * The time axis for minutes `first`…`last` (Unix seconds): half a minute of margin on each side,
 * so the first and last minutes' bars are whole, and at least `MIN_SPAN_S` wide.
 */
export function timeRange(first: number, last: number): [number, number] {
  const min = first - 30;
  return [min, Math.max(last + 30, min + MIN_SPAN_S)];
}

/** The count axis: from 0, a little headroom over the highest value, never below 1. */
export function countRange(max: number | null): [number, number] {
  return [0, Math.max(1, Math.ceil((max ?? 0) * 1.15))];
}

export function formatRate(rate: number | null, locale: Locale): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(intlLocale(locale), { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** "1,5" / "1.5": a score, one decimal at most. */
export function formatScore(score: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 }).format(score);
}

/**
 * A duration as a person reads it, as precise as it matters: seconds under a minute, minutes
 * and seconds under ten minutes, minutes under an hour, then hours and minutes. The message
 * keys hold each form's words.
 */
export function durationParts(seconds: number):
  | { key: 'report.duration.seconds'; vars: { s: number } }
  | { key: 'report.duration.minutesSeconds'; vars: { m: number; ss: string } }
  | { key: 'report.duration.minutes'; vars: { m: number } }
  | { key: 'report.duration.hours'; vars: { h: number; mm: string } } {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return { key: 'report.duration.seconds', vars: { s } };
  if (s < 600) return { key: 'report.duration.minutesSeconds', vars: { m: Math.floor(s / 60), ss: String(s % 60).padStart(2, '0') } };
  const minutes = Math.round(s / 60);
  if (minutes < 60) return { key: 'report.duration.minutes', vars: { m: minutes } };
  return { key: 'report.duration.hours', vars: { h: Math.floor(minutes / 60), mm: String(minutes % 60).padStart(2, '0') } };
}

export interface LeadTypeRow {
  type: LeadType;
  count: number;
  /** Of all leads, 0..1 (0 when there are none). */
  share: number;
}

/** Every request type, in the form's order, even at 0: a missing bar says "none" better than no bar. */
export function leadTypeRows(byType: EventReport['leads']['byType']): LeadTypeRow[] {
  const total = LEAD_TYPES.reduce((sum, type) => sum + byType[type], 0);
  return LEAD_TYPES.map((type) => ({ type, count: byType[type], share: total ? byType[type] / total : 0 }));
}

export interface DealerRow {
  /** null: the leads routed to no dealer. */
  dealerId: string | null;
  name: string;
  leads: number;
  contact: FirstContact | null;
}

/**
 * One row per dealer that received leads (most leads first, then by name), and one for the
 * leads routed to nobody. A dealer gone from the directory keeps its id as its name.
 */
export function dealerRows(report: EventReport, names: ReadonlyMap<string, string>, unroutedName: string, locale: Locale): DealerRow[] {
  const rows: DealerRow[] = Object.entries(report.leads.byDealer).map(([dealerId, leads]) => ({
    dealerId,
    name: names.get(dealerId) ?? dealerId,
    leads,
    contact: report.timeToFirstContact.byDealer[dealerId] ?? null,
  }));
  rows.sort((a, b) => b.leads - a.leads || a.name.localeCompare(b.name, locale));
  if (report.leads.unrouted > 0) rows.push({ dealerId: null, name: unroutedName, leads: report.leads.unrouted, contact: report.timeToFirstContact.unrouted });
  return rows;
}

/** The peak the dashboard shows: the live count can be ahead of the recorded sessions for a moment. */
export function livePeak(reportPeak: number, viewersNow: number): number {
  return Math.max(reportPeak, viewersNow);
}
