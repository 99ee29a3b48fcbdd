import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KeyView } from '../../shared/access.js';
import type { EventCreated } from '../../shared/event.js';
import { DEALER_NAMESPACE } from '../../shared/events.js';
import type { DealerAdmin } from '../../shared/lead.js';
import { connectCluster } from '../../server/cluster/index.js';
import { createLogger } from '../../server/logger.js';
import { startServer, type TestServer } from './harness.js';

/**
 * Capability keys the studio rotates, revokes and dates (issue 8): an old link answers 401 at
 * once, over HTTP and on the sockets it holds open, and no key ever reaches a log line.
 */
const lines: string[] = [];
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ log: createLogger('info', { write: (line: string) => void lines.push(line) }) });
});
afterAll(async () => {
  await server.close();
});

const api = (path: string, key: string | null, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
/** A key change, answered with the key's new view. */
async function change(ev: EventCreated, ref: string, op: 'rotate' | 'revoke' | 'expiry', body?: unknown, as = server.adminToken): Promise<KeyView> {
  const path = `/api/events/${ev.id}/keys/${encodeURIComponent(ref)}`;
  const res = op === 'rotate' ? await api(`${path}/rotate`, as, { method: 'POST', body: body ?? {} })
    : op === 'revoke' ? await api(path, as, { method: 'DELETE' })
    : await api(`${path}/expiry`, as, { method: 'PUT', body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { key: KeyView }).key;
}
const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; reason?: string } }).error });
const hostView = (ev: EventCreated, key: string) => api(`/api/events/${ev.id}/host`, key);

function dealerSocket(eventId: string, key: string, url = server.url): Promise<Socket> {
  const s = connectClient(`${url}${DEALER_NAMESPACE}`, { auth: { eventId, key }, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => reject(err));
  });
}
const closed = (s: { once(e: 'disconnect', l: (reason: string) => void): unknown }) => new Promise<string>((resolve) => s.once('disconnect', resolve));
/** The refusal of a handshake: its message and reason. */
const refusal = (p: Promise<unknown>) => p.then(() => 'connected', (err: Error & { data?: { reason?: string } }) => `${err.message}${err.data?.reason ? ` ${err.data.reason}` : ''}`);

