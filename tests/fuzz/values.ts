/**
 * The fuzzer's raw material: values of the wrong type, edge numbers, hostile strings, objects
 * carrying prototype keys, deep nesting, binary. fast-check arbitraries, so a failing packet
 * shrinks to a small one and a seed replays a run exactly.
 */
import fc from 'fast-check';

/** Over MAX_SOCKET_PAYLOAD_BYTES (16 KB) by far: Engine.IO must close the connection. */
export const HUGE_CHARS = 1_000_000;
/** Nesting the brief asks for; `[`×10,000 + `]`×10,000 is 20 KB, over the packet limit too. */
export const HUGE_DEPTH = 10_000;
/** Deep but still under the packet limit, so it reaches the handler: 7,000 levels is 14 KB. */
export const DEEP_DEPTH = { min: 1_000, max: 7_000 };

/** Numbers no field takes: out of every range, not integers, not finite (NaN and ±Infinity travel as null). */
export const edgeNumber = fc.constantFrom(-0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, 1e-300, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 53));

/** Strings that trip careless code: controls, lone surrogates, bidi overrides, combining marks, zero-width, SQL and HTML. */
export const hostileString = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udfff\ud800', '\u202e' + 'evil', 'a\u0301\u0301\u0301', '\u200b', '\ufeff', "'; DROP TABLE questions; --", '<script>alert(1)</script>', '${process.exit()}', '%s%s%n', '../../etc/passwd', '\r\n\r\n'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
);

/** Any JSON-ish value of a given JavaScript type other than `not`'s. */
export function otherType(not: unknown): fc.Arbitrary<unknown> {
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  return fc
    .oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }))
    .filter((v) => kind(v) !== kind(not));
}

/**
 * An object whose own keys are `__proto__`, `constructor` or `prototype`, as JSON.parse makes
 * them: a server that merged it into another object would pollute every object's prototype.
 */
export const pollutingObject = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('polluted', 'isAdmin', 'role', 'toString'))
  .map(([key, field]) => JSON.parse(key === 'constructor' ? `{"constructor":{"prototype":{"${field}":true}}}` : `{"${key}":{"${field}":true}}`) as Record<string, unknown>);

/** Did anything above reach Object.prototype (checked in the server's process after a run)? */
export const prototypeIsClean = (): boolean => ['polluted', 'isAdmin', 'role'].every((k) => !(k in Object.prototype)) && ({}).toString === Object.prototype.toString;

/** `depth` levels of arrays or objects around a leaf, built without recursion (a 10,000-deep tree must not need 10,000 frames to make). */
export function nested(depth: number, shape: 'array' | 'object', leaf: unknown = 0): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = shape === 'array' ? [v] : { a: v };
  return v;
}

/** The same as JSON text, for raw frames (JSON.stringify recurses, and socket.io-client's hasBinary too). */
export const nestedJson = (depth: number, shape: 'array' | 'object'): string => (shape === 'array' ? '['.repeat(depth) + '0' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '0' + '}'.repeat(depth));

/** Binary the client sends as Socket.IO attachments (placeholders in the JSON, then binary frames). */
export const binary = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(0)),
  fc.integer({ min: 1, max: 8000 }).map((n) => Buffer.alloc(n, 0xff)),
);

/** A string over `max` characters (just over, or far over but still within the packet limit). */
export const tooLong = (max: number): fc.Arbitrary<string> => fc.oneof(fc.constant('x'.repeat(max + 1)), fc.integer({ min: max + 1, max: 12_000 }).map((n) => 'é'.repeat(n)));

/**
 * A value as the server decodes it from what socket.io-client sends: JSON's rules (undefined
 * dropped, NaN and ±Infinity null, -0 is 0), binary kept. Binary becomes a marker string here:
 * the acceptance check then errs on the side of dropping a packet, never of keeping an accepted one.
 */
export function decoded(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array || v instanceof ArrayBuffer) return '<binary>';
  if (Array.isArray(v)) return v.map((x) => (x === undefined || typeof x === 'function' ? null : decoded(x)));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || typeof x === 'function') continue;
      Object.defineProperty(out, k, { value: decoded(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
  return v;
}
