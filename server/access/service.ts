import { dealerOfRef, type KeyRef, type KeyView } from '../../shared/access.js';
import { newKey } from '../keys.js';
import type { KeyGuard } from '../realtime/keyGuard.js';
import type { DealerRecord, EventRecord, Store } from '../store/types.js';
import { dealerKeyState, hostKeyState, keyStatus, ownKeyState, type KeyState } from './check.js';

interface Deps {
  store: Store;
  publicUrl: () => string;
  keys: KeyGuard;
}

/**
 * What the studio does to an event's keys: rotate (a new key; the old link stops at once),
 * revoke (no key works until the next rotation), and date them. Each change is committed, then
 * the sockets open with that key are checked (here, before answering, and in the other
 * processes through the bus), so "done" in the studio means the old link is already closed.
 */
export function keyService({ store, publicUrl, keys }: Deps) {
  function view(event: EventRecord, ref: KeyRef, state: KeyState, name: string | null, now: Date): KeyView {
    const status = keyStatus(state, now);
    const page = ref === 'host' ? 'host' : 'dealer';
    const live = status !== 'revoked';
    return {
      ref,
      name,
      status,
      expiresAt: state.expiresAt,
      revokedAt: state.revokedAt,
      key: live ? state.secret : null,
      // The key travels in the fragment, never in a path or query a server would log.
      link: live ? `${publicUrl()}/${page}/${event.id}#key=${state.secret}` : null,
    };
  }

  /** The key's view as stored now; null when the event or the dealer is gone. */
  async function read(eventId: string, ref: KeyRef): Promise<KeyView | null> {
    const event = await store.events.findById(eventId);
    if (!event) return null;
    const dealerId = dealerOfRef(ref);
    if (dealerId === null) return view(event, ref, ref === 'host' ? hostKeyState(event) : dealerKeyState(event), null, new Date());
    const d = await store.dealers.get(eventId, dealerId);
    return d ? view(event, ref, ownKeyState(d), d.name, new Date()) : null;
  }

  async function after(event: EventRecord, ref: KeyRef, written: boolean): Promise<KeyView | null> {
    if (!written) return null;
    await keys.changed(event.id, ref);
    return read(event.id, ref);
  }

  return {
    /** Host, dealer, then each dealer's own key by name. */
    async list(event: EventRecord): Promise<KeyView[]> {
      const now = new Date();
      const dealers: DealerRecord[] = await store.dealers.list(event.id);
      return [
        view(event, 'host', hostKeyState(event), null, now),
        view(event, 'dealer', dealerKeyState(event), null, now),
        ...dealers.map((d) => view(event, `dealer:${d.id}`, ownKeyState(d), d.name, now)),
      ];
    },
    read,
    /** Without `expiresAt`, a future expiry carries over to the new key (a past one does not). */
    async rotate(event: EventRecord, ref: KeyRef, expiresAt: string | null | undefined): Promise<KeyView | null> {
      let expiry = expiresAt ?? null;
      if (expiresAt === undefined) {
        const before = await read(event.id, ref);
        if (!before) return null;
        expiry = before.expiresAt && Date.parse(before.expiresAt) > Date.now() ? before.expiresAt : null;
      }
      const at = new Date().toISOString();
      return after(event, ref, await store.keys.rotate(event.id, ref, newKey(), expiry && new Date(expiry).toISOString(), at));
    },
    async revoke(event: EventRecord, ref: KeyRef): Promise<KeyView | null> {
      return after(event, ref, await store.keys.revoke(event.id, ref, new Date().toISOString()));
    },
    async setExpiry(event: EventRecord, ref: KeyRef, expiresAt: string | null): Promise<KeyView | null> {
      return after(event, ref, await store.keys.setExpiry(event.id, ref, expiresAt && new Date(expiresAt).toISOString()));
    },
  };
}

export type KeyService = ReturnType<typeof keyService>;
