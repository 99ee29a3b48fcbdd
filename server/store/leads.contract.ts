import { describe, expect, it } from 'vitest';
import { CONSENT_TEXT_VERSION, type DealerInput } from '../../shared/lead.js';
import { newId, newKey } from '../keys.js';
import { newEventFixture } from './repository.contract.js';
import type { LeadRecord, Store } from './types.js';

export function leadFixture(eventId: string, over: Partial<LeadRecord> = {}): LeadRecord {
  return {
    id: newId(),
    eventId,
    viewerId: 'viewer-aaaa',
    type: 'test_drive',
    firstName: 'Éloïse',
    lastName: 'Dupré',
    email: 'eloise@example.fr',
    phone: '+33612345678',
    postcode: '69003',
    dealerId: 'lyon-1',
    dealerName: 'Garage du Rhône',
    routing: 'chosen',
    preferredDate: '2026-12-05',
    variant: 'bleu-abysse',
    message: null,
    consent: { contact: true, marketing: false, textVersion: CONSENT_TEXT_VERSION, at: '2026-11-23T10:00:00.000Z' },
    source: 'live',
    createdAt: '2026-11-23T10:00:00.000Z',
    contactedAt: null,
    fingerprint: 'f1',
    ...over,
  };
}

export const dealerFixture = (over: Partial<DealerInput> = {}): DealerInput => ({
  id: 'lyon-1',
  name: 'Garage du Rhône',
  address: '12 quai Perrache',
  postcode: '69002',
  city: 'Lyon',
  latitude: 45.749,
  longitude: 4.826,
  email: 'contact@garage-rhone.fr',
  phone: '+33478000000',
  ...over,
});

