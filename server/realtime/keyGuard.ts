import { dealerOfRef, KeyLoss, type KeyRef } from '../../shared/access.js';
import { dealerKeyState, hostKeyState, keyStatus, ownKeyState, type KeyRefusal, type KeyState } from '../access/check.js';
import type { RoomBus } from '../cluster/bus.js';
import { keyHash, safeEqual } from '../keys.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/types.js';

/** setTimeout's longest wait (~24.8 days); an expiry further away is simply looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Every open keyed socket is checked against the store this often, whatever was heard: a key
 * change whose message was lost (Redis away at that instant) still closes its sockets.
 */
export const KEY_SWEEP_MS = 60_000;

/** The part of a socket (either namespace) the guard uses. */
export interface Disconnectable {
  disconnect(close?: boolean): unknown;
}

/** What a handshake accepted: the key (only long enough to hash it), which one, until when. */
export interface HeldKey {
  eventId: string;
  ref: KeyRef;
  secret: string;
  expiresAt: string | null;
}

interface Held {
  eventId: string;
  ref: KeyRef;
  /** Of the key the socket opened with: the guard never keeps the key itself. */
  hash: string;
  timer: NodeJS.Timeout | null;
}

/**
 * Closes the sockets opened with a key (the presenter's, a dealer inbox's) as soon as that key
 * stops opening anything: rotated or revoked in the studio (heard here or, through the bus, from
 * another process), or past its expiry (a timer per socket). The page then reconnects, and its
 * handshake is refused with the reason.
 */
export interface KeyGuard {
  /** Counts the key changes this process heard; a handshake reads it before its key check. */
  readonly epoch: number;
  /**
   * Watches a socket whose handshake accepted `secret` as `ref`. `epochAtCheck`: `epoch` when
   * that check began; a change heard since (the socket was not yet watched) is checked now.
   * Returns the function to call when the socket disconnects.
   */
  watch(socket: Disconnectable, held: HeldKey, epochAtCheck: number): () => void;
  /** A key changed here: checks this process's sockets holding it and tells the other processes. */
  changed(eventId: string, ref: KeyRef): Promise<void>;
  close(): void;
}

export function createKeyGuard(deps: { store: Store; bus: RoomBus; log: Logger }): KeyGuard {
  const { store, log } = deps;
  const sockets = new Map<Disconnectable, Held>();
  const bySlot = new Map<string, Set<Disconnectable>>();
  const slotOf = (eventId: string, ref: KeyRef) => `${eventId} ${ref}`;
  let epoch = 0;

  /** The key as stored now; null when its event or dealer is gone. */
  async function current(eventId: string, ref: KeyRef): Promise<KeyState | null> {
    const dealerId = dealerOfRef(ref);
    if (dealerId !== null) {
      const d = await store.dealers.get(eventId, dealerId);
      return d ? ownKeyState(d) : null;
    }
    const event = await store.events.findById(eventId);
    if (!event) return null;
    return ref === 'host' ? hostKeyState(event) : dealerKeyState(event);
  }

  function arm(socket: Disconnectable, held: Held, expiresAt: string | null): void {
    if (held.timer) clearTimeout(held.timer);
    held.timer = null;
    if (!expiresAt) return;
    const wait = Math.min(Math.max(Date.parse(expiresAt) - Date.now(), 0), MAX_TIMER_MS);
    held.timer = setTimeout(() => void recheck(held.eventId, held.ref, [socket]), wait);
    held.timer.unref();
  }

  /** Closes those of `list` whose key no longer opens anything; re-arms the others' expiry. */
  async function recheck(eventId: string, ref: KeyRef, list: Iterable<Disconnectable>): Promise<void> {
    const targets = [...list].filter((s) => sockets.has(s));
    if (targets.length === 0) return;
    let state: KeyState | null;
    try {
      state = await current(eventId, ref);
    } catch (err) {
      // The store is away: the sweep tries again; a socket is never closed on a guess.
      log.error({ err, eventId, ref }, 'key check of open sockets failed');
      return;
    }
    const now = new Date();
    const valid = state && keyStatus(state, now) === 'active' ? keyHash(state.secret) : null;
    for (const socket of targets) {
      const held = sockets.get(socket);
      if (!held) continue;
      if (valid && safeEqual(held.hash, valid)) arm(socket, held, state!.expiresAt);
      else socket.disconnect(true);
    }
  }

  const recheckSlot = (eventId: string, ref: KeyRef) => recheck(eventId, ref, bySlot.get(slotOf(eventId, ref)) ?? []);

  deps.bus.onKeyChanged((eventId, ref) => {
    epoch++;
    void recheckSlot(eventId, ref);
  });

  const sweep = setInterval(() => {
    const slots = new Map<string, Held>();
    for (const held of sockets.values()) slots.set(slotOf(held.eventId, held.ref), held);
    for (const held of slots.values()) void recheckSlot(held.eventId, held.ref);
  }, KEY_SWEEP_MS);
  sweep.unref();

  return {
    get epoch() {
      return epoch;
    },
    watch(socket, { eventId, ref, secret, expiresAt }, epochAtCheck) {
      const held: Held = { eventId, ref, hash: keyHash(secret), timer: null };
      sockets.set(socket, held);
      const slot = slotOf(eventId, ref);
      const set = bySlot.get(slot) ?? new Set<Disconnectable>();
      bySlot.set(slot, set);
      set.add(socket);
      arm(socket, held, expiresAt);
      if (epoch !== epochAtCheck) void recheck(eventId, ref, [socket]);
      return () => {
        if (held.timer) clearTimeout(held.timer);
        sockets.delete(socket);
        set.delete(socket);
        if (set.size === 0 && bySlot.get(slot) === set) bySlot.delete(slot);
      };
    },
    async changed(eventId, ref) {
      epoch++;
      deps.bus.keyChanged(eventId, ref);
      await recheckSlot(eventId, ref);
    },
    close() {
      clearInterval(sweep);
      for (const held of sockets.values()) if (held.timer) clearTimeout(held.timer);
    },
  };
}

/**
 * The `connect_error` of a refused key: always `unauthorized` (the contract's list), with
 * `data.reason` when the key was good once, so the page can say "this link is no longer valid".
 */
export function handshakeRefusal(refusal: KeyRefusal): Error & { data?: { reason: KeyLoss } } {
  const err: Error & { data?: { reason: KeyLoss } } = new Error('unauthorized');
  if (refusal !== 'wrong') err.data = { reason: refusal === 'revoked' ? KeyLoss.revoked : KeyLoss.expired };
  return err;
}
