import { randomBytes } from 'node:crypto';
import { describe, expect, it, type TestContext } from 'vitest';
import { createClient } from 'redis';
import type { Pose } from '../../shared/presentation.js';
import { connectCluster } from '../../server/cluster/index.js';
import { createLogger } from '../../server/logger.js';
import { openThrowawayStore } from '../../server/store/postgres/testing.js';
import { startTcpProxy, type LinkFaults, type TcpProxy } from '../faults/tcpProxy.js';
import { pictureOf, startViewer, type FaultViewer, type Picture } from './faultViewer.js';
import { ask, brochureLead, startServer, type TestServer } from './harness.js';

/**
 * Issue 8's network faults, on each link in turn: between the viewers and the server, between
 * the server and PostgreSQL, between one of two processes and Redis. While the link is bad,
 * viewers ask, vote and send leads (retrying as the page does) and the presenter changes
 * chapter and moves the camera. Once it heals: every lead stored exactly once, everything
 * acknowledged is there, each count is its distinct voters, and every viewer shows what a
 * viewer joining now is shown, within 5 s (measured).
 *
 * Scaled down in viewers and time (one 10 s fault window, three viewers), never in the faults.
 */
const PG = process.env.TEST_DATABASE_URL;
const REDIS = process.env.TEST_REDIS_URL;
if (process.env.VITRINE_CI === '1' && (!PG || !REDIS)) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL must be set in CI: the fault suites cannot be skipped there');
if (!PG) console.warn('skipped: faults between the server and PostgreSQL (TEST_DATABASE_URL is not set, e.g. postgres://postgres@127.0.0.1:5432/test)');
if (!REDIS) console.warn('skipped: faults between a server and Redis (TEST_REDIS_URL is not set, e.g. redis://127.0.0.1:6379)');

/** As stated in the issue: 2 s ± 1 s each way, 5 KB/s each way, and connections reset. */
const FAULTS: LinkFaults = { latencyMs: 2_000, jitterMs: 1_000, bytesPerSecond: 5 * 1024, resetProbability: 0.3, resetAfterBytes: 1_024 };
const FAULT_WINDOW_MS = 10_000;
const VIEWERS = 3;
const LEADS_PER_VIEWER = 2;
/** What the issue promises once the link is back. */
const CONVERGE_MS = 5_000;

const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Deployment {
  /** Where the store and the reference viewers are. */
  main: TestServer;
  /** Where the presenter is (main by default). */
  presenterOn?: TestServer;
  /** Where viewer `i` connects (through the proxy, for the client link). */
  viewerUrl: (i: number) => string;
  /** Servers a viewer joining after the recovery may land on: each must show the same. */
  servers: TestServer[];
  proxy: TcpProxy;
}

/** Resolves once `check` holds, polling every 50 ms; rejects after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

/** A presenter's command, clicked again until it is acknowledged (the store may be away). */
async function hostCommand(host: Awaited<ReturnType<TestServer['join']>>['socket'], event: string, payload: unknown): Promise<void> {
  for (;;) {
    const res = await ask(host, event, payload).catch(() => null);
    if (res?.ok) return;
    if (res && res.error?.code !== 'internal') throw new Error(`${event} refused: ${res.error?.code}`);
    await sleep(500);
  }
}

const pose = (x: number): Pose => ({ position: [x, 1.5, 5], target: [0, 0.6, 0], fov: 40, t: Date.now() });

/** What a viewer joining `server` now is shown. */
async function reference(server: TestServer, code: string): Promise<Picture> {
  const { socket, state } = await server.join({ code, role: 'viewer', viewerId: `ref-${randomBytes(4).toString('hex')}` });
  socket.disconnect();
  return pictureOf(state, state.presentation.pose);
}

