import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import { io as connectClient } from 'socket.io-client';
import { ask, collect, next, startServer, viewerId, type TestServer } from './harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const pose = (x: number, t = Date.now()): Pose => ({ position: [x, 1.5, 5], target: [0, 0.6, 0], fov: 40, t });

describe('live room', () => {
  it('relays the host pose to every viewer and not back to the host', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewers = await Promise.all([1, 2, 3].map((n) => server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(n) })));
    const hostGot = collect(host.socket, 'camera:pose');
    const received = viewers.map((v) => next(v.socket, 'camera:pose'));
    host.socket.emit('camera:set', pose(2.5));
    for (const p of await Promise.all(received)) expect(p.position).toEqual([2.5, 1.5, 5]);
    expect(await ask(host.socket, 'cta:close', {})).toEqual({ ok: true }); // a round trip: any pose echo would have arrived
    expect(hostGot).toEqual([]);
  });

  it('writes each pose as one pre-built frame to WebSocket viewers, and emits it to a long-polling one', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewers = await Promise.all([1, 2].map((n) => server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(n) })));
    const polling = connectClient(server.url, { auth: { code: ev.code, role: 'viewer', viewerId: viewerId(3) }, transports: ['polling'], reconnection: false, forceNew: true });
    await new Promise((resolve) => polling.once('state', resolve));
    const relay = server.app.realtime.relay;
    const before = { direct: relay.direct, emitted: relay.emitted };
    const received = [...viewers.map((v) => next(v.socket, 'camera:pose')), new Promise<Pose>((resolve) => polling.once('camera:pose', resolve))];
    host.socket.emit('camera:set', pose(6.5, 42));
    for (const p of await Promise.all(received)) expect(p).toEqual(pose(6.5, 42));
    expect({ direct: relay.direct - before.direct, emitted: relay.emitted - before.emitted }).toEqual({ direct: 2, emitted: 1 });
    polling.disconnect();
  });

  it('gives a late joiner the last pose, the presentation and the viewer count in `state`', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const early = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const got = next(early.socket, 'camera:pose');
    host.socket.emit('camera:set', pose(1));
    host.socket.emit('camera:set', pose(-3.25));
    expect(await ask(host.socket, 'variant:set', { id: 'rouge-rubis' })).toEqual({ ok: true });
    await got;
    const late = await server.join({ code: ev.code.toLowerCase(), role: 'viewer', viewerId: viewerId(2), name: 'Léa' });
    expect(late.state.presentation.pose?.position).toEqual([-3.25, 1.5, 5]);
    expect(late.state.presentation.variant).toBe('rouge-rubis');
    expect(late.state.viewers).toBe(2);
    expect(late.state.event).toMatchObject({ id: ev.id, code: ev.code, status: 'scheduled' });
    expect(late.state.event).not.toHaveProperty('hostKey');
    expect(late.state.you).toEqual({ role: 'viewer', viewerId: viewerId(2) });
  });

  it('coalesces a burst of poses: the last one always arrives, stale ones are not queued', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const seen = collect(viewer.socket, 'camera:pose');
    for (let i = 1; i <= 50; i++) host.socket.emit('camera:set', pose(i / 10, i));
    await ask(host.socket, 'cta:close', {});
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.at(-1)?.t).toBe(50);
    expect(seen.length).toBeLessThan(50);
  });

  it('pushes status changes to everybody and refuses to restart an ended event', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const live = next(viewer.socket, 'event:status');
    expect(await ask(host.socket, 'event:start', {})).toEqual({ ok: true });
    const wentLive = await live;
    expect(wentLive).toEqual({ status: 'live', startedAt: expect.any(String), endedAt: null });
    expect(await ask(host.socket, 'event:start', {})).toEqual({ ok: true });
    const ended = next(viewer.socket, 'event:status');
    expect(await ask(host.socket, 'event:end', {})).toEqual({ ok: true });
    expect(await ended).toEqual({ status: 'ended', startedAt: wentLive.startedAt, endedAt: expect.any(String) });
    const again = await ask(host.socket, 'event:start', {});
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const stored = await server.store.events.findById(ev.id);
    expect(stored).toMatchObject({ status: 'ended' });
    expect(stored?.startedAt).not.toBeNull();
    expect(stored?.endedAt).not.toBeNull();
  });

  it('counts distinct viewers in presence, not the host nor a second tab', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const b = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    let presence = await next(host.socket, 'presence');
    while (presence.viewers !== 2) presence = await next(host.socket, 'presence');
    expect(presence.viewers).toBe(2);
    b.socket.disconnect();
    expect(await next(host.socket, 'presence')).toEqual({ viewers: 1 });
  });

  it('saves where the presentation stood when the room closes', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    // The chapter's own view first; the presenter then turns the car from there.
    expect(await ask(host.socket, 'chapter:set', { index: 3 })).toEqual({ ok: true });
    host.socket.emit('camera:set', pose(4.5));
    // An acked command after the pose: it has reached the server before the host leaves.
    expect(await ask(host.socket, 'cta:open', { kind: 'test_drive' })).toEqual({ ok: true });
    host.socket.disconnect();
    // The room closes with its last socket and saves where it stood.
    await expect.poll(async () => (await server.store.events.findById(ev.id))?.presentation.pose?.position[0]).toBe(4.5);
    const stored = await server.store.events.findById(ev.id);
    expect(stored?.presentation).toMatchObject({ chapter: 3, cta: 'test_drive' });
  });
});