/** Leads, dealers and privacy settings: part of the one contract every Store must keep. */
export function describeLeadsContract(current: () => Store): void {
  describe('leads', () => {
    it('stores a lead once per id, whatever is resent, even at the same time', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const lead = leadFixture(e.id);
      const results = await Promise.all([store.leads.submit(lead), store.leads.submit(lead), store.leads.submit({ ...lead, firstName: 'Autre', fingerprint: 'f2' })]);
      expect(results.map((r) => r.created)).toEqual([true, false, false]);
      // The stored one is the first: its fingerprint lets the caller tell a resend from a conflict.
      expect(results.map((r) => r.lead?.fingerprint)).toEqual(['f1', 'f1', 'f1']);
      const { fingerprint: _f, ...expected } = lead;
      expect(await store.leads.list(e.id, {})).toEqual([expect.objectContaining(expected)]);
    });

    it('filters by type, dealer and time, oldest first', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const other = await store.events.create(newEventFixture());
      await store.leads.submit(leadFixture(e.id, { createdAt: '2026-11-23T10:02:00.000Z', type: 'quote', dealerId: 'paris-1' }));
      await store.leads.submit(leadFixture(e.id, { createdAt: '2026-11-23T10:01:00.000Z' }));
      await store.leads.submit(leadFixture(e.id, { createdAt: '2026-11-23T10:03:00.000Z', type: 'callback', dealerId: null, routing: 'none' }));
      await store.leads.submit(leadFixture(other.id));
      const all = await store.leads.list(e.id, {});
      expect(all.map((l) => l.createdAt)).toEqual(['2026-11-23T10:01:00.000Z', '2026-11-23T10:02:00.000Z', '2026-11-23T10:03:00.000Z']);
      expect((await store.leads.list(e.id, { type: 'quote' })).map((l) => l.dealerId)).toEqual(['paris-1']);
      expect(await store.leads.list(e.id, { dealerId: 'lyon-1' })).toHaveLength(1);
      expect(await store.leads.list(e.id, { since: '2026-11-23T11:02:00+01:00' })).toHaveLength(2);
      expect(await store.leads.list(e.id, { until: '2026-11-23T10:02:00Z' })).toHaveLength(1);
    });

    it('keeps the first contact time', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const lead = leadFixture(e.id);
      await store.leads.submit(lead);
      expect(await store.leads.markContacted(e.id, lead.id, '2026-11-23T10:12:00.000Z')).toMatchObject({ contactedAt: '2026-11-23T10:12:00.000Z' });
      expect(await store.leads.markContacted(e.id, lead.id, '2026-11-23T11:00:00.000Z')).toMatchObject({ contactedAt: '2026-11-23T10:12:00.000Z' });
      expect(await store.leads.markContacted('other-event', lead.id, '2026-11-23T11:00:00.000Z')).toBeNull();
    });

    it('gives an unrouted lead to a dealer once: a lead that has one keeps it', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const lead = { ...leadFixture(e.id), dealerId: null, dealerName: null, routing: 'none' as const };
      await store.leads.submit(lead);
      expect(await store.leads.assign(e.id, lead.id, { id: 'lyon-1', name: 'Garage du Rhône' })).toMatchObject({ dealerId: 'lyon-1', dealerName: 'Garage du Rhône', routing: 'assigned' });
      expect(await store.leads.assign(e.id, lead.id, { id: 'paris-1', name: 'Auto Bastille' })).toMatchObject({ dealerId: 'lyon-1', routing: 'assigned' });
      expect(await store.leads.list(e.id, { dealerId: 'lyon-1' })).toEqual([expect.objectContaining({ id: lead.id })]);
      expect(await store.leads.assign('other-event', lead.id, { id: 'paris-1', name: 'Auto Bastille' })).toBeNull();
    });

    it('erases a person for good: a resend of the same id stores nothing', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const lead = leadFixture(e.id);
      await store.leads.submit(lead);
      expect(await store.leads.erase('other-event', lead.id, '2026-11-24T00:00:00.000Z')).toBe(false);
      expect(await store.leads.erase(e.id, lead.id, '2026-11-24T00:00:00.000Z')).toBe(true);
      expect(await store.leads.get(e.id, lead.id)).toBeNull();
      expect(await store.leads.erased(lead.id)).toBe(true);
      expect(await store.leads.erased(newId())).toBe(false);
      expect(await store.leads.submit(lead)).toEqual({ lead: null, created: false });
      expect(await store.leads.list(e.id, {})).toEqual([]);
      expect(await store.leads.erase(e.id, lead.id, '2026-11-24T00:00:00.000Z')).toBe(false);
    });

    it('purges leads older than their event’s retention period, and only those, for good', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const short = await store.events.create(newEventFixture());
      await store.events.updateSettings(short.id, { retentionMonths: 1 });
      const old = leadFixture(e.id, { createdAt: '2025-11-22T09:00:00.000Z' });
      const recent = leadFixture(e.id, { createdAt: '2025-11-23T11:00:00.000Z' });
      const monthOld = leadFixture(short.id, { createdAt: '2026-10-20T00:00:00.000Z', dealerId: null });
      for (const l of [old, recent, monthOld]) await store.leads.submit(l);
      const purged = await store.leads.purgeExpired(new Date('2026-11-23T10:00:00.000Z'));
      expect(purged.sort((a, b) => a.eventId.localeCompare(b.eventId) || 0)).toHaveLength(2);
      expect(purged).toEqual(expect.arrayContaining([{ id: old.id, eventId: e.id, dealerId: 'lyon-1' }, { id: monthOld.id, eventId: short.id, dealerId: null }]));
      expect((await store.leads.list(e.id, {})).map((l) => l.id)).toEqual([recent.id]);
      expect(await store.leads.list(short.id, {})).toEqual([]);
      // A resend of a purged lead (an old outbox) does not bring the person back.
      expect(await store.leads.submit(old)).toEqual({ lead: null, created: false });
    });

    it('counts retention months forward from the lead, so a month’s end never purges early', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      await store.events.updateSettings(e.id, { retentionMonths: 1 });
      const lead = leadFixture(e.id, { createdAt: '2026-03-02T10:00:00.000Z' });
      await store.leads.submit(lead);
      expect(await store.leads.purgeExpired(new Date('2026-03-31T12:00:00.000Z'))).toEqual([]);
      expect(await store.leads.purgeExpired(new Date('2026-04-02T09:59:00.000Z'))).toEqual([]);
      expect(await store.leads.purgeExpired(new Date('2026-04-02T10:01:00.000Z'))).toHaveLength(1);
    });
  });

  describe('dealers and privacy settings', () => {
    it('upserts a directory, keeping each dealer’s key', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const [first] = await store.dealers.upsertMany(e.id, [dealerFixture()], newKey, '2026-11-23T10:00:00.000Z');
      expect(first).toMatchObject({ id: 'lyon-1', eventId: e.id, phone: '+33478000000' });
      const again = await store.dealers.upsertMany(
        e.id,
        [dealerFixture({ name: 'Garage du Rhône Sud', phone: undefined }), dealerFixture({ id: 'paris-1', name: 'Auto Bastille', city: 'Paris', postcode: '75011' })],
        newKey,
        '2026-11-23T11:00:00.000Z',
      );
      expect(again[0]).toMatchObject({ name: 'Garage du Rhône Sud', key: first!.key, createdAt: '2026-11-23T10:00:00.000Z', updatedAt: '2026-11-23T11:00:00.000Z' });
      expect(again[0]!.phone).toBeUndefined();
      expect((await store.dealers.list(e.id)).map((d) => d.name)).toEqual(['Auto Bastille', 'Garage du Rhône Sud']);
      expect(await store.dealers.remove(e.id, 'paris-1')).toBe(true);
      expect(await store.dealers.remove(e.id, 'paris-1')).toBe(false);
      expect(await store.dealers.get(e.id, 'paris-1')).toBeNull();
      expect(await store.dealers.list('other-event')).toEqual([]);
    });

    it('keeps the privacy notice and the retention period (12 months by default)', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      expect(e).toMatchObject({ privacyNotice: null, retentionMonths: 12 });
      expect(await store.events.updateSettings(e.id, { privacyNotice: 'Vos données…' })).toMatchObject({ privacyNotice: 'Vos données…', retentionMonths: 12 });
      expect(await store.events.updateSettings(e.id, { retentionMonths: 24 })).toMatchObject({ privacyNotice: 'Vos données…', retentionMonths: 24 });
      expect(await store.events.updateSettings(e.id, { privacyNotice: null })).toMatchObject({ privacyNotice: null });
      expect(e.privacyContact).toBeNull();
      expect(await store.events.updateSettings(e.id, { privacyContact: 'dpo@example.fr' })).toMatchObject({ privacyContact: 'dpo@example.fr', retentionMonths: 24 });
      expect(await store.events.findById(e.id)).toMatchObject({ privacyContact: 'dpo@example.fr' });
      expect(await store.events.updateSettings(e.id, { privacyContact: null })).toMatchObject({ privacyContact: null });
      expect(await store.events.updateSettings('nope', { retentionMonths: 3 })).toBeNull();
    });
  });
}
