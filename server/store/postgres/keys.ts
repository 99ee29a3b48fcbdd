import type pg from 'pg';
import type { KeyRef } from '../../../shared/access.js';
import type { Logger } from '../../logger.js';
import { keyHash } from '../../keys.js';
import { keySlotSql } from '../keySlots.js';
import type { KeyRepository } from '../types.js';
import { inTransaction } from './pool.js';

/** Key rotation, revocation and expiry; a rotation is one transaction holding the key's row. */
export function postgresKeys(pool: pg.Pool, log: Logger): KeyRepository {
  /** `$first`, `$first+1`… for the row's id columns. */
  const where = (ref: KeyRef, eventId: string, first: number) => {
    const s = keySlotSql(eventId, ref);
    return { s, clause: s.idColumns.map((c, i) => `${c} = $${first + i}`).join(' AND ') };
  };
  return {
    rotate: (eventId, ref, secret, expiresAt, at) =>
      inTransaction(pool, log, async (c) => {
        const { s, clause } = where(ref, eventId, 1);
        const { rows } = await c.query<{ secret: string }>(`SELECT ${s.secret} AS secret FROM ${s.table} WHERE ${clause} FOR UPDATE`, s.ids);
        if (!rows[0]) return false;
        await c.query('INSERT INTO retired_keys (hash, event_id, ref, retired_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING', [keyHash(rows[0].secret), eventId, ref, at]);
        const set = where(ref, eventId, 3);
        await c.query(`UPDATE ${s.table} SET ${s.secret} = $1, ${s.expiresAt} = $2, ${s.revokedAt} = NULL WHERE ${set.clause}`, [secret, expiresAt, ...s.ids]);
        return true;
      }),
    async revoke(eventId, ref, at) {
      const { s, clause } = where(ref, eventId, 2);
      const { rowCount } = await pool.query(`UPDATE ${s.table} SET ${s.revokedAt} = COALESCE(${s.revokedAt}, $1) WHERE ${clause}`, [at, ...s.ids]);
      return rowCount === 1;
    },
    async setExpiry(eventId, ref, expiresAt) {
      const { s, clause } = where(ref, eventId, 2);
      const { rowCount } = await pool.query(`UPDATE ${s.table} SET ${s.expiresAt} = $1 WHERE ${clause}`, [expiresAt, ...s.ids]);
      return rowCount === 1;
    },
    async wasRetired(eventId, hash) {
      const { rowCount } = await pool.query('SELECT 1 FROM retired_keys WHERE hash = $1 AND event_id = $2', [hash, eventId]);
      return rowCount === 1;
    },
  };
}
