import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { io as connectClient } from 'socket.io-client';
import WebSocket from 'ws';
import { DEALER_NAMESPACE } from '../../shared/events.js';
import { connectCluster } from '../../server/cluster/index.js';
import { createLogger } from '../../server/logger.js';
import { NO_IP_CAPS, type IpCaps } from '../../server/security/perimeter.js';
import { startServer, viewerId, type TestServer } from './harness.js';

/**
 * The perimeter (docs/security.md): Fetch Metadata on changes, the Origin of every Engine.IO
 * request, and the per-IP caps, alone and shared by two processes through Redis. Test clients all
 * come from 127.0.0.1, a trusted proxy by default: `X-Forwarded-For` gives each test its own IP.
 */
const REDIS = process.env.TEST_REDIS_URL;
if (!REDIS && process.env.VITRINE_CI === '1') throw new Error('TEST_REDIS_URL must be set in CI: the Redis suites cannot be skipped there');
if (!REDIS) console.warn('skipped: the per-IP caps shared through Redis (TEST_REDIS_URL is not set, e.g. redis://127.0.0.1:6379)');

const log = createLogger('silent');
let servers: TestServer[] = [];
let prefixes: string[] = [];
afterEach(async () => {
  for (const s of servers.reverse()) await s.close();
  servers = [];
  if (!prefixes.length) return;
  const redis = createClient({ url: REDIS });
  await redis.connect();
  for (const prefix of prefixes) {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
  }
  await redis.close();
  prefixes = [];
});

async function serve(caps: Partial<IpCaps> = {}): Promise<TestServer> {
  const server = await startServer({ ipCaps: { ...NO_IP_CAPS, ...caps } });
  servers.push(server);
  return server;
}

/** A documentation address (TEST-NET-3), new for each call: a test's own client IP. */
let nextIp = 1;
const anIp = () => `203.0.113.${nextIp++}`;
const from = (ip: string) => ({ 'x-forwarded-for': ip });

const createEvent = (server: TestServer, headers: Record<string, string> = {}, token = server.adminToken) =>
  fetch(`${server.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ title: 'Lancement' }),
  });

const hostView = (server: TestServer, eventId: string, key: string, ip: string) =>
  fetch(`${server.url}/api/events/${eventId}/host`, { headers: { authorization: `Bearer ${key}`, ...from(ip) } });

/** A dealer page's socket: resolves on connect, rejects with the connect_error. */
function dealerSocket(server: TestServer, auth: { eventId: string; key: string }, ip: string): Promise<void> {
  const socket = connectClient(server.url + DEALER_NAMESPACE, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: from(ip) });
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  }).finally(() => socket.disconnect());
}

/** The connect_error a refused join rejects with. */
async function refusal(join: Promise<unknown>): Promise<{ message: string; data?: unknown }> {
  const err = (await join.then(
    () => null,
    (e: unknown) => e,
  )) as { message: string; data?: unknown } | null;
  if (!err) throw new Error('the socket was let in');
  return { message: err.message, data: err.data };
}

describe('Fetch Metadata on changes', () => {
  it('refuses a change sent by another site’s page or a sibling subdomain’s, and lets same-origin pages, curl and integrations through', async () => {
    const server = await serve();
    const crossSite = await createEvent(server, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toEqual({ error: { code: 'forbidden', message: expect.stringContaining('another site') } });
    expect((await createEvent(server, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await createEvent(server, { 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await createEvent(server)).status).toBe(201); // no Fetch Metadata: a script with the token

    // Any change under /api, not only creation; reading stays open to every site.
    const ev = await server.createEvent();
    const patch = await fetch(`${server.url}/api/events/${ev.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ev.hostKey}`, 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ retentionMonths: 6 }),
    });
    expect(patch.status).toBe(403);
    expect((await fetch(`${server.url}/api/events/${ev.code}`, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });
});

describe('Origin on every Engine.IO request', () => {
  it('refuses a socket from another site’s page over long-polling and over WebSocket, and lets our own pages in', async () => {
    const server = await serve();
    const ev = await server.createEvent();
    for (const transport of ['polling', 'websocket'] as const) {
      await expect(server.join({ code: ev.code, role: 'viewer' }, { origin: 'https://evil.example', transport })).rejects.toThrow(/error/);
      const ok = await server.join({ code: ev.code, role: 'viewer' }, { origin: server.url, transport });
      expect(ok.state.event.code).toBe(ev.code);
    }
  });

  it('refuses a later long-polling request or an upgrade of a session with a foreign Origin, not only the handshake', async () => {
    const server = await serve();
    const open = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: server.url } });
    expect(open.status).toBe(200);
    const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };

    const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { headers: { origin: 'https://evil.example' } });
    expect(poll.status).toBe(403);
    const send = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: '40' });
    expect(send.status).toBe(403);

    const upgrade = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=${sid}`, { origin: 'https://evil.example' });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the upgrade was accepted')));
      ws.once('error', () => {});
    });
    expect(upgrade).toBe(403);
    // The session itself is still ours: the same request from our page goes through.
    expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', headers: { origin: server.url, 'content-type': 'text/plain' }, body: '40' })).status).toBe(200);
  });
});

