/**
 * Malformed commands sent through socket.io-client on joined sockets (viewer, host, replay page,
 * dealer page): one fast-check arbitrary per kind. Each starts from a command's near miss
 * (commands.ts) and breaks it one way; whatever the server would still accept is filtered out,
 * so every packet must be refused.
 */
import fc from 'fast-check';
import type { ClientEventName } from '../../shared/events.js';
import { COMMAND_NAMES, COMMANDS, namesFor, wouldAccept, type RoomFacts, type Sender } from './commands.js';
import type { EmitPacket, Expect } from './packet.js';
import { binary, decoded, edgeNumber, HUGE_CHARS, hostileString, nested, otherType, pollutingObject } from './values.js';

type Draft = Pick<EmitPacket, 'sender' | 'event' | 'args'>;
type Payload = Record<string, unknown>;

export interface EmitKind {
  name: string;
  expect: Expect;
  /** False: no ack callback is sent (nothing can be answered). */
  ack?: false;
  drafts: (room: RoomFacts) => fc.Arbitrary<Draft>;
}

/** Socket.IO's reserved names: socket.io-client refuses to emit them (raw frames try them). */
const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];
/** Names every plain object answers to through its prototype. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'];

const PAYLOAD_REFUSED: Expect = { outcome: 'error', codes: ['invalid_payload', 'not_found'] };
const INVALID: Expect = { outcome: 'error', codes: ['invalid_payload'] };
const FORBIDDEN: Expect = { outcome: 'error', codes: ['forbidden'] };
const CLOSE: Expect = { outcome: 'close' };
const SILENT: Expect = { outcome: 'silent' };

/** Commands whose payload is `{}`: dropping a field of their near miss makes them valid. */
const EMPTY_PAYLOAD = COMMAND_NAMES.filter((n) => COMMANDS[n].schema.safeParse({}).success);
const WITH_FIELDS = COMMAND_NAMES.filter((n) => !EMPTY_PAYLOAD.includes(n));
const WITH_STRINGS = COMMAND_NAMES.filter((n) => Object.values(COMMANDS[n].nearMiss).some((v) => typeof v === 'string'));
const ENUM_FIELDS: Partial<Record<ClientEventName, string>> = { 'cta:open': 'kind', 'question:moderate': 'action', 'qa:mode': 'mode', 'lead:submit': 'type', 'reaction:send': 'emoji' };

const own = (name: ClientEventName, payload: unknown): Draft => ({ sender: COMMANDS[name].role, event: name, args: [payload] });

/** A command sent by its own role with a payload made from its near miss. */
const payloadOf = (names: ClientEventName[], make: (nearMiss: Payload) => fc.Arbitrary<unknown>): fc.Arbitrary<Draft> =>
  fc.constantFrom(...names).chain((name) => make(COMMANDS[name].nearMiss).map((p) => own(name, p)));

/** The near miss with one of its fields (`which` picks among them) replaced by `value(current value)`. */
const fieldOf = (names: ClientEventName[], value: (current: unknown) => fc.Arbitrary<unknown>, which: (v: unknown) => boolean = () => true): fc.Arbitrary<Draft> =>
  payloadOf(names, (base) => fc.constantFrom(...Object.keys(base).filter((k) => which(base[k]))).chain((key) => value(base[key]).map((v) => ({ ...base, [key]: v }))));

const isString = (v: unknown): boolean => typeof v === 'string';
const json = fc.jsonValue({ maxDepth: 2 });