async function exercise(d: Deployment, ctx: TestContext): Promise<void> {
  const { main, proxy } = d;
  const ev = await main.createEvent('Lancement sous pannes réseau');
  const host = await (d.presenterOn ?? main).join({ code: ev.code, role: 'host', key: ev.hostKey });
  await hostCommand(host.socket, 'event:start', {});
  await hostCommand(host.socket, 'qa:mode', { mode: 'open' });

  const viewers: FaultViewer[] = Array.from({ length: VIEWERS }, (_, i) => startViewer(d.viewerUrl(i), { code: ev.code, role: 'viewer', viewerId: `fault-viewer-${i}` }));
  ctx.onTestFinished(() => {
    for (const v of viewers) v.close();
  });
  await until(() => viewers.every((v) => v.picture() !== null), 5_000, 'viewers joined');

  // The link goes bad; everybody carries on.
  proxy.set(FAULTS);
  const leads = viewers.map((v, i) => Array.from({ length: LEADS_PER_VIEWER }, (_, k) => brochureLead(i * LEADS_PER_VIEWER + k)));
  viewers.forEach((v, i) => leads[i]!.forEach((l) => v.submitLead({ ...l, id: l.id! })));
  const asked = viewers.map((v, i) => v.ask(`Question ${i} : quelle autonomie en hiver ?`));
  // Each viewer supports everybody else's question, once it shows on their screen.
  const voted = viewers.flatMap((v, i) =>
    asked.map(async (q, j) => {
      if (i === j) return;
      const id = await q;
      await until(() => v.picture()!.questions.some((x) => x.id === id), 60_000, 'question shown');
      await v.vote(id);
    }),
  );
  const presenting = (async () => {
    await hostCommand(host.socket, 'chapter:set', { index: 1 });
    for (let x = 1; x <= 4; x++) {
      host.socket.emit('camera:set', pose(x));
      await sleep(250);
    }
    await hostCommand(host.socket, 'chapter:set', { index: 2 });
    host.socket.emit('camera:set', pose(7));
  })();
  await sleep(FAULT_WINDOW_MS / 2);
  const resetMidWindow = proxy.reset();
  await sleep(FAULT_WINDOW_MS / 2);

  // Recovery: the link is clean again.
  proxy.heal();
  const healedAt = Date.now();
  // The writes caught by the faults land first (retried), then every viewer must catch up.
  let settled = false;
  let failure: unknown = null;
  Promise.all([...asked, ...voted, presenting]).then(
    () => (settled = true),
    (err: unknown) => (failure = err),
  );
  let truth: Picture | null = null;
  const same = (p: Picture | null) => JSON.stringify(p) === JSON.stringify(truth);
  await until(
    async () => {
      if (failure) throw failure;
      if (!settled) return false;
      // The server's state: what a viewer joining now is shown, the same on every process,
      // with the counts the store holds (processes agreeing on a count they all missed is not it).
      truth = await reference(main, ev.code);
      const rows = new Map((await main.store.questions.listByEvent(ev.id)).map((q) => [q.id, q.votes]));
      if (!truth.questions.every((q) => rows.get(q.id) === q.votes)) return false;
      for (const s of d.servers) if (!same(await reference(s, ev.code))) return false;
      return viewers.every((v) => same(v.picture()));
    },
    3 * CONVERGE_MS, // measured and asserted below: a late one should say by how much
    'every viewer shows the current picture',
  ).catch((err: Error) => {
    const rooms = d.servers.map((s) => [...(s.app.realtime.rooms.get(ev.id)?.questions.values() ?? [])].map((q) => `${q.text.slice(0, 10)}=${q.votes}`).join(' '));
    throw new Error(`${err.message}\ntruth: ${JSON.stringify(truth)}\n${viewers.map((v) => JSON.stringify(v.picture())).join('\n')}\nrooms: ${rooms.join(' | ')}`);
  });
  const convergedMs = Date.now() - healedAt;
  const count = (f: (v: FaultViewer) => number) => viewers.reduce((n, v) => n + f(v), 0);
  // The measured time, for the record (docs/benchmarks.md).
  console.warn(`[faults] ${ctx.task.name}: every viewer current ${convergedMs} ms after recovery; ${proxy.stats.resets} resets (${resetMidWindow} mid-window), ${count((v) => v.states - 1)} reconnections, ${count((v) => v.retries)} sends retried`);
  expect(convergedMs).toBeLessThanOrEqual(CONVERGE_MS);

  const final = truth!;
  expect(final.chapter).toBe(2);
  expect(final.pose).toBe(JSON.stringify([[7, 1.5, 5], [0, 0.6, 0], 40]));
  const questionIds = await Promise.all(asked);
  expect(final.questions.map((q) => q.id).sort()).toEqual([...questionIds].sort());

  // Votes: each count is its distinct voters in the store, and every acknowledged vote is one.
  const voters = await main.store.questions.voters(ev.id);
  const pairs = new Set(voters.map((v) => `${v.questionId}/${v.viewerId}`));
  expect(pairs.size).toBe(voters.length);
  // Shown, and kept on the question's row, equal to the votes stored.
  const distinct = Object.fromEntries(final.questions.map((q) => [q.id, voters.filter((v) => v.questionId === q.id).length]));
  const onRows = Object.fromEntries((await main.store.questions.listByEvent(ev.id)).map((q) => [q.id, q.votes]));
  expect({ shown: Object.fromEntries(final.questions.map((q) => [q.id, q.votes])), onRows }).toEqual({ shown: distinct, onRows: distinct });
  for (const v of viewers) for (const q of v.acked.votes) expect(pairs.has(`${q}/${v.viewerId}`)).toBe(true);
  expect(voters.length).toBe(VIEWERS * (VIEWERS - 1));

  // Leads: the outboxes empty themselves (their backoff reaches 15 s at most), each lead once.
  await until(() => viewers.every((v) => v.outbox.snapshot().pending.length === 0), 20_000, 'every lead acknowledged');
  const res = await fetch(`${main.url}/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${ev.dealerKey}` } });
  const stored = ((await res.json()) as { leads: { id: string }[] }).leads.map((l) => l.id);
  expect(stored.sort()).toEqual(leads.flat().map((l) => l.id!).sort());
  expect(viewers.flatMap((v) => [...v.acked.leads]).sort()).toEqual(stored);
}

