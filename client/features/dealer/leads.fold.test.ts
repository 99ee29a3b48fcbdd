import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/lead.js';
import { applySnapshot, emptyInbox, foldPush, markSeen, type Inbox } from './leads.fold.js';
import { dayEnd, dayStart, delayParts, displayPhone, downloadName, filterLeads, medianContactDelayMs, noFilters, toLeadQuery, variantLabel } from './leads.view.js';

const lead = (id: string, over: Partial<Lead> = {}): Lead => ({
  id,
  eventId: 'ev1',
  type: 'test_drive',
  firstName: 'Camille',
  lastName: 'Martin',
  email: 'camille@example.fr',
  phone: '+33612345678',
  postcode: '69003',
  dealerId: 'lyon',
  dealerName: 'Garage du Rhône',
  routing: 'nearest',
  preferredDate: null,
  variant: null,
  message: null,
  consent: { contact: true, marketing: false, textVersion: 'v1', at: '2026-12-01T18:00:00.000Z' },
  source: 'live',
  createdAt: '2026-12-01T18:00:00.000Z',
  contactedAt: null,
  ...over,
});

const ids = (inbox: Inbox) => inbox.leads.map((l) => l.id);
const first = (leads: Lead[]) => applySnapshot(emptyInbox, leads, { keep: new Set(), announce: false });

describe('the dealer inbox fold', () => {
  it('shows the newest request first and announces only live arrivals', () => {
    let inbox = first([lead('a', { createdAt: '2026-12-01T18:00:00.000Z' }), lead('b', { createdAt: '2026-12-01T18:05:00.000Z' })]);
    expect(ids(inbox)).toEqual(['b', 'a']);
    expect(inbox.unseen.size).toBe(0);
    inbox = foldPush(inbox, { kind: 'added', lead: lead('c', { createdAt: '2026-12-01T18:10:00.000Z' }) });
    expect(ids(inbox)).toEqual(['c', 'b', 'a']);
    expect([...inbox.unseen]).toEqual(['c']);
    expect(markSeen(inbox).unseen.size).toBe(0);
  });

  it('dedupes by id: a push repeated (or already in the snapshot) adds nothing and is not new', () => {
    let inbox = first([lead('a')]);
    inbox = foldPush(inbox, { kind: 'added', lead: lead('a') });
    inbox = foldPush(inbox, { kind: 'added', lead: lead('b', { createdAt: '2026-12-01T19:00:00.000Z' }) });
    inbox = foldPush(inbox, { kind: 'added', lead: lead('b', { createdAt: '2026-12-01T19:00:00.000Z' }) });
    expect(ids(inbox)).toEqual(['b', 'a']);
    expect([...inbox.unseen]).toEqual(['b']);
  });

  it('folds `lead:updated` in place, and a stale copy never un-contacts a lead', () => {
    let inbox = first([lead('a')]);
    inbox = foldPush(inbox, { kind: 'updated', lead: lead('a', { contactedAt: '2026-12-01T18:12:00.000Z' }) });
    expect(inbox.leads[0]!.contactedAt).toBe('2026-12-01T18:12:00.000Z');
    // A snapshot fetched before the mark arrives afterwards.
    inbox = applySnapshot(inbox, [lead('a')], { keep: new Set(), announce: true });
    expect(inbox.leads[0]!.contactedAt).toBe('2026-12-01T18:12:00.000Z');
    expect(inbox.unseen.size).toBe(0);
  });

  it('removes an erased lead and never lets an older snapshot bring it back', () => {
    let inbox = foldPush(first([lead('a'), lead('b', { createdAt: '2026-12-01T18:01:00.000Z' })]), { kind: 'added', lead: lead('c', { createdAt: '2026-12-01T18:02:00.000Z' }) });
    inbox = foldPush(inbox, { kind: 'erased', id: 'c' });
    inbox = foldPush(inbox, { kind: 'erased', id: 'a' });
    expect(ids(inbox)).toEqual(['b']);
    expect(inbox.unseen.size).toBe(0);
    inbox = applySnapshot(inbox, [lead('a'), lead('b', { createdAt: '2026-12-01T18:01:00.000Z' })], { keep: new Set(), announce: true });
    expect(ids(inbox)).toEqual(['b']);
    expect(foldPush(inbox, { kind: 'added', lead: lead('a') }).leads).toHaveLength(1);
  });

  it('a reconnect snapshot drops what was erased while away and announces what arrived', () => {
    let inbox = first([lead('a'), lead('b', { createdAt: '2026-12-01T18:01:00.000Z' })]);
    inbox = applySnapshot(inbox, [lead('b', { createdAt: '2026-12-01T18:01:00.000Z' }), lead('d', { createdAt: '2026-12-01T18:30:00.000Z' })], { keep: new Set(), announce: true });
    expect(ids(inbox)).toEqual(['d', 'b']);
    expect([...inbox.unseen]).toEqual(['d']);
  });

  it('keeps a lead pushed while the snapshot was in flight, even though the snapshot lacks it', () => {
    let inbox = first([lead('a')]);
    inbox = foldPush(inbox, { kind: 'added', lead: lead('late', { createdAt: '2026-12-01T18:40:00.000Z' }) });
    inbox = applySnapshot(inbox, [lead('a')], { keep: new Set(['late']), announce: true });
    expect(ids(inbox)).toEqual(['late', 'a']);
    expect([...inbox.unseen]).toEqual(['late']);
  });
});

