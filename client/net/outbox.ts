import type { Ack, ErrorBody } from '../../shared/errors.js';
import type { LeadReceipt, LeadSubmitInput } from '../../shared/lead.js';
import { bySeq, createOutboxStore, type OutboxEntry, type OutboxStorage, type SentReceipt } from './outboxStore.js';

export { legacyOutboxKey, legacyReceiptsKey, outboxKey, outboxPrefix, type OutboxEntry, type OutboxStorage, type SentReceipt } from './outboxStore.js';

/**
 * Exactly-once delivery of lead requests. The browser makes each lead's id, writes the
 * request to localStorage BEFORE sending it, and sends it again (same id) until the server
 * acknowledges it: after a timeout, a lost connection, a reload or a crash. The server stores
 * one lead per id and answers a repeat with the first receipt, so "again" never means "twice".
 *
 * One localStorage key per lead (`vitrine.outbox.<CODE>.<id>`), always written whole: two tabs
 * of the same event add and settle leads at the same time without overwriting each other (a
 * shared list rewritten read-modify-write would lose one tab's write). The key follows the lead
 * through its life: pending (the request as typed), refused (with the server's error, until the
 * viewer corrects or dismisses it), sent (a receipt without personal data).
 *
 * Each lead is sent on its own, with its own backoff: one the server keeps failing does not
 * hold back the others.
 *
 * A plain module (no React, no socket): `send`, `storage` and the clock are injected, so the
 * whole behaviour is unit-tested with fake timers (outbox.test.ts).
 */

export type LeadAck = Ack<LeadReceipt | { id: string; erased: true }>;
export type SendLead = (payload: LeadSubmitInput & { id: string }) => Promise<LeadAck>;

/** A request the server refused for good (its fields, a clash of ids): not retried, kept until corrected or dismissed. */
export interface Refusal {
  entry: OutboxEntry;
  error: ErrorBody;
}

export interface OutboxSnapshot {
  /** Still to be acknowledged, oldest first. */
  pending: readonly OutboxEntry[];
  /** Acknowledged, newest last. */
  sent: readonly SentReceipt[];
  /** Refused, oldest first; stored until the viewer corrects or dismisses them. */
  refused: readonly Refusal[];
}

export type LeadStatus =
  /** `lastError`: the code of the last failed attempt (`network`, `timeout`, `rate_limited`, `internal`…). */
  | { kind: 'pending'; failedAttempts: number; lastError: string | null }
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
/** Failures found by the browser itself, not answered by the server. */
export const NOT_CONNECTED: LeadAck = { ok: false, error: { code: 'network', message: 'not connected' } };
const TIMED_OUT: LeadAck = { ok: false, error: { code: 'timeout', message: 'no answer in time' } };
const SEND_FAILED: LeadAck = { ok: false, error: { code: 'network', message: 'send failed' } };

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
  /**
   * Stores the request, then sends it. Submitting an id already queued changes nothing.
   * `replaces`: the refused request this one corrects; it is forgotten once this one is stored.
   */
  submit: (payload: LeadSubmitInput & { id: string }, opts?: { replaces?: string }) => void;
  /** Sends everything still queued, now: on page load and on every (re)connection. */
  flush: () => void;
  status: (id: string) => LeadStatus;
  snapshot: () => OutboxSnapshot;
  subscribe: (listener: () => void) => () => void;
  /** Forgets a refusal the viewer gave up on. */
  dismiss: (id: string) => void;
  /** Another tab changed the stored leads (a `storage` event): read them again. */
  refresh: () => void;
  dispose: () => void;
}

