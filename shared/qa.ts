import { z } from 'zod';

export const QuestionStatus = z.enum(['pending', 'visible', 'answered', 'hidden']);
export type QuestionStatus = z.infer<typeof QuestionStatus>;

export const QUESTION_MAX_CHARS = 500;
export const NAME_MAX_CHARS = 40;

export const Question = z.object({
  id: z.string(),
  text: z.string(),
  name: z.string().optional(),
  votes: z.number().int().nonnegative(),
  status: QuestionStatus,
  pinned: z.boolean(),
  createdAt: z.string(),
  /** Addition: true on the author's own questions (sent to the author only). */
  mine: z.boolean().optional(),
  /** Addition, presenters only: the author's question count and whether the author is blocked. */
  author: z.object({ blocked: z.boolean(), questions: z.number().int() }).optional(),
});
export type Question = z.infer<typeof Question>;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'id must be a UUID');

export const QuestionAsk = z.object({
  id: uuid,
  text: z.string().trim().min(1, 'the question is empty').max(QUESTION_MAX_CHARS, `at most ${QUESTION_MAX_CHARS} characters`),
  name: z.string().trim().max(NAME_MAX_CHARS).optional(),
});
export type QuestionAsk = z.infer<typeof QuestionAsk>;

export const QuestionRef = z.object({ id: z.string().min(1).max(64) });

export const ModerationAction = z.enum(['approve', 'hide', 'answer', 'pin', 'unpin']);
export type ModerationAction = z.infer<typeof ModerationAction>;
export const QuestionModerate = z.object({ id: z.string().min(1).max(64), action: ModerationAction });

/** pre: a question reaches other viewers once approved (the default); open: at once. */
export const ModerationMode = z.enum(['pre', 'open']);
export type ModerationMode = z.infer<typeof ModerationMode>;
export const QaModeSet = z.object({ mode: ModerationMode });

/** Addition: the presenter blocks the author of a question (viewers never see viewerIds). */
export const ViewerBlock = z.object({ questionId: z.string().min(1).max(64) });

export const DEFAULT_REACTIONS = ['❤️', '👏', '🔥', '😮', '⚡'] as const;
/** Longest emoji a reaction may be, in UTF-16 units (a family or a subdivision flag fits). */
export const REACTION_MAX_UNITS = 16;
export const ReactionSend = z.object({ emoji: z.string().min(1).max(REACTION_MAX_UNITS) });

/** An event's own set holds this many at most: they must fit a 320 px phone beside the Q&A button. */
export const MAX_REACTIONS = 6;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** A pictograph (❤️ 👍🏽 👨‍👩‍👧 ⚡), a flag (🇫🇷 🏴󠁧󠁢󠁳󠁣󠁴󠁿) or a keycap (1️⃣). */
const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3)/u;

/** One emoji as a person sees it: one grapheme, and a pictograph, not a letter or a symbol like ©. */
export function isOneEmoji(s: string): boolean {
  if (s.length === 0 || s.length > REACTION_MAX_UNITS) return false;
  let count = 0;
  for (const _ of graphemes.segment(s)) if (++count > 1) return false;
  // © ® ™ and a few arrows are Extended_Pictographic too, but shown as text unless followed by VS16.
  if (/^[\u00A9\u00AE\u2122\u2194-\u21AA]$/u.test(s)) return false;
  return EMOJI.test(s);
}

/** The emojis a studio may offer to an event's viewers (addition: `PATCH /api/events/:id/brand` `reactions`). */
export const ReactionSet = z
  .array(z.string().trim().refine(isOneEmoji, 'reactions: one emoji each (❤️, 🚗, 🇫🇷…)'))
  .min(1, 'reactions: at least one emoji')
  .max(MAX_REACTIONS, `reactions: at most ${MAX_REACTIONS} emojis`)
  .refine((set) => new Set(set).size === set.length, 'reactions: each emoji once');

/** The event's set, or the default one. */
export function reactionsOf(brand: { reactions?: readonly string[] | undefined }): string[] {
  return brand.reactions ? [...brand.reactions] : [...DEFAULT_REACTIONS];
}

/** Per-viewer limits (CONTRACT: answered `rate_limited`). */
export const RATE_LIMITS = {
  'question:ask': { count: 5, perMs: 60_000 },
  'question:vote': { count: 60, perMs: 60_000 },
  'reaction:send': { count: 10, perMs: 1_000 },
} as const;

/**
 * Reaction counts go out at most this often per room: ≤ 4 a second as each phone receives them,
 * not only as the server sends them. At 250 ms, four intervals were barely a second, so a total
 * that reached a phone 10 ms late made five within one second there (the Q&A bench saw it).
 */
export const REACTIONS_INTERVAL_MS = 300;
/**
 * The audience gets Q&A changes (new public questions, status changes, vote counts) in one
 * `questions:changed` message per room per window: the number of messages a room sends then
 * no longer grows with the number of questions and votes, only with the number of viewers.
 * The window is most of the time a vote takes to show on other screens; written in rounds
 * (server/rooms/fanout.ts), a batch to 2,000 viewers costs a few ms a turn, so 75 ms (150 ms
 * before) brought the burst's vote → visible p99 from ~280 to ~180 ms (docs/benchmarks.md).
 * Above 2,000 viewers the server lengthens it in proportion (`batchWindowMs`).
 */
export const QA_BATCH_MS = 75;

/** Visible questions order: most votes first, then oldest first. */
export function byVotesThenTime(a: Question, b: Question): number {
  return b.votes - a.votes || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
