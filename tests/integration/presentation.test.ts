import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import { DEMO_VEHICLE, hotspotPose, type VehicleSetup } from '../../shared/vehicle.js';
import { ask, collect, next, startServer, viewerId, type TestServer } from './harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const pose = (x: number, t = Date.now()): Pose => ({ position: [x, 1.5, 5], target: [0, 0.6, 0], fov: 40, t });

async function putVehicle(eventId: string, key: string, body: unknown) {
  const res = await fetch(`${server.url}/api/events/${eventId}/vehicle`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; issues?: { path: unknown[] }[] } } };
}

const staged = (over: Partial<VehicleSetup> = {}): VehicleSetup => ({
  name: 'Aura GT',
  modelVariants: true,
  paints: [
    { id: 'noir-onyx', name: 'Noir Onyx', color: '#0b0b0f', metalness: 0.7, roughness: 0.3, clearcoat: 1 },
    { id: 'orange-solaire', name: 'Orange Solaire', color: '#e86a1c', metalness: 0.5, roughness: 0.35, clearcoat: 1 },
  ],
  bodyMaterials: [],
  hotspots: [{ id: 'coffre', title: 'Coffre de 520 l', text: 'Seuil bas.', position: [-2.3, 0.8, 0], normal: [-1, 0, 0], cta: 'brochure' }],
  chapters: [
    { id: 'intro', title: 'Extérieur', pose: { position: [4, 1.5, 5], target: [0, 0.6, 0], fov: 40, t: 0 } },
    { id: 'arriere', title: 'Coffre', pose: { position: [-6, 1.6, 0.5], target: [-1.5, 0.7, 0], fov: 38, t: 0 }, variant: 'orange-solaire', hotspot: 'coffre' },
  ],
  ...over,
});

