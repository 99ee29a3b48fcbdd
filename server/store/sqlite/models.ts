import type Database from 'better-sqlite3';
import type { HotspotOpenRepository, ModelRecord, ModelRepository } from '../types.js';
import { toModel, type ModelRow } from '../rows.js';

export function sqliteModels(db: Database.Database): ModelRepository {
  const q = {
    get: db.prepare('SELECT * FROM models WHERE event_id = ?'),
    upsert: db.prepare(`INSERT INTO models (event_id, name, original_file, original_bytes, optimised_file, optimised_bytes, stats, bounds, pose, note, details, poster_file, poster_bytes, created_at)
      VALUES (@eventId, @name, @originalFile, @originalBytes, @optimisedFile, @optimisedBytes, @stats, @bounds, @pose, @note, @details, @posterFile, @posterBytes, @createdAt)
      ON CONFLICT (event_id) DO UPDATE SET name = excluded.name, original_file = excluded.original_file, original_bytes = excluded.original_bytes,
        optimised_file = excluded.optimised_file, optimised_bytes = excluded.optimised_bytes, stats = excluded.stats, bounds = excluded.bounds,
        pose = excluded.pose, note = excluded.note, details = excluded.details, poster_file = excluded.poster_file,
        poster_bytes = excluded.poster_bytes, created_at = excluded.created_at`),
    setPoster: db.prepare('UPDATE models SET poster_file = ?, poster_bytes = ? WHERE event_id = ?'),
  };
  const get = (eventId: string): ModelRecord | null => {
    const row = q.get.get(eventId) as ModelRow | undefined;
    return row ? toModel(row) : null;
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
      details: JSON.stringify(m.details),
      posterFile: m.poster?.file ?? null,
      posterBytes: m.poster?.bytes ?? null,
      createdAt: m.createdAt,
    });
    return { previous };
  });
  const setPoster = db.transaction((eventId: string, poster: { file: string; bytes: number }) => {
    const previous = get(eventId);
    if (previous) q.setPoster.run(poster.file, poster.bytes, eventId);
    return previous;
  });
  return {
    get: async (eventId) => get(eventId),
    put: async (model) => put(model),
    setPoster: async (eventId, poster) => setPoster(eventId, poster),
  };
}

export function sqliteHotspotOpens(db: Database.Database): HotspotOpenRepository {
  const q = {
    record: db.prepare(`INSERT INTO hotspot_opens (event_id, hotspot_id, viewer_id, opens, first_at, last_at) VALUES (?, ?, ?, 1, ?, ?)
      ON CONFLICT (event_id, hotspot_id, viewer_id) DO UPDATE SET opens = opens + 1, last_at = excluded.last_at RETURNING opens`),
    counts: db.prepare('SELECT hotspot_id, SUM(opens) AS opens, COUNT(*) AS viewers FROM hotspot_opens WHERE event_id = ? GROUP BY hotspot_id'),
    byViewer: db.prepare('SELECT viewer_id, SUM(opens) AS opens, COUNT(*) AS hotspots FROM hotspot_opens WHERE event_id = ? GROUP BY viewer_id'),
  };
  return {
    async record(eventId, hotspotId, viewerId, at) {
      const row = q.record.get(eventId, hotspotId, viewerId, at, at) as { opens: number };
      return row.opens === 1;
    },
    async counts(eventId) {
      const rows = q.counts.all(eventId) as { hotspot_id: string; opens: number; viewers: number }[];
      return Object.fromEntries(rows.map((r) => [r.hotspot_id, { opens: r.opens, viewers: r.viewers }]));
    },
    async byViewer(eventId) {
      const rows = q.byViewer.all(eventId) as { viewer_id: string; opens: number; hotspots: number }[];
      return Object.fromEntries(rows.map((r) => [r.viewer_id, { opens: r.opens, hotspots: r.hotspots }]));
    },
  };
}
