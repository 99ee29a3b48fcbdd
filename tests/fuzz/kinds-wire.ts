/**
 * Malformed traffic below the commands: raw Engine.IO / Socket.IO frames over a bare WebSocket
 * (bad packet types, bad JSON, wrong namespaces, forged binary attachments, oversize frames),
 * handshakes with bad auth (viewer, host, replay, dealer namespace), and bad long-polling
 * requests. One fast-check arbitrary per kind, like kinds-emit.ts.
 */
import fc from 'fast-check';
import { CODE_ALPHABET, CODE_LENGTH } from '../../shared/code.js';
import { INVALID_NAMESPACE, RAW_ACK_ID, type Expect, type FuzzPacket } from './packet.js';
import { HUGE_DEPTH, DEEP_DEPTH, hostileString, nestedJson, otherType } from './values.js';

type Draft = Omit<Extract<FuzzPacket, { via: 'raw' }>, 'kind' | 'expect'> | Omit<Extract<FuzzPacket, { via: 'handshake' }>, 'kind' | 'expect'> | Omit<Extract<FuzzPacket, { via: 'http' }>, 'kind' | 'expect'>;

export interface WireKind {
  name: string;
  expect: Expect;
  drafts: fc.Arbitrary<Draft>;
}

const CLOSE: Expect = { outcome: 'close' };
const INVALID: Expect = { outcome: 'error', codes: ['invalid_payload'] };
const EVENT = `42${RAW_ACK_ID}`; // an event asking for ack RAW_ACK_ID

const raw = (join: 'viewer' | 'host' | null, ...frames: (string | Buffer)[]): Draft => ({ via: 'raw', join, frames });
const asViewer = (frames: fc.Arbitrary<string | Buffer>): fc.Arbitrary<Draft> => frames.map((f) => raw('viewer', f));
const handshake = (nsp: string, auth: unknown): Draft => ({ via: 'handshake', nsp, auth });
/** An attachment placeholder; `num` is JSON text (`1e999` parses to Infinity). */
const placeholder = (num: string): string => `{"_placeholder":true,"num":${num}}`;
const someBinary = fc.uint8Array({ minLength: 1, maxLength: 256 }).map((a) => Buffer.from(a));

