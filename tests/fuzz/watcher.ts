/**
 * A bystander during the fuzz: a joined socket that checks every message the server pushes to it
 * against the protocol's schemas, and that none carries what a fuzz packet could have smuggled in
 * (prototype keys, attachment placeholders, huge strings). A malformed packet that reached other
 * screens shows up here.
 */
import { z } from 'zod';
import { EventBrand } from '../../shared/brand.js';
import { EventStatusChanged, ReactionCounts, StatePayload, VehicleChanged, type ServerToClientEvents } from '../../shared/events.js';
import { ModerationMode, Question } from '../../shared/qa.js';
import { Pose, PresentationChanged } from '../../shared/presentation.js';

/** One schema per server → client event: a new event without one fails the typecheck. */
export const PUSHES: Record<keyof ServerToClientEvents, z.ZodType> = {
  state: StatePayload,
  'camera:pose': Pose,
  'presentation:changed': PresentationChanged,
  'question:added': Question,
  'question:updated': Question,
  reactions: ReactionCounts,
  presence: z.object({ viewers: z.number().int().nonnegative() }),
  'event:status': EventStatusChanged,
  'qa:mode': z.object({ mode: ModerationMode }),
  'vehicle:changed': VehicleChanged,
  'hotspot:focused': z.object({ id: z.string() }),
  'brand:changed': EventBrand,
  'questions:changed': z.object({ questions: z.array(Question), votes: z.record(z.string(), z.number().int().nonnegative()) }),
};

const SMUGGLED_KEYS = new Set(['__proto__', 'constructor', 'prototype', '_placeholder']);
/** No string the server sends to a screen is this long (a question is 500 characters, a lead never goes to viewers). */
const MAX_STRING = 2_000;

/** Why a pushed message is garbage, or null if it is a valid one. */
export function garbageIn(event: string, args: unknown[]): string | null {
  const schema = (PUSHES as Record<string, z.ZodType | undefined>)[event];
  if (!schema || !Object.hasOwn(PUSHES, event)) return `unknown event ${JSON.stringify(event).slice(0, 80)}`;
  if (args.length !== 1) return `${event}: ${args.length} arguments`;
  const parsed = schema.safeParse(args[0]);
  if (!parsed.success) return `${event}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ').slice(0, 300)}`;
  const stack: unknown[] = [args[0]];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string' && v.length > MAX_STRING) return `${event}: a ${v.length}-character string`;
    if (Buffer.isBuffer(v)) return `${event}: binary`;
    if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        if (SMUGGLED_KEYS.has(k)) return `${event}: key ${k}`;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return null;
}

/** What a watching socket saw: messages per event, and the first garbage (null: none). */
export interface Watch {
  counts: Record<string, number>;
  garbage: string[];
}

/** Watches a socket.io-client socket (anything with `onAny`). */
export function watch(socket: { onAny(listener: (event: string, ...args: unknown[]) => void): unknown }): Watch {
  const w: Watch = { counts: {}, garbage: [] };
  socket.onAny((event, ...args) => {
    w.counts[event] = (w.counts[event] ?? 0) + 1;
    const why = garbageIn(event, args);
    if (why && w.garbage.length < 20) w.garbage.push(why);
  });
  return w;
}
