import type pg from 'pg';
import type { LeadQuery } from '../../../shared/lead.js';
import type { Logger } from '../../logger.js';
import type { DealerRepository, LeadRecord, LeadRepository } from '../types.js';
import { leadColumns } from '../../leads/columns.js';
import { inTransaction } from './pool.js';
import { toLead, toDealer, type LeadRow, type DealerRow } from '../rows.js';

const toRow = (l: LeadRecord): LeadRow => ({ ...leadColumns(l), viewer_id: l.viewerId, fingerprint: l.fingerprint });

const COLUMNS = Object.keys(toRow({ consent: {} } as LeadRecord)) as (keyof LeadRow)[];

/** A new id is inserted unless it was erased; a known one is left alone (ON CONFLICT waits for its commit). */
const INSERT = `INSERT INTO leads (${COLUMNS.join(', ')}) SELECT ${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}
  WHERE NOT EXISTS (SELECT 1 FROM erased_leads WHERE id = $1) ON CONFLICT (id) DO NOTHING RETURNING *`;

/**
 * Kept N months after it was created, counted the way SQLite's `+N months` and the memory store
 * count them: from the first of the creation month, add the months, then the days and time
 * into that month again, so 01-31 + 1 month is 03-03 (PostgreSQL alone would say 02-28).
 */
const EXPIRES_AT = `(date_trunc('month', l.created_at AT TIME ZONE 'UTC') + make_interval(months => e.retention_months)
  + (l.created_at AT TIME ZONE 'UTC' - date_trunc('month', l.created_at AT TIME ZONE 'UTC')))`;

/** Leads: each write is committed (synchronous_commit=on) before its promise resolves. */
export function postgresLeads(pool: pg.Pool): LeadRepository {
  const get = async (id: string): Promise<LeadRecord | null> => {
    const { rows } = await pool.query<LeadRow>('SELECT * FROM leads WHERE id = $1', [id]);
    return rows[0] ? toLead(rows[0]) : null;
  };
  return {
    async submit(lead) {
      const row = toRow(lead);
      const inserted = await pool.query<LeadRow>(INSERT, COLUMNS.map((c) => row[c]));
      if (inserted.rows[0]) return { lead: toLead(inserted.rows[0]), created: true };
      // Not inserted: stored already (answer the first one), or erased (even since the insert).
      return { lead: await get(lead.id), created: false };
    },
    async get(eventId, id) {
      const lead = await get(id);
      return lead && lead.eventId === eventId ? lead : null;
    },
    async erased(id) {
      const { rows } = await pool.query('SELECT 1 FROM erased_leads WHERE id = $1', [id]);
      return rows.length > 0;
    },
    async list(eventId, query: LeadQuery) {
      const params: unknown[] = [eventId];
      const where = ['event_id = $1'];
      const filter = (sql: string, value: unknown) => {
        params.push(value);
        where.push(`${sql} $${params.length}`);
      };
      if (query.type) filter('type =', query.type);
      if (query.dealerId) filter('dealer_id =', query.dealerId);
      if (query.since) filter('created_at >=', new Date(query.since).toISOString());
      if (query.until) filter('created_at <', new Date(query.until).toISOString());
      const { rows } = await pool.query<LeadRow>(`SELECT * FROM leads WHERE ${where.join(' AND ')} ORDER BY created_at, id`, params);
      return rows.map(toLead);
    },
    async assign(eventId, id, dealer) {
      await pool.query("UPDATE leads SET dealer_id = $3, dealer_name = $4, routing = 'assigned' WHERE event_id = $1 AND id = $2 AND dealer_id IS NULL", [eventId, id, dealer.id, dealer.name]);
      const lead = await get(id);
      return lead && lead.eventId === eventId ? lead : null;
    },
    async markContacted(eventId, id, at) {
      const { rows } = await pool.query<LeadRow>('UPDATE leads SET contacted_at = COALESCE(contacted_at, $3) WHERE event_id = $1 AND id = $2 RETURNING *', [eventId, id, at]);
      return rows[0] ? toLead(rows[0]) : null;
    },
    async erase(eventId, id, at) {
      // One statement, hence one transaction: the person goes and the tombstone arrives together.
      const { rows } = await pool.query(
        `WITH gone AS (DELETE FROM leads WHERE event_id = $1 AND id = $2 RETURNING id, event_id),
           tomb AS (INSERT INTO erased_leads (id, event_id, erased_at) SELECT id, event_id, $3 FROM gone ON CONFLICT (id) DO NOTHING)
         SELECT id FROM gone`,
        [eventId, id, at],
      );
      return rows.length > 0;
    },
    async purgeExpired(now) {
      const { rows } = await pool.query<{ id: string; event_id: string; dealer_id: string | null }>(
        `WITH gone AS (DELETE FROM leads l USING events e WHERE e.id = l.event_id AND ${EXPIRES_AT} < ($1::timestamptz AT TIME ZONE 'UTC')
             RETURNING l.id, l.event_id, l.dealer_id),
           tomb AS (INSERT INTO erased_leads (id, event_id, erased_at) SELECT id, event_id, $1 FROM gone ON CONFLICT (id) DO NOTHING)
         SELECT id, event_id, dealer_id FROM gone`,
        [now.toISOString()],
      );
      return rows.map((r) => ({ id: r.id, eventId: r.event_id, dealerId: r.dealer_id }));
    },
  };
}

/** The directory; `upsertMany` is one transaction, all or nothing. */
export function postgresDealers(pool: pg.Pool, log: Logger): DealerRepository {
  return {
    async list(eventId) {
      // Case-insensitive by name, in byte order like SQLite's NOCASE: the same on every server whatever its locale.
      const { rows } = await pool.query<DealerRow>('SELECT * FROM dealers WHERE event_id = $1 ORDER BY lower(name) COLLATE "C", id COLLATE "C"', [eventId]);
      return rows.map(toDealer);
    },
    async get(eventId, id) {
      const { rows } = await pool.query<DealerRow>('SELECT * FROM dealers WHERE event_id = $1 AND id = $2', [eventId, id]);
      return rows[0] ? toDealer(rows[0]) : null;
    },
    upsertMany: (eventId, dealers, newKey, at) =>
      inTransaction(pool, log, async (c) => {
        for (const d of dealers) {
          await c.query(
            `INSERT INTO dealers (event_id, id, name, address, postcode, city, latitude, longitude, email, phone, key, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
             ON CONFLICT (event_id, id) DO UPDATE SET name = excluded.name, address = excluded.address, postcode = excluded.postcode,
               city = excluded.city, latitude = excluded.latitude, longitude = excluded.longitude, email = excluded.email,
               phone = excluded.phone, updated_at = excluded.updated_at`,
            [eventId, d.id, d.name, d.address, d.postcode, d.city, d.latitude, d.longitude, d.email, d.phone ?? null, newKey(), at],
          );
        }
        // Read back once all are written: a dealer listed twice shows its final state both times.
        const { rows } = await c.query<DealerRow>('SELECT * FROM dealers WHERE event_id = $1 AND id = ANY($2)', [eventId, dealers.map((d) => d.id)]);
        const byId = new Map(rows.map((r) => [r.id, toDealer(r)]));
        return dealers.map((d) => byId.get(d.id)!);
      }),
    async remove(eventId, id) {
      const { rowCount } = await pool.query('DELETE FROM dealers WHERE event_id = $1 AND id = $2', [eventId, id]);
      return rowCount === 1;
    },
  };
}
