import type pg from 'pg';
import type { AudienceRepository } from '../types.js';
import { toReactionCount, toSession, type ReactionRow, type SessionRow } from '../rows.js';

/**
 * A stored session keeps its first end. Rows arrive as arrays (one statement, hence one
 * transaction, whatever the batch size); the recorder never sends one session twice in a batch.
 */
const SAVE_SESSIONS = `INSERT INTO viewer_sessions (id, event_id, viewer_id, name, joined_at, left_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
  ON CONFLICT (id) DO UPDATE SET left_at = COALESCE(viewer_sessions.left_at, excluded.left_at)`;

/** Summed per key first: one statement may not update the same row twice. */
const ADD_REACTIONS = `INSERT INTO reaction_counts (event_id, viewer_id, minute, emoji, count)
  SELECT e, v, m, j, SUM(n) FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::integer[]) AS t(e, v, m, j, n)
  GROUP BY e, v, m, j
  ON CONFLICT (event_id, minute, viewer_id, emoji) DO UPDATE SET count = reaction_counts.count + excluded.count`;

export function postgresAudience(pool: pg.Pool): AudienceRepository {
  return {
    async saveSessions(sessions) {
      if (sessions.length === 0) return;
      await pool.query(SAVE_SESSIONS, [
        sessions.map((s) => s.id),
        sessions.map((s) => s.eventId),
        sessions.map((s) => s.viewerId),
        sessions.map((s) => s.name),
        sessions.map((s) => s.joinedAt),
        sessions.map((s) => s.leftAt),
      ]);
    },
    async sessions(eventId) {
      const { rows } = await pool.query<SessionRow>('SELECT * FROM viewer_sessions WHERE event_id = $1 ORDER BY joined_at, id', [eventId]);
      return rows.map(toSession);
    },
    async addReactions(counts) {
      if (counts.length === 0) return;
      await pool.query(ADD_REACTIONS, [
        counts.map((c) => c.eventId),
        counts.map((c) => c.viewerId),
        counts.map((c) => c.minute),
        counts.map((c) => c.emoji),
        counts.map((c) => c.count),
      ]);
    },
    async reactions(eventId) {
      const { rows } = await pool.query<ReactionRow>('SELECT * FROM reaction_counts WHERE event_id = $1 ORDER BY minute, viewer_id, emoji', [eventId]);
      return rows.map(toReactionCount);
    },
  };
}
