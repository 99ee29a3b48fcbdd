import type Database from 'better-sqlite3';
import { toReplayEntries, type ReplayChunkRow } from '../rows.js';
import type { ReplayChunk, ReplayRepository } from '../types.js';

/** Each batch of chunks is one transaction; a chunk written again (a retry) is ignored. */
export function sqliteReplay(db: Database.Database): ReplayRepository {
  const insert = db.prepare('INSERT INTO replay_chunks (id, event_id, first_at, entries) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
  const select = db.prepare('SELECT entries FROM replay_chunks WHERE event_id = ? ORDER BY first_at, rowid');
  const append = db.transaction((chunks: ReplayChunk[]) => {
    for (const c of chunks) insert.run(c.id, c.eventId, c.firstAt, JSON.stringify(c.entries));
  });
  return {
    append: async (chunks) => append(chunks),
    entries: async (eventId) => toReplayEntries(select.all(eventId) as ReplayChunkRow[]),
  };
}
