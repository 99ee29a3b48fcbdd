import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Socket as NetSocket } from 'node:net';
import { OrderedFanout } from '../../server/rooms/fanout.js';
import { rawSocketOf } from '../../server/rooms/wsFrame.js';
import type { VitrineSocket } from '../../server/realtime/types.js';
import { startServer, viewerId, type Client, type TestServer } from './harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

/** An event with viewers; each viewer's server-side socket, and what its client received, in order. */
async function viewers(n: number) {
  const ev = await server.createEvent();
  const joined = await Promise.all(Array.from({ length: n }, (_, i) => server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(i + 1) })));
  const { io, rooms } = server.app.realtime;
  const room = rooms.get(ev.id)!;
  return joined.map(({ socket }, i) => {
    const received: [string, unknown][] = [];
    socket.onAny((name: string, payload: unknown) => received.push([name, payload]));
    const onServer = [...io.sockets.sockets.values()].find((s) => s.data.viewerId === viewerId(i + 1))! as VitrineSocket;
    return { ev, room, client: socket, onServer, received };
  });
}

/** The TCP socket under a socket.io-client's WebSocket (Node's `ws`): pausing it stops reading. */
const clientTcp = (c: Client) => (c.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;

describe('ordered fan-out (Q&A batches, reaction totals)', () => {
  it('writes one pre-built frame to an idle socket, and queues behind what Socket.IO still holds for a busy one', async () => {
    const [idle, busy] = await viewers(2);
    // An instance of its own: the room's fan-out also carries presence counts, which its timer may push meanwhile.
    const fanout = new OrderedFanout(server.app.realtime.io);
    const before = { direct: 0, emitted: 0 };
    const ownPresence = (got: [string, unknown][]) => got.filter(([name, payload]) => name !== 'presence' || (payload as { viewers: number }).viewers === 42);
    // The transport is still writing the first packet, so Socket.IO holds the second in its buffer.
    busy!.onServer.emit('qa:mode', { mode: 'open' });
    busy!.onServer.emit('presence', { viewers: 42 });
    const batch = { questions: [], votes: { q1: 3 } };
    fanout.send(idle!.room, idle!.room.viewerChannel, 'questions:changed', () => batch);
    await expect.poll(() => ownPresence(busy!.received).map(([name]) => name)).toEqual(['qa:mode', 'presence', 'questions:changed']);
    await expect.poll(() => ownPresence(idle!.received)).toEqual([['questions:changed', batch]]);
    expect(ownPresence(busy!.received)[2]).toEqual(['questions:changed', batch]);
    expect({ direct: fanout.direct - before.direct, emitted: fanout.emitted - before.emitted }).toEqual({ direct: 1, emitted: 1 });
  });

  it('sends each message to its channel only, in the order they were sent, also when a later round reaches a socket first', async () => {
    const list = await viewers(4);
    const { ev, room } = list[0]!;
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const hostGot: string[] = [];
    host.socket.onAny((name: string) => hostGot.push(name));
    // Two sockets a turn: the first round writes to viewers 1 and 2 now, 3 and 4 in the next turn.
    const fanout = new OrderedFanout(server.app.realtime.io, 2);
    fanout.send(room, room.viewerChannel, 'questions:changed', () => ({ questions: [], votes: { q1: 1 } }));
    // Viewer 1 leaves: the second round's first turn reaches viewers 2 and 3, so 3 before the first round does.
    list[0]!.onServer.disconnect(true);
    fanout.send(room, room.channel, 'reactions', () => ({ counts: { '🔥': 1 } }));
    fanout.send(room, room.viewerChannel, 'questions:changed', () => ({ questions: [], votes: { q1: 2 } }));
    for (const v of list.slice(1)) {
      await expect.poll(() => v.received).toEqual([
        ['questions:changed', { questions: [], votes: { q1: 1 } }],
        ['reactions', { counts: { '🔥': 1 } }],
        ['questions:changed', { questions: [], votes: { q1: 2 } }],
      ]);
    }
    await expect.poll(() => hostGot).toEqual(['reactions']);
  });

  it('reads the payload again for each turn: a socket reached later gets the facts as they are then', async () => {
    const list = await viewers(2);
    const { room } = list[0]!;
    // The round goes in the order the sockets joined the room.
    const order = [...server.app.realtime.io.sockets.adapter.rooms.get(room.channel)!];
    const [first, second] = [...list].sort((a, b) => order.indexOf(a.onServer.id) - order.indexOf(b.onServer.id));
    let votes = 1;
    const fanout = new OrderedFanout(server.app.realtime.io, 1);
    fanout.send(room, room.viewerChannel, 'questions:changed', () => ({ questions: [], votes: { q1: votes } }));
    votes = 2; // counted after the first socket was written, before the second
    await expect.poll(() => second!.received).toEqual([['questions:changed', { questions: [], votes: { q1: 2 } }]]);
    expect(first!.received).toEqual([['questions:changed', { questions: [], votes: { q1: 1 } }]]);
  });

  it('skips nothing for a socket that stops reading: every message arrives, in order, once it reads again', async () => {
    const [slow, other] = await viewers(2);
    // Only the batches count: the room's own pushes (a presence count when the machine is slow) may come between.
    const batches = (v: { received: [string, unknown][] }) => v.received.filter(([name]) => name === 'questions:changed');
    const { fanout } = server.app.realtime;
    clientTcp(slow!.client).pause();
    // ~200 KB each (past the 64 KB frame length, too), 8 MB in all: more than loopback buffers hold.
    const votes = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`question-${String(i).padStart(30, '0')}`, i]));
    for (let seq = 0; seq < 40; seq++) fanout.send(slow!.room, slow!.room.viewerChannel, 'questions:changed', () => ({ questions: [], votes: { ...votes, seq } }));
    await expect.poll(() => batches(other!).length, { timeout: 10_000 }).toBe(40);
    // Its server side is backed up: a pose would be skipped here, these are queued.
    expect(rawSocketOf(slow!.onServer)?.writableLength).toBeGreaterThan(0);
    expect(batches(slow!).length).toBeLessThan(40);
    clientTcp(slow!.client).resume();
    await expect.poll(() => batches(slow!).length, { timeout: 10_000 }).toBe(40);
    for (const v of [slow!, other!]) {
      expect(batches(v).map(([, b]) => (b as { votes: { seq: number } }).votes.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
  });
});

describe('ordered fan-out: one round at a time', () => {
  it('a message sent while a round is on its way joins it, and one more round brings it to the sockets passed before', async () => {
    const list = await viewers(3);
    const { room } = list[0]!;
    const order = [...server.app.realtime.io.sockets.adapter.rooms.get(room.channel)!];
    const sorted = [...list].sort((a, b) => order.indexOf(a.onServer.id) - order.indexOf(b.onServer.id));
    // One socket a turn: the first is written at once, the message then rides the round to the two others.
    const fanout = new OrderedFanout(server.app.realtime.io, 1);
    const batch = (n: number) => ({ questions: [], votes: { q1: n } });
    fanout.send(room, room.viewerChannel, 'questions:changed', () => batch(1));
    expect(fanout.busy(room)).toBe(true);
    fanout.send(room, room.viewerChannel, 'questions:changed', () => batch(2));
    fanout.send(room, room.channel, 'presentation:changed', () => room.presentation());
    const expected = [
      ['questions:changed', batch(1)],
      ['questions:changed', batch(2)],
      ['presentation:changed', room.presentation()],
    ];
    for (const v of sorted) await expect.poll(() => v.received.filter(([name]) => name !== 'presence')).toEqual(expected);
    // The first socket got the two later ones in the round after: two rounds in all, not three.
    await expect.poll(() => fanout.busy(room)).toBe(false);
    expect(fanout.roundsStarted).toBe(2);
    // Nothing left to carry: the next message starts a round of its own.
    fanout.send(room, room.viewerChannel, 'questions:changed', () => batch(3));
    await expect.poll(() => fanout.busy(room)).toBe(false);
    expect(fanout.roundsStarted).toBe(3);
    for (const v of sorted) await expect.poll(() => v.received.filter(([name]) => name !== 'presence').length).toBe(4);
  });
});
