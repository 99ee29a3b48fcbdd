import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandshakeAuth, StatePayload } from '../../shared/events.js';
import type { Question } from '../../shared/qa.js';
import { ask, startServer, viewerId, type Client, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const directFrames = async (): Promise<number> => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^vitrine_state_frames_direct_total (\d+)$/m.exec(text)?.[1]);
};

/**
 * The `state` a joiner gets over WebSocket (the pre-built frame, its question list cached per
 * room) and over long-polling (Socket.IO's `emit` of the object built afresh), for the same
 * person; both sockets are closed after. `viewers` is left out: a presence push may land
 * between the two joins.
 */
async function bothWays(auth: HandshakeAuth): Promise<{ direct: StatePayload; emitted: StatePayload }> {
  const before = await directFrames();
  const ws = await server.join(auth, { transport: 'websocket' });
  const polling = await server.join(auth, { transport: 'polling' });
  for (const s of [ws.socket, polling.socket]) s.disconnect();
  expect(await directFrames()).toBe(before + 1);
  const strip = ({ viewers: _, ...rest }: StatePayload) => rest as StatePayload;
  return { direct: strip(ws.state), emitted: strip(polling.state) };
}

describe('a joiner’s state (pre-built frame, cached question list)', () => {
  it('is what Socket.IO would send, after every kind of change', async () => {
    const ev = await server.createEvent();
    const host = (await server.join({ code: ev.code, role: 'host', key: ev.hostKey })).socket;
    const alice = (await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1), name: 'Alice' })).socket;
    const bob = (await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) })).socket;
    const ok = async (s: Client, event: string, payload: unknown) => {
      const res = await ask(s, event, payload);
      expect(res.ok, `${event}: ${JSON.stringify(res)}`).toBe(true);
      return res.data;
    };
    const askOf = async (s: Client, text: string) => (await ok(s, 'question:ask', { id: randomUUID(), text })) as Question;
    let first: Question | undefined;
    let second: Question | undefined;

    const joiners: HandshakeAuth[] = [
      { code: ev.code, role: 'viewer', viewerId: viewerId(99) }, // asked nothing
      { code: ev.code, role: 'viewer', viewerId: viewerId(1) }, // Alice, an author
      { code: ev.code, role: 'host', key: ev.hostKey },
    ];
    /** After each change: every joiner's state both ways alike, and what the check says of it. */
    const steps: [string, () => Promise<unknown>, (audience: StatePayload) => void][] = [
      ['nothing yet', async () => {}, (s) => expect(s.questions).toEqual([])],
      ['a question asked (pre-moderation: pending)', async () => (first = await askOf(alice, 'Quelle autonomie en hiver ? « é »')), (s) => expect(s.questions).toEqual([])],
      ['approved', () => ok(host, 'question:moderate', { id: first!.id, action: 'approve' }), (s) => expect(s.questions).toMatchObject([{ id: first!.id, status: 'visible' }])],
      ['voted', () => ok(bob, 'question:vote', { id: first!.id }), (s) => expect(s.questions).toMatchObject([{ id: first!.id, votes: 1 }])],
      ['pinned', () => ok(host, 'question:moderate', { id: first!.id, action: 'pin' }), (s) => expect(s.questions).toMatchObject([{ pinned: true }])],
      ['Q&A opened', () => ok(host, 'qa:mode', { mode: 'open' }), (s) => expect(s.qa.mode).toBe('open')],
      ['a second question (visible at once)', async () => (second = await askOf(bob, 'Prix ?')), (s) => expect(s.questions.map((q) => q.id)).toEqual([first!.id, second!.id])],
      ['the vote withdrawn', () => ok(bob, 'question:unvote', { id: first!.id }), (s) => expect(s.questions[0]).toMatchObject({ votes: 0 })],
      ['answered', () => ok(host, 'question:moderate', { id: first!.id, action: 'answer' }), (s) => expect(s.questions[0]).toMatchObject({ status: 'answered', pinned: false })],
      ['hidden', () => ok(host, 'question:moderate', { id: second!.id, action: 'hide' }), (s) => expect(s.questions.map((q) => q.id)).toEqual([first!.id])],
      ['its author blocked', () => ok(host, 'viewer:block', { questionId: second!.id }), () => {}],
      ['a chapter', () => ok(host, 'chapter:set', { index: 1 }), (s) => expect(s.presentation.chapter).toBe(1)],
      ['a reaction', () => ok(bob, 'reaction:send', { emoji: s0.qa.emojis[0] }), () => {}],
      ['the event started', () => ok(host, 'event:start', {}), (s) => expect(s.event.status).toBe('live')],
    ];
    const s0 = (await bothWays(joiners[0]!)).direct;
    for (const [change, apply, check] of steps) {
      await apply();
      for (const auth of joiners) {
        const { direct, emitted } = await bothWays(auth);
        expect(direct, `${auth.role} ${auth.viewerId ?? ''} after: ${change}`).toEqual(emitted);
        if (auth === joiners[0]) check(direct);
      }
    }
    // The presenter's list shows the block, Alice's own question is marked hers.
    const { direct: hostState } = await bothWays(joiners[2]!);
    expect(hostState.questions.find((q) => q.id === second!.id)).toMatchObject({ author: { blocked: true } });
    const { direct: aliceState } = await bothWays(joiners[1]!);
    expect(aliceState.questions.find((q) => q.id === first!.id)).toMatchObject({ mine: true });
  });
});
