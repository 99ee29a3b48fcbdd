import type { StatePayload } from '../../../shared/events.js';
import type { Question, QuestionStatus } from '../../../shared/qa.js';
import { byVotesThenTime } from '../../../shared/qa.js';

/**
 * Pure reconciliation of Q&A pushes into the room's `state`: liveRoom calls these from its
 * socket listeners and its acks, so a live update and a fresh `state` lead to the same picture.
 */

/** Inserts or replaces a question by id, keeping what only some pushes carry. */
export function upsertQuestion(list: Question[], q: Question): Question[] {
  const i = list.findIndex((x) => x.id === q.id);
  // Only the author's copy carries `mine`, only the host's carries `author`: a broadcast
  // update (without them) must not make my own question look like someone else's.
  const merged: Question = i < 0 ? q : { ...q, mine: q.mine ?? list[i]!.mine, author: q.author ?? list[i]!.author };
  // At most one question is pinned: a newly pinned one unpins the rest, even if the push
  // for the previous one is still on its way.
  const base = merged.pinned ? list.map((x) => (x.pinned && x.id !== q.id ? { ...x, pinned: false } : x)) : list;
  if (i < 0) return [...base, merged];
  const next = base.slice();
  next[i] = merged;
  return next;
}

export function withQuestion(state: StatePayload, q: Question): StatePayload {
  return { ...state, questions: upsertQuestion(state.questions, q) };
}

/**
 * The audience's batch (`questions:changed`). The same rule as the server's author view: my own
 * question that was hidden stays "pending" for me, moderation is silent.
 */
export function withAudienceBatch(state: StatePayload, questions: Question[], votes: Record<string, number> = {}): StatePayload {
  let list = state.questions;
  for (const q of questions) {
    const own = list.find((x) => x.id === q.id)?.mine;
    list = upsertQuestion(list, own && q.status === 'hidden' ? { ...q, status: 'pending' } : q);
  }
  if (Object.keys(votes).length) list = list.map((q) => (q.id in votes ? { ...q, votes: votes[q.id]! } : q));
  return { ...state, questions: list };
}

/** After a successful vote/unvote ack: my vote and the count the server answered. */
export function withVote(state: StatePayload, id: string, voted: boolean, votes: number): StatePayload {
  const mine = new Set(state.qa.myVotes);
  if (voted) mine.add(id);
  else mine.delete(id);
  return {
    ...state,
    questions: state.questions.map((q) => (q.id === id ? { ...q, votes } : q)),
    qa: { ...state.qa, myVotes: [...mine] },
  };
}

export function pinnedQuestion(questions: Question[]): Question | null {
  return questions.find((q) => q.pinned && q.status !== 'hidden') ?? null;
}

/**
 * What a viewer's list shows: their own pending questions first (so they see at once that it
 * was received), then open questions by votes, then the answered ones. Hidden ones disappear.
 */
export function viewerList(questions: Question[]): Question[] {
  const pendingMine = questions.filter((q) => q.status === 'pending' && q.mine).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const open = questions.filter((q) => q.status === 'visible').sort(byVotesThenTime);
  const answered = questions.filter((q) => q.status === 'answered').sort(byVotesThenTime);
  return [...pendingMine, ...open, ...answered];
}

/**
 * The list as last shown, while the viewer is tapping in it: questions keep their places (with
 * their new counts), those that left are dropped and new ones wait at the end. A vote re-sorted
 * the list at once, so the voted question jumped to the top under the finger and the next tap
 * there took the vote back (the review of 2026-11-25).
 */
export function holdOrder(sorted: Question[], shownIds: readonly string[]): Question[] {
  const byId = new Map(sorted.map((q) => [q.id, q]));
  const kept = shownIds.flatMap((id) => byId.get(id) ?? []);
  const keptIds = new Set(kept.map((q) => q.id));
  return [...kept, ...sorted.filter((q) => !keptIds.has(q.id))];
}

export const MODERATION_TABS = ['pending', 'visible', 'answered', 'hidden'] as const satisfies readonly QuestionStatus[];

/**
 * The host's list for one status tab. Pending: oldest first, the order they came in.
 * Visible: the pinned one on top, then by votes. Answered and hidden: most recent first.
 */
export function moderationList(questions: Question[], status: QuestionStatus): Question[] {
  const list = questions.filter((q) => q.status === status);
  if (status === 'pending') return list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (status === 'visible') return list.sort((a, b) => Number(b.pinned) - Number(a.pinned) || byVotesThenTime(a, b));
  return list.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function countByStatus(questions: Question[]): Record<QuestionStatus, number> {
  const counts: Record<QuestionStatus, number> = { pending: 0, visible: 0, answered: 0, hidden: 0 };
  for (const q of questions) counts[q.status] += 1;
  return counts;
}

/** How much each emoji rose between two `reactions` pushes (totals only ever grow). */
export function reactionDeltas(before: Record<string, number>, after: Record<string, number>): [emoji: string, delta: number][] {
  const out: [string, number][] = [];
  for (const [emoji, n] of Object.entries(after)) {
    const d = n - (before[emoji] ?? 0);
    if (d > 0) out.push([emoji, d]);
  }
  return out;
}

/** A v4 UUID even where `crypto.randomUUID` is missing (plain-http LAN addresses are not secure contexts). */
export function newQuestionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
