/**
 * Every kind of malformed packet the fuzzer makes, as one fast-check arbitrary: each packet is
 * one kind, drawn uniformly, so a run of a few thousand exercises every kind many times.
 */
import fc from 'fast-check';
import type { RoomFacts } from './commands.js';
import { EMIT_KINDS, emitPackets } from './kinds-emit.js';
import { WIRE_KINDS, wirePackets } from './kinds-wire.js';
import type { FuzzPacket } from './packet.js';

export const KIND_NAMES: readonly string[] = [...EMIT_KINDS.map((k) => k.name), ...WIRE_KINDS.map((k) => k.name)];

/** Any fuzz packet against a room with these facts; `only`: the kinds whose name it matches (all by default). */
export function fuzzPacket(room: RoomFacts, only?: RegExp): fc.Arbitrary<FuzzPacket> {
  const emit = EMIT_KINDS.filter((k) => !only || only.test(k.name)).map((k) => emitPackets(k, room) as fc.Arbitrary<FuzzPacket>);
  const wire = WIRE_KINDS.filter((k) => !only || only.test(k.name)).map(wirePackets);
  if (emit.length + wire.length === 0) throw new Error(`no fuzz kind matches ${only}`);
  return fc.oneof(...emit, ...wire);
}

/** The room facts a fuzzer needs, from the vehicle in a `state`. */
export function roomFacts(vehicle: { chapters: unknown[]; variants: { id: string }[]; hotspots: { id: string }[] }): RoomFacts {
  return { chapters: vehicle.chapters.length, variants: vehicle.variants.map((v) => v.id), hotspots: vehicle.hotspots.map((h) => h.id) };
}

/** `n` packets from `seed`, made a chunk at a time (huge strings are 1 MB each: never hold thousands at once). */
export function* packetStream(room: RoomFacts, seed: number, n: number, only?: RegExp, chunk = 100): Generator<FuzzPacket> {
  const arb = fuzzPacket(room, only);
  for (let from = 0, part = 0; from < n; from += chunk, part++) yield* fc.sample(arb, { seed: seed + part, numRuns: Math.min(chunk, n - from) });
}
