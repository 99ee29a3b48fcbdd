import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeadSubmitInput } from '../../shared/lead.js';
import { ACK_TIMEOUT_MS, createOutbox, newLeadId, outboxKey, receiptsKey, type LeadAck, type Outbox, type OutboxStorage, type SendLead } from './outbox.js';

const CODE = 'K7P2QX';

function memoryStorage(): OutboxStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function lead(type: LeadSubmitInput['type'] = 'test_drive'): LeadSubmitInput & { id: string } {
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

const ok = (id: string, dealerName: string | null = 'Garage du Centre'): LeadAck => ({
  ok: true,
  data: { id, type: 'test_drive', dealerId: dealerName ? 'gc' : null, dealerName, createdAt: '2026-12-01T18:00:00.000Z' },
});

/** A `send` whose answers the test gives, one call at a time. */
function scriptedSend() {
  const calls: { id: string; answer: (a: LeadAck) => void }[] = [];
  const send: SendLead = (payload) => new Promise((resolve) => calls.push({ id: payload.id, answer: resolve }));
  return { send, calls, ids: () => calls.map((c) => c.id) };
}

/** Lets pending promise callbacks run (answers arrive through a few `then`s). */
const settle = () => vi.advanceTimersByTimeAsync(0);

let outboxes: Outbox[] = [];
function open(send: SendLead, storage: OutboxStorage) {
  const o = createOutbox({ code: CODE, send, storage, random: () => 0.5 });
  outboxes.push(o);
  return o;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const o of outboxes) o.dispose();
  outboxes = [];
  vi.useRealTimers();
});