describe('chapters, variants and hotspots between a presenter and viewers', () => {
  it('a chapter change moves every viewer (a fly pose), sets its variant and opens its hotspot; a late joiner lands on it', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    expect(host.state.event.vehicle.chapters.map((c) => c.id)).toEqual(DEMO_VEHICLE.chapters.map((c) => c.id));
    const viewers = await Promise.all([1, 2].map((n) => server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(n) })));
    host.socket.emit('camera:set', pose(3, 5_000));
    await Promise.all(viewers.map((v) => next(v.socket, 'camera:pose')));

    const chapter = DEMO_VEHICLE.chapters.findIndex((c) => c.id === 'recharge');
    const target = DEMO_VEHICLE.chapters[chapter]!;
    const poses = viewers.map((v) => next(v.socket, 'camera:pose'));
    const changes = viewers.map((v) => next(v.socket, 'presentation:changed'));
    const focused = viewers.map((v) => next(v.socket, 'hotspot:focused'));
    const hostFly = next(host.socket, 'camera:pose');
    expect(await ask(host.socket, 'chapter:set', { index: chapter })).toEqual({ ok: true });
    for (const p of await Promise.all(poses)) {
      expect(p).toMatchObject({ position: target.pose.position, target: target.pose.target, fly: true });
      // Stamped after the presenter's last pose: no screen drops it as older than what it shows.
      expect(p.t).toBeGreaterThan(5_000);
    }
    for (const c of await Promise.all(changes)) expect(c).toMatchObject({ chapter, hotspot: target.hotspot });
    for (const f of await Promise.all(focused)) expect(f).toEqual({ id: target.hotspot });
    // The presenter's console is not in the viewers' channel: it gets the fly pose on its own.
    expect(await hostFly).toMatchObject({ position: target.pose.position, fly: true });

    const late = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(3) });
    expect(late.state.presentation).toMatchObject({ chapter, hotspot: target.hotspot, pose: { position: target.pose.position } });

    // The chapter with a variant repaints; out of range is refused and changes nothing.
    const paintChapter = DEMO_VEHICLE.chapters.findIndex((c) => c.variant);
    const repaint = next(viewers[0]!.socket, 'presentation:changed');
    expect(await ask(host.socket, 'chapter:set', { index: paintChapter })).toEqual({ ok: true });
    expect(await repaint).toMatchObject({ chapter: paintChapter, variant: DEMO_VEHICLE.chapters[paintChapter]!.variant, hotspot: null });
    expect(await ask(host.socket, 'chapter:set', { index: 42 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('variant:set repaints every screen, and only with a variant the vehicle has', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const changed = next(viewer.socket, 'presentation:changed');
    expect(await ask(host.socket, 'variant:set', { id: 'vert-lagon' })).toEqual({ ok: true });
    expect(await changed).toMatchObject({ variant: 'vert-lagon' });
    expect(await ask(host.socket, 'variant:set', { id: 'noir-onyx' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await server.store.events.findById(ev.id))?.presentation.variant).toBe('vert-lagon');
  });

  it('hotspot:focus flies everybody to it and opens its card; blur closes it; viewers may not focus', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const h = DEMO_VEHICLE.hotspots[1]!;
    const fly = next(viewer.socket, 'camera:pose');
    const focused = next(viewer.socket, 'hotspot:focused');
    expect(await ask(host.socket, 'hotspot:focus', { id: h.id })).toEqual({ ok: true });
    expect(await focused).toEqual({ id: h.id });
    const p = await fly;
    const expected = hotspotPose(h);
    expect(p).toMatchObject({ position: expected.position, target: h.position, fly: true });
    const blurred = next(viewer.socket, 'presentation:changed');
    expect(await ask(host.socket, 'hotspot:blur', {})).toEqual({ ok: true });
    expect(await blurred).toMatchObject({ hotspot: null });
    expect(await ask(viewer.socket, 'hotspot:focus', { id: h.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(host.socket, 'hotspot:focus', { id: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('counts hotspot opens per viewer for the report, and refuses unknown hotspots', async () => {
    const ev = await server.createEvent();
    const a = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const b = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    expect(await ask(a.socket, 'hotspot:open', { id: 'jantes' })).toEqual({ ok: true });
    expect(await ask(a.socket, 'hotspot:open', { id: 'jantes' })).toEqual({ ok: true });
    expect(await ask(b.socket, 'hotspot:open', { id: 'jantes' })).toEqual({ ok: true });
    expect(await ask(b.socket, 'hotspot:open', { id: 'phares' })).toEqual({ ok: true });
    expect(await ask(b.socket, 'hotspot:open', { id: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await server.store.hotspotOpens.counts(ev.id)).toEqual({ jantes: { opens: 3, viewers: 2 }, phares: { opens: 1, viewers: 1 } });
    const res = await fetch(`${server.url}/api/events/${ev.id}/vehicle`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
    expect(((await res.json()) as { hotspotOpens: unknown }).hotspotOpens).toEqual({ jantes: { opens: 3, viewers: 2 }, phares: { opens: 1, viewers: 1 } });
  });
});

describe('staging the vehicle (PUT /api/events/:id/vehicle)', () => {
  it('pushes the staged vehicle to open pages, keeps the camera, and falls back where the new vehicle lacks the variant or chapter', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const atFive = next(viewer.socket, 'presentation:changed');
    expect(await ask(host.socket, 'chapter:set', { index: 4 })).toEqual({ ok: true });
    expect(await atFive).toMatchObject({ chapter: 4 });
    const pushed = next(viewer.socket, 'vehicle:changed');
    const fitted = next(viewer.socket, 'presentation:changed');
    const put = await putVehicle(ev.id, ev.hostKey, staged());
    expect(put.status).toBe(200);
    const v = await pushed;
    expect(v.pose).toBeUndefined();
    expect(v.vehicle).toMatchObject({ name: 'Aura GT', modelUrl: null, hotspots: [{ id: 'coffre' }] });
    expect(v.vehicle.variants.map((x) => x.id)).toEqual(['noir-onyx', 'orange-solaire']);
    expect(v.vehicle.chapters.map((c) => c.id)).toEqual(['intro', 'arriere']);
    // The demo's "bleu-abysse" and chapter 5 are gone: the first of each.
    expect(await fitted).toMatchObject({ chapter: 0, variant: 'noir-onyx' });
    const late = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    expect(late.state.event.vehicle.name).toBe('Aura GT');
    expect(late.state.presentation).toMatchObject({ chapter: 0, variant: 'noir-onyx' });

    const moved = next(viewer.socket, 'camera:pose');
    expect(await ask(host.socket, 'chapter:set', { index: 1 })).toEqual({ ok: true });
    expect(await moved).toMatchObject({ position: [-6, 1.6, 0.5], fly: true });
    expect((await server.store.events.findById(ev.id))?.presentation).toMatchObject({ chapter: 1, variant: 'orange-solaire', hotspot: 'coffre' });
  });

  it('refuses bad staging with the field named, and the wrong key', async () => {
    const ev = await server.createEvent();
    const cases: [unknown, unknown[]][] = [
      [staged({ chapters: [{ id: 'x', title: 'X', pose: { position: [1, 1, 1], target: [0, 0, 0], t: 0 }, variant: 'rose-bonbon' }] }), ['chapters', 0, 'variant']],
      [staged({ chapters: [{ id: 'x', title: 'X', pose: { position: [1, 1, 1], target: [0, 0, 0], t: 0 }, hotspot: 'nowhere' }] }), ['chapters', 0, 'hotspot']],
      [staged({ bodyMaterials: ['Paint'] }), ['bodyMaterials', 0]],
      [{ ...staged(), hotspots: [{ ...staged().hotspots[0]!, normal: [0, 0, 3] }] }, ['hotspots', 0, 'normal']],
      [{ ...staged(), hotspots: [{ ...staged().hotspots[0]!, image: 'https://evil.example/x.png' }] }, ['hotspots', 0, 'image']],
      [{ ...staged(), hotspots: [{ ...staged().hotspots[0]!, image: '/media/another-event/0123456789abcdef0123456789abcdef.png' }] }, ['hotspots', 0, 'image']],
      [{ ...staged(), paints: [staged().paints[0]!, staged().paints[0]!] }, ['paints']],
      [{ ...staged(), paints: [{ ...staged().paints[0]!, color: 'red' }] }, ['paints', 0, 'color']],
    ];
    for (const [body, path] of cases) {
      const res = await putVehicle(ev.id, ev.hostKey, body);
      expect(res.status, JSON.stringify(path)).toBe(400);
      expect(res.body.error?.code).toBe('invalid_payload');
      expect(res.body.error?.issues?.map((i) => i.path)).toContainEqual(path);
    }
    expect((await putVehicle(ev.id, ev.dealerKey, staged())).status).toBe(403);
    expect((await server.store.events.findById(ev.id))?.stage).toBeNull();
  });

  it('DELETE goes back to the defaults, and a studio edit never moves anybody’s camera', async () => {
    const ev = await server.createEvent();
    expect((await putVehicle(ev.id, server.adminToken, staged())).status).toBe(200);
    const viewer = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const poses = collect(viewer.socket, 'camera:pose');
    const pushed = next(viewer.socket, 'vehicle:changed');
    const res = await fetch(`${server.url}/api/events/${ev.id}/vehicle`, { method: 'DELETE', headers: { authorization: `Bearer ${ev.hostKey}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { staged: boolean; setup: VehicleSetup };
    expect(body.staged).toBe(false);
    expect(body.setup.chapters.map((c) => c.id)).toEqual(DEMO_VEHICLE.chapters.map((c) => c.id));
    expect((await pushed).vehicle.variants).toEqual(DEMO_VEHICLE.variants);
    expect(poses).toEqual([]);
  });
});
