import type { Ack, ErrorBody } from '../../shared/errors.js';
import type { LeadReceipt, LeadSubmitInput, LeadType } from '../../shared/lead.js';

/**
 * Exactly-once delivery of lead requests. The browser makes each lead's id, writes the
 * request to localStorage BEFORE sending it, and sends it again (same id) until the server
 * acknowledges it: after a timeout, a lost connection, a reload or a crash. The server stores
 * one lead per id and answers a repeat with the first receipt, so "again" never means "twice".
 *
 * A plain module (no React, no socket): `send`, `storage` and the clock are injected, so the
 * whole behaviour is unit-tested with fake timers (outbox.test.ts).
 */

export type LeadAck = Ack<LeadReceipt | { id: string; erased: true }>;
export type SendLead = (payload: LeadSubmitInput & { id: string }) => Promise<LeadAck>;
export type OutboxStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface OutboxEntry {
  id: string;
  payload: LeadSubmitInput & { id: string };
  queuedAt: string;
}

/** What a reload still knows about a sent request: no personal data, only what it was and who calls back. */
export interface SentReceipt {
  id: string;
  type: LeadType;
  dealerName: string | null;
  at: string;
}

/** A request the server refused for good (its fields, or a clash of ids): it is not retried. */
export interface Refusal {
  entry: OutboxEntry;
  error: ErrorBody;
}

export interface OutboxSnapshot {
  /** Still to be acknowledged, oldest first. */
  pending: readonly OutboxEntry[];
  /** Acknowledged, newest last. */
  sent: readonly SentReceipt[];
  /** Refused in this page's life (kept in memory only). */
  refused: readonly Refusal[];
  /** Failed attempts of the request being sent now: the UI says "offline" after the first. */
  failedAttempts: number;
}

export type LeadStatus =
  | { kind: 'pending'; failedAttempts: number }
  | { kind: 'sent'; receipt: SentReceipt }
  | { kind: 'refused'; error: ErrorBody }
  | { kind: 'unknown' };

/** Retries wait 1 s, 2 s, 4 s, 8 s, then 15 s: quick after a blip, quiet during a long outage. */
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 15_000;
/** An ack slower than this counts as lost; the request goes again (the same id is harmless). */
export const ACK_TIMEOUT_MS = 8_000;
/** Receipts kept per event on this device (only the latest matter to the viewer). */
const MAX_RECEIPTS = 20;

/** Errors that resending the very same request cannot fix. */
const FINAL_CODES = new Set(['invalid_payload', 'conflict', 'forbidden', 'not_found', 'unauthorized']);

export const outboxKey = (code: string) => `vitrine.leads.outbox.${code.toUpperCase()}`;
export const receiptsKey = (code: string) => `vitrine.leads.sent.${code.toUpperCase()}`;

/**
 * A UUID v4 from `crypto.getRandomValues`: `crypto.randomUUID` exists only in secure contexts,
 * and a showroom's LAN page is often plain http://.
 */
export function newLeadId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface OutboxOptions {
  code: string;
  send: SendLead;
  storage: OutboxStorage | null;
  ackTimeoutMs?: number;
  /** 0–1; spreads the retries of a whole audience that lost the same server. */
  random?: () => number;
  now?: () => Date;
}

export interface Outbox {
  /** Stores the request, then sends it. Submitting an id already queued changes nothing. */
  submit: (payload: LeadSubmitInput & { id: string }) => void;
  /** Sends everything still queued, now: on page load and on every (re)connection. */
  flush: () => void;
  status: (id: string) => LeadStatus;
  snapshot: () => OutboxSnapshot;
  subscribe: (listener: () => void) => () => void;
  /** Forgets a refusal once the viewer has seen it. */
  dismiss: (id: string) => void;
  dispose: () => void;
}

