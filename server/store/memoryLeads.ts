import type { LeadQuery } from '../../shared/lead.js';
import type { DealerRecord, DealerRepository, LeadRecord, LeadRepository, RemovedLead } from './types.js';

/** `months` after `at`, the way SQLite's `+N months` modifier counts them (01-31 + 1 → 03-03). */
export function monthsAfter(at: string, months: number): Date {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export function memoryLeads(retentionMonthsOf: (eventId: string) => number | undefined): LeadRepository {
  const leads = new Map<string, LeadRecord>();
  const erased = new Set<string>();
  const copy = (l: LeadRecord): LeadRecord => structuredClone(l);
  return {
    async submit(lead) {
      if (erased.has(lead.id)) return { lead: null, created: false };
      const existing = leads.get(lead.id);
      if (existing) return { lead: copy(existing), created: false };
      leads.set(lead.id, copy(lead));
      return { lead: copy(lead), created: true };
    },
    async get(eventId, id) {
      const l = leads.get(id);
      return l && l.eventId === eventId ? copy(l) : null;
    },
    async list(eventId, query: LeadQuery) {
      const since = query.since ? new Date(query.since).toISOString() : null;
      const until = query.until ? new Date(query.until).toISOString() : null;
      return [...leads.values()]
        .filter((l) => l.eventId === eventId)
        .filter((l) => (!query.type || l.type === query.type) && (!query.dealerId || l.dealerId === query.dealerId))
        .filter((l) => (!since || l.createdAt >= since) && (!until || l.createdAt < until))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map(copy);
    },
    async assign(eventId, id, dealer) {
      const l = leads.get(id);
      if (!l || l.eventId !== eventId) return null;
      if (l.dealerId === null) Object.assign(l, { dealerId: dealer.id, dealerName: dealer.name, routing: 'assigned' });
      return copy(l);
    },
    async markContacted(eventId, id, at) {
      const l = leads.get(id);
      if (!l || l.eventId !== eventId) return null;
      l.contactedAt ??= at;
      return copy(l);
    },
    erased: async (id) => erased.has(id),
    async erase(eventId, id) {
      const l = leads.get(id);
      if (!l || l.eventId !== eventId) return false;
      leads.delete(id);
      erased.add(id);
      return true;
    },
    async purgeExpired(now) {
      const removed: RemovedLead[] = [];
      for (const l of [...leads.values()]) {
        const months = retentionMonthsOf(l.eventId);
        if (months !== undefined && monthsAfter(l.createdAt, months) < now) {
          leads.delete(l.id);
          erased.add(l.id);
          removed.push({ id: l.id, eventId: l.eventId, dealerId: l.dealerId });
        }
      }
      return removed;
    },
  };
}

/** `dealers`: keyed `${eventId} ${id}`, shared with the memory store's keys. */
export function memoryDealers(dealers = new Map<string, DealerRecord>()): DealerRepository {
  const copy = (d: DealerRecord): DealerRecord => ({ ...d });
  return {
    list: async (eventId) =>
      [...dealers.values()]
        .filter((d) => d.eventId === eventId)
        .sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }) || a.id.localeCompare(b.id))
        .map(copy),
    async get(eventId, id) {
      const d = dealers.get(`${eventId} ${id}`);
      return d ? copy(d) : null;
    },
    async upsertMany(eventId, list, newKey, at) {
      return list.map((input) => {
        const k = `${eventId} ${input.id}`;
        const prev = dealers.get(k);
        const d: DealerRecord = {
          ...input,
          phone: input.phone,
          eventId,
          key: prev?.key ?? newKey(),
          keyExpiresAt: prev?.keyExpiresAt ?? null,
          keyRevokedAt: prev?.keyRevokedAt ?? null,
          createdAt: prev?.createdAt ?? at,
          updatedAt: at,
        };
        dealers.set(k, d);
        return copy(d);
      });
    },
    remove: async (eventId, id) => dealers.delete(`${eventId} ${id}`),
  };
}
