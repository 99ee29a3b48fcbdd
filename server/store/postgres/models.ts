import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { HotspotOpenRepository, ModelRecord, ModelRepository } from '../types.js';
import { inTransaction } from './pool.js';
import { toModel, type ModelRow } from '../rows.js';

/** One model per event; replacing it hands back the one replaced, exactly once. */
export function postgresModels(pool: pg.Pool, log: Logger): ModelRepository {
  const find = async (c: pg.Pool | pg.PoolClient, eventId: string): Promise<ModelRecord | null> => {
    const { rows } = await c.query<ModelRow>('SELECT * FROM models WHERE event_id = $1', [eventId]);
    return rows[0] ? toModel(rows[0]) : null;
  };
  return {
    get: (eventId) => find(pool, eventId),
    // Uploads of one event take turns on the event's row, so two racing each see the record they
    // replaced, and each deletes exactly the files nobody references any more.
    put: (m) =>
      inTransaction(pool, log, async (c) => {
        const event = await c.query('SELECT 1 FROM events WHERE id = $1 FOR NO KEY UPDATE', [m.eventId]);
        if (event.rowCount === 0) throw new Error(`no event ${m.eventId}`);
        const previous = await find(c, m.eventId);
        await c.query(
          `INSERT INTO models (event_id, name, original_file, original_bytes, optimised_file, optimised_bytes, stats, bounds, pose, note, details, poster_file, poster_bytes, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (event_id) DO UPDATE SET name = excluded.name, original_file = excluded.original_file, original_bytes = excluded.original_bytes,
             optimised_file = excluded.optimised_file, optimised_bytes = excluded.optimised_bytes, stats = excluded.stats, bounds = excluded.bounds,
             pose = excluded.pose, note = excluded.note, details = excluded.details, poster_file = excluded.poster_file,
             poster_bytes = excluded.poster_bytes, created_at = excluded.created_at`,
          [
            m.eventId, m.name, m.original.file, m.original.bytes, m.optimised.file, m.optimised.bytes,
            JSON.stringify(m.stats), JSON.stringify(m.bounds), JSON.stringify(m.pose), m.note, JSON.stringify(m.details),
            m.poster?.file ?? null, m.poster?.bytes ?? null, m.createdAt,
          ],
        );
        return { previous };
      }),
    setPoster: (eventId, poster) =>
      inTransaction(pool, log, async (c) => {
        const { rows } = await c.query<ModelRow>('SELECT * FROM models WHERE event_id = $1 FOR UPDATE', [eventId]);
        if (!rows[0]) return null;
        await c.query('UPDATE models SET poster_file = $2, poster_bytes = $3 WHERE event_id = $1', [eventId, poster.file, poster.bytes]);
        return toModel(rows[0]);
      }),
  };
}

/** Opens per (hotspot, viewer): one upsert each, so a repeat only bumps the count. */
export function postgresHotspotOpens(pool: pg.Pool): HotspotOpenRepository {
  return {
    async record(eventId, hotspotId, viewerId, at) {
      const { rows } = await pool.query<{ opens: number }>(
        `INSERT INTO hotspot_opens (event_id, hotspot_id, viewer_id, opens, first_at, last_at) VALUES ($1, $2, $3, 1, $4, $4)
         ON CONFLICT (event_id, hotspot_id, viewer_id) DO UPDATE SET opens = hotspot_opens.opens + 1, last_at = excluded.last_at RETURNING opens`,
        [eventId, hotspotId, viewerId, at],
      );
      return rows[0]!.opens === 1;
    },
    async counts(eventId) {
      const { rows } = await pool.query<{ hotspot_id: string; opens: number; viewers: number }>(
        'SELECT hotspot_id, SUM(opens) AS opens, COUNT(*) AS viewers FROM hotspot_opens WHERE event_id = $1 GROUP BY hotspot_id',
        [eventId],
      );
      return Object.fromEntries(rows.map((r) => [r.hotspot_id, { opens: r.opens, viewers: r.viewers }]));
    },
    async byViewer(eventId) {
      const { rows } = await pool.query<{ viewer_id: string; opens: number; hotspots: number }>(
        'SELECT viewer_id, SUM(opens) AS opens, COUNT(*) AS hotspots FROM hotspot_opens WHERE event_id = $1 GROUP BY viewer_id',
        [eventId],
      );
      return Object.fromEntries(rows.map((r) => [r.viewer_id, { opens: r.opens, hotspots: r.hotspots }]));
    },
  };
}
