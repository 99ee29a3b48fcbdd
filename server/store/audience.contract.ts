import { describe, expect, it } from 'vitest';
import { newId } from '../keys.js';
import { newEventFixture } from './repository.contract.js';
import type { ReactionCount, ReplayEntry, Store, ViewerSession } from './types.js';

const session = (eventId: string, over: Partial<ViewerSession> = {}): ViewerSession => ({
  id: newId(),
  eventId,
  viewerId: 'viewer-aaaa',
  name: 'Léa',
  joinedAt: '2026-12-01T18:00:00.000Z',
  leftAt: null,
  ...over,
});

/** The report's facts (sessions, reactions, voters, hotspot opens per viewer): part of the one contract every Store keeps. */
export function describeAudienceContract(current: () => Store): void {
  describe('report facts', () => {
    it('stores sessions, ends each once, and ignores a session written again', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const other = await store.events.create(newEventFixture());
      const a = session(e.id, { joinedAt: '2026-12-01T18:05:00.000Z' });
      const b = session(e.id, { viewerId: 'viewer-bbbb', name: null, joinedAt: '2026-12-01T18:01:00.000Z', leftAt: '2026-12-01T18:02:30.500Z' });
      await store.audience.saveSessions([a, b, session(other.id)]);
      expect(await store.audience.sessions(e.id)).toEqual([b, a]);
      // The end arrives in a later batch; a retry of the first batch and a later end change nothing.
      await store.audience.saveSessions([{ ...a, leftAt: '2026-12-01T18:10:00.000Z' }]);
      await store.audience.saveSessions([a]);
      await store.audience.saveSessions([{ ...a, leftAt: '2026-12-01T18:20:00.000Z' }]);
      expect(await store.audience.sessions(e.id)).toEqual([b, { ...a, leftAt: '2026-12-01T18:10:00.000Z' }]);
      await store.audience.saveSessions([]);
      expect(await store.audience.sessions('no-such-event')).toEqual([]);
    });

    it('adds reaction counts per viewer, minute and emoji, across batches and within one', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const count = (over: Partial<ReactionCount>): ReactionCount => ({ eventId: e.id, viewerId: 'viewer-aaaa', minute: '2026-12-01T18:00:00.000Z', emoji: '🔥', count: 1, ...over });
      await store.audience.addReactions([count({ count: 3 }), count({ emoji: '👏', count: 2 }), count({ minute: '2026-12-01T18:01:00.000Z', viewerId: 'viewer-bbbb' })]);
      await store.audience.addReactions([count({ count: 4 }), count({ count: 1 })]);
      await store.audience.addReactions([]);
      const rows = await store.audience.reactions(e.id);
      const byKey = Object.fromEntries(rows.map((r) => [`${r.minute} ${r.viewerId} ${r.emoji}`, r.count]));
      expect(byKey).toEqual({
        '2026-12-01T18:00:00.000Z viewer-aaaa 🔥': 8,
        '2026-12-01T18:00:00.000Z viewer-aaaa 👏': 2,
        '2026-12-01T18:01:00.000Z viewer-bbbb 🔥': 1,
      });
      expect(rows.map((r) => r.minute)).toEqual(['2026-12-01T18:00:00.000Z', '2026-12-01T18:00:00.000Z', '2026-12-01T18:01:00.000Z']);
      expect(rows.every((r) => r.eventId === e.id)).toBe(true);
      expect(await store.audience.reactions('no-such-event')).toEqual([]);
    });

    it('lists the votes standing in an event', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const other = await store.events.create(newEventFixture());
      const ask = (eventId: string) =>
        store.questions.ask({ id: newId(), eventId, viewerId: 'asker-aaaa', name: null, text: 'Prix ?', status: 'visible', createdAt: '2026-12-01T18:00:00.000Z' });
      const [q1, q2, elsewhere] = (await Promise.all([ask(e.id), ask(e.id), ask(other.id)])).map((r) => r.question);
      await store.questions.vote(q1!.id, 'viewer-aaaa');
      await store.questions.vote(q1!.id, 'viewer-bbbb');
      await store.questions.vote(q2!.id, 'viewer-aaaa');
      await store.questions.vote(elsewhere!.id, 'viewer-aaaa');
      await store.questions.unvote(q1!.id, 'viewer-bbbb');
      const voters = await store.questions.voters(e.id);
      expect(voters.map((v) => `${v.questionId} ${v.viewerId}`).sort()).toEqual([`${q1!.id} viewer-aaaa`, `${q2!.id} viewer-aaaa`].sort());
    });

    it('counts hotspot opens per viewer: all opens, and hotspots once', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const other = await store.events.create(newEventFixture());
      const at = '2026-12-01T18:00:00.000Z';
      for (const [hotspot, viewer] of [['jantes', 'viewer-aaaa'], ['jantes', 'viewer-aaaa'], ['phares', 'viewer-aaaa'], ['jantes', 'viewer-bbbb']] as const) {
        await store.hotspotOpens.record(e.id, hotspot, viewer, at);
      }
      await store.hotspotOpens.record(other.id, 'jantes', 'viewer-aaaa', at);
      expect(await store.hotspotOpens.byViewer(e.id)).toEqual({ 'viewer-aaaa': { opens: 3, hotspots: 2 }, 'viewer-bbbb': { opens: 1, hotspots: 1 } });
    });

    it('keeps the replay recording in time order, per event, and ignores a chunk written again', async () => {
      const store = current();
      const e = await store.events.create(newEventFixture());
      const other = await store.events.create(newEventFixture());
      const t0 = Date.parse('2026-12-01T18:00:00.000Z');
      const pose = (at: number, x: number): ReplayEntry => ({ at, k: 'pose', p: [x, 1.6, 5.4, 0, 0.6, 0, 40, 0] });
      const presentation: ReplayEntry = { at: t0 + 150, k: 'presentation', presentation: { chapter: 1, variant: 'bleu', cta: null, hotspot: 'jantes' } };
      const question: ReplayEntry = {
        at: t0 + 400,
        k: 'question',
        question: { id: newId(), text: 'Autonomie en hiver ?', name: 'Léa', votes: 3, status: 'answered', pinned: false, createdAt: '2026-12-01T17:59:00.000Z' },
      };
      const first = { id: newId(), eventId: e.id, firstAt: t0, entries: [pose(t0, 4.6), presentation, pose(t0 + 200, 4.7)] };
      const second = { id: newId(), eventId: e.id, firstAt: t0 + 300, entries: [pose(t0 + 300, 4.8), question] };
      await store.replay.append([second, { id: newId(), eventId: other.id, firstAt: t0, entries: [pose(t0, 9)] }]);
      await store.replay.append([first, second]);
      expect(await store.replay.entries(e.id)).toEqual([pose(t0, 4.6), presentation, pose(t0 + 200, 4.7), pose(t0 + 300, 4.8), question]);
      expect(await store.replay.entries(other.id)).toEqual([pose(t0, 9)]);
      expect(await store.replay.entries(newId())).toEqual([]);
    });
  });
}
