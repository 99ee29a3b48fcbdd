import type { KeyRef, KeyStatus } from '../../shared/access.js';
import { keyHash, safeEqual } from '../keys.js';
import type { LeadScope } from '../leads/access.js';
import type { DealerRecord, EventRecord, Store } from '../store/types.js';

/** Why a key opens nothing: never seen here, or once good and now revoked (or rotated away), or past its expiry. */
export type KeyRefusal = 'wrong' | 'revoked' | 'expired';

export type KeyCheck =
  | {
      ok: true;
      scope: LeadScope;
      /** The key that matched; null for the admin token (which is not an event's key). */
      ref: KeyRef | null;
      expiresAt: string | null;
    }
  | { ok: false; refusal: KeyRefusal };

/** One key's secret and life, wherever it is stored. */
export interface KeyState {
  secret: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const hostKeyState = (e: EventRecord): KeyState => ({ secret: e.hostKey, expiresAt: e.hostKeyExpiresAt, revokedAt: e.hostKeyRevokedAt });
export const dealerKeyState = (e: EventRecord): KeyState => ({ secret: e.dealerKey, expiresAt: e.dealerKeyExpiresAt, revokedAt: e.dealerKeyRevokedAt });
export const ownKeyState = (d: DealerRecord): KeyState => ({ secret: d.key, expiresAt: d.keyExpiresAt, revokedAt: d.keyRevokedAt });

/** A revocation wins over an expiry: "revoked" is what the studio did last on purpose. */
export function keyStatus(state: Omit<KeyState, 'secret'>, now: Date): KeyStatus {
  if (state.revokedAt) return 'revoked';
  if (state.expiresAt && Date.parse(state.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

const judge = (state: KeyState, scope: LeadScope, ref: KeyRef, now: Date): KeyCheck => {
  const status = keyStatus(state, now);
  if (status !== 'active') return { ok: false, refusal: status };
  return { ok: true, scope, ref, expiresAt: state.expiresAt };
};

/**
 * THE key check, for every way in (HTTP routes, the presenter's socket, the dealer inbox's
 * socket): what `given` opens in this event, honouring revocation and expiry, read from the store
 * at each call so a rotation or revocation takes effect on the next request. Comparisons are
 * constant-time; every dealer's key is compared, not up to the first match, so timing tells
 * nothing either. A key that matches nothing is looked up among the event's rotated keys (by
 * hash, only then: the common case costs no query) to answer "no longer valid" instead of "wrong".
 */
export async function checkKey(store: Store, event: EventRecord, given: string, options: { adminToken?: string | undefined; now?: Date } = {}): Promise<KeyCheck> {
  const now = options.now ?? new Date();
  if (options.adminToken && safeEqual(given, options.adminToken)) return { ok: true, scope: { kind: 'admin' }, ref: null, expiresAt: null };
  if (safeEqual(given, event.hostKey)) return judge(hostKeyState(event), { kind: 'host' }, 'host', now);
  if (safeEqual(given, event.dealerKey)) return judge(dealerKeyState(event), { kind: 'dealer' }, 'dealer', now);
  let own: DealerRecord | null = null;
  for (const d of await store.dealers.list(event.id)) {
    if (safeEqual(given, d.key) && !own) own = d;
  }
  if (own) return judge(ownKeyState(own), { kind: 'own', dealerId: own.id, name: own.name, since: own.createdAt }, `dealer:${own.id}`, now);
  return { ok: false, refusal: (await store.keys.wasRetired(event.id, keyHash(given))) ? 'revoked' : 'wrong' };
}

/** A key presented and refused, as the log and any limiter hear it: never the key itself. */
export interface KeyFailure {
  via: 'http' | 'socket' | 'dealers';
  refusal: KeyRefusal;
  /** The event the key was tried on; null for the admin token. */
  eventId: string | null;
  ip: string | undefined;
}

/** Called once per refused key, wherever it was presented (see `createApp`'s `keyFailed`). */
export type KeyFailureListener = (failure: KeyFailure) => void;