describe('per-IP caps in one process', () => {
  it('caps the sockets one IP holds open; a closed one frees its place, and other IPs are not concerned', async () => {
    const server = await serve({ connections: 2 });
    const ev = await server.createEvent();
    const ip = anIp();
    const a = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) }, { headers: from(ip) });
    await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) }, { headers: from(ip), transport: 'polling' });
    const third = await refusal(server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(3) }, { headers: from(ip) }));
    expect(third).toEqual({ message: 'rate_limited', data: { code: 'rate_limited', retryAfter: 10 } });
    // The refused session is closed by the server, not left holding a place.
    await until(() => server.app.realtime.io.engine.clientsCount === 2);

    await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(4) }, { headers: from(anIp()) });
    a.socket.disconnect();
    await until(() => server.app.realtime.io.engine.clientsCount === 2);
    const again = await server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(3) }, { headers: from(ip) });
    expect(again.state.event.code).toBe(ev.code);
  });

  it('counts an IPv6 client by its /64', async () => {
    const server = await serve({ connections: 1 });
    const ev = await server.createEvent();
    await server.join({ code: ev.code, role: 'viewer' }, { headers: from('2001:db8:7:1::a') });
    expect((await refusal(server.join({ code: ev.code, role: 'viewer' }, { headers: from('2001:db8:7:1:ffff::b') }))).message).toBe('rate_limited');
    await server.join({ code: ev.code, role: 'viewer' }, { headers: from('2001:db8:7:2::a') });
  });

  it('caps the handshakes an IP makes per second', async () => {
    const server = await serve({ handshakesPerSecond: 3 });
    const ev = await server.createEvent();
    const ip = anIp();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => server.join({ code: ev.code, role: 'viewer', viewerId: viewerId(i + 1) }, { headers: from(ip) })));
    const admitted = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { message: string; data: unknown }] : []));
    // 3 at once, plus what refilled (3 a second) while they connected.
    expect(admitted).toBeGreaterThanOrEqual(3);
    expect(admitted).toBeLessThanOrEqual(5);
    expect(refused.map((e) => [e.message, e.data])).toEqual(refused.map(() => ['rate_limited', { code: 'rate_limited', retryAfter: 1 }]));
    // A venue behind another address is not concerned.
    await server.join({ code: ev.code, role: 'viewer' }, { headers: from(anIp()) });
  });

  it('caps event creation attempts per IP per minute with 429 and Retry-After, failed ones included', async () => {
    const server = await serve({ eventCreationsPerMinute: 3 });
    const ip = anIp();
    expect((await createEvent(server, from(ip))).status).toBe(201);
    expect((await createEvent(server, from(ip), 'not-the-admin-token-000')).status).toBe(403);
    expect((await createEvent(server, from(ip))).status).toBe(201);
    const over = await createEvent(server, from(ip));
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect((await createEvent(server, from(anIp()))).status).toBe(201);
  });

  it('after too many wrong keys from an IP, refuses its keys over HTTP and at the handshake, even a right one; its viewers still get in', async () => {
    const server = await serve({ keyFailuresPerMinute: 3 });
    const ev = await server.createEvent();
    const ip = anIp();
    // Wrong keys over HTTP and at both handshakes all count.
    expect((await hostView(server, ev.id, 'wrong-key-1', ip)).status).toBe(403);
    expect((await refusal(server.join({ code: ev.code, role: 'host', key: 'wrong-key-2' }, { headers: from(ip) }))).message).toBe('unauthorized');
    await expect(dealerSocket(server, { eventId: ev.id, key: 'wrong-key-3' }, ip)).rejects.toThrow('unauthorized');

    const blocked = await hostView(server, ev.id, ev.hostKey, ip);
    expect(blocked.status).toBe(429);
    expect((await blocked.json()).error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refusal(server.join({ code: ev.code, role: 'host', key: ev.hostKey }, { headers: from(ip) }))).toEqual({ message: 'rate_limited', data: { code: 'rate_limited', retryAfter: expect.any(Number) } });
    await expect(dealerSocket(server, { eventId: ev.id, key: ev.dealerKey }, ip)).rejects.toThrow('rate_limited');

    // Viewers carry no key: a venue whose NAT address a prankster used up still watches.
    const viewer = await server.join({ code: ev.code, role: 'viewer' }, { headers: from(ip) });
    expect(viewer.state.event.code).toBe(ev.code);
    // A request without a key from there is not held up either, nor is another IP's key.
    expect((await fetch(`${server.url}/api/events/${ev.code}`, { headers: from(ip) })).status).toBe(200);
    expect((await hostView(server, ev.id, ev.hostKey, anIp())).status).toBe(200);
  });

  it('counts a request without a key as no failure', async () => {
    const server = await serve({ keyFailuresPerMinute: 1 });
    const ev = await server.createEvent();
    const ip = anIp();
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/events/${ev.id}/host`, { headers: from(ip) })).status).toBe(401);
    expect((await hostView(server, ev.id, ev.hostKey, ip)).status).toBe(200);
  });
});

describe.skipIf(!REDIS)('per-IP caps shared by two processes through Redis', () => {
  async function pair(caps: Partial<IpCaps>): Promise<[TestServer, TestServer]> {
    const prefix = `vitrine-test-${randomBytes(6).toString('hex')}:`;
    prefixes.push(prefix);
    const ipCaps = { ...NO_IP_CAPS, ...caps };
    const a = await startServer({ cluster: await connectCluster(REDIS!, log, prefix), ipCaps });
    servers.push(a);
    const b = await startServer({ cluster: await connectCluster(REDIS!, log, prefix), shared: a, ipCaps });
    servers.push(b);
    return [a, b];
  }

  it('one IP’s connections, event creations and wrong keys count on both processes together', async () => {
    const [a, b] = await pair({ connections: 2, eventCreationsPerMinute: 2, keyFailuresPerMinute: 2 });
    const ip = anIp();
    expect((await createEvent(a, from(ip))).status).toBe(201);
    expect((await createEvent(b, from(ip))).status).toBe(201);
    expect((await createEvent(a, from(ip))).status).toBe(429);

    const ev = await a.createEvent();
    const onA = await a.join({ code: ev.code, role: 'viewer' }, { headers: from(ip) });
    await b.join({ code: ev.code, role: 'viewer' }, { headers: from(ip) });
    expect((await refusal(a.join({ code: ev.code, role: 'viewer' }, { headers: from(ip) }))).message).toBe('rate_limited');
    onA.socket.disconnect();
    await until(() => a.app.realtime.io.engine.clientsCount === 0);
    await b.join({ code: ev.code, role: 'viewer' }, { headers: from(ip) });

    // Another IP (this one holds its two connections).
    const guesser = anIp();
    expect((await hostView(a, ev.id, 'wrong-key-1', guesser)).status).toBe(403);
    expect((await refusal(b.join({ code: ev.code, role: 'host', key: 'wrong-key-2' }, { headers: from(guesser) }))).message).toBe('unauthorized');
    await until(async () => (await hostView(a, ev.id, ev.hostKey, guesser)).status === 429);
    expect((await hostView(b, ev.id, ev.hostKey, guesser)).status).toBe(429);
  });

  it('does not count the connections of a process that stopped without saying so', async () => {
    const [a] = await pair({ connections: 1 });
    const ip = anIp();
    const redis = createClient({ url: REDIS });
    await redis.connect();
    // What a crashed process leaves: its field in the IP's hash, and no heartbeat.
    await redis.hSet(`${prefixes[0]}ip:conn:${ip}`, 'crashed-process', '50');
    await redis.close();
    const ev = await a.createEvent();
    const viewer = await a.join({ code: ev.code, role: 'viewer' }, { headers: from(ip) });
    expect(viewer.state.event.code).toBe(ev.code);
  });
});

async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
