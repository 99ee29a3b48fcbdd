import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_TIMEOUT_MS, newLeadId, outboxKey, type SendLead } from './outbox.js';
import { CODE, disposeAll, lead, memoryStorage, ok, onDisk, open, scriptedSend, settle } from './outbox.testkit.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  disposeAll();
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
  it('stores a request before sending it, and keeps only a receipt once acknowledged', async () => {
    const storage = memoryStorage();
    const s = scriptedSend();
    const outbox = open(s.send, storage);
    const a = lead();
    outbox.submit(a);
    // Already on disk when the first send goes out.
    expect(JSON.parse(storage.data.get(outboxKey(CODE, a.id))!)).toMatchObject({ state: 'pending', entry: { id: a.id, payload: a } });
    expect(outbox.status(a.id).kind).toBe('pending');
    await settle();
    expect(s.ids()).toEqual([a.id]);

    s.calls[0]!.answer(ok(a.id));
    await settle();
    expect(onDisk(storage)[a.id]).toMatchObject({ state: 'sent' });
    expect(outbox.status(a.id)).toEqual({ kind: 'sent', receipt: expect.objectContaining({ id: a.id, type: 'test_drive', dealerName: 'Garage du Centre' }) });
    // The receipt on disk carries no personal data.
    expect(storage.data.get(outboxKey(CODE, a.id))).not.toMatch(/Camille|example|06 12/);
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
    expect(after.status(a.id)).toEqual({ kind: 'pending', failedAttempts: 0, lastError: null }); // "en cours d'envoi" after the reload
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
    expect(outbox.status(a.id)).toEqual({ kind: 'pending', failedAttempts: 1, lastError: 'timeout' });
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
    expect(Object.keys(onDisk(storage))).toEqual([a.id]);
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

  it('stops on invalid_payload and hands back the field errors, without resending', async () => {
    const issues = [{ path: ['phone'], message: 'not a valid phone number' }];
    const send = vi.fn<SendLead>(() => Promise.resolve({ ok: false, error: { code: 'invalid_payload', message: 'invalid', issues } }));
    const outbox = open(send, memoryStorage());
    const a = lead();
    outbox.submit(a);
    await vi.advanceTimersByTimeAsync(120_000);
    outbox.flush(); // a reconnection does not send it again either
    await vi.advanceTimersByTimeAsync(120_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.status(a.id)).toEqual({ kind: 'refused', error: expect.objectContaining({ code: 'invalid_payload', issues }) });
    expect(outbox.snapshot().pending).toEqual([]);
    expect(outbox.snapshot().refused.map((r) => r.entry.id)).toEqual([a.id]);
  });

  it('keeps a refusal on the device across reloads, with what was typed, until corrected or dismissed', async () => {
    const storage = memoryStorage();
    const issues = [{ path: ['phone'], message: 'not a valid phone number' }];
    const refuse: SendLead = () => Promise.resolve({ ok: false, error: { code: 'invalid_payload', message: 'invalid', issues } });
    // Sent in the background after a reload, the viewer elsewhere: the refusal comes back to nobody.
    const background = open(refuse, storage);
    const [a, b] = [lead('callback'), lead('quote')];
    background.submit(a);
    background.submit(b);
    await settle();
    background.dispose(); // the tab is closed

    const s = scriptedSend();
    const next = open(s.send, storage); // the next day
    expect(next.status(a.id)).toEqual({ kind: 'refused', error: expect.objectContaining({ code: 'invalid_payload', issues }) });
    expect(next.snapshot().refused).toEqual([
      { entry: expect.objectContaining({ id: a.id, payload: a }), error: expect.objectContaining({ issues }) },
      { entry: expect.objectContaining({ id: b.id, payload: b }), error: expect.objectContaining({ issues }) },
    ]);
    next.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.calls).toHaveLength(0); // refused is final: never resent

    // Corrected: a new request (new id) takes its place, and only once it is stored.
    const fixed = { ...a, id: newLeadId(), phone: '06 98 76 54 32' };
    next.submit(fixed, { replaces: a.id });
    expect(next.status(a.id).kind).toBe('unknown');
    expect(onDisk(storage)[a.id]).toBeUndefined();
    expect(onDisk(storage)[fixed.id]).toMatchObject({ state: 'pending' });
    // Dismissed: forgotten on the device too.
    next.dismiss(b.id);
    expect(next.snapshot().refused).toEqual([]);
    expect(onDisk(storage)[b.id]).toBeUndefined();
    next.dismiss(fixed.id); // only refusals can be dismissed
    expect(next.status(fixed.id).kind).toBe('pending');
  });

  it('keeps a conflict refused (the server holds another request under this id)', async () => {
    const storage = memoryStorage();
    const send = vi.fn<SendLead>(() => Promise.resolve({ ok: false, error: { code: 'conflict', message: 'conflict' } }));
    const outbox = open(send, storage);
    const a = lead();
    outbox.submit(a);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.status(a.id)).toMatchObject({ kind: 'refused', error: { code: 'conflict' } });
    expect(open(send, storage).status(a.id)).toMatchObject({ kind: 'refused', error: { code: 'conflict' } });
  });

  it('sends each request on its own, in the order they were made, across a reload too', async () => {
    const storage = memoryStorage();
    const offline: SendLead = () => Promise.resolve({ ok: false, error: { code: 'network', message: 'not connected' } });
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
    expect(s.ids()).toEqual([a.id, b.id, c.id]); // nobody waits for another's ack
    s.answer(b.id, { ok: false, error: { code: 'rate_limited', message: 'slow down' } });
    s.answer(c.id, ok(c.id));
    await settle();
    expect(second.status(b.id)).toEqual({ kind: 'pending', failedAttempts: 1, lastError: 'rate_limited' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.ids()).toEqual([a.id, b.id, c.id, b.id]);
    s.answer(a.id, ok(a.id));
    s.answer(b.id, ok(b.id));
    await settle();
    expect(second.snapshot().sent.map((r) => r.id)).toEqual([c.id, a.id, b.id]); // in the order acknowledged
    expect(second.snapshot().pending).toEqual([]);
  });

  it('does not let a lead the server keeps failing (internal) hold back the others, and keeps retrying it', async () => {
    const tries = new Map<string, number>();
    let broken = '';
    const send: SendLead = (p) => {
      tries.set(p.id, (tries.get(p.id) ?? 0) + 1);
      return Promise.resolve(p.id === broken ? { ok: false, error: { code: 'internal', message: 'internal error' } } : ok(p.id));
    };
    const outbox = open(send, memoryStorage());
    const [a, b] = [lead('quote'), lead('brochure')];
    broken = a.id;
    outbox.submit(a);
    await vi.advanceTimersByTimeAsync(5_000); // tried at 0, 1 s and 3 s
    outbox.submit(b);
    await settle();
    expect(outbox.status(b.id).kind).toBe('sent');
    expect(outbox.status(a.id)).toEqual({ kind: 'pending', failedAttempts: 3, lastError: 'internal' });

    // And the next ones too.
    const c = lead('callback');
    outbox.submit(c);
    await settle();
    expect(outbox.status(c.id).kind).toBe('sent');
    await vi.advanceTimersByTimeAsync(55_000); // then at 7, 15, 30, 45 and 60 s
    expect(tries.get(a.id)).toBe(8);
    expect([tries.get(b.id), tries.get(c.id)]).toEqual([1, 1]);
    broken = '';
    await vi.advanceTimersByTimeAsync(15_000);
    expect(outbox.status(a.id).kind).toBe('sent');
  });

  it('two tabs adding and settling at the same time keep each other’s requests', async () => {
    const data = new Map<string, string>();
    // Tab 1 reads, tab 2 writes, tab 1 writes: what two browser processes sharing localStorage may do.
    const tab1Storage = memoryStorage(data);
    const s1 = scriptedSend();
    const s2 = scriptedSend();
    const tab1 = open(s1.send, tab1Storage);
    const tab2 = open(s2.send, memoryStorage(data));
    const [a, b, c] = [lead('test_drive'), lead('quote'), lead('brochure')];

    tab1Storage.beforeRead = () => tab2.submit(b);
    tab1.submit(a);
    await settle();
    expect(open(scriptedSend().send, memoryStorage(data)).snapshot().pending.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());

    tab1Storage.beforeRead = () => tab2.submit(c); // while tab 1 settles its request
    s1.answer(a.id, ok(a.id));
    await settle();
    expect(tab1Storage.beforeRead).toBeNull();
    s2.answer(b.id, ok(b.id));
    s2.answer(c.id, ok(c.id));
    await settle();

    const reloaded = open(scriptedSend().send, memoryStorage(data));
    expect(reloaded.snapshot().pending).toEqual([]);
    expect(reloaded.snapshot().sent.map((r) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    tab1.refresh(); // the `storage` event from tab 2
    expect(tab1.snapshot().sent).toHaveLength(3);
  });
});
