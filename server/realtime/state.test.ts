import { describe, expect, it } from 'vitest';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { Room } from '../rooms/room.js';
import { newEventFixture } from '../store/repository.contract.js';
import type { QuestionRecord } from '../store/types.js';
import { buildState, StateFrames } from './state.js';
import type { VitrineSocket } from './types.js';

const record = () => ({ ...newEventFixture(), status: 'live' as const, startedAt: null, endedAt: null, qaMode: 'pre' as const, privacyNotice: null, privacyContact: null, retentionMonths: 12, stage: null, brand: { name: null, logoUrl: null, accent: null, background: null }, hostKeyExpiresAt: null, hostKeyRevokedAt: null, dealerKeyExpiresAt: null, dealerKeyRevokedAt: null });

let n = 0;
/** A question as the store answers it: a new record every time (records are never changed in place). */
const question = (viewerId: string, over: Partial<QuestionRecord> = {}): QuestionRecord => ({
  id: `q-${++n}`,
  eventId: 'e',
  viewerId,
  name: n % 2 ? `Nom « ${n} »` : null,
  text: `Question ${n} : l’autonomie en hiver ? "guillemets" \\ \u2028 é`,
  status: 'visible',
  pinned: false,
  votes: 0,
  createdAt: `2026-11-24T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
  ...over,
});

const socketOf = (role: 'viewer' | 'host', viewerId: string | null) => ({ data: { eventId: 'e', role, viewerId, name: null, replay: false } }) as unknown as VitrineSocket;

/** The joiners whose `state` is checked: an audience member with no questions, authors, a presenter. */
const joiners = [
  { who: 'a viewer who asked nothing', socket: socketOf('viewer', 'nobody-0001'), votes: [] as string[] },
  { who: 'an author', socket: socketOf('viewer', 'alice-0001'), votes: ['x'] },
  { who: 'another author', socket: socketOf('viewer', 'bob-00001'), votes: [] },
  { who: 'a presenter', socket: socketOf('host', null), votes: [] },
];

/** What `emit('state', buildState(…))` writes after the frame header: Socket.IO's `42` and the JSON array. */
const expected = (room: Room, socket: VitrineSocket, votes: string[]) => `42${JSON.stringify(['state', buildState(room, socket, votes)])}`;
const frameText = (frames: StateFrames, room: Room, socket: VitrineSocket, votes: string[]) => Buffer.concat(frames.body(room, socket, votes)).toString('utf8');

describe('StateFrames', () => {
  it('gives every joiner exactly the bytes of buildState after every kind of change (the cached list never goes stale)', () => {
    const room = new Room(record(), [question('alice-0001'), question('carol-001', { status: 'pending' })], [], DEMO_VEHICLE);
    const frames = new StateFrames();
    let alices: QuestionRecord | undefined;
    let pendingOfBob: QuestionRecord | undefined;
    const changes: [string, () => void][] = [
      ['nothing', () => {}],
      ['a question added (visible)', () => room.putQuestion(question('dave-0001'))],
      ['a question added (pending)', () => room.putQuestion((pendingOfBob = question('bob-00001', { status: 'pending' })))],
      ['an author’s own question added', () => room.putQuestion((alices = question('alice-0001')))],
      ['a pending question approved', () => room.putQuestion({ ...pendingOfBob!, status: 'visible' })],
      ['a vote', () => room.addVotes(alices!.id, 1)],
      ['a vote withdrawn', () => room.addVotes(alices!.id, -1)],
      ['a vote on a question nobody has', () => room.addVotes('nowhere', 1)],
      ['a question pinned', () => room.putQuestion({ ...room.questions.get(alices!.id)!, pinned: true })],
      ['a question answered (unpinned)', () => room.putQuestion({ ...room.questions.get(alices!.id)!, status: 'answered', pinned: false })],
      ['a question hidden (pending to its author)', () => room.putQuestion({ ...room.questions.get(pendingOfBob!.id)!, status: 'hidden' })],
      ['an author blocked', () => room.blocked.add('bob-00001')],
      ['the presentation changed', () => room.adoptPresentation({ chapter: 1, variant: room.variant, cta: 'quote', hotspot: null, changedAt: Date.now() })],
      ['the pose moved', () => (room.pose = { position: [1, 2, 3], target: [0, 0, 0], t: 42 })],
      ['the Q&A mode changed', () => ((room.qaMode = 'open'), (room.event = { ...room.event, qaMode: 'open' }))],
      ['the event ended', () => (room.event = { ...room.event, status: 'ended', endedAt: '2026-11-24T12:00:00.000Z' })],
      ['the brand changed', () => (room.event = { ...room.event, brand: { name: 'Aura', logoUrl: null, accent: '#ff0000', background: null } })],
      ['the vehicle changed', () => room.setVehicle({ ...DEMO_VEHICLE, chapters: DEMO_VEHICLE.chapters.slice(0, 1) })],
      ['a reaction', () => (room.reactionCounts['👏'] = (room.reactionCounts['👏'] ?? 0) + 1)],
      ['a viewer joined', () => room.join('erin-00001')],
      ['the audience counted elsewhere', () => (room.audience = 57)],
      ['a re-read put the same question again', () => room.putQuestion({ ...room.questions.get(alices!.id)! })],
    ];
    for (const [change, apply] of changes) {
      apply();
      for (const { who, socket, votes } of joiners) {
        // Twice: the second time from the cache the first one filled.
        for (let k = 0; k < 2; k++) expect(frameText(frames, room, socket, votes), `${who}, after: ${change}`).toBe(expected(room, socket, votes));
      }
    }
    // The authors' lists really differ from the audience's (own questions, hidden shown as pending).
    const bobs = JSON.parse(frameText(frames, room, joiners[2]!.socket, []).slice(2))[1].questions as { id: string; status: string; mine?: boolean }[];
    expect(bobs.find((q) => q.id === pendingOfBob!.id)).toMatchObject({ status: 'pending', mine: true });
    const nobodys = JSON.parse(frameText(frames, room, joiners[0]!.socket, []).slice(2))[1].questions as { id: string }[];
    expect(nobodys.some((q) => q.id === pendingOfBob!.id)).toBe(false);
  });

  it('keeps one cache per room', () => {
    const a = new Room(record(), [question('alice-0001')]);
    const b = new Room({ ...record(), id: 'other' }, [question('bob-00001'), question('carol-001')]);
    const frames = new StateFrames();
    const viewer = joiners[0]!.socket;
    for (const room of [a, b, a, b]) expect(frameText(frames, room, viewer, [])).toBe(expected(room, viewer, []));
  });
});