export const WIRE_KINDS: WireKind[] = [
  // Engine.IO: types it does not have (an empty frame too), and a ping, which only the server may send.
  { name: 'raw-engine-bad-type', expect: CLOSE, drafts: fc.tuple(fc.constantFrom('', '7', '8', '9', 'x', '{', ' ', '2'), fc.string({ maxLength: 40 })).map(([t, rest]) => raw('viewer', t === '' ? '' : t + rest)) },
  // Engine.IO packets a client may send but that mean nothing here (open, close, pong, upgrade, noop): ignored.
  { name: 'raw-engine-stray', expect: { outcome: 'silent' }, drafts: fc.tuple(fc.constantFrom('0', '1', '3', '5', '6'), fc.string({ maxLength: 40 })).map(([t, rest]) => raw('viewer', t + rest)) },
  // Socket.IO: a packet type it does not have inside an Engine.IO message (or no packet at all). Not ' ': Number(' ') is 0, so `4 /x,` is a CONNECT to /x.
  { name: 'raw-socketio-bad-type', expect: CLOSE, drafts: fc.tuple(fc.constantFrom('7', '8', '9', 'a', '-', '\u0000'), fc.string({ maxLength: 40 })).map(([t, rest]) => raw('viewer', `4${t}${rest}`)) },
  {
    name: 'raw-bad-json',
    expect: CLOSE,
    drafts: asViewer(fc.constantFrom('["x",{bad', '["x",NaN]', '["x",Infinity]', '["x",-Infinity]', '[', '["question:vote",{"id":"a"}]junk', '{"a":1}', '"str"', '[]', '[null]', '[{}]', '[true]', "['x']", '["x",undefined]').map((j) => `42${j}`)),
  },
  {
    name: 'raw-infinity',
    expect: { outcome: 'error', codes: ['invalid_payload'] },
    drafts: fc.constantFrom<Draft>(
      raw('viewer', `${EVENT}["question:vote",{"id":1e999}]`),
      raw('viewer', `${EVENT}["reaction:send",{"emoji":-1e999}]`),
      raw('host', `${EVENT}["chapter:set",{"index":1e999}]`),
      raw('host', `${EVENT}["camera:set",{"position":[1e999,0,0],"target":[0,0,0],"t":1}]`),
      raw('host', `${EVENT}["camera:set",{"position":[0,0,0],"target":[0,0,0],"t":-0,"fov":-1e999}]`),
    ),
  },
  { name: 'raw-deep-nesting-huge', expect: CLOSE, drafts: fc.constantFrom('array' as const, 'object' as const).map((s) => raw('viewer', `${EVENT}["question:vote",${nestedJson(HUGE_DEPTH, s)}]`)) },
  {
    name: 'raw-deep-nesting',
    expect: INVALID,
    drafts: fc.oneof(
      fc.integer(DEEP_DEPTH).map((d) => raw('viewer', `${EVENT}["question:vote",{"id":${nestedJson(d, 'array')}}]`)),
      fc.integer({ min: 500, max: 2500 }).map((d) => raw('host', `${EVENT}["chapter:set",${nestedJson(d, 'object')}]`)),
    ),
  },
  { name: 'raw-wrong-namespace', expect: CLOSE, drafts: asViewer(fc.constantFrom('42/nope,["x",{}]', `42/dealers,${RAW_ACK_ID}["x"]`, '42/nope/,["x"]', '43/nope,1[]')) },
  { name: 'raw-connect-unknown-namespace', expect: { outcome: 'refused', codes: [INVALID_NAMESPACE] }, drafts: fc.stringMatching(/^\/[a-z]{1,12}$/).filter((n) => n !== '/dealers').map((nsp) => raw(null, `40${nsp},{}`)) },
  { name: 'raw-connect-bad-auth', expect: CLOSE, drafts: fc.constantFrom('40"viewer"', '40[]', '40null', '40true', '40{', '40{"code":').map((f) => raw(null, f)) },
  { name: 'raw-event-before-connect', expect: CLOSE, drafts: fc.constantFrom(`${EVENT}["question:vote",{"id":"a"}]`, '42["camera:set",{}]', '43[]').map((f) => raw(null, f)) },
  { name: 'raw-reserved-event', expect: CLOSE, drafts: asViewer(fc.constantFrom('disconnect', 'connect', 'connect_error', 'disconnecting', 'newListener', 'removeListener').map((e) => `${EVENT}["${e}",{}]`)) },
  { name: 'raw-unexpected-binary', expect: CLOSE, drafts: asViewer(fc.oneof(someBinary, someBinary.map((b) => `b${b.toString('base64')}`))) },
  { name: 'raw-binary-header-then-text', expect: CLOSE, drafts: fc.constant(raw('viewer', `451-${RAW_ACK_ID}["question:vote",{"id":${placeholder('0')}}]`, `${EVENT}["x"]`)) },
  {
    name: 'raw-placeholder-out-of-range',
    expect: CLOSE,
    drafts: fc.tuple(fc.constantFrom('1', '5', '-1', '"0"', 'null', '1e999', 'true'), someBinary).map(([num, bin]) => raw('viewer', `451-${RAW_ACK_ID}["question:vote",{"id":${placeholder(num)}}]`, bin)),
  },
  { name: 'raw-bad-attachments', expect: CLOSE, drafts: asViewer(fc.constantFrom('4511-["x"]', '450-["x"]', '45-1-["x"]', '45abc-["x"]', '451["x"]', '4599999999-["x"]')) },
  { name: 'raw-binary-attachment', expect: INVALID, drafts: someBinary.map((bin) => raw('viewer', `451-${RAW_ACK_ID}["question:vote",{"id":${placeholder('0')}}]`, bin)) },
  {
    name: 'raw-binary-deep',
    expect: { outcome: 'error-or-close', codes: ['invalid_payload'] },
    drafts: fc.tuple(fc.integer({ min: 500, max: 5000 }), someBinary).map(([d, bin]) => raw('viewer', `451-${RAW_ACK_ID}["question:vote",${'['.repeat(d)}${placeholder('0')}${']'.repeat(d)}]`, bin)),
  },
  { name: 'raw-unknown-ack', expect: { outcome: 'silent' }, drafts: fc.tuple(fc.nat(1_000_000), fc.constantFrom('[{"ok":true}]', '[]', '[null,1]')).map(([id, body]) => raw('viewer', `43${id}${body}`)) },
  { name: 'raw-oversize', expect: CLOSE, drafts: fc.integer({ min: 16_500, max: 200_000 }).map((n) => raw('viewer', `${EVENT}["question:ask","${'z'.repeat(n)}"]`)) },
  { name: 'raw-numeric-event', expect: INVALID, drafts: fc.tuple(fc.integer(), fc.constantFrom('{}', '[]', '"x"')).map(([n, p]) => raw('viewer', `${EVENT}[${n},${p}]`)) },
  // Handshakes: the socket is refused with a known code, and nothing of the room is sent.
  {
    name: 'handshake-bad-auth',
    expect: { outcome: 'refused', codes: ['invalid_payload', 'not_found'] },
    drafts: fc
      .oneof(
        fc.constant({}),
        otherType('').map((code) => ({ code, role: 'viewer' })),
        fc.string({ maxLength: 12 }).filter((r) => r !== 'viewer' && r !== 'host').map((role) => ({ code: '$code', role })),
        fc.oneof(fc.string({ maxLength: 7 }), hostileString, fc.string({ minLength: 65, maxLength: 90 })).filter((id) => !/^[A-Za-z0-9_-]{8,64}$/.test(id)).map((viewerId) => ({ code: '$code', role: 'viewer', viewerId })),
        fc.integer({ min: 41, max: 300 }).map((n) => ({ code: '$code', role: 'viewer', name: 'n'.repeat(n) })),
        fc.constantFrom<unknown>(false, 'true', 1, null).map((replay) => ({ code: '$code', role: 'viewer', replay })),
        fc.constantFrom('', 'x'.repeat(17), '   ').map((code) => ({ code, role: 'viewer' })),
      )
      .map((auth) => handshake('/', auth)),
  },
  {
    name: 'handshake-unknown-code',
    expect: { outcome: 'refused', codes: ['not_found'] },
    drafts: fc.tuple(fc.stringMatching(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`)), fc.constantFrom('viewer', 'host')).map(([code, role]) => handshake('/', { code, role, key: 'k' })),
  },
  {
    name: 'handshake-wrong-key',
    expect: { outcome: 'refused', codes: ['unauthorized'] },
    drafts: fc.oneof(fc.constant(undefined), fc.string({ minLength: 1, maxLength: 200 })).map((key) => handshake('/', { code: '$code', role: 'host', ...(key === undefined ? {} : { key }) })),
  },
  { name: 'handshake-replay-live', expect: { outcome: 'refused', codes: ['not_live'] }, drafts: fc.constantFrom('viewer', 'host').map((role) => handshake('/', { code: '$code', role, key: '$key', replay: true })) },
  {
    name: 'handshake-dealer',
    expect: { outcome: 'refused', codes: ['invalid_payload', 'not_found', 'unauthorized'] },
    drafts: fc
      .oneof(
        fc.constant({}),
        fc.string({ minLength: 1, maxLength: 200 }).map((key) => ({ eventId: '$eventId', key })),
        fc.uuid().map((eventId) => ({ eventId, key: 'some-key' })),
        otherType('').map((eventId) => ({ eventId, key: '$key' })),
        fc.constant({ eventId: '$eventId', key: '' }),
      )
      .map((auth) => handshake('/dealers', auth)),
  },
  { name: 'handshake-unknown-namespace', expect: { outcome: 'refused', codes: [INVALID_NAMESPACE] }, drafts: fc.stringMatching(/^\/[a-z]{1,12}$/).filter((n) => n !== '/dealers').map((nsp) => handshake(nsp, { code: '$code', role: 'viewer' })) },
  { name: 'handshake-oversize-auth', expect: CLOSE, drafts: fc.integer({ min: 17_000, max: 60_000 }).map((n) => raw(null, `40${JSON.stringify({ code: 'X', role: 'viewer', name: 'n'.repeat(n) })}`)) },
  // Engine.IO's HTTP side: an unknown version, transport or session, a WebSocket request without the upgrade, another site's page.
  {
    name: 'http-engine-bad',
    expect: { outcome: 'http', statuses: [400] },
    drafts: fc.constantFrom<Draft>(
      { via: 'http', method: 'GET', query: 'EIO=3&transport=polling' },
      { via: 'http', method: 'GET', query: 'EIO=5&transport=polling' },
      { via: 'http', method: 'GET', query: 'EIO=4&transport=carrier-pigeon' },
      { via: 'http', method: 'GET', query: 'EIO=4&transport=polling&sid=bogus' },
      { via: 'http', method: 'POST', query: 'EIO=4&transport=polling&sid=bogus', body: '40' },
      { via: 'http', method: 'GET', query: 'EIO=4&transport=websocket' },
      { via: 'http', method: 'GET', query: 'transport=polling' },
    ),
  },
  { name: 'http-foreign-origin', expect: { outcome: 'http', statuses: [403] }, drafts: fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1.evil.example').map((origin) => ({ via: 'http' as const, method: 'GET' as const, query: 'EIO=4&transport=polling', origin })) },
];

export function wirePackets(kind: WireKind): fc.Arbitrary<FuzzPacket> {
  return kind.drafts.map((d) => ({ kind: kind.name, expect: kind.expect, ...d }) as FuzzPacket);
}


