import type pg from 'pg';
import type { EventRecord, EventRepository, NewEvent } from '../types.js';
import { DuplicateCodeError } from '../types.js';
import { isUniqueViolation } from './pool.js';
import { toEvent, type EventRow } from '../rows.js';

/** Each method is one statement, committed (synchronous_commit=on) before its promise resolves. */
export function postgresEvents(pool: pg.Pool): EventRepository {
  const one = async (sql: string, params: unknown[]): Promise<EventRecord | null> => {
    const { rows } = await pool.query<EventRow>(sql, params);
    return rows[0] ? toEvent(rows[0]) : null;
  };
  return {
    async create(e: NewEvent) {
      try {
        const created = await one(
          `INSERT INTO events (id, code, title, status, locale, starts_at, created_at, host_key, dealer_key, presentation)
           VALUES ($1, $2, $3, 'scheduled', $4, $5, $6, $7, $8, $9) RETURNING *`,
          [e.id, e.code, e.title, e.locale, e.startsAt, e.createdAt, e.hostKey, e.dealerKey, JSON.stringify(e.presentation)],
        );
        return created!;
      } catch (err) {
        if (isUniqueViolation(err, 'events_code_unique')) throw new DuplicateCodeError();
        throw err;
      }
    },
    findById: (id) => one('SELECT * FROM events WHERE id = $1', [id]),
    findByCode: (code) => one('SELECT * FROM events WHERE code = $1', [code]),
    async list(limit) {
      const { rows } = await pool.query<EventRow>('SELECT * FROM events ORDER BY created_at DESC LIMIT $1', [limit]);
      return rows.map(toEvent);
    },
    setStatus: (id, status, at) =>
      one(
        `UPDATE events SET status = $2,
           started_at = CASE WHEN $2 = 'live' THEN COALESCE(started_at, $3) ELSE started_at END,
           ended_at = CASE WHEN $2 = 'ended' THEN COALESCE(ended_at, $3) ELSE ended_at END
         WHERE id = $1 RETURNING *`,
        [id, status, at],
      ),
    async savePresentation(id, p) {
      await pool.query('UPDATE events SET presentation = $2 WHERE id = $1', [id, JSON.stringify(p)]);
    },
    async setQaMode(id, mode) {
      await pool.query('UPDATE events SET qa_mode = $2 WHERE id = $1', [id, mode]);
    },
    updateSettings(id, settings) {
      const set: string[] = [];
      const params: unknown[] = [id];
      const assign = (column: string, value: unknown) => {
        params.push(value);
        set.push(`${column} = $${params.length}`);
      };
      if (settings.privacyNotice !== undefined) assign('privacy_notice', settings.privacyNotice);
      if (settings.privacyContact !== undefined) assign('privacy_contact', settings.privacyContact);
      if (settings.retentionMonths !== undefined) assign('retention_months', settings.retentionMonths);
      if (settings.stage !== undefined) assign('stage', settings.stage === null ? null : JSON.stringify(settings.stage));
      if (settings.brand !== undefined) assign('brand', JSON.stringify(settings.brand));
      if (set.length === 0) return one('SELECT * FROM events WHERE id = $1', [id]);
      return one(`UPDATE events SET ${set.join(', ')} WHERE id = $1 RETURNING *`, params);
    },
  };
}
