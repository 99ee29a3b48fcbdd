import { describe, expect, it } from 'vitest';
import type { Question } from '../../../shared/qa.js';
import type { StatePayload } from '../../../shared/events.js';
import { countByStatus, holdOrder, moderationList, newQuestionId, pinnedQuestion, reactionDeltas, upsertQuestion, viewerList, withAudienceBatch } from './fold.js';
import { shortcutFor } from './shortcuts.js';

const q = (id: string, over: Partial<Question> = {}): Question => ({
  id, text: `question ${id}`, votes: 0, status: 'visible', pinned: false, createdAt: `2026-01-01T10:00:0${id.length}Z`, ...over,
});

describe('Q&A reconciliation', () => {
  it('upserts by id and keeps `mine` and `author` when a broadcast update lacks them', () => {
    const list = [q('a', { status: 'pending', mine: true, author: { blocked: false, questions: 2 } })];
    const next = upsertQuestion(list, q('a', { status: 'visible', votes: 3 }));
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ status: 'visible', votes: 3, mine: true, author: { questions: 2 } });
    expect(upsertQuestion(next, q('b'))).toHaveLength(2);
  });

  it('keeps one pinned question: pinning another unpins the first', () => {
    const list = upsertQuestion([q('a', { pinned: true }), q('bb')], q('bb', { pinned: true }));
    expect(list.filter((x) => x.pinned).map((x) => x.id)).toEqual(['bb']);
    expect(pinnedQuestion(list)?.id).toBe('bb');
  });

  it('shows a viewer their own pending question first, then by votes, answered last, hidden never', () => {
    const list = viewerList([
      q('old', { votes: 1, createdAt: '2026-01-01T10:00:00Z' }),
      q('top', { votes: 5 }),
      q('done', { status: 'answered', votes: 9 }),
      q('gone', { status: 'hidden', mine: true }),
      q('wait', { status: 'pending', mine: true }),
      q('other', { status: 'pending' }),
    ]);
    expect(list.map((x) => x.id)).toEqual(['wait', 'top', 'old', 'done']);
  });

  it('orders the host queue oldest first, the pinned one on top of the visible', () => {
    const qs = [q('p2', { status: 'pending', createdAt: '2026-01-01T10:00:05Z' }), q('p1', { status: 'pending', createdAt: '2026-01-01T10:00:01Z' }), q('v1', { votes: 4 }), q('v2', { pinned: true })];
    expect(moderationList(qs, 'pending').map((x) => x.id)).toEqual(['p1', 'p2']);
    expect(moderationList(qs, 'visible').map((x) => x.id)).toEqual(['v2', 'v1']);
    expect(countByStatus(qs)).toEqual({ pending: 2, visible: 2, answered: 0, hidden: 0 });
  });

  it('reports only the emojis whose totals rose', () => {
    expect(reactionDeltas({ '❤️': 3, '🔥': 1 }, { '❤️': 5, '🔥': 1, '⚡': 2 })).toEqual([['❤️', 2], ['⚡', 2]]);
  });

  it('makes v4 UUIDs the server accepts', () => {
    expect(newQuestionId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('moderation shortcuts', () => {
  const key = (k: string, over: Partial<Parameters<typeof shortcutFor>[0]> = {}) =>
    shortcutFor({ key: k, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, target: null, ...over });
  it('maps the live-flow keys', () => {
    expect(key('j')).toEqual({ kind: 'move', by: 1 });
    expect(key('ArrowUp')).toEqual({ kind: 'move', by: -1 });
    expect(key('A')).toEqual({ kind: 'act', act: 'approve' });
    expect(key('p')).toEqual({ kind: 'act', act: 'pin' });
    expect(key('3')).toEqual({ kind: 'tab', status: 'answered' });
    expect(key('x')).toBeNull();
  });
  it('leaves modified and already handled keys alone', () => {
    expect(key('a', { ctrlKey: true })).toBeNull();
    expect(key('ArrowDown', { defaultPrevented: true })).toBeNull();
  });
});

describe('withAudienceBatch', () => {
  const base = (questions: Question[]): StatePayload => ({ questions, qa: { mode: 'pre', emojis: [], myVotes: [] } }) as unknown as StatePayload;
  const qq = (over: Partial<Question>): Question => ({ id: 'a', text: 'Prix ?', votes: 0, status: 'visible', pinned: false, createdAt: '2026-11-23T20:00:00.000Z', ...over });

  it('adds new questions and updates counts in one go', () => {
    const next = withAudienceBatch(base([qq({ id: 'a' }), qq({ id: 'c' })]), [qq({ id: 'a', votes: 7 }), qq({ id: 'b' })], { c: 3, unknown: 9 });
    expect(next.questions.map((x) => [x.id, x.votes])).toEqual([['a', 7], ['c', 3], ['b', 0]]);
  });
  it('keeps my own hidden question pending and mine, like the server', () => {
    const next = withAudienceBatch(base([qq({ id: 'a', mine: true })]), [qq({ id: 'a', status: 'hidden' })]);
    expect(next.questions[0]).toMatchObject({ status: 'pending', mine: true });
    expect(withAudienceBatch(base([qq({ id: 'b' })]), [qq({ id: 'b', status: 'hidden' })]).questions[0]?.status).toBe('hidden');
  });
});

describe('holdOrder', () => {
  const q = (id: string, votes: number) => ({ id, votes }) as unknown as Question;
  it('keeps the order last shown, with the new counts, drops what left and puts what is new last', () => {
    const sorted = [q('b', 5), q('a', 4), q('d', 1)];
    const held = holdOrder(sorted, ['a', 'b', 'c']);
    expect(held.map((x) => [x.id, x.votes])).toEqual([
      ['a', 4],
      ['b', 5],
      ['d', 1],
    ]);
    expect(holdOrder(sorted, []).map((x) => x.id)).toEqual(['b', 'a', 'd']);
  });
});
