import { REPLAY_POSE_STRIDE, type Replay, type ReplayPresentation, type ReplayQuestion } from '../../shared/replay.js';
import type { Vehicle } from '../../shared/vehicle.js';
import { toPublicEvent } from '../http/events.routes.js';
import type { EventRecord, ReplayEntry } from '../store/types.js';
import { packPose } from './recorder.js';

/**
 * The replay of an ended event from its recording: times become ms from the start (an entry
 * stamped a little before it, by another process's clock, counts from 0; the replay lasts until
 * the end or the last entry, whichever is later). Where the recording
 * has no beginning (an event started before recording existed), the replay starts from the
 * presentation and pose the event ended with, so it always shows something.
 */
export function buildReplay(event: EventRecord & { startedAt: string; endedAt: string }, vehicle: Vehicle, entries: ReplayEntry[]): Replay {
  const start = Date.parse(event.startedAt);
  // The last pose may be stamped a little after the end (its turn in the ≤ 10 Hz sampling came after).
  const durationMs = Math.max(0, Date.parse(event.endedAt) - start, (entries.at(-1)?.at ?? 0) - start);
  const at = (entry: ReplayEntry) => Math.max(0, entry.at - start);
  const poses: number[] = [];
  const presentation: ReplayPresentation[] = [];
  const questions: ReplayQuestion[] = [];
  for (const e of entries) {
    if (e.k === 'pose' && e.p.length === REPLAY_POSE_STRIDE - 1) poses.push(at(e), ...e.p);
    else if (e.k === 'presentation') presentation.push({ t: at(e), ...e.presentation });
    else if (e.k === 'question') questions.push({ t: at(e), question: e.question });
  }
  const last = event.presentation;
  if (presentation[0]?.t !== 0) presentation.unshift({ t: 0, chapter: presentation[0]?.chapter ?? last.chapter, variant: presentation[0]?.variant ?? last.variant, cta: null, hotspot: null });
  if (poses.length === 0 && last.pose) poses.push(0, ...packPose({ ...last.pose, fly: undefined }));
  return { event: { ...toPublicEvent(event), vehicle }, startedAt: event.startedAt, endedAt: event.endedAt, durationMs, poses, presentation, questions };
}
