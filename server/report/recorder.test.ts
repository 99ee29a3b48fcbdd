import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.js';
import { memoryAudience } from '../store/memoryAudience.js';
import type { AudienceRepository } from '../store/types.js';
import { AudienceRecorder } from './recorder.js';

const T0 = Date.parse('2026-12-01T18:00:00.000Z');

/** A recorder on a memory repository whose writes are counted, with a clock the test moves. */
function setup(repo: AudienceRepository = memoryAudience()) {
  const clock = { now: T0 };
  const writes = { sessions: 0, reactions: 0 };
  const counted: AudienceRepository = {
    ...repo,
    saveSessions: (s) => (writes.sessions++, repo.saveSessions(s)),
    addReactions: (r) => (writes.reactions++, repo.addReactions(r)),
  };
  const recorder = new AudienceRecorder(counted, createLogger('silent'), () => clock.now);
  return { repo, recorder, clock, writes };
}

describe('AudienceRecorder', () => {
  it('writes joins, leaves and reactions of a burst in one batch, reactions summed', async () => {
    const { repo, recorder, clock, writes } = setup();
    const a = recorder.joined('ev', 'viewer-a', 'Alice');
    clock.now += 30_000;
    recorder.joined('ev', 'viewer-b', null);
    for (let i = 0; i < 1000; i++) recorder.reacted('ev', 'viewer-a', '🔥');
    clock.now += 45_000;
    recorder.reacted('ev', 'viewer-a', '🔥');
    recorder.left(a);
    recorder.left(a);
    expect(writes).toEqual({ sessions: 0, reactions: 0 });
    await recorder.flush();
    expect(writes).toEqual({ sessions: 1, reactions: 1 });
    const sessions = await repo.sessions('ev');
    expect(sessions.map((s) => [s.viewerId, s.name, s.joinedAt, s.leftAt])).toEqual([
      ['viewer-a', 'Alice', '2026-12-01T18:00:00.000Z', '2026-12-01T18:01:15.000Z'],
      ['viewer-b', null, '2026-12-01T18:00:30.000Z', null],
    ]);
    expect((await repo.reactions('ev')).map((r) => [r.minute, r.count])).toEqual([
      ['2026-12-01T18:00:00.000Z', 1000],
      ['2026-12-01T18:01:00.000Z', 1],
    ]);
    expect(recorder.openSessions).toBe(1);
  });

  it('flushes by itself shortly after activity', async () => {
    const { repo, recorder } = setup();
    recorder.joined('ev', 'viewer-a', null);
    await vi.waitFor(async () => expect(await repo.sessions('ev')).toHaveLength(1), { timeout: 2000, interval: 20 });
  });

  it('ends the sessions still open when it closes', async () => {
    const { repo, recorder, clock } = setup();
    recorder.joined('ev', 'viewer-a', null);
    await recorder.flush();
    clock.now += 60_000;
    await recorder.close();
    expect((await repo.sessions('ev'))[0]?.leftAt).toBe('2026-12-01T18:01:00.000Z');
    expect(recorder.openSessions).toBe(0);
  });

  it('keeps a batch the store refused and writes it with the next, counting nothing twice', async () => {
    const repo = memoryAudience();
    let down = true;
    const flaky: AudienceRepository = {
      ...repo,
      saveSessions: (s) => (down ? Promise.reject(new Error('disk full')) : repo.saveSessions(s)),
    };
    const { recorder } = setup(flaky);
    const a = recorder.joined('ev', 'viewer-a', null);
    recorder.reacted('ev', 'viewer-a', '👏');
    await recorder.flush();
    // Reactions were stored; the session was put back.
    expect(await repo.reactions('ev')).toHaveLength(1);
    expect(await repo.sessions('ev')).toEqual([]);
    recorder.left(a);
    down = false;
    await recorder.flush();
    const [session] = await repo.sessions('ev');
    expect(session?.leftAt).toBe('2026-12-01T18:00:00.000Z');
    expect((await repo.reactions('ev'))[0]?.count).toBe(1);
  });
});
