/**
 * Fuzz (issue 8): thousands of malformed packets of every kind (tests/fuzz/: wrong types, missing
 * and extra fields, huge strings, deep nesting, edge numbers, prototype keys, binary and forged
 * attachments, unknown events, missing or bogus acks, oversize frames, raw Engine.IO / Socket.IO
 * frames, bad handshakes on both namespaces, bad long-polling requests), as viewer, presenter,
 * replay page and dealer page. Each must be answered with a known refusal or a closed connection;
 * the server must not throw, a watching viewer and presenter must see nothing but valid messages,
 * and the room and the store must be as they were. A fixed seed, then a random one (fast-check
 * prints it on failure: `seed` and `path` replay the run).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatePayload, type StatePayload as State } from '../../shared/events.js';
import { KIND_NAMES, fuzzPacket, roomFacts } from '../fuzz/catalogue.js';
import type { RoomFacts } from '../fuzz/commands.js';
import { FuzzDriver } from '../fuzz/driver.js';
import type { FuzzPacket } from '../fuzz/packet.js';
import { prototypeIsClean } from '../fuzz/values.js';
import { watch, type Watch } from '../fuzz/watcher.js';
import { NO_IP_CAPS } from '../../server/security/perimeter.js';
import { ask, next, startServer, viewerId, type Client, type TestServer } from './harness.js';

const FIXED_SEED = 20_261_124;
const FIXED_RUNS = 4000;
const RANDOM_RUNS = 2000;

let server: TestServer;
let driver: FuzzDriver;
let room: RoomFacts;
let host: Client;
let before: State;
const watchers: { socket: Client; seen: Watch }[] = [];
const crashes: unknown[] = [];
const onCrash = (err: unknown): void => void crashes.push(err);

/** One packet of the property: anything but the expected answer fails it, with the packet shown. */
async function answered(p: FuzzPacket, seen: Map<string, number>): Promise<void> {
  seen.set(p.kind, (seen.get(p.kind) ?? 0) + 1);
  const verdict = await driver.send(p);
  if (!verdict.ok) {
    const shown = JSON.stringify(p, (_k, v: unknown) => (typeof v === 'string' && v.length > 120 ? `<${v.length} chars>` : v)).slice(0, 600);
    throw new Error(`${p.kind}: expected ${JSON.stringify(p.expect)}, got ${verdict.got}\n${shown}`);
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  // Thousands of handshakes and wrong keys from 127.0.0.1: the per-IP caps would answer most of them
  // rate_limited (as they should; security.test.ts tests that). Here each packet must reach its handler.
  server = await startServer({ ipCaps: NO_IP_CAPS });
  const event = await server.createEvent();
  // A replay socket needs an event that went live and ended.
  const ended = await server.createEvent('Lancement terminé');
  const endedHost = (await server.join({ code: ended.code, role: 'host', key: ended.hostKey })).socket;
  expect((await ask(endedHost, 'event:start', {})).ok).toBe(true);
  expect((await ask(endedHost, 'event:end', {})).ok).toBe(true);
  endedHost.disconnect();

  const joined = await server.join({ code: event.code, role: 'host', key: event.hostKey });
  host = joined.socket;
  expect((await ask(host, 'event:start', {})).ok).toBe(true);
  room = roomFacts(joined.state.event.vehicle);
  for (const auth of [{ code: event.code, role: 'viewer' as const, viewerId: viewerId(1) }, { code: event.code, role: 'host' as const, key: event.hostKey }]) {
    const { socket } = await server.join(auth);
    watchers.push({ socket, seen: watch(socket) });
  }
  before = (await server.join({ code: event.code, role: 'viewer', viewerId: viewerId(2) })).state;
  driver = new FuzzDriver({ url: server.url, eventId: event.id, code: event.code, hostKey: event.hostKey, dealerKey: event.dealerKey, replayCode: ended.code }, { timeoutMs: 8000, idPrefix: 'fuzz' });
});

afterAll(async () => {
  driver?.close();
  await server?.close();
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

describe('fuzz: malformed packets', () => {
  it(`answers ${FIXED_RUNS} packets of every kind (seed ${FIXED_SEED}) with a known refusal or a closed connection`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(fc.asyncProperty(fuzzPacket(room), (p) => answered(p, seen)), { seed: FIXED_SEED, numRuns: FIXED_RUNS, endOnFailure: true });
    expect(KIND_NAMES.length).toBeGreaterThanOrEqual(40);
    expect(KIND_NAMES.filter((k) => !seen.has(k))).toEqual([]);
  }, 90_000);

  it(`answers ${RANDOM_RUNS} more from a random seed`, async () => {
    await fc.assert(fc.asyncProperty(fuzzPacket(room), (p) => answered(p, new Map())), { numRuns: RANDOM_RUNS, endOnFailure: true });
  }, 60_000);

  it('leaves the server whole: nothing thrown, nothing broadcast, nothing stored, the room as it was', async () => {
    expect(crashes).toEqual([]);
    expect(prototypeIsClean()).toBe(true);
    // The bystanders heard only fuzz sockets come and go, and every message was a valid one.
    for (const w of watchers) {
      expect(w.seen.garbage).toEqual([]);
      expect(Object.keys(w.seen.counts).filter((e) => e !== 'presence')).toEqual([]);
      expect(w.socket.connected).toBe(true);
    }
    const after = (await server.join({ code: before.event.code, role: 'viewer', viewerId: viewerId(3) })).state;
    expect(StatePayload.safeParse(after).success).toBe(true);
    expect(after.presentation).toEqual(before.presentation);
    expect(after.event.status).toBe('live');
    expect(after.qa.mode).toBe(before.qa.mode);
    expect(after.questions).toEqual([]);
    expect(after.reactions).toEqual(before.reactions);
    expect(await server.store.questions.listByEvent(after.event.id)).toEqual([]);
    expect(await server.store.leads.list(after.event.id, {})).toEqual([]);

    // Still serving: a real change reaches the watching viewer.
    const changed = next(watchers[0]!.socket, 'presentation:changed');
    expect((await ask(host, 'chapter:set', { index: 1 })).ok).toBe(true);
    expect((await changed).chapter).toBe(1);

    // Every fuzz socket gone, the room counts only who is left: 3 viewers (the watcher, two state checks).
    driver.close();
    const realtime = server.app.realtime;
    await expect.poll(() => realtime.io.of('/').sockets.size, { timeout: 5000 }).toBe(5); // host, 2 watchers, 2 state checks
    expect(realtime.rooms.get(after.event.id)?.viewerCount).toBe(3);
  });
});
