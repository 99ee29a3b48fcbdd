import { z } from 'zod';

/**
 * The launch report (`GET /api/events/:id/report`), computed from stored facts only; every
 * field is defined in docs/protocol.md ("The launch report"). Rates are fractions 0..1, not
 * rounded, and null when their denominator is 0; durations are seconds.
 */

const Count = z.number().int().nonnegative();
const Rate = z.number().min(0).max(1).nullable();
const Seconds = z.number().nonnegative();
const Instant = z.iso.datetime();

/** The engagement score's weights (docs/protocol.md says why these). */
export const SCORE_WEIGHTS = {
  /** Per minute watched (the unit). */
  watchMinute: 1,
  question: 3,
  vote: 1,
  reaction: 0.2,
  /** Per distinct hotspot opened. */
  hotspot: 1,
} as const;

/** Reactions beyond this many add nothing to a score: tapping is cheap. */
export const SCORE_REACTIONS_CAP = 50;

/** How many ambassadors the report names. */
export const AMBASSADORS_MAX = 10;

/** The timeline stops this many minutes after its first minute (a day). */
export const TIMELINE_MAX_MINUTES = 1440;

/** How fast one dealer (or all of them) contacted their leads. */
export const FirstContact = z.object({
  leads: Count,
  contacted: Count,
  /** Median of contactedAt − createdAt over the contacted leads. */
  medianSeconds: Seconds.nullable(),
  /** Of the leads whose first 10 minutes are over or that were contacted: contacted within 10 minutes. */
  within10Minutes: Rate,
  within24Hours: Rate,
  /** Addition: how many leads each share is over (the rest are younger than the window and not contacted yet). */
  judged10Minutes: Count,
  judged24Hours: Count,
});
export type FirstContact = z.infer<typeof FirstContact>;

/** What one viewer did, and the score it makes. */
export const Engagement = z.object({
  score: z.number().nonnegative(),
  watchSeconds: Seconds,
  questions: Count,
  votes: Count,
  reactions: Count,
  hotspotOpens: Count,
});
export type Engagement = z.infer<typeof Engagement>;

export const Ambassador = Engagement.extend({ name: z.string(), leads: Count });
export type Ambassador = z.infer<typeof Ambassador>;

export const TimelineMinute = z.object({
  minute: Instant,
  /** Distinct viewers connected at some instant of the minute. */
  viewers: Count,
  /** Addition: viewers who joined for the first time in the minute. */
  joins: Count,
  reactions: Count,
  questions: Count,
  /** Addition: votes cast in the minute that still stand (a vote taken back is gone). */
  votes: Count,
  leads: Count,
});
export type TimelineMinute = z.infer<typeof TimelineMinute>;

export const EventReport = z.object({
  eventId: z.string(),
  generatedAt: Instant,
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  uniqueViewers: Count,
  peakConcurrent: Count,
  /** When the peak was first reached. */
  peakAt: Instant.nullable(),
  watchTime: z.object({ averageSeconds: Seconds.nullable(), medianSeconds: Seconds.nullable(), totalSeconds: Seconds }),
  questions: Count,
  answered: Count,
  votes: Count,
  reactions: Count,
  hotspotOpens: Count,
  leads: z.object({
    total: Count,
    byType: z.object({ test_drive: Count, quote: Count, brochure: Count, callback: Count }),
    byDealer: z.record(z.string(), Count),
    /** Leads routed to no dealer. */
    unrouted: Count,
    /** Addition: of `total`, those sent from the replay after the event (`source: "replay"`). */
    fromReplay: Count,
  }),
  conversionRate: Rate,
  interactionRate: Rate,
  engagementRate: Rate,
  /** Addition: `unrouted`, the leads no dealer was given (null when there are none). */
  timeToFirstContact: z.object({ overall: FirstContact, byDealer: z.record(z.string(), FirstContact), unrouted: FirstContact.nullable() }),
  ambassadors: z.array(Ambassador),
  /** Per lead id: the engagement score of the viewer who sent it. */
  leadScores: z.record(z.string(), z.number().nonnegative()),
  timeline: z.array(TimelineMinute),
});
export type EventReport = z.infer<typeof EventReport>;
