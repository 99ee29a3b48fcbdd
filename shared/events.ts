import { z } from 'zod';
import type { AckCallback } from './errors.js';
import type { EventBrand } from './brand.js';
import { EventPublic, EventStatus } from './event.js';
import type { CtaKind, PresentationChanged } from './presentation.js';
import { Pose, Presentation } from './presentation.js';
import type { Lead, LeadReceipt, LeadSubmitInput } from './lead.js';
import { ModerationMode, Question } from './qa.js';
import type { ModerationAction, QuestionAsk } from './qa.js';
import { Vehicle } from './vehicle.js';

export const Role = z.enum(['viewer', 'host']);
export type Role = z.infer<typeof Role>;

/** Socket.IO handshake `auth` (CONTRACT.md). */
export const HandshakeAuth = z.object({
  code: z.string().min(1).max(16),
  role: Role,
  key: z.string().min(1).max(200).optional(),
  viewerId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'viewerId: 8–64 letters, digits, - or _')
    .optional(),
  name: z.string().trim().max(40).optional(),
  /** Addition: the socket of a replay page (`/replay/:code`, an ended event): it sends leads, tagged `source: "replay"`. */
  replay: z.literal(true).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

export const ReactionCounts = z.object({ counts: z.record(z.string(), z.number().int().nonnegative()) });
export type ReactionCounts = z.infer<typeof ReactionCounts>;

/** The whole picture a (late) joiner needs, emitted once right after the handshake. */
export const StatePayload = z.object({
  protocol: z.number().int(),
  event: EventPublic.extend({ vehicle: Vehicle }),
  presentation: Presentation,
  questions: z.array(Question),
  reactions: ReactionCounts,
  viewers: z.number().int().nonnegative(),
  you: z.object({ role: Role, viewerId: z.string().nullable() }),
  /** Addition: the Q&A settings and this viewer's own votes (restored after a reload). */
  qa: z.object({ mode: ModerationMode, emojis: z.array(z.string()), myVotes: z.array(z.string()) }),
});
export type StatePayload = z.infer<typeof StatePayload>;

/**
 * Addition: the event's vehicle changed. With `pose` (a model was uploaded) the camera starts
 * over from it; without (the studio edited paints, hotspots or chapters) it stays where it is.
 */
export const VehicleChanged = z.object({ vehicle: Vehicle, pose: Pose.optional() });
export type VehicleChanged = z.infer<typeof VehicleChanged>;

/** Addition: `startedAt` and `endedAt` come with it, so an open page knows a launch went live (its replay). */
export const EventStatusChanged = z.object({ status: EventStatus, startedAt: z.string().nullable(), endedAt: z.string().nullable() });
export type EventStatusChanged = z.infer<typeof EventStatusChanged>;

/** Every command takes an ack and always gets an answer; `camera:set` may omit it. */
export interface ClientToServerEvents {
  'camera:set': (pose: Pose, ack?: AckCallback) => void;
  'chapter:set': (payload: { index: number }, ack: AckCallback) => void;
  'variant:set': (payload: { id: string }, ack: AckCallback) => void;
  'cta:open': (payload: { kind: CtaKind }, ack: AckCallback) => void;
  'cta:close': (payload: Record<string, never>, ack: AckCallback) => void;
  'hotspot:focus': (payload: { id: string }, ack: AckCallback) => void;
  /** Addition: the presenter closes the focused hotspot's card on every screen. */
  'hotspot:blur': (payload: Record<string, never>, ack: AckCallback) => void;
  /** Addition: a viewer opened a hotspot's card (counted once per viewer and hotspot for the report). */
  'hotspot:open': (payload: { id: string }, ack: AckCallback) => void;
  'event:start': (payload: Record<string, never>, ack: AckCallback) => void;
  'event:end': (payload: Record<string, never>, ack: AckCallback) => void;
  'question:ask': (payload: QuestionAsk, ack: AckCallback<Question>) => void;
  'question:vote': (payload: { id: string }, ack: AckCallback<{ votes: number }>) => void;
  'question:unvote': (payload: { id: string }, ack: AckCallback<{ votes: number }>) => void;
  'question:moderate': (payload: { id: string; action: ModerationAction }, ack: AckCallback<Question>) => void;
  'qa:mode': (payload: { mode: ModerationMode }, ack: AckCallback) => void;
  'viewer:block': (payload: { questionId: string }, ack: AckCallback) => void;
  'reaction:send': (payload: { emoji: string }, ack: AckCallback) => void;
  'lead:submit': (payload: LeadSubmitInput, ack: AckCallback<LeadReceipt | { id: string; erased: true }>) => void;
}

export interface ServerToClientEvents {
  state: (state: StatePayload) => void;
  'camera:pose': (pose: Pose) => void;
  'presentation:changed': (p: PresentationChanged) => void;
  'question:added': (q: Question) => void;
  'question:updated': (q: Question) => void;
  reactions: (r: ReactionCounts) => void;
  presence: (p: { viewers: number }) => void;
  'event:status': (s: EventStatusChanged) => void;
  'qa:mode': (m: { mode: ModerationMode }) => void;
  'vehicle:changed': (v: VehicleChanged) => void;
  /** The presenter focused a hotspot: cameras fly to it (a `camera:pose` with `fly`) and its card opens. */
  'hotspot:focused': (h: { id: string }) => void;
  /** Addition: the event's branding changed (studio). */
  'brand:changed': (b: EventBrand) => void;
  /**
   * Addition: the audience's batched Q&A changes (presenters and authors get per-question
   * events): whole questions that are new or changed status, and bare counts for the others.
   */
  'questions:changed': (b: { questions: Question[]; votes: Record<string, number> }) => void;
}

export type ClientEventName = keyof ClientToServerEvents;

/** Namespace `/dealers`: the live lead inbox (addition). */
export const DEALER_NAMESPACE = '/dealers';

export const DealerHandshake = z.object({ eventId: z.string().min(1).max(64), key: z.string().min(1).max(200) });
export type DealerHandshake = z.infer<typeof DealerHandshake>;

export interface DealerServerToClientEvents {
  'lead:added': (lead: Lead) => void;
  'lead:updated': (lead: Lead) => void;
  'lead:erased': (e: { id: string }) => void;
  /** The event's branding changed (addition): an open inbox re-themes without a reload. */
  'brand:changed': (b: EventBrand) => void;
  /** The launch started or ended (addition): an open inbox's badge follows without a reload. */
  'event:status': (s: EventStatusChanged) => void;
}
