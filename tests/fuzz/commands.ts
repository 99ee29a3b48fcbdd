/**
 * Every client → server command as the fuzzer sees it: who may send it, the schema the server
 * validates it with, a payload the server would accept, and a near miss it must refuse. Keyed by
 * `ClientToServerEvents`, so a new event that has no entry here fails the typecheck: the fuzz
 * can never silently skip one.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ClientEventName, Role } from '../../shared/events.js';
import { CONSENT_TEXT_VERSION, LeadSubmit } from '../../shared/lead.js';
import { ChapterSet, CtaOpen, Empty, HotspotFocus, HotspotOpen, Pose, VariantSet } from '../../shared/presentation.js';
import { DEFAULT_REACTIONS, QaModeSet, QuestionAsk, QuestionModerate, QuestionRef, ReactionSend, ViewerBlock } from '../../shared/qa.js';

/** What the fuzzer knows of the room it attacks (from the host's `state`): ids that exist. */
export interface RoomFacts {
  chapters: number;
  variants: string[];
  hotspots: string[];
}

export interface CommandSpec {
  role: Role;
  /** A replay page's socket may send it (leads only). */
  replay?: boolean;
  schema: z.ZodType;
  /** A payload the server accepts from the right role (it would change the room). */
  valid: (room: RoomFacts) => Record<string, unknown>;
  /**
   * A payload the server refuses although every field has the right type: a reference to nothing
   * (`not_found`), or one field just out of bounds. Mutations start from it, so that changing one
   * other field still leaves a refused payload.
   */
  nearMiss: Record<string, unknown>;
  /** The references a valid shape must still resolve (a chapter, a variant…); none: the shape decides. */
  resolves?: (payload: Record<string, unknown>, room: RoomFacts) => boolean;
}

const pose = { position: [4, 1.6, 5], target: [0, 0.6, 0], fov: 40, t: 1 };
const lead = {
  id: '6f1c2b1e-8a4d-4c1b-9c55-0d2e3f4a5b6c',
  type: 'test_drive',
  firstName: 'Camille',
  lastName: 'Durand',
  email: 'camille.durand@example.fr',
  postcode: '69003',
  consent: { contact: true, textVersion: CONSENT_TEXT_VERSION },
};
/** Ids no room has: the fuzzer's references to nothing. */
export const NOWHERE = 'fuzz-nowhere';
const NO_QUESTION = { id: 'fuzz-no-such-question' };

export const COMMANDS: Record<ClientEventName, CommandSpec> = {
  'camera:set': { role: 'host', schema: Pose, valid: () => pose, nearMiss: { ...pose, t: -1 } },
  'chapter:set': {
    role: 'host',
    schema: ChapterSet,
    valid: () => ({ index: 0 }),
    nearMiss: { index: 99 },
    resolves: (p, room) => (p.index as number) < room.chapters,
  },
  'variant:set': { role: 'host', schema: VariantSet, valid: (r) => ({ id: r.variants[0] }), nearMiss: { id: NOWHERE }, resolves: (p, r) => r.variants.includes(p.id as string) },
  'cta:open': { role: 'host', schema: CtaOpen, valid: () => ({ kind: 'brochure' }), nearMiss: { kind: 'brochure ' } },
  'cta:close': { role: 'host', schema: Empty, valid: () => ({}), nearMiss: { closed: true } },
  'hotspot:focus': { role: 'host', schema: HotspotFocus, valid: (r) => ({ id: r.hotspots[0] }), nearMiss: { id: NOWHERE }, resolves: (p, r) => r.hotspots.includes(p.id as string) },
  'hotspot:blur': { role: 'host', schema: Empty, valid: () => ({}), nearMiss: { id: NOWHERE } },
  'hotspot:open': { role: 'viewer', schema: HotspotOpen, valid: (r) => ({ id: r.hotspots[0] }), nearMiss: { id: NOWHERE }, resolves: (p, r) => r.hotspots.includes(p.id as string) },
  'event:start': { role: 'host', schema: Empty, valid: () => ({}), nearMiss: { now: true } },
  'event:end': { role: 'host', schema: Empty, valid: () => ({}), nearMiss: { now: true } },
  'question:ask': { role: 'viewer', schema: QuestionAsk, valid: () => ({ id: randomUUID(), text: 'Quelle autonomie en hiver ?' }), nearMiss: { id: 'not-a-uuid', text: 'Quelle autonomie en hiver ?' } },
  // Votes, moderation and blocks name a question: never one that exists (the fuzz asks none).
  'question:vote': { role: 'viewer', schema: QuestionRef, valid: () => NO_QUESTION, nearMiss: NO_QUESTION, resolves: () => false },
  'question:unvote': { role: 'viewer', schema: QuestionRef, valid: () => NO_QUESTION, nearMiss: NO_QUESTION, resolves: () => false },
  'question:moderate': { role: 'host', schema: QuestionModerate, valid: () => ({ ...NO_QUESTION, action: 'pin' }), nearMiss: { ...NO_QUESTION, action: 'pin' }, resolves: () => false },
  'qa:mode': { role: 'host', schema: QaModeSet, valid: () => ({ mode: 'open' }), nearMiss: { mode: 'closed' } },
  'viewer:block': { role: 'host', schema: ViewerBlock, valid: () => ({ questionId: NO_QUESTION.id }), nearMiss: { questionId: NO_QUESTION.id }, resolves: () => false },
  // A reaction the room does not offer is refused after the schema (`invalid_payload`).
  'reaction:send': { role: 'viewer', schema: ReactionSend, valid: () => ({ emoji: DEFAULT_REACTIONS[0] }), nearMiss: { emoji: '🦄' }, resolves: (p) => (DEFAULT_REACTIONS as readonly unknown[]).includes(p.emoji) },
  'lead:submit': { role: 'viewer', replay: true, schema: LeadSubmit, valid: () => ({ ...lead, id: randomUUID() }), nearMiss: { ...lead, consent: { contact: false, textVersion: CONSENT_TEXT_VERSION } } },
};

export const COMMAND_NAMES = Object.keys(COMMANDS) as ClientEventName[];
export const namesFor = (role: Role): ClientEventName[] => COMMAND_NAMES.filter((n) => COMMANDS[n].role === role);

/** Who sends a packet: a role's socket, a replay page's socket, or a dealer page's (`/dealers`). */
export type Sender = Role | 'replay' | 'dealer';

/**
 * Whether the server would carry a command out (and so change the room): the fuzzer only keeps
 * packets it must refuse. `args` are the arguments as the server decodes them (ack excluded).
 */
export function wouldAccept(sender: Sender, name: string, args: unknown[], room: RoomFacts): boolean {
  const spec = (COMMANDS as Record<string, CommandSpec | undefined>)[name];
  if (!spec || !Object.hasOwn(COMMANDS, name) || sender === 'dealer') return false;
  if (sender === 'replay' ? !spec.replay : spec.role !== sender) return false;
  if (args.length !== 1) return false;
  const parsed = spec.schema.safeParse(args[0]);
  if (!parsed.success) return false;
  return spec.resolves ? spec.resolves(parsed.data as Record<string, unknown>, room) : true;
}
