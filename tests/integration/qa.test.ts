import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QA_BATCH_MS, type Question } from '../../shared/qa.js';
import { ask, audience, collect, next, startServer, viewerId, type Client, type TestServer } from './harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

/** A host and two viewers in a fresh event. */
async function room() {
  const ev = await server.createEvent();
  const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
  const alice = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1), name: 'Alice' });
  const bob = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
  return { ev, host: host.socket, alice: alice.socket, bob: bob.socket };
}

const askQuestion = async (s: Client, text: string, id = randomUUID()) => {
  const res = await ask(s, 'question:ask', { id, text });
  expect(res.ok, JSON.stringify(res)).toBe(true);
  return res.data as Question;
};

/** Two batch windows: anything queued for the audience before now has been sent. */
const afterBatches = () => new Promise((r) => setTimeout(r, QA_BATCH_MS * 2));

describe('Q&A', () => {
  it('pre-moderation: a question reaches only the host and its author until approved', async () => {
    const { host, alice, bob } = await room();
    const hostSees = next(host, 'question:added');
    const bobSees = audience(bob);
    const q = await askQuestion(alice, 'Quelle autonomie en hiver ?');
    expect(q).toMatchObject({ status: 'pending', mine: true, name: 'Alice', votes: 0 });
    expect(await hostSees).toMatchObject({ id: q.id, status: 'pending', author: { blocked: false, questions: 1 } });
    await afterBatches();
    expect(bobSees).toEqual([]);
    expect(await ask(host, 'question:moderate', { id: q.id, action: 'approve' })).toMatchObject({ ok: true });
    await expect.poll(() => bobSees.at(-1)).toMatchObject({ id: q.id, status: 'visible', text: 'Quelle autonomie en hiver ?' });
    expect(JSON.stringify(bobSees)).not.toContain(viewerId(1));
  });

  it('open mode: questions are visible at once; the mode is kept', async () => {
    const { ev, host, alice, bob } = await room();
    const modeSeen = next(bob, 'qa:mode');
    expect(await ask(host, 'qa:mode', { mode: 'open' })).toEqual({ ok: true });
    expect(await modeSeen).toEqual({ mode: 'open' });
    const bobSees = audience(bob);
    const q = await askQuestion(alice, 'Prix de lancement ?');
    expect(q.status).toBe('visible');
    await expect.poll(() => bobSees.map((x) => x.id)).toEqual([q.id]);
    expect((await server.store.events.findById(ev.id))?.qaMode).toBe('open');
  });

  it('asking again with a stored id answers the stored question and creates nothing', async () => {
    const { ev, alice, bob } = await room();
    const id = randomUUID();
    const first = await askQuestion(alice, 'Garantie batterie ?', id);
    const again = await askQuestion(alice, 'Garantie batterie ?', id);
    expect(again).toEqual(first);
    expect(await server.store.questions.listByEvent(ev.id)).toHaveLength(1);
    expect(await ask(bob, 'question:ask', { id, text: 'Autre' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('counts one vote per viewer across reconnects and tabs, takes it back, and restores it after a reload', async () => {
    const { ev, host, alice, bob } = await room();
    await ask(host, 'qa:mode', { mode: 'open' });
    const q = await askQuestion(alice, 'Recharge 10→80 % ?');
    expect(await ask(bob, 'question:vote', { id: q.id })).toEqual({ ok: true, data: { votes: 1 } });
    expect(await ask(bob, 'question:vote', { id: q.id })).toEqual({ ok: true, data: { votes: 1 } });
    bob.disconnect();
    const tab1 = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    const tab2 = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    expect(tab1.state.qa.myVotes).toEqual([q.id]);
    expect(tab1.state.questions.find((x) => x.id === q.id)?.votes).toBe(1);
    const [a, b] = await Promise.all([ask(tab1.socket, 'question:vote', { id: q.id }), ask(tab2.socket, 'question:vote', { id: q.id })]);
    expect([a, b]).toEqual([{ ok: true, data: { votes: 1 } }, { ok: true, data: { votes: 1 } }]);
    // Another viewer sees the count move, coalesced.
    const aliceSees = audience(alice);
    expect(await ask(tab1.socket, 'question:unvote', { id: q.id })).toEqual({ ok: true, data: { votes: 0 } });
    await expect.poll(() => aliceSees.at(-1)).toMatchObject({ id: q.id, votes: 0 });
    expect(await ask(tab2.socket, 'question:unvote', { id: q.id })).toEqual({ ok: true, data: { votes: 0 } });
    expect((await server.store.questions.listByEvent(ev.id))[0]?.votes).toBe(0);
  });

  it('answers `not_found` for a vote on a hidden, pending or unknown question', async () => {
    const { host, alice, bob } = await room();
    const pending = await askQuestion(alice, 'En attente');
    expect(await ask(bob, 'question:vote', { id: pending.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await ask(host, 'question:moderate', { id: pending.id, action: 'approve' });
    await ask(host, 'question:moderate', { id: pending.id, action: 'hide' });
    expect(await ask(bob, 'question:vote', { id: pending.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await ask(bob, 'question:vote', { id: 'unknown' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await ask(host, 'question:moderate', { id: 'unknown', action: 'pin' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('hides an approved question from everybody but keeps it pending for its author', async () => {
    const { host, alice, bob } = await room();
    const q = await askQuestion(alice, 'Hors sujet');
    const bobSees = audience(bob);
    const aliceSees = collect(alice, 'question:updated');
    await ask(host, 'question:moderate', { id: q.id, action: 'approve' });
    await expect.poll(() => aliceSees.at(-1)?.status).toBe('visible');
    await ask(host, 'question:moderate', { id: q.id, action: 'hide' });
    await expect.poll(() => bobSees.at(-1)).toMatchObject({ id: q.id, status: 'hidden' });
    await expect.poll(() => aliceSees.at(-1)).toMatchObject({ id: q.id, status: 'pending', mine: true });
  });

  it('pins one question at a time ("now answering"), and answering unpins it', async () => {
    const { host, alice, bob } = await room();
    const a = await askQuestion(alice, 'Première');
    const b = await askQuestion(alice, 'Seconde');
    const seen = audience(bob);
    expect(await ask(host, 'question:moderate', { id: a.id, action: 'pin' })).toMatchObject({ ok: true, data: { pinned: true, status: 'visible' } });
    expect(await ask(host, 'question:moderate', { id: b.id, action: 'pin' })).toMatchObject({ ok: true, data: { pinned: true } });
    expect(await ask(host, 'question:moderate', { id: b.id, action: 'answer' })).toMatchObject({ ok: true, data: { pinned: false, status: 'answered' } });
    await expect.poll(() => seen.filter((q) => q.id === b.id && q.status === 'answered').length).toBe(1);
    await expect.poll(() => seen.filter((q) => q.id === a.id).at(-1)?.pinned).toBe(false);
    const late = await server.join({ code: (await server.store.events.list(1))[0]!.code, role: 'viewer', viewerId: viewerId(9) });
    expect(late.state.questions.filter((q) => q.pinned)).toEqual([]);
    expect(late.state.questions.find((q) => q.id === b.id)?.status).toBe('answered');
  });

  it('blocks a viewer: pending questions hidden, later ones never shown to others, kept after a restart of the room', async () => {
    const { ev, host, alice, bob } = await room();
    const before = await askQuestion(alice, 'Spam 1');
    const hostSees = collect(host, 'question:updated');
    expect(await ask(host, 'viewer:block', { questionId: before.id })).toEqual({ ok: true });
    await expect.poll(() => hostSees.find((q) => q.id === before.id)?.status).toBe('hidden');
    const bobSees = audience(bob);
    const after = await askQuestion(alice, 'Spam 2');
    expect(after.status).toBe('pending'); // the author is not told
    await afterBatches();
    expect(bobSees).toEqual([]);
    expect((await server.store.questions.listByEvent(ev.id)).map((q) => q.status)).toEqual(['hidden', 'hidden']);
    expect(await server.store.questions.blockedViewers(ev.id)).toEqual([viewerId(1)]);
    // Everybody leaves: the room closes; the block comes back from the store.
    for (const s of [host, alice, bob]) s.disconnect();
    await expect.poll(() => server.app.realtime.rooms.get(ev.id)).toBeUndefined();
    const alice2 = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const open = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    await ask(open.socket, 'qa:mode', { mode: 'open' });
    expect((await askQuestion(alice2.socket, 'Spam 3')).status).toBe('pending');
    expect((await server.store.questions.listByEvent(ev.id)).at(-1)?.status).toBe('hidden');
  });

  it('rate-limits questions (5 a minute) and reactions (10 a second) per viewer, with `rate_limited`', async () => {
    const { alice, bob } = await room();
    for (let i = 0; i < 5; i++) await askQuestion(alice, `Question ${i}`);
    expect(await ask(alice, 'question:ask', { id: randomUUID(), text: 'Une de trop' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect((await ask(bob, 'question:ask', { id: randomUUID(), text: 'Moi je peux' })).ok).toBe(true);
    const results = await Promise.all(Array.from({ length: 12 }, () => ask(alice, 'reaction:send', { emoji: '🔥' })));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => r.error?.code === 'rate_limited')).toHaveLength(2);
  });

  it('rate-limits votes and unvotes together (60 a minute) per viewer, with `rate_limited`', async () => {
    const { ev, host, alice, bob } = await room();
    await ask(host, 'qa:mode', { mode: 'open' });
    const q = await askQuestion(bob, 'Garantie batterie ?');
    // Voting, taking it back, voting again: each one counts against the same minute.
    for (let i = 0; i < 60; i++) {
      const res = await ask(alice, i % 2 ? 'question:unvote' : 'question:vote', { id: q.id });
      expect(res, `command ${i + 1}`).toEqual({ ok: true, data: { votes: i % 2 ? 0 : 1 } });
    }
    expect(await ask(alice, 'question:vote', { id: q.id })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await ask(alice, 'question:unvote', { id: q.id })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // The refused vote changed nothing; another viewer still votes.
    expect(await ask(bob, 'question:vote', { id: q.id })).toEqual({ ok: true, data: { votes: 1 } });
    expect((await server.store.questions.listByEvent(ev.id))[0]?.votes).toBe(1);
  });

  it('aggregates reactions: totals go out at most 4 times a second', async () => {
    const { ev, host } = await room();
    const viewers = await Promise.all([3, 4, 5, 6].map((n) => server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(n) })));
    const seen = collect(host, 'reactions');
    const started = Date.now();
    for (let round = 0; round < 5; round++) {
      await Promise.all(viewers.map((v) => ask(v.socket, 'reaction:send', { emoji: round % 2 ? '❤️' : '👏' })));
      await new Promise((r) => setTimeout(r, 100));
    }
    await expect.poll(() => seen.at(-1)?.counts).toEqual({ '👏': 12, '❤️': 8 });
    const seconds = (Date.now() - started) / 1000;
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);
    expect(await ask(viewers[0]!.socket, 'reaction:send', { emoji: '💩' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('refuses bad questions with field issues, and keeps user text as text', async () => {
    const { host, alice } = await room();
    expect(await ask(alice, 'question:ask', { id: randomUUID(), text: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: ['text'] }] } });
    expect(await ask(alice, 'question:ask', { id: randomUUID(), text: 'x'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await ask(alice, 'question:ask', { id: 'not-a-uuid', text: 'ok' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: ['id'] }] } });
    expect(await ask(host, 'question:ask', { id: randomUUID(), text: 'host' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(alice, 'question:moderate', { id: 'x', action: 'approve' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const xss = '<img src=x onerror=alert(1)>';
    expect((await askQuestion(alice, xss)).text).toBe(xss);
  });

  it('refuses Q&A once the event has ended (`not_live`)', async () => {
    const { host, alice } = await room();
    await ask(host, 'event:end', {});
    expect(await ask(alice, 'question:ask', { id: randomUUID(), text: 'Trop tard' })).toMatchObject({ ok: false, error: { code: 'not_live' } });
    expect(await ask(alice, 'reaction:send', { emoji: '❤️' })).toMatchObject({ ok: false, error: { code: 'not_live' } });
  });
});