describe('refusals', () => {
  it('refuses a wrong host key with `unauthorized` and an unknown code with `not_found`', async () => {
    const ev = await server.createEvent();
    await expect(server.join({ code: ev.code, role: 'host', key: 'not-the-key' })).rejects.toThrow('unauthorized');
    await expect(server.join({ code: ev.code, role: 'host' })).rejects.toThrow('unauthorized');
    await expect(server.join({ code: 'ZZZZZZ', role: 'viewer' })).rejects.toThrow('not_found');
    await expect(server.join({ code: 'O0O0O0', role: 'viewer' })).rejects.toThrow('not_found');
    await expect(server.join({ code: ev.code, role: 'admin' } as never)).rejects.toThrow('invalid_payload');
  });

  it('refuses a browser socket from another origin', async () => {
    const ev = await server.createEvent();
    await expect(server.join({ code: ev.code, role: 'viewer' }, { origin: 'https://evil.example' })).rejects.toThrow();
    const ok = await server.join({ code: ev.code, role: 'viewer' }, { origin: server.url });
    expect(ok.state.event.code).toBe(ev.code);
  });

  it("answers a viewer's host commands `forbidden` and relays nothing", async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const other = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    const otherPoses = collect(other.socket, 'camera:pose');
    const otherChanges = collect(other.socket, 'presentation:changed');
    expect(await ask(viewer.socket, 'camera:set', pose(9))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(viewer.socket, 'chapter:set', { index: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(viewer.socket, 'event:start', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await ask(host.socket, 'cta:close', {}); // the one legitimate change, as a marker
    await expect.poll(() => otherChanges.length).toBe(1);
    expect(otherPoses).toEqual([]);
    expect((await server.store.events.findById(ev.id))?.status).toBe('scheduled');
  });

  it('answers malformed payloads `invalid_payload` with issues, and keeps serving', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const bad = [
      ['camera:set', { position: [1, 2], target: [0, 0, 0], t: 1 }],
      ['camera:set', { position: ['x', 2, 3], target: [0, 0, 0], t: 1 }],
      ['camera:set', 'pose'],
      ['chapter:set', { index: -1 }],
      ['chapter:set', { index: 1.5 }],
      ['variant:set', {}],
      ['cta:open', { kind: 'free_car' }],
      ['event:start', { extra: true }],
    ] as const;
    for (const [name, payload] of bad) {
      const res = await ask(host.socket, name, payload);
      expect(res, name).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    const issues = (await ask(host.socket, 'chapter:set', { index: 'two' })).error?.issues;
    expect(issues?.[0]).toMatchObject({ path: ['index'] });
    expect(await ask(host.socket, 'variant:set', { id: 'rose-bonbon' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await ask(host.socket, 'no:such:event', {})).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await ask(host.socket, 'chapter:set')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // Still serving: a good command works and the viewer hears it.
    const changed = next(viewer.socket, 'presentation:changed');
    expect(await ask(host.socket, 'chapter:set', { index: 2 })).toEqual({ ok: true });
    expect(await changed).toMatchObject({ chapter: 2 });
  });
});
