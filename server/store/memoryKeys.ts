import { dealerOfRef, type KeyRef } from '../../shared/access.js';
import { keyHash } from '../keys.js';
import type { DealerRecord, EventRecord, KeyRepository } from './types.js';

/** A key's fields wherever it lives: on the event (host, dealer) or on a dealer's record. */
interface Slot {
  get(): { secret: string; expiresAt: string | null; revokedAt: string | null };
  set(change: { secret?: string; expiresAt?: string | null; revokedAt?: string | null }): void;
}

function slotOf(event: EventRecord | undefined, dealer: DealerRecord | undefined, ref: KeyRef): Slot | null {
  if (!event) return null;
  if (dealerOfRef(ref) !== null) {
    if (!dealer) return null;
    return {
      get: () => ({ secret: dealer.key, expiresAt: dealer.keyExpiresAt, revokedAt: dealer.keyRevokedAt }),
      set: (c) => {
        if (c.secret !== undefined) dealer.key = c.secret;
        if (c.expiresAt !== undefined) dealer.keyExpiresAt = c.expiresAt;
        if (c.revokedAt !== undefined) dealer.keyRevokedAt = c.revokedAt;
      },
    };
  }
  const host = ref === 'host';
  return {
    get: () => (host
      ? { secret: event.hostKey, expiresAt: event.hostKeyExpiresAt, revokedAt: event.hostKeyRevokedAt }
      : { secret: event.dealerKey, expiresAt: event.dealerKeyExpiresAt, revokedAt: event.dealerKeyRevokedAt }),
    set: (c) => {
      if (host) {
        if (c.secret !== undefined) event.hostKey = c.secret;
        if (c.expiresAt !== undefined) event.hostKeyExpiresAt = c.expiresAt;
        if (c.revokedAt !== undefined) event.hostKeyRevokedAt = c.revokedAt;
      } else {
        if (c.secret !== undefined) event.dealerKey = c.secret;
        if (c.expiresAt !== undefined) event.dealerKeyExpiresAt = c.expiresAt;
        if (c.revokedAt !== undefined) event.dealerKeyRevokedAt = c.revokedAt;
      }
    },
  };
}

/** The memory store's keys: the same records the events and dealers repositories hold. */
export function memoryKeys(events: Map<string, EventRecord>, dealers: Map<string, DealerRecord>): KeyRepository {
  const retired = new Map<string, string>(); // hash → eventId
  const slot = (eventId: string, ref: KeyRef) => {
    const dealerId = dealerOfRef(ref);
    return slotOf(events.get(eventId), dealerId === null ? undefined : dealers.get(`${eventId} ${dealerId}`), ref);
  };
  return {
    async rotate(eventId, ref, secret, expiresAt) {
      const s = slot(eventId, ref);
      if (!s) return false;
      retired.set(keyHash(s.get().secret), eventId);
      s.set({ secret, expiresAt, revokedAt: null });
      return true;
    },
    async revoke(eventId, ref, at) {
      const s = slot(eventId, ref);
      if (!s) return false;
      s.set({ revokedAt: s.get().revokedAt ?? at });
      return true;
    },
    async setExpiry(eventId, ref, expiresAt) {
      const s = slot(eventId, ref);
      if (!s) return false;
      s.set({ expiresAt });
      return true;
    },
    wasRetired: async (eventId, hash) => retired.get(hash) === eventId,
  };
}