export function createOutbox({ code, send, storage, ackTimeoutMs = ACK_TIMEOUT_MS, random = Math.random, now = () => new Date() }: OutboxOptions): Outbox {
  // localStorage can throw (private mode, quota): the page then keeps the queue in memory,
  // which still covers timeouts and reconnections, only not a reload.
  const memory = new Map<string, string>();
  const read = <T>(key: string): T[] => {
    let raw: string | null = null;
    try {
      raw = storage ? storage.getItem(key) : null;
    } catch {
      /* fall through to memory */
    }
    raw ??= memory.get(key) ?? null;
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed as T[]) : [];
    } catch {
      return [];
    }
  };
  const write = (key: string, value: unknown[]) => {
    const raw = JSON.stringify(value);
    memory.set(key, raw);
    try {
      storage?.setItem(key, raw);
    } catch {
      /* memory holds it */
    }
  };
  // Always read the stored list before changing it: two tabs of the same event share it.
  const queue = () => read<OutboxEntry>(outboxKey(code)).filter((e) => e && typeof e.id === 'string' && e.payload);
  const receipts = () => read<SentReceipt>(receiptsKey(code));

  const refused = new Map<string, Refusal>();
  const listeners = new Set<() => void>();
  let snap: OutboxSnapshot | null = null;
  let failedAttempts = 0;
  /** Bumped by every flush: a loop from an older flush stops at its next step. */
  let generation = 0;
  let running = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const changed = () => {
    snap = null;
    for (const l of listeners) l();
  };

  const settle = (entry: OutboxEntry, res: LeadAck): 'done' | 'retry' => {
    if (res.ok) {
      const data = res.data;
      const dealerName = data && 'dealerName' in data ? data.dealerName : null;
      const sent = receipts().filter((r) => r.id !== entry.id);
      sent.push({ id: entry.id, type: entry.payload.type, dealerName, at: now().toISOString() });
      write(receiptsKey(code), sent.slice(-MAX_RECEIPTS));
      write(outboxKey(code), queue().filter((e) => e.id !== entry.id));
      return 'done';
    }
    if (FINAL_CODES.has(res.error.code)) {
      // Nothing was stored: the viewer corrects the form and sends a new request (new id).
      write(outboxKey(code), queue().filter((e) => e.id !== entry.id));
      refused.set(entry.id, { entry, error: res.error });
      return 'done';
    }
    return 'retry'; // rate_limited, internal, not_live, timeout, not connected
  };

  const attempt = (entry: OutboxEntry): Promise<LeadAck> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, error: { code: 'internal', message: 'timeout' } }), ackTimeoutMs);
      // Through a promise, so a `send` that throws counts as one failed attempt, not a crash.
      Promise.resolve()
        .then(() => send(entry.payload))
        .then(
          (res) => {
            clearTimeout(timer);
            resolve(res);
          },
          () => {
            clearTimeout(timer);
            resolve({ ok: false, error: { code: 'internal', message: 'send failed' } });
          },
        );
    });

  /** Sends the queue head first, one at a time, so requests arrive in the order they were made. */
  const pump = async (gen: number) => {
    running = true;
    try {
      while (!disposed && gen === generation) {
        const head = queue()[0];
        if (!head) {
          failedAttempts = 0;
          return;
        }
        const res = await attempt(head);
        // A late "ok" still counts (the request did arrive), even once a newer flush took over
        // or another tab settled it; a late failure of a request already settled means nothing.
        const outcome = res.ok || queue().some((e) => e.id === head.id) ? settle(head, res) : 'done';
        if (outcome === 'done') {
          failedAttempts = 0;
          changed();
          continue;
        }
        if (gen !== generation || disposed) return;
        failedAttempts += 1;
        changed();
        const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failedAttempts - 1)) * (0.8 + 0.4 * random());
        retryTimer = setTimeout(() => {
          retryTimer = null;
          start();
        }, delay);
        return;
      }
    } finally {
      if (gen === generation) running = false;
    }
  };

  const start = () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    generation += 1;
    void pump(generation);
  };

  const snapshot = (): OutboxSnapshot => {
    snap ??= { pending: queue(), sent: receipts(), refused: [...refused.values()], failedAttempts };
    return snap;
  };

  return {
    submit(payload) {
      const q = queue();
      if (!q.some((e) => e.id === payload.id) && !receipts().some((r) => r.id === payload.id)) {
        q.push({ id: payload.id, payload, queuedAt: now().toISOString() });
        write(outboxKey(code), q);
        refused.delete(payload.id);
        changed();
      }
      // Already sending: the loop takes the new request after the current one.
      if (!running) start();
    },
    flush() {
      failedAttempts = 0;
      start();
    },
    status(id) {
      const s = snapshot();
      if (s.pending.some((e) => e.id === id)) return { kind: 'pending', failedAttempts: s.pending[0]?.id === id ? s.failedAttempts : 0 };
      const receipt = s.sent.find((r) => r.id === id);
      if (receipt) return { kind: 'sent', receipt };
      const refusal = refused.get(id);
      if (refusal) return { kind: 'refused', error: refusal.error };
      return { kind: 'unknown' };
    },
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dismiss(id) {
      if (refused.delete(id)) changed();
    },
    dispose() {
      disposed = true;
      generation += 1;
      if (retryTimer) clearTimeout(retryTimer);
      listeners.clear();
    },
  };
}
