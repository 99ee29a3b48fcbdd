import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { legacyOutboxKey, legacyReceiptsKey, newLeadId, type OutboxStorage } from './outbox.js';
import { CODE, disposeAll, lead, memoryStorage, ok, onDisk, open, scriptedSend, settle } from './outbox.testkit.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  disposeAll();
  vi.useRealTimers();
});

describe('outbox storage', () => {
  it('sends a request queued under the old single key, and keeps the old receipts', async () => {
    const storage = memoryStorage();
    const [a, b] = [lead('test_drive'), lead('quote')];
    const old = newLeadId();
    storage.data.set(
      legacyOutboxKey(CODE),
      JSON.stringify([
        { id: a.id, payload: a, queuedAt: '2020-12-01T18:00:00.000Z' },
        { id: b.id, payload: b, queuedAt: '2020-12-01T18:01:00.000Z' },
      ]),
    );
    storage.data.set(legacyReceiptsKey(CODE), JSON.stringify([{ id: old, type: 'brochure', dealerName: null, at: '2020-11-30T10:00:00.000Z' }]));
    const s = scriptedSend();
    const outbox = open(s.send, storage);
    expect(outbox.snapshot().pending.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(outbox.snapshot().sent.map((r) => r.id)).toEqual([old]);
    expect(storage.data.has(legacyOutboxKey(CODE))).toBe(false);
    expect(storage.data.has(legacyReceiptsKey(CODE))).toBe(false);
    outbox.flush();
    await settle();
    expect(s.ids()).toEqual([a.id, b.id]);
    s.answer(a.id, ok(a.id));
    s.answer(b.id, ok(b.id));
    await settle();
    expect(outbox.snapshot().sent.map((r) => r.id)).toEqual([old, a.id, b.id]);
  });


  it('keeps the latest 20 receipts', async () => {
    const storage = memoryStorage();
    const outbox = open((p) => Promise.resolve(ok(p.id)), storage);
    const leads = Array.from({ length: 23 }, () => lead('brochure'));
    for (const l of leads) {
      outbox.submit(l);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(outbox.snapshot().sent.map((r) => r.id)).toEqual(leads.slice(3).map((l) => l.id));
    expect(Object.keys(onDisk(storage))).toHaveLength(20);
  });


  it('keeps working in memory when storage throws (private mode)', async () => {
    const fail = () => {
      throw new Error('SecurityError');
    };
    const broken: OutboxStorage = { getItem: fail, setItem: fail, removeItem: fail, key: fail, get length(): number { return fail(); } };
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