describe.concurrent('network faults (latency 2 s ± 1 s, 5 KB/s, resets) on each link', { timeout: 60_000 }, () => {
  it('between the viewers and the server', async (ctx) => {
    const main = await startServer();
    const target = new URL(main.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    ctx.onTestFinished(async () => {
      await proxy.close();
      await main.close();
    });
    await exercise({ main, proxy, servers: [main], viewerUrl: () => `http://${proxy.address}` }, ctx);
  });

  it.skipIf(!PG)('between the server and PostgreSQL', async (ctx) => {
    const target = new URL(PG!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(PG!);
    viaProxy.host = proxy.address;
    const main = await startServer({ store: await openThrowawayStore(viaProxy.toString(), { log }) });
    ctx.onTestFinished(async () => {
      proxy.heal();
      await main.close(); // drops the throwaway schema (through the healed proxy)
      await proxy.close();
    });
    await exercise({ main, proxy, servers: [main], viewerUrl: () => main.url }, ctx);
  });

  it.skipIf(!REDIS)('between one of two processes and Redis', async (ctx) => {
    const prefix = `vitrine-test-${randomBytes(6).toString('hex')}:`;
    const target = new URL(REDIS!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const a = await startServer({ cluster: await connectCluster(REDIS!, log, prefix) });
    const b = await startServer({ cluster: await connectCluster(`redis://${proxy.address}`, log, prefix), shared: a });
    ctx.onTestFinished(async () => {
      proxy.heal();
      await b.close();
      await a.close();
      await proxy.close();
      const redis = createClient({ url: REDIS });
      await redis.connect();
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
      await redis.close();
    });
    // B's link is the bad one: the presenter and viewers 1 and 2 on B, viewer 0 on A.
    await exercise({ main: a, presenterOn: b, proxy, servers: [a, b], viewerUrl: (i) => (i === 0 ? a.url : b.url) }, ctx);
  });
});
