import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory.js';
import { dealerFixture } from '../store/leads.contract.js';
import { newEventFixture } from '../store/repository.contract.js';
import { newKey } from '../keys.js';
import { checkKey, keyStatus } from './check.js';

describe('checkKey', () => {
  const now = new Date('2026-12-01T18:00:00.000Z');

  async function setup() {
    const store = createMemoryStore();
    const event = await store.events.create(newEventFixture());
    const [lyon] = await store.dealers.upsertMany(event.id, [dealerFixture()], newKey, '2026-11-01T00:00:00.000Z');
    const fresh = async () => (await store.events.findById(event.id))!;
    return { store, event, lyon: lyon!, fresh };
  }

  it('says what each key opens: admin, host, dealer, one dealer; anything else is wrong', async () => {
    const { store, event, lyon } = await setup();
    expect(await checkKey(store, event, 'admin-token-0123456789', { adminToken: 'admin-token-0123456789', now })).toMatchObject({ ok: true, scope: { kind: 'admin' }, ref: null });
    expect(await checkKey(store, event, event.hostKey, { now })).toMatchObject({ ok: true, scope: { kind: 'host' }, ref: 'host' });
    expect(await checkKey(store, event, event.dealerKey, { now })).toMatchObject({ ok: true, scope: { kind: 'dealer' }, ref: 'dealer' });
    expect(await checkKey(store, event, lyon.key, { now })).toMatchObject({ ok: true, scope: { kind: 'own', dealerId: 'lyon-1' }, ref: 'dealer:lyon-1' });
    expect(await checkKey(store, event, newKey(), { now })).toEqual({ ok: false, refusal: 'wrong' });
    // Without the admin token given, the admin token is just a wrong key.
    expect(await checkKey(store, event, 'admin-token-0123456789', { now })).toEqual({ ok: false, refusal: 'wrong' });
  });

  it('refuses a revoked key, a rotated-away key (revoked) and a key past its expiry (expired, to the millisecond)', async () => {
    const { store, event, lyon, fresh } = await setup();
    await store.keys.revoke(event.id, 'dealer', now.toISOString());
    await store.keys.rotate(event.id, 'host', newKey(), null, now.toISOString());
    await store.keys.setExpiry(event.id, 'dealer:lyon-1', now.toISOString());
    const e = await fresh();
    expect(await checkKey(store, e, event.dealerKey, { now })).toEqual({ ok: false, refusal: 'revoked' });
    expect(await checkKey(store, e, event.hostKey, { now })).toEqual({ ok: false, refusal: 'revoked' });
    expect(await checkKey(store, e, lyon.key, { now })).toEqual({ ok: false, refusal: 'expired' });
    expect(await checkKey(store, e, lyon.key, { now: new Date(now.getTime() - 1) })).toMatchObject({ ok: true, expiresAt: now.toISOString() });
    expect(await checkKey(store, e, e.hostKey, { now })).toMatchObject({ ok: true, ref: 'host' });
  });

  it('names a revoked key revoked even when it has also expired', () => {
    expect(keyStatus({ expiresAt: '2020-01-01T00:00:00.000Z', revokedAt: '2021-01-01T00:00:00.000Z' }, now)).toBe('revoked');
    expect(keyStatus({ expiresAt: '2020-01-01T00:00:00.000Z', revokedAt: null }, now)).toBe('expired');
    expect(keyStatus({ expiresAt: null, revokedAt: null }, now)).toBe('active');
  });
});