describe('rotating, revoking and dating keys', () => {
  it('rotating the host key: the old link answers 401 at once (API, open socket, new handshake), the new one works', async () => {
    const ev = await server.createEvent();
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const gone = closed(host.socket);

    const rotated = await change(ev, 'host', 'rotate');
    expect(rotated).toMatchObject({ ref: 'host', status: 'active', expiresAt: null, revokedAt: null });
    expect(rotated.key).not.toBe(ev.hostKey);
    expect(rotated.link).toBe(`${server.url}/host/${ev.id}#key=${rotated.key}`);
    expect(await gone).toBe('io server disconnect');

    expect(await errorOf(await hostView(ev, ev.hostKey))).toMatchObject({ status: 401, code: 'unauthorized', reason: 'key_revoked' });
    expect(await errorOf(await api(`/api/events/${ev.id}/report`, ev.hostKey))).toMatchObject({ status: 401, reason: 'key_revoked' });
    expect(await refusal(server.join({ code: ev.code, role: 'host', key: ev.hostKey }))).toBe('unauthorized key_revoked');
    expect((await hostView(ev, rotated.key!)).status).toBe(200);
    expect(await refusal(server.join({ code: ev.code, role: 'host', key: rotated.key! }))).toBe('connected');
    // A key that never was this event's is still "wrong", not "no longer valid".
    const other = await server.createEvent('Autre');
    expect(await errorOf(await hostView(ev, other.hostKey))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await refusal(server.join({ code: ev.code, role: 'host', key: other.hostKey }))).toBe('unauthorized');
    // The studio's list carries the new key and links.
    const listed = ((await (await api('/api/events', server.adminToken)).json()) as { events: EventCreated[] }).events.find((e) => e.id === ev.id)!;
    expect(listed.hostKey).toBe(rotated.key);
  });

  it('revoking the dealer key closes its inbox and refuses it until a rotation; host and own dealer keys keep working', async () => {
    const ev = await server.createEvent();
    const dir = await api(`/api/events/${ev.id}/directory`, ev.hostKey, { method: 'PUT', body: { dealers: [{ id: 'lyon-1', name: 'Garage du Rhône', postcode: '69002', city: 'Lyon', latitude: 45.75, longitude: 4.83, email: 'lyon@example.fr' }] } });
    const [lyon] = ((await dir.json()) as { dealers: DealerAdmin[] }).dealers;
    const shared = await dealerSocket(ev.id, ev.dealerKey);
    const own = await dealerSocket(ev.id, lyon!.key);
    const viaHost = await dealerSocket(ev.id, ev.hostKey);
    const gone = closed(shared);

    expect(await change(ev, 'dealer', 'revoke')).toMatchObject({ ref: 'dealer', status: 'revoked', key: null, link: null });
    expect(await gone).toBe('io server disconnect');
    expect(await errorOf(await api(`/api/events/${ev.id}/leads`, ev.dealerKey))).toMatchObject({ status: 401, code: 'unauthorized', reason: 'key_revoked' });
    expect(await refusal(dealerSocket(ev.id, ev.dealerKey))).toBe('unauthorized key_revoked');
    expect([own.connected, viaHost.connected]).toEqual([true, true]);
    expect((await api(`/api/events/${ev.id}/leads`, lyon!.key)).status).toBe(200);

    // One dealer's own key, rotated by the host key (the presenter edits the directory too).
    const ownGone = closed(own);
    const fresh = await change(ev, 'dealer:lyon-1', 'rotate', {}, ev.hostKey);
    expect(fresh).toMatchObject({ ref: 'dealer:lyon-1', name: 'Garage du Rhône', status: 'active' });
    expect(fresh.link).toBe(`${server.url}/dealer/${ev.id}#key=${fresh.key}`);
    await ownGone;
    expect(await errorOf(await api(`/api/events/${ev.id}/leads`, lyon!.key))).toMatchObject({ status: 401, reason: 'key_revoked' });
    expect((await api(`/api/events/${ev.id}/leads`, fresh.key)).status).toBe(200);
    expect(viaHost.connected).toBe(true);

    const back = await change(ev, 'dealer', 'rotate');
    expect((await api(`/api/events/${ev.id}/leads`, back.key)).status).toBe(200);
    const keys = ((await (await api(`/api/events/${ev.id}/keys`, server.adminToken)).json()) as { keys: KeyView[] }).keys;
    expect(keys.map((k) => [k.ref, k.status])).toEqual([['host', 'active'], ['dealer', 'active'], ['dealer:lyon-1', 'active']]);
    for (const s of [viaHost]) s.disconnect();
  });

  it('an expiry in the past refuses the key as expired; cleared, it works again; a future one closes the open socket when it comes', async () => {
    const ev = await server.createEvent();
    expect(await change(ev, 'host', 'expiry', { expiresAt: '2020-01-01T00:00:00+01:00' })).toMatchObject({ status: 'expired', expiresAt: '2019-12-31T23:00:00.000Z', key: ev.hostKey });
    expect(await errorOf(await hostView(ev, ev.hostKey))).toMatchObject({ status: 401, code: 'unauthorized', reason: 'key_expired' });
    expect(await refusal(server.join({ code: ev.code, role: 'host', key: ev.hostKey }))).toBe('unauthorized key_expired');

    expect(await change(ev, 'host', 'expiry', { expiresAt: null })).toMatchObject({ status: 'active', expiresAt: null });
    expect((await hostView(ev, ev.hostKey)).status).toBe(200);

    const soon = new Date(Date.now() + 400).toISOString();
    await change(ev, 'host', 'expiry', { expiresAt: soon });
    const host = await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    expect(await closed(host.socket)).toBe('io server disconnect');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(soon));
    expect(await errorOf(await hostView(ev, ev.hostKey))).toMatchObject({ status: 401, reason: 'key_expired' });
    // A rotation without a date does not carry a past expiry over.
    const fresh = await change(ev, 'host', 'rotate');
    expect(fresh).toMatchObject({ status: 'active', expiresAt: null });
  });

  it('lets the admin change every key and the host only the dealer keys; validates refs and bodies', async () => {
    const ev = await server.createEvent();
    const keys = `/api/events/${ev.id}/keys`;
    expect((await api(`${keys}/host/rotate`, ev.hostKey, { method: 'POST', body: {} })).status).toBe(403);
    expect((await api(`${keys}/host`, ev.hostKey, { method: 'DELETE' })).status).toBe(403);
    expect((await api(`${keys}/dealer/rotate`, ev.dealerKey, { method: 'POST', body: {} })).status).toBe(403);
    expect((await api(keys, ev.dealerKey)).status).toBe(403);
    expect((await api(`${keys}/dealer/rotate`, null, { method: 'POST' })).status).toBe(401);
    expect(await errorOf(await api(`${keys}/nobody/rotate`, server.adminToken, { method: 'POST' }))).toMatchObject({ status: 400, code: 'invalid_payload' });
    expect(await errorOf(await api(`${keys}/${encodeURIComponent('dealer:nobody')}`, server.adminToken, { method: 'DELETE' }))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await errorOf(await api(`${keys}/host/expiry`, server.adminToken, { method: 'PUT', body: { expiresAt: 'demain' } }))).toMatchObject({ status: 400, code: 'invalid_payload' });
    expect((await api(`${keys}/host/expiry`, server.adminToken, { method: 'PUT', body: {} })).status).toBe(400);
    expect((await api(`/api/events/nope/keys/host/rotate`, server.adminToken, { method: 'POST' })).status).toBe(404);
    // The host key revoked (by the studio) opens nothing, its own key routes included.
    await change(ev, 'host', 'revoke');
    expect(await errorOf(await api(`${keys}/dealer/rotate`, ev.hostKey, { method: 'POST', body: {} }))).toMatchObject({ status: 401, reason: 'key_revoked' });
    expect((await api(`${keys}/host`, server.adminToken, { method: 'DELETE' })).status).toBe(200);
  });

  it('never logs a key: refused and accepted keys over HTTP and sockets leave no trace of it', async () => {
    const ev = await server.createEvent();
    const from = lines.length;
    const wrong = `wrong-${randomBytes(16).toString('hex')}`;
    expect((await hostView(ev, ev.hostKey)).status).toBe(200);
    expect((await hostView(ev, wrong)).status).toBe(403);
    await server.join({ code: ev.code, role: 'host', key: ev.hostKey });
    expect(await refusal(server.join({ code: ev.code, role: 'host', key: wrong }))).toBe('unauthorized');
    expect(await refusal(dealerSocket(ev.id, wrong))).toBe('unauthorized');
    const rotated = await change(ev, 'host', 'rotate');
    expect((await hostView(ev, ev.hostKey)).status).toBe(401);
    const logged = lines.slice(from).join('');
    // Each refused key is reported once, with why and where, never with the key.
    const refused = lines.slice(from).map((l) => JSON.parse(l) as { msg: string; via?: string; refusal?: string }).filter((l) => l.msg === 'key refused');
    expect(refused.map((l) => `${l.via} ${l.refusal}`)).toEqual(['http wrong', 'socket wrong', 'dealers wrong', 'http revoked']);
    expect(logged).toContain(ev.id);
    for (const secret of [ev.hostKey, ev.dealerKey, rotated.key!, wrong, server.adminToken]) expect(logged).not.toContain(secret);
  });
});

