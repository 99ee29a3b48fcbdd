import { describe, expect, it } from 'vitest';
import type { Question } from '../../../shared/qa.js';
import type { Replay } from '../../../shared/replay.js';
import { DEMO_VEHICLE } from '../../../shared/vehicle.js';
import { CHAPTER_FLY_MS } from '../../scene/interpolation.js';
import { PlaybackClock, ReplayPoses, ReplayTimeline, seekKey } from './timeline.js';

const q = (id: string, over: Partial<Question>): Question => ({ id, text: `Question ${id}`, votes: 2, status: 'visible', pinned: false, createdAt: '2026-12-01T18:00:00.000Z', ...over });

/** x of the camera only varies in these recordings: `[t, x, fly]`. */
function replay(poses: [number, number, 0 | 1][], over: Partial<Replay> = {}): Replay {
  return {
    event: {
      id: 'e1', code: 'ABCDEF', title: 'Lancement', status: 'ended', startsAt: null, startedAt: '2026-12-01T18:00:00.000Z', endedAt: '2026-12-01T18:10:00.000Z',
      locale: 'fr', createdAt: '2026-11-01T00:00:00.000Z', brand: { name: null, logoUrl: null, accent: null, background: null }, vehicle: DEMO_VEHICLE,
    },
    startedAt: '2026-12-01T18:00:00.000Z',
    endedAt: '2026-12-01T18:10:00.000Z',
    durationMs: 600_000,
    poses: poses.flatMap(([t, x, fly]) => [t, x, 1.5, 5, 0, 0.6, 0, 40, fly]),
    presentation: [{ t: 0, chapter: 0, variant: 'blanc', cta: null, hotspot: null }],
    questions: [],
    ...over,
  };
}

const xAt = (tl: ReplayTimeline, t: number) => tl.poseAt(t)!.position[0];

describe('ReplayTimeline: the camera', () => {
  it('interpolates between close samples, and rests through a long gap before moving in its last interval', () => {
    const tl = new ReplayTimeline(replay([[0, 0, 0], [100, 1, 0], [5_100, 2, 0]]));
    expect(xAt(tl, 50)).toBeCloseTo(0.5);
    expect(xAt(tl, 100)).toBe(1);
    // The presenter's hand rested 5 s: no slow drift.
    expect(xAt(tl, 2_000)).toBe(1);
    expect(xAt(tl, 5_000)).toBe(1);
    expect(xAt(tl, 5_050)).toBeCloseTo(1.5);
    expect(xAt(tl, 9_000)).toBe(2);
    expect(tl.poseAt(0)!.fov).toBe(40);
  });

  it('flies to a chapter from where the camera rested, eased, over the flight time', () => {
    const tl = new ReplayTimeline(replay([[0, 0, 0], [3_000, 10, 1], [8_000, 11, 0]]));
    expect(xAt(tl, 2_999)).toBe(0);
    expect(xAt(tl, 3_000)).toBe(0);
    expect(xAt(tl, 3_000 + CHAPTER_FLY_MS / 2)).toBeCloseTo(5);
    expect(xAt(tl, 3_000 + CHAPTER_FLY_MS / 4)).toBeLessThan(2.5); // eased: slow start
    expect(xAt(tl, 3_000 + CHAPTER_FLY_MS)).toBe(10);
    expect(xAt(tl, 7_000)).toBe(10);
  });

  it('cuts to the chapter when flights last 0 ms (reduced motion), and seeks land on the cut', () => {
    const tl = new ReplayTimeline(replay([[0, 0, 0], [3_000, 10, 1], [8_000, 11, 0]], { presentation: [{ t: 0, chapter: 0, variant: 'blanc', cta: null, hotspot: null }, { t: 2_990, chapter: 1, variant: 'blanc', cta: null, hotspot: null }] }), 0);
    expect(xAt(tl, 2_999)).toBe(0);
    expect(xAt(tl, 3_000)).toBe(10);
    expect(xAt(tl, 3_001)).toBe(10);
    expect(tl.chapterStarts()[1]).toEqual({ chapter: 1, t: 2_990, at: 3_000 });
  });

  it('has no pose in an empty recording', () => {
    expect(new ReplayTimeline(replay([])).poseAt(1_000)).toBeNull();
  });
});

