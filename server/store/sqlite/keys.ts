import type Database from 'better-sqlite3';
import type { KeyRef } from '../../../shared/access.js';
import { keyHash } from '../../keys.js';
import { keySlotSql } from '../keySlots.js';
import type { KeyRepository } from '../types.js';

/** Key rotation, revocation and expiry; each write is one transaction. */
export function sqliteKeys(db: Database.Database): KeyRepository {
  const where = (ref: KeyRef, eventId: string) => {
    const s = keySlotSql(eventId, ref);
    return { s, clause: s.idColumns.map((c) => `${c} = ?`).join(' AND ') };
  };
  const retire = db.prepare('INSERT OR IGNORE INTO retired_keys (hash, event_id, ref, retired_at) VALUES (?, ?, ?, ?)');
  const retired = db.prepare('SELECT 1 FROM retired_keys WHERE hash = ? AND event_id = ?');

  const rotate = db.transaction((eventId: string, ref: KeyRef, secret: string, expiresAt: string | null, at: string): boolean => {
    const { s, clause } = where(ref, eventId);
    const old = db.prepare(`SELECT ${s.secret} AS secret FROM ${s.table} WHERE ${clause}`).get(...s.ids) as { secret: string } | undefined;
    if (!old) return false;
    retire.run(keyHash(old.secret), eventId, ref, at);
    db.prepare(`UPDATE ${s.table} SET ${s.secret} = ?, ${s.expiresAt} = ?, ${s.revokedAt} = NULL WHERE ${clause}`).run(secret, expiresAt, ...s.ids);
    return true;
  });

  return {
    rotate: async (eventId, ref, secret, expiresAt, at) => rotate(eventId, ref, secret, expiresAt, at),
    async revoke(eventId, ref, at) {
      const { s, clause } = where(ref, eventId);
      return db.prepare(`UPDATE ${s.table} SET ${s.revokedAt} = COALESCE(${s.revokedAt}, ?) WHERE ${clause}`).run(at, ...s.ids).changes === 1;
    },
    async setExpiry(eventId, ref, expiresAt) {
      const { s, clause } = where(ref, eventId);
      return db.prepare(`UPDATE ${s.table} SET ${s.expiresAt} = ? WHERE ${clause}`).run(expiresAt, ...s.ids).changes === 1;
    },
    wasRetired: async (eventId, hash) => retired.get(hash, eventId) !== undefined,
  };
}
