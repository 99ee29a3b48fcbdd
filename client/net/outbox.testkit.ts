import { vi } from 'vitest';
import type { LeadSubmitInput } from '../../shared/lead.js';
import { createOutbox, newLeadId, outboxPrefix, type LeadAck, type Outbox, type OutboxStorage, type SendLead } from './outbox.js';

/** Shared by the outbox tests (outbox.test.ts, outbox.storage.test.ts). */

export const CODE = 'K7P2QX';

/** localStorage in a Map. `beforeRead` runs once, between reading a value and handing it back. */
export function memoryStorage(data = new Map<string, string>()): OutboxStorage & { data: Map<string, string>; beforeRead: (() => void) | null } {
  return {
    data,
    beforeRead: null,
    getItem(k) {
      const v = data.get(k) ?? null;
      const hook = this.beforeRead;
      this.beforeRead = null;
      hook?.();
      return v;
    },
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
    key: (i) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
}

/** What the device holds for this event, by lead id. */
export function onDisk(storage: { data: Map<string, string> }): Record<string, { state: string; [k: string]: unknown }> {
  const out: Record<string, { state: string }> = {};
  for (const [k, v] of storage.data) if (k.startsWith(outboxPrefix(CODE))) out[k.slice(outboxPrefix(CODE).length)] = JSON.parse(v) as { state: string };
  return out;
}

export function lead(type: LeadSubmitInput['type'] = 'test_drive'): LeadSubmitInput & { id: string } {
  return {
    id: newLeadId(),
    type,
    firstName: 'Camille',
    lastName: 'Martin',
    email: 'camille@example.fr',
    phone: '06 12 34 56 78',
    consent: { contact: true, marketing: false, textVersion: 'contact-v1-2026-11' },
  };
}

export const ok = (id: string, dealerName: string | null = 'Garage du Centre'): LeadAck => ({
  ok: true,
  data: { id, type: 'test_drive', dealerId: dealerName ? 'gc' : null, dealerName, createdAt: '2026-12-01T18:00:00.000Z' },
});

/** A `send` whose answers the test gives, one call at a time. */
export function scriptedSend() {
  const calls: { id: string; answer: (a: LeadAck) => void }[] = [];
  const send: SendLead = (payload) => new Promise((resolve) => calls.push({ id: payload.id, answer: resolve }));
  /** Answers the latest call for `id`. */
  const answer = (id: string, a: LeadAck) => calls.findLast((c) => c.id === id)!.answer(a);
  return { send, calls, answer, ids: () => calls.map((c) => c.id) };
}

/** Lets pending promise callbacks run (answers arrive through a few `then`s). */
export const settle = () => vi.advanceTimersByTimeAsync(0);

let outboxes: Outbox[] = [];
export function open(send: SendLead, storage: OutboxStorage) {
  const o = createOutbox({ code: CODE, send, storage, random: () => 0.5 });
  outboxes.push(o);
  return o;
}

/** Closes every outbox a test opened (afterEach). */
export function disposeAll() {
  for (const o of outboxes) o.dispose();
  outboxes = [];
}
