import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { QuestionRepository } from '../types.js';
import { inTransaction } from './pool.js';
import { toQuestion, type QuestionRow } from '../rows.js';

/**
 * A vote and its count move together in one statement: the (question, viewer) key decides
 * whether the row is new, and only a new row bumps the count. The UPDATE re-reads the latest
 * count under its row lock, so concurrent votes never lose one.
 */
const VOTE = `WITH q AS (SELECT id, event_id, votes FROM questions WHERE id = $1),
  added AS (INSERT INTO votes (question_id, viewer_id, event_id, created_at) SELECT id, $2, event_id, $3 FROM q
    ON CONFLICT DO NOTHING RETURNING question_id),
  counted AS (UPDATE questions SET votes = votes + 1 WHERE id IN (SELECT question_id FROM added) RETURNING votes)
  SELECT q.votes AS before, (SELECT votes FROM counted) AS after FROM q`;

const UNVOTE = `WITH q AS (SELECT votes FROM questions WHERE id = $1),
  removed AS (DELETE FROM votes WHERE question_id = $1 AND viewer_id = $2 RETURNING question_id),
  counted AS (UPDATE questions SET votes = votes - 1 WHERE id IN (SELECT question_id FROM removed) RETURNING votes)
  SELECT q.votes AS before, (SELECT votes FROM counted) AS after FROM q`;

/** Each method is committed (synchronous_commit=on) before its promise resolves. */
export function postgresQuestions(pool: pg.Pool, log: Logger): QuestionRepository {
  // Votes are the hottest write (a thousand a second in a burst): named, so each connection
  // prepares them once. They return their own columns, never `*`, so a migration adding a column
  // cannot break the prepared statement ("cached plan must not change result type").
  const vote = async (name: string, text: string, values: unknown[]) => {
    const { rows } = await pool.query<{ before: number; after: number | null }>({ name, text, values });
    const row = rows[0];
    if (!row) return null;
    return row.after === null ? { changed: false, votes: row.before } : { changed: true, votes: row.after };
  };
  return {
    async ask(n) {
      const inserted = await pool.query<QuestionRow>(
        `INSERT INTO questions (id, event_id, viewer_id, name, text, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO NOTHING RETURNING *`,
        [n.id, n.eventId, n.viewerId, n.name, n.text, n.status, n.createdAt],
      );
      if (inserted.rows[0]) return { question: toQuestion(inserted.rows[0]), created: true };
      // Already stored (a resend): the conflict waited for the first insert to commit, so it is there.
      const { rows } = await pool.query<QuestionRow>('SELECT * FROM questions WHERE id = $1', [n.id]);
      return { question: toQuestion(rows[0]!), created: false };
    },
    async listByEvent(eventId) {
      const { rows } = await pool.query<QuestionRow>('SELECT * FROM questions WHERE event_id = $1 ORDER BY created_at, id', [eventId]);
      return rows.map(toQuestion);
    },
    vote: (questionId, viewerId) => vote('question-vote', VOTE, [questionId, viewerId, new Date().toISOString()]),
    unvote: (questionId, viewerId) => vote('question-unvote', UNVOTE, [questionId, viewerId]),
    async votesOf(eventId, viewerId) {
      const { rows } = await pool.query<{ question_id: string }>('SELECT question_id FROM votes WHERE event_id = $1 AND viewer_id = $2', [eventId, viewerId]);
      return rows.map((r) => r.question_id);
    },
    async voters(eventId) {
      const { rows } = await pool.query<{ questionId: string; viewerId: string }>(
        'SELECT question_id AS "questionId", viewer_id AS "viewerId" FROM votes WHERE event_id = $1',
        [eventId],
      );
      return rows;
    },
    async update(id, { status, pinned }) {
      if (!pinned) {
        const { rows } = await pool.query<QuestionRow>('UPDATE questions SET status = $2, pinned = false WHERE id = $1 RETURNING *', [id, status]);
        return rows[0] ? toQuestion(rows[0]) : null;
      }
      return inTransaction(pool, log, async (c) => {
        const found = await c.query<{ event_id: string }>('SELECT event_id FROM questions WHERE id = $1', [id]);
        const eventId = found.rows[0]?.event_id;
        if (eventId === undefined) return null;
        // Pins of one event take turns on the event's row: two presenters pinning at once still leave one pinned.
        await c.query('SELECT 1 FROM events WHERE id = $1 FOR NO KEY UPDATE', [eventId]);
        await c.query('UPDATE questions SET pinned = false WHERE event_id = $1 AND id <> $2 AND pinned', [eventId, id]);
        const { rows } = await c.query<QuestionRow>('UPDATE questions SET status = $2, pinned = true WHERE id = $1 RETURNING *', [id, status]);
        return toQuestion(rows[0]!);
      });
    },
    async block(eventId, viewerId, at) {
      // One statement, hence one transaction: the block and the hiding commit together.
      const { rows } = await pool.query<QuestionRow>(
        `WITH blocked AS (INSERT INTO blocks (event_id, viewer_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING)
         UPDATE questions SET status = 'hidden', pinned = false WHERE event_id = $1 AND viewer_id = $2 AND status = 'pending' RETURNING *`,
        [eventId, viewerId, at],
      );
      return rows.map(toQuestion).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async blockedViewers(eventId) {
      const { rows } = await pool.query<{ viewer_id: string }>('SELECT viewer_id FROM blocks WHERE event_id = $1', [eventId]);
      return rows.map((r) => r.viewer_id);
    },
  };
}
