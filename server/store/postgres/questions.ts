import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { QuestionRepository } from '../types.js';
import { groupCommit } from './groupCommit.js';
import { inTransaction } from './pool.js';
import { toQuestion, type QuestionRow } from '../rows.js';

/**
 * A batch of votes and unvotes, in arrival order ($1 question ids, $2 viewer ids, $3 true for a
 * vote), as one statement and so one transaction: each answers as if they had run one by one.
 *
 * - The batch's questions are locked first, in id order, and every write derives from a locked
 *   row: the batches of several servers take turns on a question, never deadlock, and the
 *   count read under the lock is the latest.
 * - Each (question, viewer) is written once, as its last message asks (a vote: insert, an
 *   unvote: delete). Whether that write changed a row tells whether the vote stood before the
 *   batch; the key decides it, so a concurrent vote from another server is never counted twice.
 * - From there each message changed the vote when it asks the opposite of the one before it
 *   (or of what stood), its count is the count before the batch plus the changes up to it,
 *   and each question's count moves once, by the sum of its changes.
 * - An unknown question answers no row of its own (`changed` null) and writes nothing.
 *
 * It returns its own columns, never `*`, so a migration adding a column cannot break the prepared
 * statement ("cached plan must not change result type").
 */
const VOTES = `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[]) WITH ORDINALITY AS i(question_id, viewer_id, add, ord)
  ),
  q AS (SELECT id, event_id, votes FROM questions WHERE id IN (SELECT question_id FROM input) ORDER BY id FOR NO KEY UPDATE),
  last AS (
    SELECT DISTINCT ON (i.question_id, i.viewer_id) i.question_id, i.viewer_id, i.add, q.event_id
    FROM input i JOIN q ON q.id = i.question_id ORDER BY i.question_id, i.viewer_id, i.ord DESC
  ),
  added AS (
    INSERT INTO votes (question_id, viewer_id, event_id, created_at) SELECT question_id, viewer_id, event_id, $4 FROM last WHERE add
    ON CONFLICT DO NOTHING RETURNING question_id, viewer_id
  ),
  removed AS (
    DELETE FROM votes v USING last l WHERE NOT l.add AND v.question_id = l.question_id AND v.viewer_id = l.viewer_id
    RETURNING v.question_id, v.viewer_id
  ),
  stood AS (
    SELECT l.question_id, l.viewer_id, CASE WHEN l.add THEN a.viewer_id IS NULL ELSE r.viewer_id IS NOT NULL END AS stood
    FROM last l LEFT JOIN added a USING (question_id, viewer_id) LEFT JOIN removed r USING (question_id, viewer_id)
  ),
  steps AS (
    SELECT i.ord, i.question_id, i.add,
      i.add <> coalesce(lag(i.add) OVER (PARTITION BY i.question_id, i.viewer_id ORDER BY i.ord), s.stood) AS changed
    FROM input i JOIN stood s USING (question_id, viewer_id)
  ),
  deltas AS (SELECT ord, question_id, changed, CASE WHEN NOT changed THEN 0 WHEN add THEN 1 ELSE -1 END AS delta FROM steps),
  counted AS (
    UPDATE questions SET votes = votes + d.delta FROM (SELECT question_id, sum(delta) AS delta FROM deltas GROUP BY question_id) d
    WHERE questions.id = d.question_id AND d.delta <> 0
  )
  SELECT d.changed, q.votes + sum(d.delta) OVER (PARTITION BY i.question_id ORDER BY i.ord) AS votes
  FROM input i LEFT JOIN deltas d USING (ord) LEFT JOIN q ON q.id = i.question_id
  ORDER BY i.ord`;

type VoteOp = { questionId: string; viewerId: string; add: boolean };

/** Each method is committed (synchronous_commit=on) before its promise resolves. */
export function postgresQuestions(pool: pg.Pool, log: Logger): QuestionRepository {
  // Votes are the hottest write (a thousand a second in a burst): group-committed, and named, so
  // each connection prepares the statement once.
  const vote = groupCommit(async (ops: VoteOp[]) => {
    const values = [ops.map((o) => o.questionId), ops.map((o) => o.viewerId), ops.map((o) => o.add), new Date().toISOString()];
    const { rows } = await pool.query<{ changed: boolean | null; votes: number | null }>({ name: 'question-votes', text: VOTES, values });
    return rows.map((r) => (r.changed === null ? null : { changed: r.changed, votes: r.votes! }));
  });
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
    vote: (questionId, viewerId) => vote({ questionId, viewerId, add: true }),
    unvote: (questionId, viewerId) => vote({ questionId, viewerId, add: false }),
    async votesOf(eventId, viewerId) {
      const { rows } = await pool.query<{ question_id: string }>('SELECT question_id FROM votes WHERE event_id = $1 AND viewer_id = $2', [eventId, viewerId]);
      return rows.map((r) => r.question_id);
    },
    async voters(eventId) {
      const { rows } = await pool.query<{ questionId: string; viewerId: string; createdAt: string }>(
        'SELECT question_id AS "questionId", viewer_id AS "viewerId", created_at AS "createdAt" FROM votes WHERE event_id = $1',
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
