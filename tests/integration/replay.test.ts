import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import { REPLAY_POSE_INTERVAL_MS, REPLAY_POSE_STRIDE, type Replay } from '../../shared/replay.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { ask, brochureLead, startServer, viewerId, type TestServer } from './harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pose = (x: number, t: number): Pose => ({ position: [x, 1.5, 5], target: [0, 0.6, 0], fov: 40, t });

async function getReplay(code: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/replay/${code}`, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Replay & { error?: { code: string; message: string } } };
}

/** Pose `i` of a replay's flat list: `{t, x, fly}`. */
const posesOf = (r: Replay) =>
  Array.from({ length: r.poses.length / REPLAY_POSE_STRIDE }, (_, i) => {
    const p = r.poses.slice(i * REPLAY_POSE_STRIDE, (i + 1) * REPLAY_POSE_STRIDE);
    return { t: p[0]!, x: p[1]!, fly: p[8] === 1 };
  });

describe('the replay: recorded while live, served after the end', () => {
  it('records poses at ≤ 10 Hz (the last one always), chapters and answered questions, relative to the start', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    // Before the start: a rehearsal, not recorded.
    host.socket.emit('camera:set', pose(9, 1_000));
    expect(await ask(host.socket, 'qa:mode', { mode: 'open' })).toMatchObject({ ok: true });
    expect(await ask(host.socket, 'event:start', {})).toEqual({ ok: true });
    const startedAt = Date.now();

    // 1.5 s of orbiting at 50 Hz: 75 poses in, at most ~16 recorded.
    for (let i = 0; i < 75; i++) {
      host.socket.emit('camera:set', pose(1 + i / 100, 2_000 + i * 20));
      await sleep(20);
    }
    const chapter = DEMO_VEHICLE.chapters.length - 1;
    expect(await ask(host.socket, 'chapter:set', { index: chapter })).toEqual({ ok: true });
    const asked = (await ask(viewer.socket, 'question:ask', { id: crypto.randomUUID(), text: 'Autonomie en hiver ?', name: 'Léa' })) as { ok: boolean; data: { id: string } };
    expect(await ask(host.socket, 'question:moderate', { id: asked.data.id, action: 'pin' })).toMatchObject({ ok: true });
    await sleep(150);
    expect(await ask(host.socket, 'question:moderate', { id: asked.data.id, action: 'answer' })).toMatchObject({ ok: true });
    expect(await ask(viewer.socket, 'question:moderate', { id: asked.data.id, action: 'answer' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await getReplay(ev.code)).status).toBe(409);
    expect(await ask(host.socket, 'event:end', {})).toEqual({ ok: true });
    const endedAt = Date.now();
    // After the end: not recorded either.
    host.socket.emit('camera:set', pose(42, 9_000));
    await sleep(REPLAY_POSE_INTERVAL_MS * 2);

    const { status, body, headers } = await getReplay(ev.code, { 'accept-encoding': 'gzip' });
    expect(status).toBe(200);
    expect(headers.get('content-encoding')).toBe('gzip');
    expect(body.event).toMatchObject({ id: ev.id, code: ev.code, status: 'ended' });
    expect(body.event.vehicle.chapters.length).toBe(DEMO_VEHICLE.chapters.length);
    expect(body.durationMs).toBeGreaterThan(1_400);
    expect(body.durationMs).toBeLessThanOrEqual(endedAt - startedAt + 50);

    const poses = posesOf(body);
    // The start's pose (the rehearsal's last one), the orbit, the chapter's flight; never 9 again nor 42.
    expect(poses[0]).toMatchObject({ t: 0, x: 9 });
    expect(poses.some((p) => p.x === 42)).toBe(false);
    const orbit = poses.filter((p) => !p.fly && p.t > 0);
    expect(orbit.length).toBeGreaterThanOrEqual(10);
    expect(orbit.length).toBeLessThanOrEqual(18);
    for (let i = 1; i < poses.length; i++) expect(poses[i]!.t - poses[i - 1]!.t).toBeGreaterThanOrEqual(poses[i]!.fly ? 0 : REPLAY_POSE_INTERVAL_MS - 2);
    // Where the hand stopped is recorded (the 75th pose), then the flight.
    expect(orbit[orbit.length - 1]!.x).toBeCloseTo(1.74, 3);
    const flight = poses[poses.length - 1]!;
    expect(flight).toMatchObject({ fly: true, x: DEMO_VEHICLE.chapters[chapter]!.pose.position[0] });

    expect(body.presentation[0]).toMatchObject({ t: 0, chapter: 0 });
    const last = body.presentation[body.presentation.length - 1]!;
    expect(last).toMatchObject({ chapter });
    expect(last.t).toBeGreaterThanOrEqual(1_400);
    expect(body.questions.map((q) => [q.question.status, q.question.pinned])).toEqual([
      ['visible', true],
      ['answered', false],
    ]);
    expect(body.questions[1]!.question).toMatchObject({ text: 'Autonomie en hiver ?', name: 'Léa' });
    expect(JSON.stringify(body)).not.toContain(viewerId(1));
    expect(body.questions[1]!.t - body.questions[0]!.t).toBeGreaterThanOrEqual(140);
  });

  it('answers clearly before the end, for an event never live, and for an unknown code', async () => {
    const ev = await server.createEvent();
    const before = await getReplay(ev.code);
    expect(before.status).toBe(409);
    expect(before.body.error).toMatchObject({ code: 'not_live', message: 'The replay opens when the event has ended.' });
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    expect(await ask(host.socket, 'event:end', {})).toEqual({ ok: true });
    expect((await getReplay(ev.code)).body.error?.code).toBe('no_replay');
    expect((await getReplay('ZZZZZZ')).status).toBe(404);
  });

  it('a replay socket sends leads tagged "replay", nothing else, and is not in the audience', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    await expect(server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2), replay: true })).rejects.toThrow('not_live');
    expect(await ask(host.socket, 'event:start', {})).toEqual({ ok: true });
    const live = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    expect(await ask(live.socket, 'lead:submit', brochureLead(1))).toMatchObject({ ok: true });
    expect(await ask(host.socket, 'event:end', {})).toEqual({ ok: true });

    const watcher = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2), replay: true });
    expect(watcher.state.event.status).toBe('ended');
    // The live viewer is still there; the watcher is not counted.
    expect(watcher.state.viewers).toBe(1);
    const lead = brochureLead(2);
    expect(await ask(watcher.socket, 'lead:submit', lead)).toMatchObject({ ok: true });
    expect(await ask(watcher.socket, 'lead:submit', lead)).toMatchObject({ ok: true });
    for (const [name, payload] of [
      ['question:ask', { id: crypto.randomUUID(), text: 'Et le prix ?' }],
      ['reaction:send', { emoji: '🔥' }],
      ['hotspot:open', { id: DEMO_VEHICLE.hotspots[0]!.id }],
    ] as const) {
      expect(await ask(watcher.socket, name, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    await expect(server.join({ code: ev.code, role: 'host', key: ev.hostKey, replay: true })).rejects.toThrow('not_live');

    const res = await fetch(`${server.url}/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
    const { leads } = (await res.json()) as { leads: { email: string; source: string }[] };
    expect(leads.map((l) => [l.email, l.source]).sort()).toEqual([
      [brochureLead(1).email, 'live'],
      [lead.email, 'replay'],
    ]);
    // The report's audience is the live one: the replay's watcher is not a viewer of the launch.
    await server.app.realtime.recorder.flush();
    const sessions = await server.store.audience.sessions(ev.id);
    expect(new Set(sessions.map((s) => s.viewerId))).toEqual(new Set([viewerId(1)]));
  });
});
