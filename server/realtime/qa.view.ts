import type { Question } from '../../shared/qa.js';
import type { QuestionRecord } from '../store/types.js';

/** Statuses everybody may see. */
export const isPublic = (q: QuestionRecord) => q.status === 'visible' || q.status === 'answered';

/** What every viewer sees of a public question: no viewerId, ever. */
export function publicView(q: QuestionRecord): Question {
  return { id: q.id, text: q.text, ...(q.name ? { name: q.name } : {}), votes: q.votes, status: q.status, pinned: q.pinned, createdAt: q.createdAt };
}

/**
 * What the author sees of their own question. A hidden question stays "pending" for its
 * author: moderation (and a block) is silent, so nobody is encouraged to rephrase and retry.
 */
export function authorView(q: QuestionRecord): Question {
  return { ...publicView(q), status: q.status === 'hidden' ? 'pending' : q.status, mine: true };
}

export function hostView(q: QuestionRecord, author: { blocked: boolean; questions: number }): Question {
  return { ...publicView(q), author };
}

/** The questions in a viewer's `state`: public ones and their own. */
export function questionsFor(viewerId: string, all: Iterable<QuestionRecord>): Question[] {
  const out: Question[] = [];
  for (const q of all) {
    if (q.viewerId === viewerId) out.push(authorView(q));
    else if (isPublic(q)) out.push(publicView(q));
  }
  return out;
}
