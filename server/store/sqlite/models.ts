import type Database from 'better-sqlite3';
import type { ModelRecord, ModelRepository } from '../types.js';

interface ModelRow {
  event_id: string;
  name: string;
  original_file: string;
  original_bytes: number;
  optimised_file: string;
  optimised_bytes: number;
  stats: string;
  bounds: string;
  pose: string;
  note: string | null;
  created_at: string;
}

const toRecord = (r: ModelRow): ModelRecord => ({
  eventId: r.event_id,
  name: r.name,
  original: { file: r.original_file, bytes: r.original_bytes },
  optimised: { file: r.optimised_file, bytes: r.optimised_bytes },
  stats: JSON.parse(r.stats) as ModelRecord['stats'],
  bounds: JSON.parse(r.bounds) as ModelRecord['bounds'],
  pose: JSON.parse(r.pose) as ModelRecord['pose'],
  note: r.note,
  createdAt: r.created_at,
});

export function sqliteModels(db: Database.Database): ModelRepository {
  const q = {
    get: db.prepare('SELECT * FROM models WHERE event_id = ?'),
    upsert: db.prepare(`INSERT INTO models (event_id, name, original_file, original_bytes, optimised_file, optimised_bytes, stats, bounds, pose, note, created_at)
      VALUES (@eventId, @name, @originalFile, @originalBytes, @optimisedFile, @optimisedBytes, @stats, @bounds, @pose, @note, @createdAt)
      ON CONFLICT (event_id) DO UPDATE SET name = excluded.name, original_file = excluded.original_file, original_bytes = excluded.original_bytes,
        optimised_file = excluded.optimised_file, optimised_bytes = excluded.optimised_bytes, stats = excluded.stats, bounds = excluded.bounds,
        pose = excluded.pose, note = excluded.note, created_at = excluded.created_at`),
  };
  const get = (eventId: string): ModelRecord | null => {
    const row = q.get.get(eventId) as ModelRow | undefined;
    return row ? toRecord(row) : null;
  };
  // Read the previous record and replace it in one transaction: two uploads racing each see
  // the record they replaced, so each deletes exactly the files nobody references any more.
  const put = db.transaction((m: ModelRecord) => {
    const previous = get(m.eventId);
    q.upsert.run({
      eventId: m.eventId,
      name: m.name,
      originalFile: m.original.file,
      originalBytes: m.original.bytes,
      optimisedFile: m.optimised.file,
      optimisedBytes: m.optimised.bytes,
      stats: JSON.stringify(m.stats),
      bounds: JSON.stringify(m.bounds),
      pose: JSON.stringify(m.pose),
      note: m.note,
      createdAt: m.createdAt,
    });
    return { previous };
  });
  return {
    get: async (eventId) => get(eventId),
    put: async (model) => put(model),
  };
}
