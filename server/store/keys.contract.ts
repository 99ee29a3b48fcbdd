import { describe, expect, it } from 'vitest';
import { keyHash, newKey } from '../keys.js';
import { dealerFixture } from './leads.contract.js';
import { newEventFixture } from './repository.contract.js';
import type { Store } from './types.js';

/** Key rotation, revocation and expiry: the same behaviour from every store. */
export function describeKeysContract(store: () => Store): void {
  describe('capability keys', () => {
    const at = '2026-11-20T09:00:00.000Z';
    const later = '2026-12-31T23:00:00.000Z';

    it('starts every key active: no expiry, no revocation', async () => {
      const e = await store().events.create(newEventFixture());
      expect(e).toMatchObject({ hostKeyExpiresAt: null, hostKeyRevokedAt: null, dealerKeyExpiresAt: null, dealerKeyRevokedAt: null });
      const [d] = await store().dealers.upsertMany(e.id, [dealerFixture()], newKey, at);
      expect(d).toMatchObject({ keyExpiresAt: null, keyRevokedAt: null });
    });

    it('rotates one key: the new secret replaces the old, whose hash is remembered for this event only', async () => {
      const s = store();
      const e = await s.events.create(newEventFixture());
      const other = await s.events.create(newEventFixture());
      const fresh = newKey();
      expect(await s.keys.rotate(e.id, 'host', fresh, later, at)).toBe(true);
      const after = (await s.events.findById(e.id))!;
      expect(after).toMatchObject({ hostKey: fresh, hostKeyExpiresAt: later, hostKeyRevokedAt: null, dealerKey: e.dealerKey });
      expect(await s.keys.wasRetired(e.id, keyHash(e.hostKey))).toBe(true);
      expect(await s.keys.wasRetired(e.id, keyHash(fresh))).toBe(false);
      expect(await s.keys.wasRetired(other.id, keyHash(e.hostKey))).toBe(false);
      expect(await s.keys.rotate('no-such-event', 'host', newKey(), null, at)).toBe(false);
    });

    it('revokes a key once (the first time is kept), and a rotation lifts the revocation', async () => {
      const s = store();
      const e = await s.events.create(newEventFixture());
      expect(await s.keys.revoke(e.id, 'dealer', at)).toBe(true);
      expect(await s.keys.revoke(e.id, 'dealer', later)).toBe(true);
      expect(await s.events.findById(e.id)).toMatchObject({ dealerKey: e.dealerKey, dealerKeyRevokedAt: at, hostKeyRevokedAt: null });
      const fresh = newKey();
      await s.keys.rotate(e.id, 'dealer', fresh, null, later);
      expect(await s.events.findById(e.id)).toMatchObject({ dealerKey: fresh, dealerKeyRevokedAt: null, dealerKeyExpiresAt: null });
      expect(await s.keys.wasRetired(e.id, keyHash(e.dealerKey))).toBe(true);
      expect(await s.keys.revoke('no-such-event', 'dealer', at)).toBe(false);
    });

    it('sets and clears an expiry', async () => {
      const s = store();
      const e = await s.events.create(newEventFixture());
      expect(await s.keys.setExpiry(e.id, 'host', later)).toBe(true);
      expect((await s.events.findById(e.id))?.hostKeyExpiresAt).toBe(later);
      expect(await s.keys.setExpiry(e.id, 'host', null)).toBe(true);
      expect((await s.events.findById(e.id))?.hostKeyExpiresAt).toBeNull();
      expect(await s.keys.setExpiry('no-such-event', 'host', later)).toBe(false);
    });

    it("works on one dealer's own key, which an edit of the directory keeps as it is", async () => {
      const s = store();
      const e = await s.events.create(newEventFixture());
      const [lyon, paris] = await s.dealers.upsertMany(e.id, [dealerFixture(), dealerFixture({ id: 'paris-1', name: 'Garage de Paris' })], newKey, at);
      const fresh = newKey();
      expect(await s.keys.rotate(e.id, 'dealer:lyon-1', fresh, null, at)).toBe(true);
      expect(await s.keys.setExpiry(e.id, 'dealer:lyon-1', later)).toBe(true);
      expect(await s.keys.revoke(e.id, 'dealer:paris-1', at)).toBe(true);
      await s.dealers.upsertMany(e.id, [dealerFixture({ name: 'Garage du Rhône (renommé)' })], newKey, later);
      expect(await s.dealers.get(e.id, 'lyon-1')).toMatchObject({ key: fresh, keyExpiresAt: later, keyRevokedAt: null, name: 'Garage du Rhône (renommé)' });
      expect(await s.dealers.get(e.id, 'paris-1')).toMatchObject({ key: paris!.key, keyRevokedAt: at });
      expect(await s.keys.wasRetired(e.id, keyHash(lyon!.key))).toBe(true);
      expect(await s.events.findById(e.id)).toMatchObject({ hostKey: e.hostKey, dealerKey: e.dealerKey, dealerKeyRevokedAt: null });
      for (const write of [
        s.keys.rotate(e.id, 'dealer:nobody', newKey(), null, at),
        s.keys.revoke(e.id, 'dealer:nobody', at),
        s.keys.setExpiry(e.id, 'dealer:nobody', later),
      ]) expect(await write).toBe(false);
    });
  });
}
