import type { Pose } from '../../../shared/presentation.js';
import type { Question } from '../../../shared/qa.js';
import { REPLAY_POSE_INTERVAL_MS, REPLAY_POSE_STRIDE, type Replay, type ReplayPresentation } from '../../../shared/replay.js';
import { CHAPTER_FLY_MS, easeInOutCubic, lerpPose, type PoseSource } from '../../scene/interpolation.js';

/** A recorded pose, unpacked once. */
interface Sample {
  t: number;
  pose: Pose;
  fly: boolean;
}

/** The last index whose `t` is ≤ `t` (−1 if none): the recording is sorted by time. */
function lastAtOrBefore<T extends { t: number }>(list: readonly T[], t: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.t <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * What the screens showed at any moment of a recorded presentation. Pure (no React, no
 * three.js): unit-tested.
 *
 * The camera between two samples: samples are ≤ 10 a second while the presenter's hand moves,
 * and none while it rests, so a gap longer than two intervals is a rest: the camera holds, then
 * moves in the last interval before the next sample (not a slow drift across the whole rest).
 * A flight (chapter, hotspot) flies from where the camera was, as it did on every screen.
 */
export class ReplayTimeline {
  readonly durationMs: number;
  private samples: Sample[] = [];
  private presentations: ReplayPresentation[];
  private questionMoments: { t: number; question: Question }[];

  /** `flyMs`: how long a recorded flight takes here; 0 makes it a cut (reduced motion, see scene/motion.ts). */
  constructor(replay: Replay, private readonly flyMs: number = CHAPTER_FLY_MS) {
    this.durationMs = replay.durationMs;
    for (let i = 0; i + REPLAY_POSE_STRIDE <= replay.poses.length; i += REPLAY_POSE_STRIDE) {
      const [t, px, py, pz, tx, ty, tz, fov, fly] = replay.poses.slice(i, i + REPLAY_POSE_STRIDE) as number[];
      this.samples.push({ t: t!, pose: { position: [px!, py!, pz!], target: [tx!, ty!, tz!], ...(fov ? { fov } : {}), t: t! }, fly: fly === 1 });
    }
    this.presentations = replay.presentation;
    this.questionMoments = replay.questions;
  }

  poseAt(t: number): Pose | null {
    const i = lastAtOrBefore(this.samples, t);
    if (i < 0) return this.samples[0]?.pose ?? null;
    const s = this.samples[i]!;
    if (s.fly && i > 0 && t < s.t + this.flyMs) {
      return lerpPose(this.restingBefore(i), s.pose, easeInOutCubic((t - s.t) / this.flyMs));
    }
    const next = this.samples[i + 1];
    // The last pose, or a flight coming: the camera rests where it is.
    if (!next || next.fly) return s.pose;
    const gap = next.t - s.t;
    const moveFrom = gap > 2 * REPLAY_POSE_INTERVAL_MS ? next.t - REPLAY_POSE_INTERVAL_MS : s.t;
    if (t <= moveFrom) return s.pose;
    return lerpPose(s.pose, next.pose, (t - moveFrom) / Math.max(1, next.t - moveFrom));
  }

  /** Where the camera was when flight `i` began: at rest on the previous sample, or still flying the one before. */
  private restingBefore(i: number): Pose {
    const prev = this.samples[i - 1]!;
    if (prev.fly && this.samples[i]!.t < prev.t + this.flyMs) return this.poseAt(this.samples[i]!.t - 0.001) ?? prev.pose;
    return prev.pose;
  }

  /** Chapter, paint, call to action and focused hotspot at `t`. */
  presentationAt(t: number): ReplayPresentation {
    return this.presentations[Math.max(0, lastAtOrBefore(this.presentations, t))]!;
  }

  /**
   * Each chapter where it first began (`t`), in the order presented, and where "seek by
   * chapter" lands (`at`): on the chapter's view, once the flight there is over, as the
   * audience saw it settle (the flight from whatever came before is not the chapter).
   */
  chapterStarts(): { chapter: number; t: number; at: number }[] {
    const seen = new Set<number>();
    const out: { chapter: number; t: number; at: number }[] = [];
    for (const p of this.presentations) {
      if (seen.has(p.chapter)) continue;
      seen.add(p.chapter);
      const i = lastAtOrBefore(this.samples, p.t + REPLAY_POSE_INTERVAL_MS);
      const flight = i >= 0 && this.samples[i]!.fly && this.samples[i]!.t >= p.t ? this.samples[i]! : null;
      out.push({ chapter: p.chapter, t: p.t, at: flight ? Math.min(this.durationMs, flight.t + this.flyMs) : p.t });
    }
    return out;
  }

  /** The question being answered ("now answering") at `t`, and those answered by then, latest first. */
  questionsAt(t: number): { pinned: Question | null; answered: Question[] } {
    const byId = new Map<string, Question>();
    for (const m of this.questionMoments) {
      if (m.t > t) break;
      byId.delete(m.question.id); // re-inserted: the latest change last
      byId.set(m.question.id, m.question);
    }
    const all = [...byId.values()];
    return { pinned: all.find((q) => q.pinned && q.status !== 'hidden') ?? null, answered: all.filter((q) => q.status === 'answered').reverse() };
  }
}

/** Where a key on the position slider goes, as video players do; null: not a seeking key. */
export function seekKey(key: string, position: number, duration: number): number | null {
  const by = { ArrowLeft: -5_000, ArrowDown: -5_000, ArrowRight: 5_000, ArrowUp: 5_000, PageDown: -60_000, PageUp: 60_000 }[key];
  if (by !== undefined) return Math.min(duration, Math.max(0, position + by));
  if (key === 'Home') return 0;
  if (key === 'End') return duration;
  return null;
}

/** Playback speeds offered. */
export const SPEEDS = [0.5, 1, 1.5, 2] as const;

/**
 * The replay's clock: a position in the recording, moving at `speed` while playing. Reads
 * `now` (ms, e.g. `performance.now()`) instead of keeping a timer, so a frame anywhere asks it
 * where the presentation is. Stops by itself at the end.
 */
export class PlaybackClock {
  playing = false;
  speed = 1;
  private anchorPosition = 0;
  private anchorNow = 0;
  private listeners = new Set<() => void>();

  constructor(readonly durationMs: number) {}

  position(now: number): number {
    if (!this.playing) return this.anchorPosition;
    const p = this.anchorPosition + (now - this.anchorNow) * this.speed;
    return Math.min(this.durationMs, Math.max(0, p));
  }

  /** True once playing reached the end (the page then shows "play again"). */
  ended(now: number): boolean {
    return this.position(now) >= this.durationMs;
  }

  play(now: number): void {
    const from = this.ended(now) ? 0 : this.position(now);
    this.set(from, now, true);
  }

  pause(now: number): void {
    this.set(this.position(now), now, false);
  }

  seek(position: number, now: number): void {
    this.set(Math.min(this.durationMs, Math.max(0, position)), now, this.playing);
  }

  setSpeed(speed: number, now: number): void {
    const p = this.position(now);
    this.speed = speed;
    this.set(p, now, this.playing);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(position: number, now: number, playing: boolean): void {
    this.anchorPosition = position;
    this.anchorNow = now;
    this.playing = playing;
    for (const l of this.listeners) l();
  }
}

/**
 * The recording as the scene's pose source: each frame samples the camera at the clock's
 * position. While playing, `latest` is never what was sampled, so the scene keeps drawing;
 * paused, it is, so a still replay costs no frames. A seek or a play tells the scene at once.
 */
export class ReplayPoses implements PoseSource {
  onPose: (() => void) | null = null;
  readonly flights = 0;
  private last: { position: number; pose: Pose | null } | null = null;

  constructor(
    private timeline: ReplayTimeline,
    private clock: PlaybackClock,
    private now: () => number = () => performance.now(),
  ) {
    clock.subscribe(() => this.onPose?.());
  }

  get latest(): Pose | null {
    return this.clock.playing && !this.clock.ended(this.now()) ? null : (this.last?.pose ?? null);
  }

  /** `_now` is the wall clock the live buffer needs; the replay reads its own clock. */
  sample(_now: number): Pose | null {
    const position = this.clock.position(this.now());
    if (this.last?.position !== position) this.last = { position, pose: this.timeline.poseAt(position) };
    return this.last.pose;
  }
}
