import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/store/memory.js';
import type { Store } from '../../server/store/types.js';
import { ask, startServer, type TestServer } from './harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
});

/**
 * A store whose vote answers come back in any order, as PostgreSQL's do under load (each vote
 * is its own commit on one of several connections): the count each answer carries may be older
 * than one already applied.
 */
function shuffledVotes(store: Store): Store {
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), Math.random() * 40));
  const questions = {
    ...store.questions,
    vote: async (id: string, viewerId: string) => later(await store.questions.vote(id, viewerId)),
    unvote: async (id: string, viewerId: string) => later(await store.questions.unvote(id, viewerId)),
  };
  return { ...store, questions, close: () => store.close(), healthy: () => store.healthy() };
}

it('keeps the exact vote count in the room when the store answers concurrent votes out of order', { timeout: 30_000 }, async () => {
  server = await startServer({ store: shuffledVotes(createMemoryStore()) });
  const event = await server.createEvent('Votes dans le désordre');
  const host = await server.join({ code: event.code, role: 'host', key: event.hostKey });
  expect((await ask(host.socket, 'qa:mode', { mode: 'open' })).ok).toBe(true);
  const voters = await Promise.all(Array.from({ length: 40 }, (_, i) => server!.join({ code: event.code, role: 'viewer', viewerId: `order-voter-${String(i).padStart(3, '0')}` })));
  const id = randomUUID();
  expect((await ask(voters[0]!.socket, 'question:ask', { id, text: 'Quelle garantie batterie ?' })).ok).toBe(true);
  await Promise.all(voters.map((v) => ask(v.socket, 'question:vote', { id })));
  await Promise.all(voters.filter((_, i) => i % 4 === 0).map((v) => ask(v.socket, 'question:unvote', { id })));
  const late = await server.join({ code: event.code, role: 'viewer', viewerId: 'order-voter-late' });
  expect(late.state.questions.find((q) => q.id === id)?.votes).toBe(30);
});