describe('the dealer page view', () => {
  const leads = [
    lead('a', { type: 'quote', dealerId: 'paris', createdAt: dayStart('2026-12-01') }),
    lead('b', { type: 'test_drive', dealerId: 'lyon', createdAt: dayEnd('2026-12-02') }),
    lead('c', { type: 'test_drive', dealerId: 'paris', createdAt: dayStart('2026-12-03') }),
  ];

  it('filters by type, dealer and inclusive local days, and gives the server the same filters', () => {
    expect(filterLeads(leads, { ...noFilters, type: 'test_drive' }).map((l) => l.id)).toEqual(['b', 'c']);
    expect(filterLeads(leads, { ...noFilters, dealerId: 'paris' }).map((l) => l.id)).toEqual(['a', 'c']);
    expect(filterLeads(leads, { ...noFilters, from: '2026-12-01', to: '2026-12-02' }).map((l) => l.id)).toEqual(['a', 'b']);
    expect(toLeadQuery({ type: 'quote', dealerId: 'paris', from: '2026-12-01', to: '' })).toEqual({ type: 'quote', dealerId: 'paris', since: dayStart('2026-12-01') });
    expect(toLeadQuery(noFilters)).toEqual({});
  });

  it('takes the median time to first contact of the contacted leads only', () => {
    const at = (min: number) => new Date(Date.parse('2026-12-01T18:00:00.000Z') + min * 60_000).toISOString();
    expect(medianContactDelayMs([lead('a')])).toBeNull();
    expect(medianContactDelayMs([lead('a', { contactedAt: at(10) }), lead('b', { contactedAt: at(30) }), lead('c')])).toBe(20 * 60_000);
    expect(medianContactDelayMs([lead('a', { contactedAt: at(10) }), lead('b', { contactedAt: at(12) }), lead('c', { contactedAt: at(600) })])).toBe(12 * 60_000);
    expect(delayParts(12 * 60_000)).toEqual({ days: 0, hours: 0, minutes: 12 });
    expect(delayParts((26 * 60 + 5) * 60_000)).toEqual({ days: 1, hours: 2, minutes: 5 });
    // Counted like "il y a … min": 2 min 59 s is 2 min, never 3 beside a row that says 2.
    expect(delayParts(179_000)).toEqual({ days: 0, hours: 0, minutes: 2 });
  });

  it('shows phones the French way and names files by launch and day', () => {
    expect(displayPhone('+33612345678')).toBe('06 12 34 56 78');
    expect(displayPhone('+442079460958')).toBe('+44 20 7946 0958');
    // Guadeloupe, La Réunion: the French numbering plan, dialled from France with a 0.
    expect(displayPhone('+590690123456')).toBe('0690 12 34 56');
    expect(displayPhone('+262692123456')).toBe('0692 12 34 56');
    // New Caledonia has its own plan.
    expect(displayPhone('+687751234')).toBe('+687 75 12 34');
    expect(displayPhone('not a phone')).toBe('not a phone');
    expect(variantLabel('bleu-abysse')).toBe('Bleu abysse');
    expect(downloadName('K7P2QX', 'csv', null, new Date(2026, 11, 1, 9))).toBe('demandes-K7P2QX-2026-12-01.csv');
    expect(downloadName('K7P2QX', 'excel', null, new Date(2026, 11, 1, 9))).toBe('demandes-K7P2QX-2026-12-01-excel.csv');
    expect(downloadName('K7P2QX', 'json', null, new Date(2026, 11, 1, 9))).toBe('demandes-K7P2QX-2026-12-01.json');
    // One dealer's leads (its own key, or the dealer filter): two dealers' files never collide.
    expect(downloadName('K7P2QX', 'excel', 'lyon-1', new Date(2026, 11, 1, 9))).toBe('demandes-K7P2QX-lyon-1-2026-12-01-excel.csv');
    expect(downloadName('K7P2QX', 'csv', 'Nîmes Sud / 2', new Date(2026, 11, 1, 9))).toBe('demandes-K7P2QX-Nimes-Sud-2-2026-12-01.csv');
  });
});
