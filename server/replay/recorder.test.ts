import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import { REPLAY_POSE_INTERVAL_MS } from '../../shared/replay.js';
import { createLogger } from '../logger.js';
import type { Room } from '../rooms/room.js';
import { memoryReplay } from '../store/memoryAudience.js';
import type { QuestionRecord, ReplayChunk, ReplayRepository } from '../store/types.js';
import { ReplayRecorder } from './recorder.js';

const T0 = Date.parse('2026-12-01T18:00:00.000Z');
const pose = (x: number, fly = false): Pose => ({ position: [x, 1.6, 5.123456], target: [0, 0.6, 0], fov: 40, t: 0, ...(fly ? { fly: true as const } : {}) });

/** Just what the recorder reads of a room. */
function room(status: 'scheduled' | 'live' | 'ended' = 'live') {
  return {
    event: { id: 'ev', status, startedAt: new Date(T0).toISOString() },
    pose: pose(9),
    presentation: () => ({ chapter: 0, variant: 'bleu', cta: null, hotspot: null }),
  } as unknown as Room;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

function setup(repo: ReplayRepository = memoryReplay()) {
  const appended: ReplayChunk[][] = [];
  const counted: ReplayRepository = { ...repo, append: (c) => (appended.push(c), repo.append(c)) };
  return { repo, appended, recorder: new ReplayRecorder(counted, createLogger('silent'), () => Date.now()) };
}

describe('ReplayRecorder', () => {
  it('samples a 50 Hz hand at ≤ 10 Hz, keeps where it stopped, and writes at most a chunk a second', async () => {
    const { repo, recorder, appended } = setup();
    const r = room();
    recorder.started(r);
    for (let i = 1; i <= 50; i++) {
      vi.advanceTimersByTime(20);
      recorder.pose(r, pose(i / 10));
    }
    expect(appended).toHaveLength(0); // nothing on the presenter's path
    // 1.1 s of presentation: the chunk of the first second, then the rest a second later.
    await vi.advanceTimersByTimeAsync(REPLAY_POSE_INTERVAL_MS);
    expect(appended).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(appended).toHaveLength(2);
    const poses = (await repo.entries('ev')).filter((e) => e.k === 'pose');
    expect(poses[0]).toEqual({ at: T0, k: 'pose', p: [9, 1.6, 5.123, 0, 0.6, 0, 40, 0] });
    expect(poses.length).toBeLessThanOrEqual(1 + 10 + 1);
    for (let i = 1; i < poses.length; i++) expect(poses[i]!.at - poses[i - 1]!.at).toBeGreaterThanOrEqual(REPLAY_POSE_INTERVAL_MS);
    expect(poses.at(-1)!.k === 'pose' && poses.at(-1)!.p[0]).toBe(5);
  });

  it('records a flight at once, after the hand pose still waiting for its turn', async () => {
    const { repo, recorder } = setup();
    const r = room();
    recorder.pose(r, pose(1));
    vi.advanceTimersByTime(30);
    recorder.pose(r, pose(2));
    recorder.pose(r, pose(7, true));
    await recorder.flush();
    const entries = await repo.entries('ev');
    expect(entries.map((e) => (e.k === 'pose' ? [e.at - T0, e.p[0], e.p[7]] : e.k))).toEqual([
      [0, 1, 0],
      [REPLAY_POSE_INTERVAL_MS, 2, 0],
      [REPLAY_POSE_INTERVAL_MS, 7, 1],
    ]);
  });

  it('records nothing before the start or after the end', async () => {
    const { repo, recorder, appended } = setup();
    for (const status of ['scheduled', 'ended'] as const) {
      const r = room(status);
      recorder.pose(r, pose(1));
      recorder.presentation(r);
      recorder.question(r, { id: 'q', eventId: 'ev', viewerId: 'viewer-a', text: 'Prix ?', name: null, votes: 0, status: 'answered', pinned: false, createdAt: '' } as QuestionRecord);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    await recorder.flush();
    expect(appended).toHaveLength(0);
    expect(await repo.entries('ev')).toEqual([]);
  });

  it('keeps a chunk the store refused and writes it once when the store is back', async () => {
    const repo = memoryReplay();
    let down = true;
    const { recorder, appended } = setup({ ...repo, append: (c) => (down ? Promise.reject(new Error('store away')) : repo.append(c)) });
    const r = room();
    recorder.presentation(r);
    await recorder.flush();
    expect(await repo.entries('ev')).toEqual([]);
    down = false;
    await vi.advanceTimersByTimeAsync(5_000);
    await recorder.end();
    expect(appended.flat().map((c) => c.id)).toHaveLength(2); // the same chunk, tried twice
    expect(new Set(appended.flat().map((c) => c.id)).size).toBe(1);
    expect(await repo.entries('ev')).toHaveLength(1);
  });
});
