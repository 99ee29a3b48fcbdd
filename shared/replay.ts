import { z } from 'zod';
import { EventPublic } from './event.js';
import { CtaKind } from './presentation.js';
import { Question } from './qa.js';
import { Vehicle } from './vehicle.js';

/** The recording keeps at most one camera pose per this many ms (≤ 10 Hz); screens interpolate. */
export const REPLAY_POSE_INTERVAL_MS = 100;

/**
 * One recorded pose, flat: `[t, px, py, pz, tx, ty, tz, fov, fly]`. `t` in ms from the start of
 * the event; positions rounded to the millimetre; `fov` 0 when the pose had none; `fly` 1 when
 * screens flew there (a chapter, a hotspot) rather than followed a hand.
 */
export const REPLAY_POSE_STRIDE = 9;

/** What every screen showed besides the camera, from `t` (ms from the start) on. */
export const ReplayPresentation = z.object({
  t: z.number().nonnegative(),
  chapter: z.number().int(),
  variant: z.string(),
  cta: CtaKind.nullable(),
  hotspot: z.string().nullable(),
});
export type ReplayPresentation = z.infer<typeof ReplayPresentation>;

/** A question as the presenter left it at `t` (answered, pinned as "now answering", unpinned, hidden). */
export const ReplayQuestion = z.object({ t: z.number().nonnegative(), question: Question });
export type ReplayQuestion = z.infer<typeof ReplayQuestion>;

/** `GET /api/replay/:code`: the whole presentation, in one response, once the event has ended. */
export const Replay = z.object({
  event: EventPublic.extend({ vehicle: Vehicle }),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: z.number().nonnegative(),
  /** `REPLAY_POSE_STRIDE` numbers per pose, oldest first. */
  poses: z.array(z.number()),
  /** Oldest first; the first one at t = 0. */
  presentation: z.array(ReplayPresentation),
  questions: z.array(ReplayQuestion),
});
export type Replay = z.infer<typeof Replay>;
