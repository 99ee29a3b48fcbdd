import type pg from 'pg';
import { toReplayEntries, type ReplayChunkRow } from '../rows.js';
import type { ReplayRepository } from '../types.js';

/** One statement (hence one transaction) per batch; a chunk written again (a retry) is ignored. */
const APPEND = `INSERT INTO replay_chunks (id, event_id, first_at, entries)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[])
  ON CONFLICT (id) DO NOTHING`;

export function postgresReplay(pool: pg.Pool): ReplayRepository {
  return {
    async append(chunks) {
      if (chunks.length === 0) return;
      await pool.query(APPEND, [chunks.map((c) => c.id), chunks.map((c) => c.eventId), chunks.map((c) => c.firstAt), chunks.map((c) => JSON.stringify(c.entries))]);
    },
    async entries(eventId) {
      const { rows } = await pool.query<ReplayChunkRow>('SELECT entries FROM replay_chunks WHERE event_id = $1 ORDER BY first_at, id', [eventId]);
      return toReplayEntries(rows);
    },
  };
}
