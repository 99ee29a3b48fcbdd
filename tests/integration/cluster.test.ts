import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import { createClient } from 'redis';
import { connectCluster } from '../../server/cluster/index.js';
import { createLogger } from '../../server/logger.js';
import { startTcpProxy, type TcpProxy } from '../faults/tcpProxy.js';
import { ask, audience, collect, next, startServer, viewerId, type TestServer } from './harness.js';

/**
 * Two server processes (two apps, each with its own Redis link, so its own room copies and bus
 * identity) over one database: what `WORKERS=2` or two machines behind nginx do.
 */
const REDIS = process.env.TEST_REDIS_URL;
if (!REDIS && process.env.VITRINE_CI === '1') throw new Error('TEST_REDIS_URL must be set in CI: the Redis suites cannot be skipped there');
if (!REDIS) console.warn('skipped: the Redis suites (TEST_REDIS_URL is not set, e.g. redis://127.0.0.1:6379)');

const log = createLogger('silent');
let servers: TestServer[] = [];
let proxies: TcpProxy[] = [];
let prefixes: string[] = [];
afterEach(async () => {
  for (const s of servers.reverse()) await s.close();
  for (const p of proxies) await p.close();
  // Each test's keys, channels and streams are its own: leave nothing behind in a shared Redis.
  const redis = createClient({ url: REDIS });
  await redis.connect();
  for (const prefix of prefixes) {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
  }
  await redis.close();
  servers = [];
  proxies = [];
  prefixes = [];
});

