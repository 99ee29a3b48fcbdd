import type Database from 'better-sqlite3';
import type { QuestionStatus } from '../../../shared/qa.js';
import type { NewQuestion, QuestionRecord, QuestionRepository } from '../types.js';
import { groupCommit } from './groupCommit.js';
import { toQuestion, type QuestionRow } from '../rows.js';

/** Each method is one transaction: committed (synchronous=FULL) before it returns. */
export function sqliteQuestions(db: Database.Database): QuestionRepository {
  const q = {
    insert: db.prepare(`INSERT OR IGNORE INTO questions (id, event_id, viewer_id, name, text, status, created_at)
      VALUES (@id, @eventId, @viewerId, @name, @text, @status, @createdAt)`),
    get: db.prepare('SELECT * FROM questions WHERE id = ?'),
    byEvent: db.prepare('SELECT * FROM questions WHERE event_id = ? ORDER BY created_at, id'),
    addVote: db.prepare('INSERT OR IGNORE INTO votes (question_id, viewer_id, event_id, created_at) VALUES (?, ?, ?, ?)'),
    delVote: db.prepare('DELETE FROM votes WHERE question_id = ? AND viewer_id = ?'),
    bump: db.prepare('UPDATE questions SET votes = votes + ? WHERE id = ? RETURNING votes'),
    votesOf: db.prepare('SELECT question_id FROM votes WHERE event_id = ? AND viewer_id = ?'),
    voters: db.prepare('SELECT question_id AS questionId, viewer_id AS viewerId, created_at AS createdAt FROM votes WHERE event_id = ?'),
    update: db.prepare('UPDATE questions SET status = ?, pinned = ? WHERE id = ?'),
    unpinOthers: db.prepare('UPDATE questions SET pinned = 0 WHERE event_id = ? AND id <> ? AND pinned = 1'),
    block: db.prepare('INSERT OR IGNORE INTO blocks (event_id, viewer_id, created_at) VALUES (?, ?, ?)'),
    pendingOf: db.prepare(`SELECT * FROM questions WHERE event_id = ? AND viewer_id = ? AND status = 'pending'`),
    hidePendingOf: db.prepare(`UPDATE questions SET status = 'hidden', pinned = 0 WHERE event_id = ? AND viewer_id = ? AND status = 'pending'`),
    blocked: db.prepare('SELECT viewer_id FROM blocks WHERE event_id = ?'),
  };
  const get = (id: string): QuestionRecord | null => {
    const row = q.get.get(id) as QuestionRow | undefined;
    return row ? toQuestion(row) : null;
  };

  const ask = db.transaction((n: NewQuestion) => {
    const created = q.insert.run(n).changes === 1;
    return { question: get(n.id)!, created };
  });
  const voteOne = (questionId: string, viewerId: string, add: boolean) => {
    const question = get(questionId);
    if (!question) return null;
    const changed = add
      ? q.addVote.run(questionId, viewerId, question.eventId, new Date().toISOString()).changes === 1
      : q.delVote.run(questionId, viewerId).changes === 1;
    if (!changed) return { changed, votes: question.votes };
    const { votes } = q.bump.get(add ? 1 : -1, questionId) as { votes: number };
    return { changed, votes };
  };

  const vote = groupCommit(db, voteOne);
  const update = db.transaction((id: string, status: QuestionStatus, pinned: boolean) => {
    const question = get(id);
    if (!question) return null;
    if (pinned) q.unpinOthers.run(question.eventId, id);
    q.update.run(status, pinned ? 1 : 0, id);
    return get(id);
  });
  const block = db.transaction((eventId: string, viewerId: string, at: string) => {
    q.block.run(eventId, viewerId, at);
    const pending = (q.pendingOf.all(eventId, viewerId) as QuestionRow[]).map(toQuestion);
    q.hidePendingOf.run(eventId, viewerId);
    return pending.map((p) => ({ ...p, status: 'hidden' as const, pinned: false }));
  });

  return {
    ask: async (n) => ask(n),
    listByEvent: async (eventId) => (q.byEvent.all(eventId) as QuestionRow[]).map(toQuestion),
    vote: (questionId, viewerId) => vote(questionId, viewerId, true),
    unvote: (questionId, viewerId) => vote(questionId, viewerId, false),
    votesOf: async (eventId, viewerId) => q.votesOf.pluck().all(eventId, viewerId) as string[],
    voters: async (eventId) => q.voters.all(eventId) as { questionId: string; viewerId: string; createdAt: string }[],
    update: async (id, change) => update(id, change.status, change.pinned),
    block: async (eventId, viewerId, at) => block(eventId, viewerId, at),
    blockedViewers: async (eventId) => q.blocked.pluck().all(eventId) as string[],
  };
}
