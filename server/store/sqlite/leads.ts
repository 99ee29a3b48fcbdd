import type Database from 'better-sqlite3';
import type { DealerInput, LeadQuery } from '../../../shared/lead.js';
import type { DealerRecord, DealerRepository, LeadRecord, LeadRepository } from '../types.js';
import { leadColumns } from '../../leads/columns.js';
import { groupCommit } from './groupCommit.js';
import { toLead, toDealer, type LeadRow, type DealerRow } from '../rows.js';

const toRow = (l: LeadRecord): LeadRow => ({ ...leadColumns(l), viewer_id: l.viewerId, consent_marketing: l.consent.marketing ? 1 : 0, fingerprint: l.fingerprint });

const COLUMNS = Object.keys(toRow({ consent: {} } as LeadRecord));

/** Leads: each write is committed (synchronous=FULL) before its promise resolves. */
export function sqliteLeads(db: Database.Database): LeadRepository {
  const q = {
    insert: db.prepare(`INSERT INTO leads (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`),
    get: db.prepare('SELECT * FROM leads WHERE id = ?'),
    erased: db.prepare('SELECT 1 FROM erased_leads WHERE id = ?'),
    contacted: db.prepare('UPDATE leads SET contacted_at = COALESCE(contacted_at, ?) WHERE event_id = ? AND id = ?'),
    assign: db.prepare("UPDATE leads SET dealer_id = ?, dealer_name = ?, routing = 'assigned' WHERE event_id = ? AND id = ? AND dealer_id IS NULL"),
    remove: db.prepare('DELETE FROM leads WHERE event_id = ? AND id = ?'),
    tombstone: db.prepare('INSERT OR IGNORE INTO erased_leads (id, event_id, erased_at) VALUES (?, ?, ?)'),
    // Kept N months after it was created: adding months to the creation date (never taking them
    // from today, which at a month's end lands days early: 03-31 − 1 month = 03-03).
    expired: db.prepare(`SELECT l.id, l.event_id, l.dealer_id FROM leads l JOIN events e ON e.id = l.event_id
      WHERE strftime('%Y-%m-%dT%H:%M:%fZ', l.created_at, '+' || e.retention_months || ' months') < @now`),
    checkpoint: db.prepare('PRAGMA wal_checkpoint(TRUNCATE)'),
  };
  const get = (id: string): LeadRecord | null => {
    const row = q.get.get(id) as LeadRow | undefined;
    return row ? toLead(row) : null;
  };

  const submitOne = (lead: LeadRecord): { lead: LeadRecord | null; created: boolean } => {
    if (q.erased.get(lead.id)) return { lead: null, created: false };
    const existing = get(lead.id);
    if (existing) return { lead: existing, created: false };
    q.insert.run(toRow(lead));
    return { lead: get(lead.id)!, created: true };
  };
  const erase = db.transaction((eventId: string, id: string, at: string) => {
    if (q.remove.run(eventId, id).changes === 0) return false;
    q.tombstone.run(id, eventId, at);
    return true;
  });
  const purge = db.transaction((now: string) => {
    const rows = q.expired.all({ now }) as { id: string; event_id: string; dealer_id: string | null }[];
    for (const r of rows) {
      q.remove.run(r.event_id, r.id);
      q.tombstone.run(r.id, r.event_id, now);
    }
    return rows.map((r) => ({ id: r.id, eventId: r.event_id, dealerId: r.dealer_id }));
  });
  /**
   * secure_delete (set on the connection) zeroes deleted rows in the database file; the WAL
   * still holds the old pages until a checkpoint, so truncate it: erased means gone from disk.
   */
  const scrub = () => q.checkpoint.run();

  return {
    // A burst of leads (a CTA pushed to 2,000 viewers) shares fsyncs; each ack still waits for its commit.
    submit: groupCommit(db, submitOne),
    async get(eventId, id) {
      const lead = get(id);
      return lead && lead.eventId === eventId ? lead : null;
    },
    async list(eventId, query: LeadQuery) {
      const where = ['event_id = @eventId'];
      if (query.type) where.push('type = @type');
      if (query.dealerId) where.push('dealer_id = @dealerId');
      if (query.since) where.push('created_at >= @since');
      if (query.until) where.push('created_at < @until');
      const params = {
        eventId,
        type: query.type ?? null,
        dealerId: query.dealerId ?? null,
        since: query.since ? new Date(query.since).toISOString() : null,
        until: query.until ? new Date(query.until).toISOString() : null,
      };
      const rows = db.prepare(`SELECT * FROM leads WHERE ${where.join(' AND ')} ORDER BY created_at, id`).all(params) as LeadRow[];
      return rows.map(toLead);
    },
    async assign(eventId, id, dealer) {
      q.assign.run(dealer.id, dealer.name, eventId, id);
      const lead = get(id);
      return lead && lead.eventId === eventId ? lead : null;
    },
    async markContacted(eventId, id, at) {
      if (q.contacted.run(at, eventId, id).changes === 0) return null;
      return get(id);
    },
    erased: async (id) => q.erased.get(id) !== undefined,
    async erase(eventId, id, at) {
      const done = erase(eventId, id, at);
      if (done) scrub();
      return done;
    },
    async purgeExpired(now) {
      const removed = purge(now.toISOString());
      if (removed.length) scrub();
      return removed;
    },
  };
}

export function sqliteDealers(db: Database.Database): DealerRepository {
  const q = {
    list: db.prepare('SELECT * FROM dealers WHERE event_id = ? ORDER BY name COLLATE NOCASE, id'),
    get: db.prepare('SELECT * FROM dealers WHERE event_id = ? AND id = ?'),
    upsert: db.prepare(`INSERT INTO dealers (event_id, id, name, address, postcode, city, latitude, longitude, email, phone, key, created_at, updated_at)
      VALUES (@eventId, @id, @name, @address, @postcode, @city, @latitude, @longitude, @email, @phone, @key, @at, @at)
      ON CONFLICT (event_id, id) DO UPDATE SET name = excluded.name, address = excluded.address, postcode = excluded.postcode,
        city = excluded.city, latitude = excluded.latitude, longitude = excluded.longitude, email = excluded.email,
        phone = excluded.phone, updated_at = excluded.updated_at`),
    remove: db.prepare('DELETE FROM dealers WHERE event_id = ? AND id = ?'),
  };
  const get = (eventId: string, id: string): DealerRecord | null => {
    const row = q.get.get(eventId, id) as DealerRow | undefined;
    return row ? toDealer(row) : null;
  };
  const upsertMany = db.transaction((eventId: string, dealers: DealerInput[], newKey: () => string, at: string) => {
    for (const d of dealers) q.upsert.run({ ...d, phone: d.phone ?? null, eventId, key: newKey(), at });
    return dealers.map((d) => get(eventId, d.id)!);
  });
  return {
    list: async (eventId) => (q.list.all(eventId) as DealerRow[]).map(toDealer),
    get: async (eventId, id) => get(eventId, id),
    upsertMany: async (eventId, dealers, newKey, at) => upsertMany(eventId, dealers, newKey, at),
    remove: async (eventId, id) => q.remove.run(eventId, id).changes === 1,
  };
}
