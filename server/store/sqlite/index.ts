import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { EventRecord, EventRepository, EventSettingsChange, NewEvent, Store } from '../types.js';
import { DuplicateCodeError } from '../types.js';
import { SQLITE_MIGRATIONS, type Migration } from './migrations.js';
import { sqliteDealers, sqliteLeads } from './leads.js';
import { sqliteHotspotOpens, sqliteModels } from './models.js';
import { sqliteQuestions } from './questions.js';
import { sqliteAudience } from './audience.js';
import { sqliteReplay } from './replay.js';
import { sqliteKeys } from './keys.js';
import { toEvent, type EventRow } from '../rows.js';

export function migrate(db: Database.Database, migrations: Migration[] = SQLITE_MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  let count = 0;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    count++;
  }
  return count;
}

/**
 * The embedded store. WAL lets readers run beside the writer; synchronous=FULL makes every
 * commit durable before better-sqlite3 returns, which is what lets us ack after a write.
 */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Erased personal data is overwritten in the file, not just unlinked from the b-tree.
  db.pragma('secure_delete = ON');
  migrate(db);

  const q = {
    insert: db.prepare(`INSERT INTO events (id, code, title, status, locale, starts_at, created_at, host_key, dealer_key, presentation)
      VALUES (@id, @code, @title, 'scheduled', @locale, @startsAt, @createdAt, @hostKey, @dealerKey, @presentation)`),
    byId: db.prepare('SELECT * FROM events WHERE id = ?'),
    byCode: db.prepare('SELECT * FROM events WHERE code = ?'),
    list: db.prepare('SELECT * FROM events ORDER BY created_at DESC LIMIT ?'),
    setStatus: db.prepare(`UPDATE events SET status = @status,
      started_at = CASE WHEN @status = 'live' THEN COALESCE(started_at, @at) ELSE started_at END,
      ended_at = CASE WHEN @status = 'ended' THEN COALESCE(ended_at, @at) ELSE ended_at END
      WHERE id = @id`),
    savePresentation: db.prepare('UPDATE events SET presentation = ? WHERE id = ?'),
    setQaMode: db.prepare('UPDATE events SET qa_mode = ? WHERE id = ?'),
    setPrivacy: db.prepare('UPDATE events SET privacy_notice = ? WHERE id = ?'),
    setPrivacyContact: db.prepare('UPDATE events SET privacy_contact = ? WHERE id = ?'),
    setRetention: db.prepare('UPDATE events SET retention_months = ? WHERE id = ?'),
    setStage: db.prepare('UPDATE events SET stage = ? WHERE id = ?'),
    setBrand: db.prepare('UPDATE events SET brand = ? WHERE id = ?'),
  };

  const find = (stmt: Database.Statement, arg: string): EventRecord | null => {
    const row = stmt.get(arg) as EventRow | undefined;
    return row ? toEvent(row) : null;
  };

  const updateSettings = db.transaction((id: string, settings: EventSettingsChange) => {
    if (settings.privacyNotice !== undefined) q.setPrivacy.run(settings.privacyNotice, id);
    if (settings.privacyContact !== undefined) q.setPrivacyContact.run(settings.privacyContact, id);
    if (settings.retentionMonths !== undefined) q.setRetention.run(settings.retentionMonths, id);
    if (settings.stage !== undefined) q.setStage.run(settings.stage === null ? null : JSON.stringify(settings.stage), id);
    if (settings.brand !== undefined) q.setBrand.run(JSON.stringify(settings.brand), id);
    return find(q.byId, id);
  });

  const events: EventRepository = {
    async create(e: NewEvent) {
      try {
        q.insert.run({ ...e, presentation: JSON.stringify(e.presentation) });
      } catch (err) {
        if (err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_UNIQUE' && /code/.test(err.message)) {
          throw new DuplicateCodeError();
        }
        throw err;
      }
      return find(q.byId, e.id)!;
    },
    findById: async (id) => find(q.byId, id),
    findByCode: async (code) => find(q.byCode, code),
    list: async (limit) => (q.list.all(limit) as EventRow[]).map(toEvent),
    async setStatus(id, status, at) {
      const res = q.setStatus.run({ id, status, at });
      return res.changes ? find(q.byId, id) : null;
    },
    async savePresentation(id, p) {
      q.savePresentation.run(JSON.stringify(p), id);
    },
    async setQaMode(id, mode) {
      q.setQaMode.run(mode, id);
    },
    updateSettings: async (id, settings) => updateSettings(id, settings),
  };

  return {
    kind: 'sqlite',
    events,
    questions: sqliteQuestions(db),
    leads: sqliteLeads(db),
    dealers: sqliteDealers(db),
    keys: sqliteKeys(db),
    models: sqliteModels(db),
    hotspotOpens: sqliteHotspotOpens(db),
    audience: sqliteAudience(db),
    replay: sqliteReplay(db),
    async healthy() {
      if (!db.open) return false;
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
