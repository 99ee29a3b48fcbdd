import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../store/types.js';
import { authorView, questionsFor } from './qa.view.js';

const q = (over: Partial<QuestionRecord>): QuestionRecord => ({
  id: 'q', eventId: 'e', viewerId: 'author-1', name: null, text: 'Prix ?', status: 'pending', pinned: false, votes: 0, createdAt: '2026-11-23T20:00:00.000Z', ...over,
});

describe('question visibility', () => {
  it('shows viewers public questions and their own, never another viewer’s pending or hidden ones', () => {
    const all = [q({ id: 'p' }), q({ id: 'v', status: 'visible' }), q({ id: 'a', status: 'answered' }), q({ id: 'h', status: 'hidden' }), q({ id: 'mine', viewerId: 'me-123456' })];
    expect(questionsFor('me-123456', all).map((x) => x.id)).toEqual(['v', 'a', 'mine']);
    expect(questionsFor('author-1', all).map((x) => x.id)).toEqual(['p', 'v', 'a', 'h']);
  });
  it('never leaks a viewerId, and keeps a hidden question pending for its author', () => {
    const view = authorView(q({ status: 'hidden' }));
    expect(view).toMatchObject({ status: 'pending', mine: true });
    expect(JSON.stringify(questionsFor('x-12345678', [q({ status: 'visible' })]))).not.toContain('author-1');
  });
});
