import type { Pose, Vec3 } from '../../shared/presentation.js';

/**
 * Snapshot interpolation of the presenter's camera. Viewers render the pose as it was
 * INTERP_DELAY_MS ago on the host's clock, between the two poses that bracket that instant:
 * motion stays smooth even though poses arrive at ≤ 20 Hz with network jitter, and nothing
 * snaps. Pure, so it is unit-tested without a browser.
 */
export const INTERP_DELAY_MS = 100;
/** How long the flight to a chapter's or a hotspot's view takes: slow enough to see where you go. */
export const CHAPTER_FLY_MS = 1400;

/** Where a screen's camera reads the presenter's poses each frame: live (`PoseBuffer`) or recorded (the replay). */
export interface PoseSource {
  /** Set by the scene: called when a new pose should be drawn (frames render on demand). */
  onPose: (() => void) | null;
  /** Changes when screens should fly to the newest pose rather than cut. */
  readonly flights: number;
  /** The newest pose; the scene keeps drawing while what it samples is not this one. */
  readonly latest: Pose | null;
  sample(now: number): Pose | null;
}
const BUFFER_SIZE = 32;
/** Window for the clock-offset estimate, so it adapts if the clocks drift. */
const OFFSET_WINDOW = 64;

export class PoseBuffer implements PoseSource {
  private poses: Pose[] = [];
  private offsets: number[] = [];
  /** Called on every accepted pose: the scene renders on demand and asks for a frame. */
  onPose: (() => void) | null = null;
  /** Counts the `fly` poses received (a chapter, a hotspot): each starts a flight on screen. */
  flights = 0;

  /** `receivedAt` in the viewer's clock (ms), `pose.t` in the host's. */
  push(pose: Pose, receivedAt: number): void {
    const last = this.poses[this.poses.length - 1];
    if (last && pose.t < last.t) return; // out of order or a replay: older than what we show
    this.poses.push(pose);
    if (this.poses.length > BUFFER_SIZE) this.poses.shift();
    // A server-made pose carries the presenter's last time + 1 ms, not a time it was sent at:
    // it says nothing of the clocks.
    if (!pose.fly) this.offsets.push(receivedAt - pose.t);
    if (this.offsets.length > OFFSET_WINDOW) this.offsets.shift();
    if (pose.fly) this.flights++;
    this.onPose?.();
  }

  /** Starts over from one pose (a new `state` after a reconnect): a late joiner lands there, no flight. */
  reset(pose: Pose, receivedAt: number): void {
    this.poses = [];
    this.offsets = [];
    this.push({ ...pose, fly: undefined }, receivedAt);
  }

  get latest(): Pose | null {
    return this.poses[this.poses.length - 1] ?? null;
  }

  sample(now: number): Pose | null {
    const n = this.poses.length;
    if (n === 0) return null;
    // The smallest offset seen is the fastest delivery: host clock ≈ now − that offset.
    if (this.offsets.length === 0) return this.poses[n - 1]!;
    const offset = Math.min(...this.offsets);
    const renderT = now - offset - INTERP_DELAY_MS;
    const first = this.poses[0]!;
    const last = this.poses[n - 1]!;
    if (renderT <= first.t) return first;
    if (renderT >= last.t) return last;
    for (let i = n - 1; i > 0; i--) {
      const a = this.poses[i - 1]!;
      const b = this.poses[i]!;
      if (renderT >= a.t) return lerpPose(a, b, b.t === a.t ? 1 : (renderT - a.t) / (b.t - a.t));
    }
    return last;
  }
}

export function lerpVec3(a: Vec3, b: Vec3, k: number): Vec3 {
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

export function lerpPose(a: Pose, b: Pose, k: number): Pose {
  const fa = a.fov ?? b.fov;
  const fb = b.fov ?? a.fov;
  return {
    position: lerpVec3(a.position, b.position, k),
    target: lerpVec3(a.target, b.target, k),
    ...(fa !== undefined && fb !== undefined ? { fov: fa + (fb - fa) * k } : {}),
    t: a.t + (b.t - a.t) * k,
  };
}

/** Smooth start and stop for camera flights (follow-presenter). */
export const easeInOutCubic = (x: number) => (x < 0.5 ? 4 * x * x * x : 1 - (-2 * x + 2) ** 3 / 2);
