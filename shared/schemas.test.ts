import { describe, expect, it } from 'vitest';
import { normalizeCode, CODE_ALPHABET } from './code.js';
import { CreateEventInput, EventCode } from './event.js';
import { HandshakeAuth } from './events.js';
import { Pose } from './presentation.js';
import { DEMO_VEHICLE, DEFAULT_VARIANT_ID } from './vehicle.js';

describe('event codes', () => {
  it('has no look-alike characters', () => {
    for (const c of '01OIL') expect(CODE_ALPHABET).not.toContain(c);
  });
  it('normalises case, spaces and dashes', () => {
    expect(normalizeCode(' k7p-2qx ')).toBe('K7P2QX');
    expect(EventCode.parse('k7p2qx')).toBe('K7P2QX');
  });
  it('refuses look-alikes and wrong lengths', () => {
    expect(normalizeCode('K7P2Q0')).toBeNull();
    expect(normalizeCode('K7P2Q')).toBeNull();
    expect(EventCode.safeParse('IIIIII').success).toBe(false);
  });
});

describe('Pose', () => {
  const ok = { position: [1, 2, 3], target: [0, 0, 0], t: 5 };
  it('accepts a pose with or without fov', () => {
    expect(Pose.safeParse(ok).success).toBe(true);
    expect(Pose.safeParse({ ...ok, fov: 45 }).success).toBe(true);
  });
  it('refuses non-finite, far-away and mistyped coordinates', () => {
    expect(Pose.safeParse({ ...ok, position: [Infinity, 0, 0] }).success).toBe(false);
    expect(Pose.safeParse({ ...ok, position: [1e9, 0, 0] }).success).toBe(false);
    expect(Pose.safeParse({ ...ok, position: ['1', 0, 0] }).success).toBe(false);
    expect(Pose.safeParse({ ...ok, position: [1, 2] }).success).toBe(false);
    expect(Pose.safeParse({ ...ok, fov: 500 }).success).toBe(false);
  });
});

describe('CreateEventInput', () => {
  it('requires a title and an ISO date', () => {
    expect(CreateEventInput.safeParse({ title: '  ' }).success).toBe(false);
    expect(CreateEventInput.safeParse({ title: 'Lancement', startsAt: 'demain' }).success).toBe(false);
    expect(CreateEventInput.parse({ title: ' Lancement ', startsAt: '2026-12-01T18:00:00Z' }).title).toBe('Lancement');
  });
});

describe('HandshakeAuth', () => {
  it('refuses an unknown role and a malformed viewerId', () => {
    expect(HandshakeAuth.safeParse({ code: 'K7P2QX', role: 'admin' }).success).toBe(false);
    expect(HandshakeAuth.safeParse({ code: 'K7P2QX', role: 'viewer', viewerId: 'a b' }).success).toBe(false);
    expect(HandshakeAuth.safeParse({ code: 'K7P2QX', role: 'viewer', viewerId: 'abcdefgh12' }).success).toBe(true);
  });
});

describe('demo vehicle', () => {
  it('has at least four paints and the default among them', () => {
    expect(DEMO_VEHICLE.variants.length).toBeGreaterThanOrEqual(4);
    expect(DEMO_VEHICLE.variants.map((v) => v.id)).toContain(DEFAULT_VARIANT_ID);
  });
});
