import type Database from 'better-sqlite3';
import type { AudienceRepository, ReactionCount, ViewerSession } from '../types.js';
import { toReactionCount, toSession, type ReactionRow, type SessionRow } from '../rows.js';

/** Each batch is one transaction: one fsync however many rows the recorder gathered. */
export function sqliteAudience(db: Database.Database): AudienceRepository {
  const q = {
    saveSession: db.prepare(`INSERT INTO viewer_sessions (id, event_id, viewer_id, name, joined_at, left_at)
      VALUES (@id, @eventId, @viewerId, @name, @joinedAt, @leftAt)
      ON CONFLICT (id) DO UPDATE SET left_at = COALESCE(viewer_sessions.left_at, excluded.left_at)`),
    sessions: db.prepare('SELECT * FROM viewer_sessions WHERE event_id = ? ORDER BY joined_at, id'),
    addReaction: db.prepare(`INSERT INTO reaction_counts (event_id, viewer_id, minute, emoji, count) VALUES (@eventId, @viewerId, @minute, @emoji, @count)
      ON CONFLICT (event_id, minute, viewer_id, emoji) DO UPDATE SET count = count + excluded.count`),
    reactions: db.prepare('SELECT * FROM reaction_counts WHERE event_id = ? ORDER BY minute, viewer_id, emoji'),
  };
  const saveSessions = db.transaction((sessions: ViewerSession[]) => {
    for (const s of sessions) q.saveSession.run(s);
  });
  const addReactions = db.transaction((counts: ReactionCount[]) => {
    for (const c of counts) q.addReaction.run(c);
  });
  return {
    saveSessions: async (sessions) => saveSessions(sessions),
    sessions: async (eventId) => (q.sessions.all(eventId) as SessionRow[]).map(toSession),
    addReactions: async (counts) => addReactions(counts),
    reactions: async (eventId) => (q.reactions.all(eventId) as ReactionRow[]).map(toReactionCount),
  };
}