interface Run {
  failures: number;
  lastError: string | null;
  /** Bumped by each attempt: only the latest one's failure schedules the next. */
  attempt: number;
  inFlight: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

export function createOutbox({ code, send, storage, ackTimeoutMs = ACK_TIMEOUT_MS, random = Math.random, now = () => new Date() }: OutboxOptions): Outbox {
  const { load, save, remove, all } = createOutboxStore(code, storage);

  let lastSeq = 0;
  const nextSeq = () => (lastSeq = Math.max(lastSeq + 1, now().getTime()));

  const runs = new Map<string, Run>();
  const listeners = new Set<() => void>();
  let snap: OutboxSnapshot | null = null;
  let disposed = false;

  const changed = () => {
    snap = null;
    for (const l of listeners) l();
  };

  const stop = (id: string) => {
    const run = runs.get(id);
    if (run?.timer) clearTimeout(run.timer);
    runs.delete(id);
  };

  const settleSent = (entry: OutboxEntry, data: LeadReceipt | { id: string; erased: true } | undefined) => {
    stop(entry.id);
    const before = load(entry.id);
    if (before?.state === 'sent') return;
    const dealerName = data && 'dealerName' in data ? data.dealerName : null;
    save({ state: 'sent', seq: before?.seq ?? nextSeq(), receipt: { id: entry.id, type: entry.payload.type, dealerName, at: now().toISOString() } });
    const sent = all().filter((s) => s.state === 'sent');
    sent.sort((a, b) => (a.receipt.at < b.receipt.at ? -1 : a.receipt.at > b.receipt.at ? 1 : bySeq(a, b)));
    for (const old of sent.slice(0, Math.max(0, sent.length - MAX_RECEIPTS))) remove(old.receipt.id);
  };

  const attempt = (entry: OutboxEntry): Promise<LeadAck> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(TIMED_OUT), ackTimeoutMs);
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
            resolve(SEND_FAILED);
          },
        );
    });

  /** Sends one stored lead now; its answer decides what happens to it, whatever the others do. */
  const sendNow = (id: string) => {
    const stored = load(id);
    if (disposed || stored?.state !== 'pending') return stop(id);
    const { entry } = stored;
    let run = runs.get(id);
    if (!run) runs.set(id, (run = { failures: 0, lastError: null, attempt: 0, inFlight: false, timer: null }));
    if (run.timer) clearTimeout(run.timer);
    run.timer = null;
    const mine = ++run.attempt;
    run.inFlight = true;
    const current = run;
    void attempt(entry).then((res) => {
      if (current.attempt === mine) current.inFlight = false;
      // A late "ok" still counts (the request did arrive), even once the page moved on.
      if (res.ok) {
        settleSent(entry, res.data);
        return changed();
      }
      const latest = load(id);
      // Settled meanwhile (another tab, another attempt), or the page closed: a late failure means nothing.
      if (disposed || latest?.state !== 'pending') return;
      if (FINAL_CODES.has(res.error.code)) {
        // invalid_payload: the server stored nothing. conflict: it holds another request under
        // this id. Either way this very request will never be taken: it stays on the device,
        // refused, until the viewer corrects it (sent under a new id) or dismisses it.
        stop(id);
        save({ state: 'refused', seq: latest.seq, entry: latest.entry, error: res.error });
        return changed();
      }
      if (runs.get(id) !== current || current.attempt !== mine) return; // a newer attempt decides
      current.failures += 1;
      current.lastError = res.error.code;
      changed();
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (current.failures - 1)) * (0.8 + 0.4 * random());
      current.timer = setTimeout(() => sendNow(id), delay);
    });
  };

  const snapshot = (): OutboxSnapshot => {
    if (!snap) {
      const stored = all();
      snap = {
        pending: stored.flatMap((s) => (s.state === 'pending' ? [s.entry] : [])),
        sent: stored.flatMap((s) => (s.state === 'sent' ? [s.receipt] : [])).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
        refused: stored.flatMap((s) => (s.state === 'refused' ? [{ entry: s.entry, error: s.error }] : [])),
      };
    }
    return snap;
  };

  return {
    submit(payload, opts = {}) {
      if (disposed) return;
      const before = load(payload.id);
      if (before?.state === 'sent') return;
      if (before?.state !== 'pending') save({ state: 'pending', seq: nextSeq(), entry: { id: payload.id, payload, queuedAt: now().toISOString() } });
      // Only once the correction is stored: the refused request is never lost before.
      if (opts.replaces && opts.replaces !== payload.id && load(opts.replaces)?.state === 'refused') remove(opts.replaces);
      changed();
      // A double tap while the first send is out changes nothing.
      if (!runs.get(payload.id)?.inFlight) sendNow(payload.id);
    },
    flush() {
      snap = null; // another tab may have queued or settled some meanwhile
      for (const entry of snapshot().pending) {
        const run = runs.get(entry.id);
        if (run) run.failures = 0;
        sendNow(entry.id);
      }
      changed();
    },
    status(id) {
      const s = snapshot();
      if (s.pending.some((e) => e.id === id)) {
        const run = runs.get(id);
        return { kind: 'pending', failedAttempts: run?.failures ?? 0, lastError: run?.lastError ?? null };
      }
      const receipt = s.sent.find((r) => r.id === id);
      if (receipt) return { kind: 'sent', receipt };
      const refusal = s.refused.find((r) => r.entry.id === id);
      if (refusal) return { kind: 'refused', error: refusal.error };
      return { kind: 'unknown' };
    },
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dismiss(id) {
      if (load(id)?.state !== 'refused') return;
      remove(id);
      changed();
    },
    refresh: changed,
    dispose() {
      disposed = true;
      for (const run of runs.values()) if (run.timer) clearTimeout(run.timer);
      runs.clear();
      listeners.clear();
    },
  };
}
