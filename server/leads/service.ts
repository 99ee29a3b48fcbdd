import { createHash } from 'node:crypto';
import type { ValidationIssue } from '../../shared/errors.js';
import { MAX_PREFERRED_DAYS_AHEAD, receiptOf, type Lead, type LeadReceipt, type LeadSource, type LeadSubmit } from '../../shared/lead.js';
import { nearest, postcodeLocation } from '../geo/geo.js';
import type { DealerRecord, LeadRecord, Store } from '../store/types.js';

/** A refusal the caller passes on as is (socket ack or HTTP error). */
export class LeadRefusal extends Error {
  constructor(
    readonly code: 'invalid_payload' | 'conflict',
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
  }
}

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in France, `YYYY-MM-DD`: what "not in the past" means to our viewers. */
export const parisDay = (at: Date): string => PARIS_DAY.format(at);

/**
 * Identity of a submission: the same body (after parsing: trimmed, phone in E.164) gives the
 * same fingerprint, so a resend is told apart from a different lead reusing an id.
 */
export function fingerprint(input: LeadSubmit): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]))
      : v;
  return createHash('sha256').update(JSON.stringify(canonical(input))).digest('base64url');
}

/** The dealer chosen by the viewer, else the nearest one to the lead's postcode, else none. */
export function route(input: Pick<LeadSubmit, 'dealerId' | 'postcode'>, dealers: DealerRecord[]): Pick<Lead, 'dealerId' | 'dealerName' | 'routing'> {
  if (input.dealerId) {
    const chosen = dealers.find((d) => d.id === input.dealerId);
    if (!chosen) throw new LeadRefusal('invalid_payload', 'This dealer is not in the event’s directory.', [{ path: ['dealerId'], message: 'unknown dealer' }]);
    return { dealerId: chosen.id, dealerName: chosen.name, routing: 'chosen' };
  }
  const at = input.postcode ? postcodeLocation(input.postcode) : null;
  const near = at ? nearest(dealers, at) : null;
  return near ? { dealerId: near.id, dealerName: near.name, routing: 'nearest' } : { dealerId: null, dealerName: null, routing: 'none' };
}

export type SubmitResult = { lead: Lead; created: boolean; receipt: LeadReceipt } | { erased: true; receipt: { id: string; erased: true } };

/** What dealers see: neither the fingerprint nor the viewerId (the viewer's Q&A identity). */
export const publicLead = ({ fingerprint: _f, viewerId: _v, ...lead }: LeadRecord): Lead => lead;

/**
 * The one way a lead is taken in, exactly once: a resend of a stored id answers the first
 * result, the same id with another body (or from someone else) is a conflict, and the promise
 * resolves only once the lead is committed.
 */
export async function submitLead(
  store: Store,
  ctx: { eventId: string; viewerId: string; source: LeadSource; now: Date; admit?: () => void | Promise<void> },
  input: LeadSubmit,
): Promise<SubmitResult> {
  const print = fingerprint(input);
  const existing = await store.leads.get(ctx.eventId, input.id);
  if (existing) return answerFor(existing, ctx, print);
  // Erased or purged: answered before any check that depends on time, limits or the directory.
  if (await store.leads.erased(input.id)) return erasedAnswer(input.id);
  // Rate limits count new leads only: a resend from an outbox must always get its answer.
  await ctx.admit?.();

  if (input.preferredDate) {
    // The viewer's "today" may be Paris's yesterday (the Antilles, French Polynesia): allow a day.
    const today = parisDay(new Date(ctx.now.getTime() - 86_400_000));
    const latest = parisDay(new Date(ctx.now.getTime() + MAX_PREFERRED_DAYS_AHEAD * 86_400_000));
    if (input.preferredDate < today) throw new LeadRefusal('invalid_payload', 'The preferred date is in the past.', [{ path: ['preferredDate'], message: 'the date is in the past' }]);
    if (input.preferredDate > latest) throw new LeadRefusal('invalid_payload', 'The preferred date is too far ahead.', [{ path: ['preferredDate'], message: 'at most a year ahead' }]);
  }
  const routing = route(input, await store.dealers.list(ctx.eventId));
  const at = ctx.now.toISOString();
  const record: LeadRecord = {
    id: input.id,
    eventId: ctx.eventId,
    viewerId: ctx.viewerId,
    type: input.type,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email,
    phone: input.phone ?? null,
    postcode: input.postcode ?? null,
    ...routing,
    preferredDate: input.preferredDate ?? null,
    variant: input.variant ?? null,
    message: input.message ?? null,
    consent: { contact: true, marketing: input.consent.marketing ?? false, textVersion: input.consent.textVersion, at },
    source: ctx.source,
    createdAt: at,
    contactedAt: null,
    fingerprint: print,
  };
  const stored = await store.leads.submit(record);
  if (!stored.lead) return erasedAnswer(input.id);
  // Two tabs sending the same new id at once: the loser gets the winner's answer.
  if (!stored.created) return answerFor(stored.lead, ctx, print);
  const lead = publicLead(stored.lead);
  return { lead, created: true, receipt: receiptOf(lead) };
}

const erasedAnswer = (id: string): SubmitResult => ({ erased: true, receipt: { id, erased: true } });

function answerFor(existing: LeadRecord, ctx: { eventId: string; viewerId: string }, print: string): SubmitResult {
  if (existing.eventId !== ctx.eventId || existing.viewerId !== ctx.viewerId || existing.fingerprint !== print) {
    throw new LeadRefusal('conflict', 'A different request was already sent with this id.');
  }
  const lead = publicLead(existing);
  return { lead, created: false, receipt: receiptOf(lead) };
}
