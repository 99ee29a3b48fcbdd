import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POSE } from '../../shared/presentation.js';
import { newEventCode, newId, newKey } from '../keys.js';
import type { ModelRecord, NewEvent, NewQuestion, Store } from './types.js';
import { DuplicateCodeError } from './types.js';
import { describeLeadsContract } from './leads.contract.js';
import { describeAudienceContract } from './audience.contract.js';
import { describeKeysContract } from './keys.contract.js';

export function newEventFixture(over: Partial<NewEvent> = {}): NewEvent {
  return {
    id: newId(),
    code: newEventCode(),
    title: 'Lancement Aura EV',
    locale: 'fr',
    startsAt: '2026-12-01T18:00:00.000Z',
    createdAt: new Date().toISOString(),
    hostKey: newKey(),
    dealerKey: newKey(),
    presentation: { chapter: 0, variant: 'bleu-abysse', cta: null, hotspot: null, pose: null },
    ...over,
  };
}

/**
 * The one behaviour every Store implementation must show (memory, SQLite, later PostgreSQL).
 * `open` gives a fresh, empty store each time.
 */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('is healthy once open', async () => {
      expect(await store.healthy()).toBe(true);
    });

    it('creates an event as scheduled and finds it by id and by code', async () => {
      const input = newEventFixture();
      const created = await store.events.create(input);
      expect(created).toMatchObject({ id: input.id, code: input.code, title: input.title, status: 'scheduled', startedAt: null, endedAt: null });
      expect(await store.events.findById(input.id)).toEqual(created);
      expect(await store.events.findByCode(input.code)).toEqual(created);
      expect(await store.events.findByCode('ZZZZZZ')).toBeNull();
      expect(await store.events.findById('nope')).toBeNull();
    });

    it('refuses a second event with the same code', async () => {
      const first = newEventFixture();
      await store.events.create(first);
      await expect(store.events.create(newEventFixture({ code: first.code }))).rejects.toBeInstanceOf(DuplicateCodeError);
    });

    it('stamps startedAt and endedAt once, on the first transition', async () => {
      const e = await store.events.create(newEventFixture());
      const live = await store.events.setStatus(e.id, 'live', '2026-12-01T18:00:05.000Z');
      expect(live).toMatchObject({ status: 'live', startedAt: '2026-12-01T18:00:05.000Z', endedAt: null });
      await store.events.setStatus(e.id, 'live', '2026-12-01T18:10:00.000Z');
      const ended = await store.events.setStatus(e.id, 'ended', '2026-12-01T19:00:00.000Z');
      expect(ended).toMatchObject({ status: 'ended', startedAt: '2026-12-01T18:00:05.000Z', endedAt: '2026-12-01T19:00:00.000Z' });
      expect(await store.events.setStatus('unknown', 'live', '2026-12-01T19:00:00.000Z')).toBeNull();
    });

    it('keeps the saved presentation', async () => {
      const e = await store.events.create(newEventFixture());
      const p = { chapter: 2, variant: 'rouge-rubis', cta: 'test_drive' as const, hotspot: 'recharge', pose: { ...DEFAULT_POSE, t: 42 } };
      await store.events.savePresentation(e.id, p);
      expect((await store.events.findById(e.id))?.presentation).toEqual(p);
    });

    it('keeps the Q&A moderation mode, pre-moderation by default', async () => {
      const e = await store.events.create(newEventFixture());
      expect(e.qaMode).toBe('pre');
      await store.events.setQaMode(e.id, 'open');
      expect((await store.events.findById(e.id))?.qaMode).toBe('open');
    });

    describe('questions', () => {
      const ask = (eventId: string, over: Partial<NewQuestion> = {}) =>
        store.questions.ask({ id: newId(), eventId, viewerId: 'viewer-aaaa', name: 'Léa', text: 'Autonomie réelle ?', status: 'pending', createdAt: new Date().toISOString(), ...over });

      it('stores a question once per id, whatever is resent', async () => {
        const e = await store.events.create(newEventFixture());
        const first = await ask(e.id, { id: '11111111-1111-4111-8111-111111111111' });
        expect(first.created).toBe(true);
        expect(first.question).toMatchObject({ text: 'Autonomie réelle ?', votes: 0, pinned: false, status: 'pending' });
        const again = await ask(e.id, { id: '11111111-1111-4111-8111-111111111111', text: 'autre chose' });
        expect(again).toEqual({ question: first.question, created: false });
        expect(await store.questions.listByEvent(e.id)).toHaveLength(1);
      });

      it('counts one vote per viewer, and takes it back once', async () => {
        const e = await store.events.create(newEventFixture());
        const { question } = await ask(e.id, { status: 'visible' });
        expect(await store.questions.vote(question.id, 'v1-aaaaaa')).toEqual({ changed: true, votes: 1 });
        expect(await store.questions.vote(question.id, 'v1-aaaaaa')).toEqual({ changed: false, votes: 1 });
        expect(await store.questions.vote(question.id, 'v2-aaaaaa')).toEqual({ changed: true, votes: 2 });
        expect(await store.questions.votesOf(e.id, 'v1-aaaaaa')).toEqual([question.id]);
        expect(await store.questions.unvote(question.id, 'v1-aaaaaa')).toEqual({ changed: true, votes: 1 });
        expect(await store.questions.unvote(question.id, 'v1-aaaaaa')).toEqual({ changed: false, votes: 1 });
        expect(await store.questions.votesOf(e.id, 'v1-aaaaaa')).toEqual([]);
        expect(await store.questions.vote('no-such-question', 'v1-aaaaaa')).toBeNull();
      });

      it('counts concurrent votes exactly, duplicates included', async () => {
        const e = await store.events.create(newEventFixture());
        const { question } = await ask(e.id, { status: 'visible' });
        const voters = Array.from({ length: 40 }, (_, i) => `voter-${String(i).padStart(4, '0')}`);
        const results = await Promise.all([...voters, ...voters.slice(0, 10)].map((v) => store.questions.vote(question.id, v)));
        expect(results.filter((r) => r?.changed)).toHaveLength(40);
        expect(Math.max(...results.map((r) => r!.votes))).toBe(40);
        expect((await store.questions.listByEvent(e.id))[0]?.votes).toBe(40);
      });

      // Calls made in one turn go to the store together (one batch where it group-commits):
      // each must answer as if they had run one by one, in the order they were made.
      it('answers votes made together as if made one by one: a repeat counts once', async () => {
        const e = await store.events.create(newEventFixture());
        const { question } = await ask(e.id, { status: 'visible' });
        const answers = await Promise.all([
          store.questions.vote(question.id, 'v1-aaaaaa'),
          store.questions.vote(question.id, 'v1-aaaaaa'),
          store.questions.vote(question.id, 'v2-aaaaaa'),
          store.questions.vote(question.id, 'v1-aaaaaa'),
        ]);
        expect(answers).toEqual([
          { changed: true, votes: 1 },
          { changed: false, votes: 1 },
          { changed: true, votes: 2 },
          { changed: false, votes: 2 },
        ]);
        expect((await store.questions.listByEvent(e.id))[0]?.votes).toBe(2);
        expect((await store.questions.voters(e.id)).map((v) => v.viewerId).sort()).toEqual(['v1-aaaaaa', 'v2-aaaaaa']);
      });

      it('answers votes and unvotes made together in the order they were made', async () => {
        const e = await store.events.create(newEventFixture());
        const a = (await ask(e.id, { status: 'visible' })).question;
        const b = (await ask(e.id, { status: 'visible' })).question;
        await store.questions.vote(b.id, 'v3-aaaaaa');
        const answers = await Promise.all([
          store.questions.vote(a.id, 'v1-aaaaaa'),
          store.questions.unvote(a.id, 'v1-aaaaaa'),
          store.questions.unvote(a.id, 'v2-aaaaaa'),
          store.questions.vote(a.id, 'v2-aaaaaa'),
          // A vote standing before: taken back, given again, taken back.
          store.questions.unvote(b.id, 'v3-aaaaaa'),
          store.questions.vote(b.id, 'v3-aaaaaa'),
          store.questions.vote(b.id, 'v1-aaaaaa'),
          store.questions.unvote(b.id, 'v3-aaaaaa'),
        ]);
        expect(answers).toEqual([
          { changed: true, votes: 1 },
          { changed: true, votes: 0 },
          { changed: false, votes: 0 },
          { changed: true, votes: 1 },
          { changed: true, votes: 0 },
          { changed: true, votes: 1 },
          { changed: true, votes: 2 },
          { changed: true, votes: 1 },
        ]);
        const counts = Object.fromEntries((await store.questions.listByEvent(e.id)).map((q) => [q.id, q.votes]));
        expect(counts).toEqual({ [a.id]: 1, [b.id]: 1 });
        expect(await store.questions.votesOf(e.id, 'v1-aaaaaa')).toEqual([b.id]);
        expect(await store.questions.votesOf(e.id, 'v2-aaaaaa')).toEqual([a.id]);
        expect(await store.questions.votesOf(e.id, 'v3-aaaaaa')).toEqual([]);
      });

      it('answers null for an unknown question only, among votes made together', async () => {
        const e = await store.events.create(newEventFixture());
        const { question } = await ask(e.id, { status: 'visible' });
        const answers = await Promise.all([
          store.questions.vote(question.id, 'v1-aaaaaa'),
          store.questions.vote('no-such-question', 'v1-aaaaaa'),
          store.questions.unvote('no-such-question', 'v2-aaaaaa'),
          store.questions.vote(question.id, 'v2-aaaaaa'),
        ]);
        expect(answers).toEqual([{ changed: true, votes: 1 }, null, null, { changed: true, votes: 2 }]);
        expect(await store.questions.voters(e.id)).toHaveLength(2);
      });

      it('pins one question at a time', async () => {
        const e = await store.events.create(newEventFixture());
        const a = (await ask(e.id, { status: 'visible' })).question;
        const b = (await ask(e.id, { status: 'visible' })).question;
        await store.questions.update(a.id, { status: 'visible', pinned: true });
        expect(await store.questions.update(b.id, { status: 'visible', pinned: true })).toMatchObject({ pinned: true });
        const pinned = (await store.questions.listByEvent(e.id)).filter((q) => q.pinned).map((q) => q.id);
        expect(pinned).toEqual([b.id]);
        expect(await store.questions.update('nope', { status: 'hidden', pinned: false })).toBeNull();
      });

      it('blocks a viewer: their pending questions are hidden, the block is kept', async () => {
        const e = await store.events.create(newEventFixture());
        const pending = (await ask(e.id, { viewerId: 'troll-aaaa' })).question;
        const visible = (await ask(e.id, { viewerId: 'troll-aaaa', status: 'visible' })).question;
        const other = (await ask(e.id, { viewerId: 'nice-aaaaa' })).question;
        const hidden = await store.questions.block(e.id, 'troll-aaaa', new Date().toISOString());
        expect(hidden.map((q) => q.id)).toEqual([pending.id]);
        const byId = new Map((await store.questions.listByEvent(e.id)).map((q) => [q.id, q.status]));
        expect([byId.get(pending.id), byId.get(visible.id), byId.get(other.id)]).toEqual(['hidden', 'visible', 'pending']);
        expect(await store.questions.blockedViewers(e.id)).toEqual(['troll-aaaa']);
      });
    });

    describeLeadsContract(() => store);
    describeAudienceContract(() => store);
    describeKeysContract(() => store);

    describe('staging and branding', () => {
      it('keeps the studio staging and the brand with the event, and resets staging with null', async () => {
        const e = await store.events.create(newEventFixture());
        expect(e.stage).toBeNull();
        expect(e.brand).toEqual({ name: null, logoUrl: null, accent: null, background: null });
        expect(e.presentation.hotspot).toBeNull();
        const stage = {
          name: 'Aura GT',
          modelVariants: false,
          paints: [{ id: 'noir', name: 'Noir', color: '#000000', metalness: 0.5, roughness: 0.3, clearcoat: 1 }],
          bodyMaterials: ['Carrosserie'],
          hotspots: [{ id: 'jantes', title: 'Jantes', text: '', position: [1, 0.4, 0.9] as [number, number, number], normal: [0, 0, 1] as [number, number, number] }],
          chapters: [{ id: 'intro', title: 'Intro', pose: { ...DEFAULT_POSE }, hotspot: 'jantes' }],
        };
        const brand = { name: 'Marque', logoUrl: null, accent: '#ff6600', background: '#101820', reactions: ['🚗', '🇫🇷'] };
        expect(await store.events.updateSettings(e.id, { stage, brand })).toMatchObject({ stage, brand, retentionMonths: e.retentionMonths });
        expect((await store.events.findById(e.id))?.stage).toEqual(stage);
        expect((await store.events.updateSettings(e.id, { stage: null }))?.stage).toBeNull();
        expect((await store.events.findById(e.id))?.brand).toEqual(brand);
      });

      it('counts hotspot opens per hotspot: all opens, and viewers once', async () => {
        const e = await store.events.create(newEventFixture());
        const at = new Date().toISOString();
        expect(await store.hotspotOpens.record(e.id, 'jantes', 'viewer-aaaa', at)).toBe(true);
        expect(await store.hotspotOpens.record(e.id, 'jantes', 'viewer-aaaa', at)).toBe(false);
        expect(await store.hotspotOpens.record(e.id, 'jantes', 'viewer-bbbb', at)).toBe(true);
        expect(await store.hotspotOpens.record(e.id, 'recharge', 'viewer-aaaa', at)).toBe(true);
        expect(await store.hotspotOpens.counts(e.id)).toEqual({ jantes: { opens: 3, viewers: 2 }, recharge: { opens: 1, viewers: 1 } });
        expect(await store.hotspotOpens.counts('another-event')).toEqual({});
      });
    });

    describe('models', () => {
      const stats = (bytes: number) => ({ bytes, triangles: 12, vertices: 24, drawCalls: 1, meshes: 1, materials: 1, textures: [{ name: 'base', mimeType: 'image/jpeg', width: 512, height: 512, bytes: 900 }], extensions: [] });
      const model = (eventId: string, over: Partial<ModelRecord> = {}): ModelRecord => ({
        eventId,
        name: 'Aura EV',
        original: { file: 'aaaa.source.glb', bytes: 2000 },
        optimised: { file: 'bbbb.glb', bytes: 1000 },
        stats: { before: stats(2000), after: stats(1000) },
        bounds: { min: [-2.3, 0, -1], max: [2.3, 1.5, 1] },
        pose: { ...DEFAULT_POSE },
        note: null,
        details: { materials: [{ name: 'Carrosserie', color: '#1d3f8f' }], variants: [{ name: 'Midnight', color: '#101820' }] },
        poster: null,
        createdAt: new Date().toISOString(),
        ...over,
      });

      it('sets a poster on the stored model only, handing back the record before it', async () => {
        const e = await store.events.create(newEventFixture());
        expect(await store.models.setPoster(e.id, { file: 'dddd.webp', bytes: 5000 })).toBeNull();
        const m = model(e.id);
        await store.models.put(m);
        expect(await store.models.setPoster(e.id, { file: 'dddd.webp', bytes: 5000 })).toEqual(m);
        expect(await store.models.get(e.id)).toEqual({ ...m, poster: { file: 'dddd.webp', bytes: 5000 } });
      });

      it('has no model until one is stored, then keeps it whole', async () => {
        const e = await store.events.create(newEventFixture());
        expect(await store.models.get(e.id)).toBeNull();
        const m = model(e.id);
        expect(await store.models.put(m)).toEqual({ previous: null });
        expect(await store.models.get(e.id)).toEqual(m);
      });

      it('replaces the model and hands back the one replaced', async () => {
        const e = await store.events.create(newEventFixture());
        const first = model(e.id);
        await store.models.put(first);
        const second = model(e.id, { optimised: { file: 'cccc.glb', bytes: 900 }, note: 'the original was smaller' });
        expect(await store.models.put(second)).toEqual({ previous: first });
        expect(await store.models.get(e.id)).toEqual(second);
      });

      it('refuses a model for an unknown event', async () => {
        await expect(store.models.put(model('no-such-event'))).rejects.toThrow();
      });
    });

    it('lists newest first, bounded', async () => {
      await store.events.create(newEventFixture({ title: 'A', createdAt: '2026-01-01T00:00:00.000Z' }));
      await store.events.create(newEventFixture({ title: 'B', createdAt: '2026-02-01T00:00:00.000Z' }));
      await store.events.create(newEventFixture({ title: 'C', createdAt: '2026-03-01T00:00:00.000Z' }));
      expect((await store.events.list(2)).map((e) => e.title)).toEqual(['C', 'B']);
    });
  });
}
