import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REACTIONS } from '../../shared/qa.js';
import { LightSocket } from '../../tests/bench/light-socket.js';
import type { StatePayload } from '../../shared/events.js';
import { ask, startServer, viewerId, type TestServer } from './harness.js';

// The burst load generators' light client (tests/bench/light-socket.ts) against the real server:
// it must behave as the socket.io-client it replaces there, or the bench measures something else.
let server: TestServer;
const opened: LightSocket[] = [];
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  for (const s of opened.splice(0)) s.close();
  await server.close();
});

function light(code: string, n: number, ackTimeoutMs?: number): LightSocket {
  const s = new LightSocket({ url: server.url, auth: { code, role: 'viewer', viewerId: viewerId(n) }, ackTimeoutMs });
  opened.push(s);
  return s;
}

async function openQa() {
  const ev = await server.createEvent();
  const { socket: host } = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
  expect(await ask(host, 'qa:mode', { mode: 'open' })).toEqual({ ok: true });
  return ev;
}

describe('LightSocket (bench load generators)', () => {
  it('joins at its first state, and a refused handshake reports the connect_error message', async () => {
    const ev = await server.createEvent();
    const s = light(ev.code, 1);
    const states: StatePayload[] = [];
    s.once('state', (st) => states.push(st));
    expect(await s.whenJoined()).toBeNull();
    expect(s.connected).toBe(true);
    expect(states).toHaveLength(1);
    expect(states[0]!.you).toEqual({ role: 'viewer', viewerId: viewerId(1) });

    expect(await light('NOPE42', 2).whenJoined()).toBe('refused: not_found');
  });

  it('commands get their acks; events reach their listeners, decoded or only counted', async () => {
    const ev = await openQa();
    const asker = light(ev.code, 1);
    const watcher = light(ev.code, 2);
    expect(await asker.whenJoined()).toBeNull();
    expect(await watcher.whenJoined()).toBeNull();
    const batches: { questions: { id: string }[]; votes: Record<string, number> }[] = [];
    watcher.on('questions:changed', (b) => batches.push(b));
    let reactionFrames = 0;
    watcher.onArrival('reactions', () => reactionFrames++);

    const id = '6f1c2f0e-8d7a-4c1e-9f5b-2a3d4e5f6a7b';
    const asked = await new Promise((resolve) => asker.emit('question:ask', { id, text: 'What is the range in winter?' }, (err, a) => resolve(err ?? a)));
    expect(asked).toMatchObject({ ok: true, data: { id } });
    const voted = await new Promise((resolve) => watcher.emit('question:vote', { id }, (err, a) => resolve(err ?? a)));
    expect(voted).toEqual({ ok: true, data: { votes: 1 } });
    const reacted = await new Promise((resolve) => asker.emit('reaction:send', { emoji: DEFAULT_REACTIONS[0]! }, (err, a) => resolve(err ?? a)));
    expect(reacted).toEqual({ ok: true });

    await expect.poll(() => reactionFrames, { timeout: 3000 }).toBeGreaterThan(0);
    await expect.poll(() => batches.some((b) => b.votes[id] === 1 || b.questions.some((q) => q.id === id && (q as { votes?: number }).votes === 1)), { timeout: 3000 }).toBe(true);
  });

  it('a disconnect by the server is reported once, and the acks it left pending get an error', async () => {
    const ev = await server.createEvent();
    const s = light(ev.code, 1, 10_000);
    expect(await s.whenJoined()).toBeNull();
    const reasons: string[] = [];
    s.on('disconnect', (r) => reasons.push(r));
    const onServer = [...server.app.realtime.io.sockets.sockets.values()].find((x) => x.data.viewerId === viewerId(1))!;
    onServer.removeAllListeners('reaction:send'); // so this command stays unanswered
    const pending = new Promise<Error | null>((resolve) => s.emit('reaction:send', { emoji: '👍' }, (err) => resolve(err)));
    await new Promise((r) => setTimeout(r, 50));
    onServer.disconnect(true);
    expect((await pending)?.message).toBe('socket has been disconnected');
    await expect.poll(() => reasons).toEqual(['io server disconnect']);
    expect(s.connected).toBe(false);
    const late = await new Promise<Error | null>((resolve) => s.emit('reaction:send', { emoji: '👍' }, (err) => resolve(err)));
    expect(late?.message).toBe('socket is not connected');
  });
});
