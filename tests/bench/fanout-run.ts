/**
 * One fan-out run (`npm run bench -- --scenario fanout`): a fresh server process, N viewers in
 * load-generator processes, one host sending poses at 20 Hz, then a final pose every viewer must
 * get, and what that cost the server. The same run drives Vitrine and the two floors. Against
 * Vitrine it also carries side traffic (side-*.ts): the host sets a chapter every 2 s, and a few
 * active viewers ask, vote and submit leads meanwhile.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { connectHost, connectRawHost, orbit, sendFinal, type HostSocket, type Presenter } from './host.js';
import { treeRssMB } from './procs.js';
import type { FromWorker, ToWorker, WorkerReport } from './protocol.js';
import type { RunResult } from './report.js';
import { startSampler } from './sampler.js';
import { prepareSide, setChapters } from './side-host.js';
import { sideResult } from './side-report.js';
import { createEvent, scrapeMetrics, startServer } from './server.js';
import { merge, mean, percentile, type Histogram } from './stats.js';
import { connectWorkers, reply as replyOf, share, shutdown, sum, tell as tellOf } from './workers.js';

export const FINAL_DEADLINE_MS = 3000;
/** Pause after everyone has joined, so join-time work (presence, GC) is not measured as relay work. */
const SETTLE_MS = 1500;

/**
 * The servers a fan-out run can measure: Vitrine, and the two floors PERFORMANCE.md asks to
 * measure in the same run (absolute figures drift ±10–20% from run to run), and what their
 * viewers speak (connect-ws.ts). Vitrine is measured twice: poses only, like the floors, and with
 * side traffic (chapters, questions, votes, leads: `side`), which the floors have no code for.
 */
export const SERVERS = {
  vitrine: { label: 'vitrine', entry: 'server/index.ts', protocol: 'socket.io', side: false },
  'vitrine-side': { label: 'vitrine + side traffic', entry: 'server/index.ts', protocol: 'socket.io', side: true },
  'socket.io': { label: 'socket.io floor', entry: 'tests/bench/floor-server.ts', protocol: 'socket.io', side: false },
  ws: { label: 'ws floor', entry: 'tests/bench/ws-floor-server.ts', protocol: 'ws', side: false },
} as const;
export type ServerKey = keyof typeof SERVERS;

export interface FanoutOptions {
  seconds: number;
  /** Handshakes in flight at once, across all load generators. */
  batch: number;
  /** Load-generator processes. */
  workers: number;
  /** Added to the Vitrine server's environment only (`--vitrine-env`). */
  vitrineEnv: Record<string, string>;
  /** Node flags for the Vitrine server only (`--vitrine-node-args`, e.g. --cpu-prof). */
  vitrineNodeArgs: string[];
  /** The side traffic of `vitrine-side` runs: active viewers, and what each sends in the window. */
  side: SideLoad;
}

/** How much side traffic a `vitrine-side` run carries (`--side-actives`): active viewers, each with this many asks, votes, leads and reactions. */
export interface SideLoad {
  actives: number;
  asks: number;
  votes: number;
  leads: number;
  reactions: number;
}

/** Viewers joining per second on this machine (Vitrine, the slowest: 10,000 in 6 s; with margin). */
const JOINS_PER_SECOND = 1000;

/** What one run should take on a quiet machine, s: quiet, start, join, settle, send, final pose, stop. */
export const expectedSeconds = (n: number, seconds: number): number => 7 + n / JOINS_PER_SECOND + SETTLE_MS / 1000 + seconds + FINAL_DEADLINE_MS / 1000;

const reply = <T extends FromWorker['type']>(child: ChildProcess, type: T, timeoutMs: number) => replyOf<FromWorker, T>(child, type, timeoutMs);
const tell = tellOf<ToWorker>;
const noMetrics = (): Record<string, number> => ({});