export const EMIT_KINDS: EmitKind[] = [
  // The payload itself is not an object, or not one argument.
  { name: 'payload-string', expect: PAYLOAD_REFUSED, drafts: () => payloadOf(COMMAND_NAMES, () => fc.string({ maxLength: 200 })) },
  { name: 'payload-number', expect: PAYLOAD_REFUSED, drafts: () => payloadOf(COMMAND_NAMES, () => fc.oneof(fc.integer(), fc.double(), edgeNumber)) },
  { name: 'payload-null', expect: PAYLOAD_REFUSED, drafts: () => payloadOf(COMMAND_NAMES, () => fc.constant(null)) },
  { name: 'payload-boolean', expect: PAYLOAD_REFUSED, drafts: () => payloadOf(COMMAND_NAMES, () => fc.boolean()) },
  { name: 'payload-array', expect: PAYLOAD_REFUSED, drafts: () => payloadOf(COMMAND_NAMES, () => fc.array(json, { maxLength: 5 })) },
  { name: 'payload-none', expect: INVALID, drafts: () => fc.constantFrom(...COMMAND_NAMES).map((name) => ({ ...own(name, null), args: [] })) },
  {
    name: 'payload-extra-args',
    expect: INVALID,
    drafts: (room) => fc.constantFrom(...COMMAND_NAMES).chain((name) => fc.array(json, { minLength: 1, maxLength: 3 }).map((extra) => ({ ...own(name, null), args: [COMMANDS[name].valid(room), ...extra] }))),
  },
  // One field broken.
  {
    name: 'field-missing',
    expect: PAYLOAD_REFUSED,
    drafts: () => payloadOf(WITH_FIELDS, (base) => fc.subarray(Object.keys(base), { minLength: 1 }).map((drop) => Object.fromEntries(Object.entries(base).filter(([k]) => !drop.includes(k))))),
  },
  { name: 'field-wrong-type', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(COMMAND_NAMES, otherType) },
  { name: 'field-null', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(COMMAND_NAMES, () => fc.constant(null)) },
  {
    name: 'field-extra',
    expect: PAYLOAD_REFUSED,
    drafts: () => payloadOf(COMMAND_NAMES, (base) => fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), json, { minKeys: 1, maxKeys: 4 }).map((extra) => ({ ...extra, ...base }))),
  },
  { name: 'string-too-long', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(WITH_STRINGS, () => fc.integer({ min: 1001, max: 6000 }).map((n) => 'é'.repeat(n)), isString) },
  { name: 'string-empty', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(WITH_STRINGS, () => fc.constantFrom('', ' ', '\t\n'), isString) },
  { name: 'string-hostile', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(WITH_STRINGS, () => hostileString, isString) },
  { name: 'number-edge', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(COMMAND_NAMES, () => edgeNumber) },
  {
    name: 'prototype-keys',
    expect: PAYLOAD_REFUSED,
    drafts: () => fc.oneof(payloadOf(COMMAND_NAMES, (base) => pollutingObject.map((p) => Object.assign(p, base))), fieldOf(COMMAND_NAMES, () => pollutingObject)),
  },
  {
    name: 'deep-nesting',
    expect: PAYLOAD_REFUSED,
    drafts: () => fieldOf(COMMAND_NAMES, () => fc.tuple(fc.integer({ min: 50, max: 500 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, s]) => nested(d, s))),
  },
  { name: 'binary-field', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(COMMAND_NAMES, () => binary) },
  { name: 'binary-payload', expect: PAYLOAD_REFUSED, drafts: () => payloadOf(COMMAND_NAMES, () => fc.oneof(binary, fc.array(binary, { minLength: 1, maxLength: 3 }))) },
  // A placeholder in a packet that has no attachments: plain data, never looked up.
  { name: 'placeholder-forged', expect: PAYLOAD_REFUSED, drafts: () => fieldOf(COMMAND_NAMES, () => fc.record({ _placeholder: fc.constant(true), num: fc.integer({ min: -1, max: 5 }) })) },
  {
    name: 'bad-enum',
    expect: INVALID,
    drafts: (room) =>
      fc.constantFrom(...(Object.keys(ENUM_FIELDS) as ClientEventName[])).chain((name) =>
        fc.constantFrom('BROCHURE', 'Brochure', 'brochure ', 'test-drive', 'delete', 'OPEN', 'closed', '', 'pre\u0000', '🦄', '❤', 'hide;').map((v) => own(name, { ...COMMANDS[name].valid(room), [ENUM_FIELDS[name]!]: v })),
      ),
  },
  {
    name: 'bogus-reference',
    expect: { outcome: 'error', codes: ['not_found'] },
    drafts: (room) =>
      fc.oneof(
        fc.integer({ min: room.chapters, max: 99 }).map((index) => own('chapter:set', { index })),
        fc.tuple(fc.constantFrom<ClientEventName>('variant:set', 'hotspot:focus', 'hotspot:open'), fc.stringMatching(/^fz-[a-z0-9-]{1,20}$/)).map(([name, id]) => own(name, { id })),
        fc.tuple(fc.constantFrom<ClientEventName>('question:vote', 'question:unvote'), fc.uuid()).map(([name, id]) => own(name, { id })),
        fc.tuple(fc.uuid(), fc.constantFrom('approve', 'hide', 'answer', 'pin', 'unpin')).map(([id, action]) => own('question:moderate', { id, action })),
        fc.uuid().map((questionId) => own('viewer:block', { questionId })),
      ),
  },
  // Beyond the 16 KB packet limit: Engine.IO closes the connection before anything is parsed.
  { name: 'huge-string', expect: CLOSE, drafts: () => fieldOf(COMMAND_NAMES, () => fc.integer({ min: HUGE_CHARS, max: HUGE_CHARS + 50_000 }).map((n) => 'x'.repeat(n))) },
  {
    name: 'oversize-frame',
    expect: CLOSE,
    drafts: () => payloadOf(COMMAND_NAMES, () => fc.integer({ min: 17_000, max: 80_000 }).chain((n) => fc.constantFrom({ pad: 'y'.repeat(n) }, Array.from({ length: n / 2 }, (_, i) => i % 10)))),
  },
  // Nothing asked, so nothing answered; the socket must still work afterwards.
  { name: 'no-ack', expect: SILENT, ack: false, drafts: () => fieldOf(COMMAND_NAMES, otherType) },
  {
    name: 'ack-not-function',
    expect: SILENT,
    ack: false,
    drafts: (room) => fc.tuple(fc.constantFrom(...COMMAND_NAMES), fc.constantFrom<unknown>(42, 'ack', null, true, {}, [])).map(([name, notAck]) => ({ ...own(name, null), args: [COMMANDS[name].valid(room), notAck] })),
  },
  // Events the server has no handler for.
  { name: 'unknown-event', expect: INVALID, drafts: () => unknownEvent() },
  { name: 'unknown-event-no-ack', expect: SILENT, ack: false, drafts: () => unknownEvent() },
  { name: 'prototype-event-name', expect: INVALID, drafts: () => fc.tuple(fc.constantFrom<Sender>('viewer', 'host'), fc.constantFrom(...PROTOTYPE_NAMES), json).map(([sender, event, p]) => ({ sender, event, args: [p] })) },
  // The right payload from the wrong socket.
  { name: 'wrong-role-viewer', expect: FORBIDDEN, drafts: (room) => fc.constantFrom(...namesFor('host')).map((name) => ({ sender: 'viewer' as Sender, event: name, args: [COMMANDS[name].valid(room)] })) },
  { name: 'wrong-role-host', expect: FORBIDDEN, drafts: (room) => fc.constantFrom(...namesFor('viewer')).map((name) => ({ sender: 'host' as Sender, event: name, args: [COMMANDS[name].valid(room)] })) },
  {
    name: 'replay-command',
    expect: FORBIDDEN,
    drafts: (room) => fc.constantFrom(...COMMAND_NAMES.filter((n) => !COMMANDS[n].replay)).map((name) => ({ sender: 'replay' as Sender, event: name, args: [COMMANDS[name].valid(room)] })),
  },
  { name: 'replay-lead-invalid', expect: INVALID, drafts: () => fieldOf(['lead:submit'], otherType).map((d) => ({ ...d, sender: 'replay' as Sender })) },
  {
    name: 'dealer-emit',
    expect: FORBIDDEN,
    drafts: (room) => fc.oneof(fc.constantFrom(...COMMAND_NAMES).map((name) => ({ sender: 'dealer' as Sender, event: name, args: [COMMANDS[name].valid(room)] })), unknownEvent().map((d) => ({ ...d, sender: 'dealer' as Sender }))),
  },
];

function unknownEvent(): fc.Arbitrary<Draft> {
  const name = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.stringMatching(/^[a-z]{1,10}:[a-z]{1,10}$/), hostileString);
  return fc
    .tuple(fc.constantFrom<Sender>('viewer', 'host'), name.filter((n) => !Object.hasOwn(COMMANDS, n) && !RESERVED.includes(n)), json)
    .map(([sender, event, p]) => ({ sender, event, args: [p] }));
}

/** A kind's packets: its drafts minus any the server would accept. */
export function emitPackets(kind: EmitKind, room: RoomFacts): fc.Arbitrary<EmitPacket> {
  return kind
    .drafts(room)
    .filter((d) => !wouldAccept(d.sender, d.event, decoded(d.args) as unknown[], room))
    .map((d) => ({ kind: kind.name, via: 'emit', expect: kind.expect, ack: kind.ack ?? true, ...d }));
}