describe('newLeadId', () => {
  it('makes RFC 4122 version 4 UUIDs from getRandomValues', () => {
    const ids = new Set(Array.from({ length: 200 }, newLeadId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('outbox', () => {
  it('stores a request before sending it, and forgets it once acknowledged', async () => {
    const storage = memoryStorage();
    const s = scriptedSend();
    const outbox = open(s.send, storage);
    const a = lead();
    outbox.submit(a);
    // Already on disk when the first send goes out.
    expect(JSON.parse(storage.data.get(outboxKey(CODE))!)).toEqual([expect.objectContaining({ id: a.id, payload: a })]);
    expect(outbox.status(a.id).kind).toBe('pending');
    await settle();
    expect(s.ids()).toEqual([a.id]);

    s.calls[0]!.answer(ok(a.id));
    await settle();
    expect(JSON.parse(storage.data.get(outboxKey(CODE))!)).toEqual([]);
    expect(outbox.status(a.id)).toEqual({ kind: 'sent', receipt: expect.objectContaining({ id: a.id, type: 'test_drive', dealerName: 'Garage du Centre' }) });
    // The receipt on disk carries no personal data.
    expect(storage.data.get(receiptsKey(CODE))).not.toMatch(/Camille|example|06 12/);
  });

  it('survives a reload: a new instance on the same storage sends what the last one could not', async () => {
    const storage = memoryStorage();
    const offline: SendLead = () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'not connected' } });
    const before = open(offline, storage);
    const a = lead();
    before.submit(a);
    await settle();
    before.dispose(); // the tab is closed

    const s = scriptedSend();
    const after = open(s.send, storage);
    expect(after.status(a.id)).toEqual({ kind: 'pending', failedAttempts: 0 }); // "en cours d'envoi" after the reload
    after.flush(); // page load / connection
    await settle();
    expect(s.ids()).toEqual([a.id]);
    expect(s.calls).toHaveLength(1);
    s.calls[0]!.answer(ok(a.id));
    await settle();
    expect(after.status(a.id).kind).toBe('sent');
    expect(after.snapshot().pending).toEqual([]);

    // A third page load sends nothing again.
    const s2 = scriptedSend();
    open(s2.send, storage).flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s2.calls).toHaveLength(0);
  });

  it('retries with the same id after an ack timeout, then stops once acknowledged', async () => {
    const s = scriptedSend();
    const outbox = open(s.send, memoryStorage());
    const a = lead();
    outbox.submit(a);
    await settle();
    expect(s.calls).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS - 1);
    expect(s.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // the ack is lost
    expect(outbox.status(a.id)).toEqual({ kind: 'pending', failedAttempts: 1 });
    await vi.advanceTimersByTimeAsync(1_000); // first retry after 1 s
    expect(s.ids()).toEqual([a.id, a.id]);

    s.calls[1]!.answer(ok(a.id));
    await settle();
    expect(outbox.status(a.id).kind).toBe('sent');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(s.calls).toHaveLength(2);
  });

  it('keeps retrying on rate_limited, internal and disconnects, backing off up to 15 s', async () => {
    const times: number[] = [];
    const codes = ['rate_limited', 'internal', 'internal', 'rate_limited', 'internal', 'internal', 'internal'];
    const send: SendLead = (p) => {
      times.push(Date.now());
      const code = codes[times.length - 1];
      return Promise.resolve(code ? { ok: false, error: { code, message: code === 'internal' ? 'not connected' : code } } : ok(p.id));
    };
    const outbox = open(send, memoryStorage());
    const a = lead();
    const t0 = Date.now();
    outbox.submit(a);
    await vi.advanceTimersByTimeAsync(100_000);
    expect(times.map((t) => t - t0)).toEqual([0, 1_000, 3_000, 7_000, 15_000, 30_000, 45_000, 60_000]);
    expect(outbox.status(a.id).kind).toBe('sent');
  });

  it('sends everything again at once on a (re)connection, whatever the backoff', async () => {
    let online = false;
    const sent: string[] = [];
    const send: SendLead = (p) => {
      sent.push(p.id);
      return Promise.resolve(online ? ok(p.id) : { ok: false, error: { code: 'internal', message: 'not connected' } });
    };
    const outbox = open(send, memoryStorage());
    const a = lead();
    outbox.submit(a);
    await vi.advanceTimersByTimeAsync(20_000); // several failed attempts, next one is 15 s away
    const tries = sent.length;
    online = true;
    outbox.flush(); // a fresh `state` arrived
    await settle();
    expect(sent).toHaveLength(tries + 1);
    expect(outbox.status(a.id).kind).toBe('sent');
  });

  it('keeps one entry when the same request is acknowledged twice', async () => {
    const storage = memoryStorage();
    const s = scriptedSend();
    const outbox = open(s.send, storage);
    const a = lead();
    outbox.submit(a);
    outbox.submit(a); // a double tap on "Envoyer"
    await settle();
    outbox.flush(); // reconnected while the first send was in flight: it goes again
    await settle();
    expect(s.ids()).toEqual([a.id, a.id]);
    s.calls[0]!.answer(ok(a.id));
    s.calls[1]!.answer(ok(a.id));
    await settle();
    const receipts = JSON.parse(storage.data.get(receiptsKey(CODE))!) as { id: string }[];
    expect(receipts.map((r) => r.id)).toEqual([a.id]);
    expect(outbox.snapshot().sent).toHaveLength(1);
    expect(outbox.snapshot().pending).toEqual([]);

    outbox.submit(a); // after the ack: still nothing new
    await settle();
    expect(s.calls).toHaveLength(2);
  });

  it('counts an erased lead as sent', async () => {
    const outbox = open((p) => Promise.resolve({ ok: true, data: { id: p.id, erased: true as const } }), memoryStorage());
    const a = lead();
    outbox.submit(a);
    await settle();
    expect(outbox.status(a.id)).toEqual({ kind: 'sent', receipt: expect.objectContaining({ id: a.id, dealerName: null }) });
  });

  it('stops on invalid_payload, drops the request and hands back the field errors', async () => {
    const storage = memoryStorage();
    const issues = [{ path: ['phone'], message: 'not a valid phone number' }];
    const send = vi.fn<SendLead>(() => Promise.resolve({ ok: false, error: { code: 'invalid_payload', message: 'invalid', issues } }));
    const outbox = open(send, storage);
    const a = lead();
    outbox.submit(a);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.status(a.id)).toEqual({ kind: 'refused', error: expect.objectContaining({ code: 'invalid_payload', issues }) });
    expect(JSON.parse(storage.data.get(outboxKey(CODE))!)).toEqual([]);
    expect(outbox.snapshot().refused.map((r) => r.entry.id)).toEqual([a.id]);
    outbox.dismiss(a.id);
    expect(outbox.status(a.id).kind).toBe('unknown');
  });

  it('stops on conflict', async () => {
    const send = vi.fn<SendLead>(() => Promise.resolve({ ok: false, error: { code: 'conflict', message: 'conflict' } }));
    const outbox = open(send, memoryStorage());
    const a = lead();
    outbox.submit(a);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.status(a.id)).toMatchObject({ kind: 'refused', error: { code: 'conflict' } });
  });

  it('sends requests one at a time, in the order they were made, across a reload too', async () => {
    const storage = memoryStorage();
    const offline: SendLead = () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'not connected' } });
    const first = open(offline, storage);
    const [a, b, c] = [lead('test_drive'), lead('brochure'), lead('callback')];
    first.submit(a);
    first.submit(b);
    first.submit(c);
    await settle();
    first.dispose();

    const s = scriptedSend();
    const second = open(s.send, storage);
    expect(second.snapshot().pending.map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    second.flush();
    await settle();
    expect(s.ids()).toEqual([a.id]); // b waits for a's ack
    s.calls[0]!.answer(ok(a.id));
    await settle();
    expect(s.ids()).toEqual([a.id, b.id]);
    s.calls[1]!.answer({ ok: false, error: { code: 'rate_limited', message: 'slow down' } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.ids()).toEqual([a.id, b.id, b.id]); // c still behind b
    s.calls[2]!.answer(ok(b.id));
    await settle();
    s.calls[3]!.answer(ok(c.id));
    await settle();
    expect(s.ids()).toEqual([a.id, b.id, b.id, c.id]);
    expect(second.snapshot().sent.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
  });

  it('keeps working in memory when storage throws (private mode)', async () => {
    const broken: OutboxStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const s = scriptedSend();
    const outbox = open(s.send, broken);
    const a = lead();
    outbox.submit(a);
    await settle();
    expect(outbox.status(a.id).kind).toBe('pending');
    s.calls[0]!.answer(ok(a.id));
    await settle();
    expect(outbox.status(a.id).kind).toBe('sent');
  });
});
