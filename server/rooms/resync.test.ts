import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalBus } from '../cluster/bus.js';
import { createLogger } from '../logger.js';
import type { VitrineServer } from '../realtime/types.js';
import { createMemoryStore } from '../store/memory.js';
import { newEventFixture } from '../store/repository.contract.js';
import type { Store } from '../store/types.js';
import type { OrderedFanout } from './fanout.js';
import type { PoseRelay } from './poseRelay.js';
import type { QaPublisher } from './qaPublisher.js';
import type { RoomRegistry } from './registry.js';
import { RESYNC_DELAY_MS, RESYNC_SETTLE_MS, RoomResync } from './resync.js';
import { Room } from './room.js';

/** A room whose copy fell behind its store, and what the resync tells this process's sockets. */
async function setup() {
  const store: Store = createMemoryStore();
  const event = await store.events.create(newEventFixture());
  const { question } = await store.questions.ask({ id: 'q-1', eventId: event.id, viewerId: 'viewer-aaaa', name: null, text: 'Autonomie ?', status: 'visible', createdAt: '2026-12-01T18:00:00.000Z' });
  const room = new Room(event, [question]);
  const open = new Map([[event.id, room]]);
  const emitted: [string, string, unknown][] = [];
  const io = { local: { to: (channel: string) => ({ emit: (name: string, payload: unknown) => void emitted.push([channel, name, payload]) }) } };
  const heard = { questions: [] as string[], votes: [] as string[] };
  const qa = { heardQuestion: (_r: Room, q: { id: string }) => void heard.questions.push(q.id), heardVote: (_r: Room, id: string) => void heard.votes.push(id) };
  const rooms = { get: (id: string) => open.get(id), all: () => [...open.values()] };
  const resync = new RoomResync({
    rooms: rooms as unknown as RoomRegistry,
    store,
    bus: new LocalBus(),
    qa: qa as unknown as QaPublisher,
    relay: { relay: () => {} } as unknown as PoseRelay,
    fanout: { send: (_room: Room, channel: string, name: string, payload: () => unknown) => void emitted.push([channel, name, payload()]) } as unknown as OrderedFanout,
    io: io as unknown as VitrineServer,
    log: createLogger('silent'),
  });
  return { store, event, room, open, emitted, heard, resync };
}

describe('RoomResync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('counts a vote the store committed but the room never heard of, and has it told to this process’s sockets', async () => {
    const { store, room, heard, emitted, resync } = await setup();
    // Committed; the answer (and the room's +1) lost with the connection.
    await store.questions.vote('q-1', 'viewer-bbbb');
    expect(room.questions.get('q-1')!.votes).toBe(0);

    resync.schedule(room);
    resync.schedule(room); // a burst of failures: one read
    await vi.advanceTimersByTimeAsync(RESYNC_DELAY_MS);
    expect(room.questions.get('q-1')!.votes).toBe(1);
    expect(heard.votes).toEqual(['q-1']);
    expect(emitted).toEqual([]); // nothing else moved

    // The second read finds nothing more to do.
    await vi.advanceTimersByTimeAsync(RESYNC_SETTLE_MS);
    expect(heard.votes).toEqual(['q-1']);
    expect(resync.repaired).toBe(1);
  });

  it('adds a question it lacks, and follows the stored chapter and Q&A mode', async () => {
    const { store, event, room, heard, emitted, resync } = await setup();
    await store.questions.ask({ id: 'q-2', eventId: event.id, viewerId: 'viewer-cccc', name: null, text: 'Recharge ?', status: 'visible', createdAt: '2026-12-01T18:01:00.000Z' });
    // Changed by another process whose op was lost: the store's copy is the newer.
    await store.events.savePresentation(event.id, { ...room.snapshot(), chapter: 2, changedAt: room.presentationAt + 1_000 });
    await store.events.setQaMode(event.id, 'open');

    resync.scheduleAll();
    await vi.advanceTimersByTimeAsync(RESYNC_DELAY_MS);
    expect(room.questions.get('q-2')?.text).toBe('Recharge ?');
    expect(heard.questions).toEqual(['q-2']);
    expect(room.chapter).toBe(2);
    expect(room.qaMode).toBe('open');
    expect(emitted.map(([channel, name]) => [channel, name])).toEqual([
      [room.channel, 'qa:mode'],
      [room.channel, 'presentation:changed'],
    ]);
  });

  it('never undoes a vote the room counted while its read was on its way: it keeps it, and reads again', async () => {
    const { store, room, resync } = await setup();
    await store.questions.vote('q-1', 'viewer-bbbb'); // committed, never heard of
    const listByEvent = store.questions.listByEvent;
    let answer: () => void = () => {};
    store.questions.listByEvent = async (id) => {
      const rows = await listByEvent(id); // read now (1 vote)…
      await new Promise<void>((r) => (answer = r)); // …answered later (a slow link)
      return rows;
    };
    resync.schedule(room);
    await vi.advanceTimersByTimeAsync(RESYNC_DELAY_MS);
    // Meanwhile two more votes commit and the room counts them (their handlers' +1).
    for (const voter of ['viewer-cccc', 'viewer-dddd']) {
      await store.questions.vote('q-1', voter);
      room.addVotes('q-1', 1);
    }
    answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(room.questions.get('q-1')!.votes).toBe(2); // not set back to the read's 1
    store.questions.listByEvent = listByEvent;
    await vi.advanceTimersByTimeAsync(RESYNC_SETTLE_MS);
    expect(room.questions.get('q-1')!.votes).toBe(3);
  });

  it('tries again while the store is away, and leaves a closed room alone', async () => {
    const { store, room, open, heard, resync } = await setup();
    await store.questions.vote('q-1', 'viewer-bbbb');
    const listByEvent = store.questions.listByEvent;
    store.questions.listByEvent = () => Promise.reject(new Error('connection reset'));
    resync.schedule(room);
    await vi.advanceTimersByTimeAsync(RESYNC_DELAY_MS);
    expect(room.questions.get('q-1')!.votes).toBe(0);
    store.questions.listByEvent = listByEvent;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(room.questions.get('q-1')!.votes).toBe(1);

    await store.questions.vote('q-1', 'viewer-cccc');
    open.clear();
    resync.schedule(room);
    await vi.advanceTimersByTimeAsync(RESYNC_DELAY_MS + RESYNC_SETTLE_MS);
    expect(room.questions.get('q-1')!.votes).toBe(1);
    expect(heard.votes).toEqual(['q-1']);
  });
});