/** Two processes sharing a fresh key prefix (nobody else's keys, streams or channels). */
async function pair(options: { viaProxy?: boolean } = {}): Promise<{ a: TestServer; b: TestServer; proxy: TcpProxy | null; prefix: string }> {
  const prefix = `vitrine-test-${randomBytes(6).toString('hex')}:`;
  prefixes.push(prefix);
  let proxy: TcpProxy | null = null;
  let urlB = REDIS!;
  if (options.viaProxy) {
    const target = new URL(REDIS!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    proxies.push(proxy);
    urlB = `redis://${proxy.address}`;
  }
  const a = await startServer({ cluster: await connectCluster(REDIS!, log, prefix) });
  servers.push(a);
  const b = await startServer({ cluster: await connectCluster(urlB, log, prefix), shared: a });
  servers.push(b);
  return { a, b, proxy, prefix };
}

const pose = (x: number, t: number): Pose => ({ position: [x, 1.5, 5], target: [0, 0.6, 0], fov: 40, t });

async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!REDIS)('several processes sharing rooms through Redis', () => {
  it('a viewer on process B follows the presenter on process A, and a late joiner on B lands on the current chapter and pose', async () => {
    const { a, b, prefix } = await pair();
    const ev = await a.createEvent();
    const host = await a.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const poses = collect(viewer.socket, 'camera:pose');

    host.socket.emit('camera:set', pose(3, 1_000));
    await until(() => poses.some((p) => p.position[0] === 3));

    const changed = next(viewer.socket, 'presentation:changed');
    expect(await ask(host.socket, 'chapter:set', { index: 2 })).toEqual({ ok: true });
    expect((await changed).chapter).toBe(2);
    await until(() => poses.some((p) => p.fly === true));

    const late = await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    expect(late.state.presentation.chapter).toBe(2);
    expect(late.state.presentation.pose).toEqual(poses.find((p) => p.fly));
    // A process that opens the room later reads the live state other processes left in Redis.
    host.socket.emit('camera:set', pose(7, 3_000));
    await until(() => poses.some((p) => p.position[0] === 7));
    const c = await startServer({ cluster: await connectCluster(REDIS!, log, prefix), shared: a });
    servers.push(c);
    const third = await c.join({ code: ev.code, role: 'viewer', viewerId: viewerId(3) });
    expect(third.state.presentation.pose?.position[0]).toBe(7);
    expect(third.state.presentation.chapter).toBe(2);
  });

  it('questions, votes and reactions from both processes reach everybody once, and a late joiner anywhere sees them', async () => {
    const { a, b } = await pair();
    const ev = await a.createEvent();
    const host = await a.join({ code: ev.code, role: 'host', key: ev.hostKey });
    expect(await ask(host.socket, 'qa:mode', { mode: 'open' })).toEqual({ ok: true });
    const onA = await a.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const onB = await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    const seenOnA = audience(onA.socket);
    const hostHeard = collect(host.socket, 'question:added');

    const id = randomUUID();
    expect(await ask(onB.socket, 'question:ask', { id, text: 'Quelle autonomie sur autoroute ?' })).toMatchObject({ ok: true });
    await until(() => seenOnA.some((q) => q.id === id));
    await until(() => hostHeard.length === 1);

    expect(await ask(onA.socket, 'question:vote', { id })).toEqual({ ok: true, data: { votes: 1 } });
    expect(await ask(onB.socket, 'question:vote', { id })).toEqual({ ok: true, data: { votes: 2 } });
    await until(() => seenOnA.some((q) => q.id === id && q.votes === 2));

    const reactionsOnA = collect(onA.socket, 'reactions');
    for (let i = 0; i < 3; i++) expect(await ask(onB.socket, 'reaction:send', { emoji: '🔥' })).toEqual({ ok: true });
    await until(() => reactionsOnA.some((r) => r.counts['🔥'] === 3)); // nobody reacted on A: A heard B's totals
    expect(await ask(onA.socket, 'reaction:send', { emoji: '🔥' })).toEqual({ ok: true });
    await until(() => reactionsOnA.some((r) => r.counts['🔥'] === 4));

    const late = await a.join({ code: ev.code, role: 'viewer', viewerId: viewerId(3) });
    expect(late.state.questions.find((q) => q.id === id)?.votes).toBe(2);
    expect(late.state.qa.mode).toBe('open');
    await until(async () => (await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(4) })).state.reactions.counts['🔥'] === 4);
  });

  it('sends each socket the reaction totals at most 4 times a second, however many processes its viewers react on', async () => {
    const { a, b } = await pair();
    const ev = await a.createEvent();
    const onA = await a.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const onB = await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    const arrivals: number[] = [];
    onA.socket.on('reactions', () => arrivals.push(Date.now()));
    // Both processes' viewers react for 2 s, each within its limit (10 a second).
    const start = Date.now();
    while (Date.now() - start < 2_000) {
      await Promise.all([ask(onA.socket, 'reaction:send', { emoji: '🔥' }), ask(onB.socket, 'reaction:send', { emoji: '👏' })]);
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
    // One message per interval (REACTIONS_INTERVAL_MS), not one per process: two processes each broadcasting
    // to every socket arrived in pairs.
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(Math.min(...gaps)).toBeGreaterThan(150);
  });

  it('counts the audience across processes, and a viewer leaving one process lowers it everywhere', async () => {
    const { a, b } = await pair();
    const ev = await a.createEvent();
    const onA = await a.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const presence = collect(onA.socket, 'presence');
    const onB = await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) });
    await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(3) });
    await until(() => presence.at(-1)?.viewers === 3);
    onB.socket.disconnect();
    await until(() => presence.at(-1)?.viewers === 2);
  });

  it('a studio change served by one process (brand, staging) reaches viewers on the other, and its late joiners', async () => {
    const { a, b } = await pair();
    const ev = await a.createEvent();
    const onA = await a.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const branded = next(onA.socket, 'brand:changed');
    const res = await fetch(`${b.url}/api/events/${ev.id}/brand`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ev.hostKey}` },
      body: JSON.stringify({ name: 'Aura Motors', accent: '#E4002B' }),
    });
    expect(res.status).toBe(200);
    expect((await branded).name).toBe('Aura Motors');
    expect((await a.join({ code: ev.code, role: 'viewer', viewerId: viewerId(2) })).state.event.brand.name).toBe('Aura Motors');

    const restaged = next(onA.socket, 'vehicle:changed');
    const staged = await fetch(`${b.url}/api/events/${ev.id}/vehicle`, { method: 'DELETE', headers: { authorization: `Bearer ${ev.hostKey}` } });
    expect(staged.status).toBeLessThan(300);
    expect((await restaged).vehicle.chapters.length).toBeGreaterThan(0);
  });

  it('holds a viewer to one allowance whichever process each question goes through', async () => {
    const { a, b } = await pair();
    const ev = await a.createEvent();
    const same = viewerId(9);
    const onA = await a.join({ code: ev.code, role: 'viewer', viewerId: same });
    const onB = await b.join({ code: ev.code, role: 'viewer', viewerId: same });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await ask(i % 2 ? onB.socket : onA.socket, 'question:ask', { id: randomUUID(), text: `Question ${i}` }));
    expect(answers.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(answers[5]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('says so in /healthz while Redis is unreachable for 10 s, keeps serving, and recovers by itself', async () => {
    const { a, b, proxy } = await pair({ viaProxy: true });
    const ev = await a.createEvent();
    const host = await a.join({ code: ev.code, role: 'host', key: ev.hostKey });
    const viewer = await b.join({ code: ev.code, role: 'viewer', viewerId: viewerId(1) });
    const poses = collect(viewer.socket, 'camera:pose');
    host.socket.emit('camera:set', pose(1, 1_000));
    await until(() => poses.length > 0);

    proxy!.cut();
    const cutAt = Date.now();
    await until(async () => (await fetch(`${b.url}/healthz`)).status === 503);
    const body = (await (await fetch(`${b.url}/healthz`)).json()) as { redis: boolean; error: { message: string } };
    expect(body.redis).toBe(false);
    expect(body.error.message).toMatch(/Redis/);
    // Still serving its own viewers: a question is acknowledged (local limits stand in).
    expect(await ask(viewer.socket, 'question:ask', { id: randomUUID(), text: 'Pendant la panne ?' })).toMatchObject({ ok: true });
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);

    // Redis away for 10 s in all, then back.
    await new Promise((r) => setTimeout(r, 10_000 - (Date.now() - cutAt)));
    proxy!.restore();
    await until(async () => (await fetch(`${b.url}/healthz`)).status === 200, 10_000);
    await until(() => {
      host.socket.emit('camera:set', pose(9, Date.now()));
      return poses.some((p) => p.position[0] === 9);
    }, 10_000);
  }, 40_000);
});
