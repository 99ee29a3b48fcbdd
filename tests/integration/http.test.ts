import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/code.js';
import { startServer, type TestServer } from './harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const post = (body: unknown, token?: string) =>
  fetch(`${server.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('HTTP API', () => {
  it('reports health', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('creates an event only with the admin token', async () => {
    const none = await post({ title: 'X' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await post({ title: 'X' }, 'wrong-token-wrong-token')).status).toBe(403);
  });

  it('creates an event with a code, keys and links', async () => {
    const res = await post({ title: 'Lancement Aura', startsAt: '2026-12-01T19:00:00+01:00', locale: 'fr' }, server.adminToken);
    expect(res.status).toBe(201);
    const ev = await res.json();
    expect(normalizeCode(ev.code)).toBe(ev.code);
    expect(ev).toMatchObject({ title: 'Lancement Aura', status: 'scheduled', startsAt: '2026-12-01T18:00:00.000Z', locale: 'fr' });
    expect(Buffer.from(ev.hostKey, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(ev.hostKey).not.toBe(ev.dealerKey);
    expect(ev.links.viewer).toBe(`${server.url}/e/${ev.code}`);
    expect(ev.links.host).toBe(`${server.url}/host/${ev.id}#key=${ev.hostKey}`);
    expect(ev.links.dealer).toBe(`${server.url}/dealer/${ev.id}#key=${ev.dealerKey}`);

    const pub = await fetch(`${server.url}/api/events/${ev.code.toLowerCase()}`);
    expect(pub.status).toBe(200);
    const view = await pub.json();
    expect(view).toMatchObject({ id: ev.id, code: ev.code, title: 'Lancement Aura' });
    expect(JSON.stringify(view)).not.toContain(ev.hostKey);
    expect(JSON.stringify(view)).not.toContain(ev.dealerKey);
  });

  it('answers bad input with field-level errors and never a stack trace', async () => {
    const res = await post({ title: '', startsAt: 'tomorrow', locale: 'de' }, server.adminToken);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_payload');
    expect(body.error.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['locale', 'startsAt', 'title']);
    const broken = await post('{"title":', server.adminToken);
    expect(broken.status).toBe(400);
    const text = await broken.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_payload' } });
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('answers 404 for an unknown code or endpoint', async () => {
    expect((await fetch(`${server.url}/api/events/ZZZZZZ`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/events/not-a-code!`)).status).toBe(404);
    const res = await fetch(`${server.url}/api/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('gives the host console its event only with the host key', async () => {
    const ev = await server.createEvent('Console');
    const get = (key?: string, id = ev.id) => fetch(`${server.url}/api/events/${id}/host`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect((await get()).status).toBe(401);
    expect((await get(ev.dealerKey)).status).toBe(403);
    expect((await get(ev.hostKey, 'no-such-id')).status).toBe(404);
    const ok = await get(ev.hostKey);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ event: expect.objectContaining({ id: ev.id, code: ev.code }), links: { viewer: ev.links.viewer } });
  });

  it('lists events for the studio, with the admin token only', async () => {
    const a = await server.createEvent('A');
    expect((await fetch(`${server.url}/api/events`)).status).toBe(401);
    const res = await fetch(`${server.url}/api/events`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    const { events } = await res.json();
    expect(events.map((e: { id: string }) => e.id)).toContain(a.id);
  });

  it('sends security headers and Prometheus metrics', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^# TYPE vitrine_sockets gauge$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
