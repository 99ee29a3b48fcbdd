import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connectClient } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pose } from '../../shared/presentation.js';
import type { StatePayload } from '../../shared/events.js';
import type { Client } from './harness.js';

/**
 * `WORKERS=2 npm start` as a user runs it: one port, two worker processes sharing rooms through
 * Redis, and a worker killed with SIGKILL in the middle of an event.
 */
const REDIS = process.env.TEST_REDIS_URL;
if (!REDIS && process.env.VITRINE_CI === '1') throw new Error('TEST_REDIS_URL must be set in CI: the Redis suites cannot be skipped there');
if (!REDIS) console.warn('skipped: WORKERS=2 with a worker killed (TEST_REDIS_URL is not set, e.g. redis://127.0.0.1:6379)');

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-workers-'));
const ADMIN = 'workers-test-admin-token-0123456789';
const children: ChildProcess[] = [];
const sockets: Client[] = [];
afterAll(() => {
  for (const s of sockets) s.disconnect();
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startWorkers(): Promise<{ child: ChildProcess; url: string }> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WORKERS: '2',
    REDIS_URL: REDIS!,
    ADMIN_TOKEN: ADMIN,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Vitrine is running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  return { child, url };
}

/** The worker processes (children of the primary) by the index their Engine.IO ids carry. */
function workerPids(primary: number): Map<number, number> {
  const pids = execFileSync('pgrep', ['-P', String(primary)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  const byIndex = new Map<number, number>();
  for (const pid of pids) {
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    const m = /VITRINE_WORKER_INDEX=(\d+)/.exec(env);
    if (m) byIndex.set(Number(m[1]), pid);
  }
  return byIndex;
}

function join(url: string, auth: Record<string, string>, transport: 'websocket' | 'polling'): Client {
  const socket: Client = connectClient(url, { auth, transports: [transport], forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1_000 });
  sockets.push(socket);
  return socket;
}

const nextState = (s: Client, ms = 10_000, what = 'a socket') =>
  new Promise<StatePayload>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no state for ${what} within ${ms} ms (engine ${s.io.engine?.id ?? 'none'}, ${s.io.engine?.transport?.name ?? '-'})`)), ms);
    s.once('state', (st) => {
      clearTimeout(timer);
      resolve(st);
    });
  });

const pose = (x: number, t: number): Pose => ({ position: [x, 1.5, 5], target: [0, 0.6, 0], fov: 40, t });

describe.skipIf(!REDIS)('WORKERS=2 behind one port', () => {
  it('spreads viewers (WebSocket and long-polling) over both workers; a worker killed mid-event: its viewers are back within 10 s with the current state', { timeout: 120_000 }, async () => {
    const { child, url } = await startWorkers();
    const res = await fetch(`${url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ title: 'Lancement national' }) });
    expect(res.status).toBe(201);
    const ev = (await res.json()) as { code: string; hostKey: string };

    const host = join(url, { code: ev.code, role: 'host', key: ev.hostKey }, 'websocket');
    await nextState(host);
    const hostWorker = Number(/^w(\d+)\./.exec(host.io.engine.id!)![1]);
    const viewers = [0, 1, 2, 3, 4, 5].map((i) => join(url, { code: ev.code, role: 'viewer', viewerId: `viewer-w-${i}` }, i % 2 ? 'polling' : 'websocket'));
    await Promise.all(viewers.map((v, i) => nextState(v, 10_000, `viewer ${i} joining`)));
    const workerOf = (s: Client) => Number(/^w(\d+)\./.exec(s.io.engine.id!)![1]);
    const onOther = viewers.filter((v) => workerOf(v) !== hostWorker);
    expect(new Set(viewers.map(workerOf)).size).toBe(2);
    expect(onOther.length).toBeGreaterThan(0);

    // Every viewer follows the presenter, whichever worker and transport it is on.
    const got = viewers.map(() => false);
    viewers.forEach((v, i) => v.on('camera:pose', (p) => (got[i] ||= p.position[0] === 2)));
    host.emit('camera:set', pose(2, 1_000));
    const deadline = Date.now() + 5_000;
    while (!got.every(Boolean) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(got).toEqual(viewers.map(() => true));

    // kill -9 the worker that does not hold the presenter; the presenter moves on meanwhile.
    const victim = workerPids(child.pid!).get(1 - hostWorker)!;
    expect(victim).toBeGreaterThan(0);
    const back = onOther.map((v, i) => nextState(v, 10_000, `viewer ${i} of the killed worker`));
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    host.emit('camera:set', pose(5, 2_000));
    const states = await Promise.all(back);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    for (const st of states) expect(st.presentation.pose?.position[0]).toBe(5);
    // They reconnected to the surviving worker (the killed one is being replaced).
    for (const v of onOther) expect(v.connected).toBe(true);

    // And keep following.
    const after = onOther.map((v) => new Promise<boolean>((resolve) => v.on('camera:pose', (p) => p.position[0] === 8 && resolve(true))));
    host.emit('camera:set', pose(8, 3_000));
    expect(await Promise.all(after)).toEqual(onOther.map(() => true));
  });
});
