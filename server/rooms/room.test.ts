import { describe, expect, it } from 'vitest';
import { newEventFixture } from '../store/repository.contract.js';
import { Room } from './room.js';
import { DEFAULT_POSE } from '../../shared/presentation.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';

const record = () => ({ ...newEventFixture(), status: 'live' as const, startedAt: null, endedAt: null, qaMode: 'pre' as const, privacyNotice: null, privacyContact: null, retentionMonths: 12, stage: null, brand: { name: null, logoUrl: null, accent: null, background: null }, hostKeyExpiresAt: null, hostKeyRevokedAt: null, dealerKeyExpiresAt: null, dealerKeyRevokedAt: null });

describe('Room', () => {
  it('counts a person with two tabs once and the host not at all', () => {
    const room = new Room(record());
    expect(room.join('viewer-aaaa')).toBe(true);
    expect(room.join('viewer-aaaa')).toBe(false);
    expect(room.join(null)).toBe(false);
    expect(room.viewerCount).toBe(1);
    expect(room.leave('viewer-aaaa')).toBe(false);
    expect(room.viewerCount).toBe(1);
    expect(room.leave('viewer-aaaa')).toBe(true);
    expect(room.viewerCount).toBe(0);
    expect(room.isEmpty).toBe(false);
    room.leave(null);
    expect(room.isEmpty).toBe(true);
  });

  it('starts from the stored presentation, or the default pose', () => {
    const r = record();
    expect(new Room(r).pose).toEqual(DEFAULT_POSE);
    const pose = { position: [1, 2, 3] as [number, number, number], target: [0, 0, 0] as [number, number, number], t: 9 };
    const room = new Room({ ...r, presentation: { chapter: 3, variant: 'rouge-rubis', cta: 'quote', hotspot: 'recharge', pose } });
    expect(room.snapshot()).toEqual({ chapter: 3, variant: 'rouge-rubis', cta: 'quote', hotspot: 'recharge', pose });
  });

  it('falls back to the first variant and chapter, and closes the hotspot, that a new vehicle lacks', () => {
    const room = new Room({ ...record(), presentation: { chapter: 4, variant: 'rouge-rubis', cta: null, hotspot: 'recharge', pose: null } });
    expect(room.setVehicle({ ...DEMO_VEHICLE, chapters: DEMO_VEHICLE.chapters.slice(0, 2) })).toBe(true);
    expect(room.presentation()).toEqual({ chapter: 0, variant: 'rouge-rubis', cta: null, hotspot: 'recharge' });
    expect(room.setVehicle({ ...DEMO_VEHICLE, variants: DEMO_VEHICLE.variants.slice(0, 1), hotspots: [] })).toBe(true);
    expect(room.presentation()).toEqual({ chapter: 0, variant: DEMO_VEHICLE.variants[0]!.id, cta: null, hotspot: null });
    expect(room.setVehicle({ ...DEMO_VEHICLE, variants: [], hotspots: [] })).toBe(true);
    expect(room.variant).toBe('');
    expect(room.setVehicle({ ...DEMO_VEHICLE, variants: [], hotspots: [] })).toBe(false);
  });

  it('counts each author’s questions once, however often a question is updated', () => {
    const q = (id: string, viewerId: string) => ({ id, eventId: 'e', viewerId, name: null, text: 't', status: 'pending' as const, pinned: false, votes: 0, createdAt: '2026-11-23T20:00:00.000Z' });
    const room = new Room(record(), [q('a', 'alice-123'), q('b', 'alice-123'), q('c', 'bob-12345')], ['bob-12345']);
    room.putQuestion({ ...q('a', 'alice-123'), votes: 3 });
    room.putQuestion(q('d', 'alice-123'));
    expect(room.authorInfo('alice-123')).toEqual({ blocked: false, questions: 3 });
    expect(room.authorInfo('bob-12345')).toEqual({ blocked: true, questions: 1 });
    expect(room.authorInfo('nobody-123')).toEqual({ blocked: false, questions: 0 });
    expect(room.questions.get('a')?.votes).toBe(3);
  });
});