export async function runFanout(key: ServerKey, n: number, o: FanoutOptions): Promise<RunResult> {
  const { label, entry, protocol } = SERVERS[key];
  const server = entry === SERVERS.vitrine.entry ? await startServer(entry, 60_000, o.vitrineEnv, o.vitrineNodeArgs) : await startServer(entry);
  const side = SERVERS[key].side ? o.side : null;
  const workers: ChildProcess[] = [];
  let host: Presenter | null = null;
  try {
    const event = await createEvent(server.url);
    const { code, hostKey } = event;
    const k = o.workers;
    const joined = await connectWorkers(workers, 'viewers.ts', k, 60_000 + n * 20, (w): ToWorker => ({
      type: 'connect', url: server.url, code, count: share(n, k, w), batch: Math.max(1, Math.ceil(o.batch / k)), idPrefix: `bench-w${w}`, protocol,
      actives: side && w === 0 ? side.actives : 0,
    }));
    const { connected, failed: connectFailed, seconds: connectSeconds } = joined;
    console.log(`  ${label} N=${n}: ${connected} viewers joined in ${connectSeconds.toFixed(1)} s over ${k} load generator(s)`);
    if (connectFailed) console.warn(`  ${connectFailed} viewers failed to join: ${joined.firstError}`);

    const presenter: HostSocket | null = protocol === 'ws' ? null : await connectHost(server.url, code, hostKey);
    host = presenter ?? (await connectRawHost(server.url));
    if (side) await prepareSide(server.url, event, presenter!);
    await sleep(SETTLE_MS);
    const serverRssIdleMB = treeRssMB(server.pid);
    const windowMs = o.seconds * 1000;
    const plan = side ? { at: Date.now() + 500, windowMs: windowMs - 1500, asks: side.asks, votes: side.votes, leads: side.leads, reactions: side.reactions } : null;
    const begun = workers.map((child) => reply(child, 'begun', 10_000));
    workers.forEach((child) => tell(child, { type: 'begin', side: plan }));
    await Promise.all(begun);
    const before = await scrapeMetrics(server.url).catch(noMetrics); // also starts the loop-delay window afresh

    // Sample the server while the host sends (RSS every 250 ms, CPU per second), and 3 s after.
    const sampler = startSampler(server.pid, workers.map((c) => c.pid!));
    const chaptering = side ? setChapters(presenter!, windowMs, DEMO_VEHICLE.chapters.length) : Promise.resolve([]);
    const sent = await orbit(host, o.seconds);
    const sending = sampler.sample();
    sendFinal(host);
    await sleep(FINAL_DEADLINE_MS); // the server may still be working through what it owes
    const whole = sampler.sample();
    sampler.stop();
    // An overloaded server answers HTTP late too: wait for it rather than lose the loop delay.
    const after = await scrapeMetrics(server.url, 30_000).catch(noMetrics);
    const chapters = await chaptering;
    const reporting = workers.map((child) => reply(child, 'report', 30_000));
    workers.forEach((child) => tell(child, { type: 'report', finalDeadlineMs: FINAL_DEADLINE_MS, chapters }));
    const reports: WorkerReport[] = await Promise.all(reporting);

    const histogram: Histogram = new Map();
    for (const r of reports) merge(histogram, r.histogram);
    const received = sum(reports.map((r) => r.received));
    const finalReceived = sum(reports.map((r) => r.finalReceived));
    const counter = (name: string): number | null => (name in after && name in before ? after[name]! - before[name]! : null);
    const loop = after.nodejs_eventloop_delay_p99_seconds;
    return {
      server: label,
      viewers: n,
      connected,
      connectFailed,
      connectSeconds,
      workers: k,
      seconds: o.seconds,
      posesSent: sent.sent,
      hostMaxLateMs: sent.maxLateMs,
      latencyMs: { p50: percentile(histogram, 50), p90: percentile(histogram, 90), p99: percentile(histogram, 99), max: percentile(histogram, 100), mean: mean(histogram) },
      posesPerViewerPerSec: received / connected / o.seconds,
      minPosesPerViewerPerSec: Math.min(...reports.map((r) => r.minReceived)) / o.seconds,
      deliveredShare: received / (connected * sent.sent),
      finalShare: finalReceived / connected,
      finalMaxMs: Math.max(...reports.map((r) => r.finalMaxMs)),
      serverCpuPct: sending.serverCpuPct,
      serverCpuPeak1sPct: Math.max(...whole.serverCpuPerSecond),
      serverCpuPerSecond: whole.serverCpuPerSecond,
      serverProcesses: whole.serverProcesses,
      serverRssIdleMB,
      serverRssPeakMB: whole.serverRssPeakMB,
      cpuUsPerDeliveredPose: (whole.serverCpuSeconds * 1e6) / (received + finalReceived),
      posesPerWrite: (received + finalReceived) / whole.serverWriteSyscalls,
      loadgenCpuPct: sending.loadgenCpuPct,
      otherCpuPct: sending.otherCpuPct,
      loadgenLoopP99Ms: Math.max(...reports.map((r) => r.loopP99Ms)),
      serverLoopP99Ms: loop === undefined ? null : loop * 1000,
      broadcasts: counter('vitrine_pose_broadcasts_total'),
      deferredSends: counter('vitrine_pose_deferred_total'),
      disconnects: sum(reports.map((r) => r.disconnects)),
      side: side ? sideResult(side.actives, chapters, reports, connected) : null,
    };
  } finally {
    host?.disconnect();
    await shutdown(workers, server);
  }
}
