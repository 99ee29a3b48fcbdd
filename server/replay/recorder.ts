import { randomUUID } from 'node:crypto';
import type { Pose } from '../../shared/presentation.js';
import { REPLAY_POSE_INTERVAL_MS } from '../../shared/replay.js';
import type { Logger } from '../logger.js';
import { publicView } from '../realtime/qa.view.js';
import type { Room } from '../rooms/room.js';
import type { QuestionRecord, ReplayChunk, ReplayEntry, ReplayRepository } from '../store/types.js';

/** The recording is written at most this often per event: one chunk, whatever the presenter does. */
export const REPLAY_FLUSH_MS = 1_000;
/** A chunk the store refused is tried again this much later (with whatever came meanwhile). */
export const REPLAY_RETRY_MS = 5_000;

const mm = (v: number) => Math.round(v * 1000) / 1000;

/** `[px, py, pz, tx, ty, tz, fov (0: none), fly (0|1)]`, to the millimetre: a pose in 8 short numbers. */
export const packPose = (pose: Pose): number[] => [...pose.position.map(mm), ...pose.target.map(mm), pose.fov === undefined ? 0 : Math.round(pose.fov * 100) / 100, pose.fly ? 1 : 0];

interface Track {
  entries: ReplayEntry[];
  /** When the last pose was recorded, and the newest one waiting for its turn. */
  lastPoseAt: number;
  pending: Pose | null;
  poseTimer: NodeJS.Timeout | null;
}

/**
 * Records a live presentation for the replay, off the presenter's path: the process that hears
 * the presenter's command (only that one, so nothing is recorded twice across processes) keeps
 * the moment in memory, and one timer writes each event's moments as a chunk.
 *
 * Poses are sampled at most every REPLAY_POSE_INTERVAL_MS: a pose that comes sooner waits for
 * its turn, and only the newest waiting one is kept, so the pose where the camera stopped is
 * always recorded. A flight (chapter, hotspot) is recorded at once, with its flag: the replay
 * flies there as screens did.
 */
export class ReplayRecorder {
  private tracks = new Map<string, Track>();
  private timer: NodeJS.Timeout | null = null;
  /** Chunks to write, oldest first; one batch at a time. */
  private queue: ReplayChunk[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private replay: ReplayRepository,
    private log: Logger,
    private now: () => number = () => Date.now(),
  ) {}

  /** The presentation as it stands when the event starts: where the replay begins. */
  started(room: Room): void {
    const eventId = room.event.id;
    // At the stored start, to the ms: the replay's time 0.
    const at = room.event.startedAt ? Date.parse(room.event.startedAt) : this.now();
    this.record(eventId, { at, k: 'presentation', presentation: room.presentation() });
    this.takePose(eventId, { ...room.pose, fly: undefined }, at);
  }

  /** Only a live event is recorded (not the rehearsal before it, nor what follows its end). */
  pose(room: Room, pose: Pose): void {
    if (room.event.status !== 'live') return;
    const eventId = room.event.id;
    const track = this.track(eventId);
    const now = this.now();
    if (pose.fly) {
      // Where the hand stopped (a pose waiting for its turn) goes in first, in its turn; the
      // flight starts from there (a flight is a moment, not a sample: it takes no turn).
      this.stopTimer(track);
      this.takePending(eventId);
      this.takePose(eventId, pose, Math.max(now, track.lastPoseAt));
      return;
    }
    track.pending = pose;
    if (track.poseTimer) return;
    const wait = track.lastPoseAt + REPLAY_POSE_INTERVAL_MS - now;
    if (wait <= 0) return this.takePending(eventId);
    track.poseTimer = setTimeout(() => this.takePending(eventId), wait);
    track.poseTimer.unref();
  }

  presentation(room: Room): void {
    if (room.event.status === 'live') this.record(room.event.id, { at: this.now(), k: 'presentation', presentation: room.presentation() });
  }

  /** A question the presenter moderated, as every viewer saw it (no viewerId). */
  question(room: Room, question: QuestionRecord): void {
    if (room.event.status === 'live') this.record(room.event.id, { at: this.now(), k: 'question', question: publicView(question) });
  }

  /** Writes what gathered (a waiting pose included); resolves once written or put back for later. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [eventId, track] of this.tracks) {
      if (track.pending) {
        this.stopTimer(track);
        this.takePending(eventId);
      }
      if (track.entries.length) this.queue.push({ id: randomUUID(), eventId, firstAt: track.entries[0]!.at, entries: track.entries.splice(0) });
    }
    if (this.queue.length) {
      const batch = this.queue.splice(0);
      this.writing = this.writing.then(() => this.write(batch));
    }
    return this.writing;
  }

  /** The event ended (or the process stops): everything is written, and its track is dropped. */
  async end(eventId?: string): Promise<void> {
    const done = this.flush();
    for (const [id, track] of this.tracks) {
      if (eventId !== undefined && id !== eventId) continue;
      this.stopTimer(track);
      this.tracks.delete(id);
    }
    await done;
  }

  private track(eventId: string): Track {
    let track = this.tracks.get(eventId);
    if (!track) {
      track = { entries: [], lastPoseAt: -Infinity, pending: null, poseTimer: null };
      this.tracks.set(eventId, track);
    }
    return track;
  }

  private record(eventId: string, entry: ReplayEntry): void {
    this.track(eventId).entries.push(entry);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), REPLAY_FLUSH_MS);
      this.timer.unref();
    }
  }

  private takePending(eventId: string): void {
    const track = this.track(eventId);
    track.poseTimer = null;
    const pose = track.pending;
    track.pending = null;
    // Taken early (a flight, a flush): stamped at its turn, so samples stay ≥ the interval apart.
    if (pose) this.takePose(eventId, pose, Math.max(this.now(), track.lastPoseAt + REPLAY_POSE_INTERVAL_MS));
  }

  private takePose(eventId: string, pose: Pose, at: number): void {
    this.track(eventId).lastPoseAt = at;
    this.record(eventId, { at, k: 'pose', p: packPose(pose) });
  }

  private stopTimer(track: Track): void {
    if (track.poseTimer) clearTimeout(track.poseTimer);
    track.poseTimer = null;
  }

  private async write(batch: ReplayChunk[]): Promise<void> {
    try {
      await this.replay.append(batch);
    } catch (err) {
      this.log.warn({ err, chunks: batch.length }, 'could not record the replay; retrying');
      // Same ids: a batch that was stored after all is not stored twice.
      this.queue.unshift(...batch);
      if (!this.timer) {
        this.timer = setTimeout(() => void this.flush(), REPLAY_RETRY_MS);
        this.timer.unref();
      }
    }
  }
}
