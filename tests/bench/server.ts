/** Starts the real Vitrine server as a child process and talks to it over HTTP. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../../server/nodeFlags.js';
import { pinnedCommand, stop, track } from './procs.js';

/** Vitrine's entry point, as `npm start` runs it. */
const VITRINE_ENTRY = 'server/index.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/**
 * The per-IP caps off (docs/security.md): every simulated viewer connects from 127.0.0.1, which
 * the defaults (1,000 sockets, 200 handshakes a second per IP) would refuse past a point.
 */
export const NO_IP_CAPS_ENV = { IP_MAX_CONNECTIONS: '0', IP_HANDSHAKES_PER_SECOND: '0', IP_EVENT_CREATIONS_PER_MINUTE: '0', IP_KEY_FAILURES_PER_MINUTE: '0' };

export interface BenchServer {
  url: string;
  pid: number;
  /** The server's DATA_DIR (vitrine.db is in it); removed by close(). */
  dataDir: string;
  /** The process itself: whether it is still running (a crash ends it), its IPC channel when asked for. */
  child: ChildProcess;
  close(): Promise<void>;
}

/** More of the server process: its output as it comes (stdout's log lines and stderr), an IPC channel (a `--import`ed probe may answer on it). */
export interface StartExtras {
  onOutput?: (text: string) => void;
  ipc?: boolean;
  /** A module imported into the server before its entry (after tsx, so it may be TypeScript): the soak's probe. */
  preload?: string;
}

/**
 * server/index.ts builds the client on first start. Build it here first, once and visibly, so
 * the build's time is not counted as start-up; a failed build stops the bench.
 */
export async function chooseEntry(): Promise<{ entry: string; note: string | null }> {
  if (fs.existsSync(path.join(ROOT, 'dist/client/index.html'))) return { entry: VITRINE_ENTRY, note: null };
  console.log('dist/client is missing: running `vite build` once…');
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  const error = await new Promise<string | null>((resolve) =>
    execFile(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: ROOT, timeout: 180_000 }, (err, _out, stderr) =>
      resolve(err ? (stderr || err.message).split('\n').find((l) => l.trim()) ?? err.message : null),
    ),
  );
  if (error) throw new Error(`the client does not build: ${error.trim()}`);
  return { entry: VITRINE_ENTRY, note: null };
}

/**
 * A fresh DATA_DIR and a fresh process: runs never share state. `env` is added to the child's
 * environment (`--vitrine-env`, e.g. WORKERS=2), `nodeArgs` to node's own flags
 * (`--vitrine-node-args`, e.g. --cpu-prof, which NODE_OPTIONS does not accept). Vitrine runs
 * with the flags `npm start` gives it (server/nodeFlags.ts); the floors with node's defaults.
 */
export async function startServer(entry: string, timeoutMs = 60_000, env: Record<string, string> = {}, nodeArgs: string[] = [], extras: StartExtras = {}): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-bench-'));
  // Run node directly (not npx): the child's pid is then the server's, which /proc sampling needs.
  const command = pinnedCommand('server', process.execPath, [...(entry === VITRINE_ENTRY ? NODE_FLAGS : []), ...nodeArgs, '--import', 'tsx', ...(extras.preload ? ['--import', extras.preload] : []), entry]);
  const child: ChildProcess = track(
    spawn(command.file, command.args, {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN, LOG_LEVEL: 'warn', ...NO_IP_CAPS_ENV, ...env },
      stdio: extras.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    extras.onOutput?.(d.toString());
  });
  const close = async (): Promise<void> => {
    await stop(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs / 1000} s`)), timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        extras.onOutput?.(d.toString());
        const match = / is running at (\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) before listening:\n${stderr}`));
      });
    });
    // Keep draining its output so a chatty log can never block the server on a full pipe.
    child.stdout!.removeAllListeners('data');
    child.stdout!.on('data', (d: Buffer) => extras.onOutput?.(d.toString()));
    child.stdout!.resume();
    return { url, pid: child.pid!, dataDir, child, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function createEvent(url: string): Promise<{ id: string; code: string; hostKey: string; dealerKey: string }> {
  const res = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ title: 'Bench' }),
  });
  if (res.status !== 201) throw new Error(`POST /api/events: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; code: string; hostKey: string; dealerKey: string };
  return { id: body.id, code: body.code, hostKey: body.hostKey, dealerKey: body.dealerKey };
}

/** An authorised JSON call to the server's HTTP API. */
export async function api<T>(url: string, key: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The server's own counters from /metrics (pose broadcasts, deferred sends, loop delay). */
export async function scrapeMetrics(url: string, timeoutMs = 5000): Promise<Record<string, number>> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  const values: Record<string, number> = {};
  for (const line of (await res.text()).split('\n')) {
    const match = /^([a-z0-9_]+) (\S+)$/.exec(line);
    if (match) values[match[1]!] = Number(match[2]);
  }
  return values;
}