describe('ReplayTimeline: chapters and questions', () => {
  const tl = new ReplayTimeline(
    // A flight to the chapter of 10 s (a moment after it was set, as recorded); none to the one of 20 s.
    replay([[0, 0, 0], [10_020, 5, 1], [15_000, 6, 0]], {
      presentation: [
        { t: 0, chapter: 0, variant: 'blanc', cta: null, hotspot: null },
        { t: 10_000, chapter: 2, variant: 'bleu', cta: null, hotspot: 'jantes' },
        { t: 20_000, chapter: 1, variant: 'bleu', cta: 'test_drive', hotspot: null },
        { t: 30_000, chapter: 2, variant: 'blanc', cta: null, hotspot: null },
      ],
      questions: [
        { t: 5_000, question: q('a', { pinned: true }) },
        { t: 8_000, question: q('a', { status: 'answered' }) },
        { t: 9_000, question: q('b', { pinned: true }) },
        { t: 12_000, question: q('b', { status: 'hidden' }) },
        { t: 15_000, question: q('c', { status: 'answered' }) },
      ],
    }),
  );

  it('gives what every screen showed at a moment', () => {
    expect(tl.presentationAt(9_999)).toMatchObject({ chapter: 0, variant: 'blanc' });
    expect(tl.presentationAt(10_000)).toMatchObject({ chapter: 2, hotspot: 'jantes' });
    expect(tl.presentationAt(25_000)).toMatchObject({ chapter: 1, cta: 'test_drive' });
  });

  it('seeks by chapter to where each first began, on its view once the flight there is over', () => {
    expect(tl.chapterStarts()).toEqual([
      { chapter: 0, t: 0, at: 0 },
      { chapter: 2, t: 10_000, at: 10_020 + CHAPTER_FLY_MS },
      { chapter: 1, t: 20_000, at: 20_000 },
    ]);
  });

  it('shows the question being answered, and those answered so far, latest first', () => {
    expect(tl.questionsAt(4_000)).toEqual({ pinned: null, answered: [] });
    expect(tl.questionsAt(6_000).pinned?.id).toBe('a');
    expect(tl.questionsAt(8_500)).toMatchObject({ pinned: null, answered: [{ id: 'a' }] });
    expect(tl.questionsAt(10_000).pinned?.id).toBe('b');
    expect(tl.questionsAt(13_000).pinned).toBeNull();
    expect(tl.questionsAt(60_000).answered.map((x) => x.id)).toEqual(['c', 'a']);
  });
});

describe('PlaybackClock and ReplayPoses', () => {
  it('plays at its speed, pauses, seeks, and stops at the end', () => {
    const clock = new PlaybackClock(10_000);
    let changes = 0;
    clock.subscribe(() => changes++);
    clock.play(1_000);
    expect(clock.position(3_000)).toBe(2_000);
    clock.setSpeed(2, 3_000);
    expect(clock.position(4_000)).toBe(4_000);
    clock.pause(4_000);
    expect(clock.position(9_000)).toBe(4_000);
    clock.seek(9_500, 9_000);
    clock.play(9_000);
    expect(clock.position(20_000)).toBe(10_000);
    expect(clock.ended(20_000)).toBe(true);
    // Play again from the start.
    clock.play(20_000);
    expect(clock.position(20_500)).toBe(1_000);
    expect(changes).toBe(6);
  });

  it('keeps the scene drawing while playing and lets it rest when paused', () => {
    const tl = new ReplayTimeline(replay([[0, 0, 0], [100, 1, 0]]));
    const clock = new PlaybackClock(1_000);
    let now = 0;
    const poses = new ReplayPoses(tl, clock, () => now);
    let asked = 0;
    poses.onPose = () => asked++;
    clock.play(now);
    expect(asked).toBe(1);
    now = 50;
    expect(poses.sample(0)!.position[0]).toBeCloseTo(0.5);
    expect(poses.latest).toBeNull();
    clock.pause(now);
    const still = poses.sample(0);
    expect(poses.latest).toBe(still);
    expect(asked).toBe(2);
  });
});

describe('the position slider’s keys', () => {
  it('step 5 s with arrows, a minute with Page Up/Down, and go to either end', () => {
    expect(seekKey('ArrowRight', 10_000, 600_000)).toBe(15_000);
    expect(seekKey('ArrowLeft', 3_000, 600_000)).toBe(0);
    expect(seekKey('PageUp', 590_000, 600_000)).toBe(600_000);
    expect(seekKey('End', 0, 6_830)).toBe(6_830);
    expect(seekKey('Home', 5_000, 6_830)).toBe(0);
    expect(seekKey('a', 5_000, 6_830)).toBeNull();
  });
});