const REDIS = process.env.TEST_REDIS_URL;
describe.skipIf(!REDIS)('with two processes sharing Redis', () => {
  const prefix = `vitrine-test-${randomBytes(6).toString('hex')}:`;
  const log = createLogger('silent');
  afterEach(async () => {
    const redis = createClient({ url: REDIS });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
    await redis.close();
  });

  it('a key rotated on process A closes its sockets on process B at once', async () => {
    const a = await startServer({ cluster: await connectCluster(REDIS!, log, prefix) });
    const b = await startServer({ cluster: await connectCluster(REDIS!, log, prefix), shared: a });
    try {
      const ev = await a.createEvent();
      const host = await b.join({ code: ev.code, role: 'host', key: ev.hostKey });
      const inbox = await dealerSocket(ev.id, ev.dealerKey, b.url);
      const gone = [closed(host.socket), closed(inbox)];
      const rotate = (ref: string) => fetch(`${a.url}/api/events/${ev.id}/keys/${ref}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${a.adminToken}` } });
      expect((await rotate('host')).status).toBe(200);
      expect((await rotate('dealer')).status).toBe(200);
      expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
      expect(await refusal(b.join({ code: ev.code, role: 'host', key: ev.hostKey }))).toBe('unauthorized key_revoked');
    } finally {
      await b.close();
      await a.close();
    }
  });
});
