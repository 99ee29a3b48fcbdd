/**
 * `npm run soak` (issue 8): a long live launch. N viewers (2,000) for M minutes (30), with C
 * viewers leaving and C new ones joining every minute (200), questions, votes, reactions and leads
 * flowing, the presenter posing at 20 Hz, setting a chapter every 30 s and pinning a question
 * every minute. Every --sample-seconds (10): the server's heap, RSS and live timers (through
 * soak-probe.ts on its IPC channel), its rooms and sockets (/metrics), pose latency and acks.
 * Then everyone leaves: no room, socket or timer may remain, and after a full GC the heap must be
 * back within ±10% of the baseline (taken after a short warm-up, so one-time initialisation is
 * not counted as growth); pose p99 must be stable (every minute ≤ 2× the median minute).
 *
 *   npm run soak -- [--minutes 30] [--viewers 2000] [--churn 200] [--asks 60] [--votes 600] [--reactions 1200] [--leads 30]
 *                   [--sample-seconds 10] [--warmup-seconds 20] [--workers 2] [--batch 200] [--quiet-wait 60] [--no-pin] [--vitrine-env K=V,…]
 *                   [--heap-snapshots DIR]   (heap snapshots at the baseline and at the end, to open in Chrome's DevTools)
 */
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Ack } from '../../shared/errors.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { connectHost, orbit, type HostSocket } from './host.js';
import { cpuSeconds, killAll, machineBusySeconds, openFilesLimit, pin, treeCpuSeconds } from './procs.js';
import { machine, writeJson } from './report.js';
import { chooseEntry, createEvent, ROOT, scrapeMetrics, startServer, type BenchServer } from './server.js';
import { prepareSide } from './side-host.js';
import type { ProbeAnswer, ProbeRequest } from './soak-probe.js';
import { minutesOf, minuteTable, soakChecks, type SoakWindow } from './soak-report.js';
import type { CommandKind, FromSoakWorker, SoakRates, SoakSample, ToSoakWorker } from './soak-viewers.js';
import { forkWorker, reply as replyOf, share, shutdown, tell as tellOf, waitForQuiet } from './workers.js';
import { errorLogScanner } from './errorLog.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    viewers: { type: 'string', default: '2000' },
    churn: { type: 'string', default: '200' },
    asks: { type: 'string', default: '60' },
    votes: { type: 'string', default: '600' },
    reactions: { type: 'string', default: '1200' },
    leads: { type: 'string', default: '30' },
    'sample-seconds': { type: 'string', default: '10' },
    'warmup-seconds': { type: 'string', default: '20' },
    workers: { type: 'string', default: '2' },
    batch: { type: 'string', default: '200' },
    'quiet-wait': { type: 'string', default: '60' },
    'no-pin': { type: 'boolean', default: false },
    'vitrine-env': { type: 'string', default: '' },
    'heap-snapshots': { type: 'string' },
  },
});
const n = (k: keyof typeof args): number => Number(String(args[k]).replace(/_/g, ''));
const o = { minutes: n('minutes'), viewers: n('viewers'), sampleSeconds: n('sample-seconds'), warmupSeconds: n('warmup-seconds'), workers: n('workers'), batch: n('batch'), quietWaitMs: n('quiet-wait') * 1000 };
const rates: SoakRates = { churn: n('churn'), asks: n('asks'), votes: n('votes'), reactions: n('reactions'), leads: n('leads') };
const env = Object.fromEntries(args['vitrine-env'].split(',').filter(Boolean).map((p) => p.split(/=(.*)/s).slice(0, 2) as [string, string]));
if (![...Object.values(o), ...Object.values(rates)].every((x) => Number.isFinite(x) && x >= 0) || o.minutes <= 0 || o.viewers < 1 || o.workers < 1 || 60 % o.sampleSeconds !== 0) {
  console.error('usage: npm run soak -- [--minutes 30] [--viewers 2000] [--churn 200] [--asks 60] [--votes 600] [--reactions 1200] [--leads 30] [--sample-seconds 10 (divides 60)] [--warmup-seconds 20] [--workers 2] [--batch 200] [--quiet-wait 60] [--no-pin] [--vitrine-env K=V,…]');
  process.exit(2);
}

const CHAPTER_EVERY_MS = 30_000;
const PIN_EVERY_MS = 60_000;
const EMPTY_WAIT_MS = 60_000;
/** After the room is empty: presence (500 ms), Q&A batches, the recorders' flushes all come due. */
const SETTLE_MS = 5_000;

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(130));
// A watchdog: the soak, warm-up, joins and the end, with room to spare.
setTimeout(() => {
  console.error('soak: still running long past its duration, giving up');
  process.exit(1);
}, (o.minutes * 60 + o.warmupSeconds + 600) * 1000 + o.viewers * 50).unref();

const reply = <T extends FromSoakWorker['type']>(child: ChildProcess, type: T, timeoutMs: number) => replyOf<FromSoakWorker, T>(child, type, timeoutMs);
const tell = tellOf<ToSoakWorker>;
const perWorker = (w: number): SoakRates => ({ churn: share(rates.churn, o.workers, w), asks: share(rates.asks, o.workers, w), votes: share(rates.votes, o.workers, w), reactions: share(rates.reactions, o.workers, w), leads: share(rates.leads, o.workers, w) });

let probes = 0;
/** Asks the server's probe (soak-probe.ts) over IPC. */
function probe(server: BenchServer, gc: boolean, snapshot?: string): Promise<ProbeAnswer> {
  const id = ++probes;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('the server probe did not answer within 30 s')), 30_000);
    const onMessage = (m: Partial<ProbeAnswer>): void => void (m.soakProbe === id && done(null, m as ProbeAnswer));
    function done(err: Error | null, answer?: ProbeAnswer): void {
      clearTimeout(timer);
      server.child.off('message', onMessage);
      if (err) reject(err);
      else resolve(answer!);
    }
    server.child.on('message', onMessage);
    const dir = args['heap-snapshots'];
    server.child.send({ soakProbe: id, gc, ...(snapshot && dir ? { snapshot: path.resolve(dir, `${snapshot}.heapsnapshot`) } : {}) } satisfies ProbeRequest);
  });
}

/** Joins `count` viewers over the load generators, runs `rates` for `ms` (sampling every sample-seconds with `onSample`), then everyone leaves. */
async function session(workers: ChildProcess[], url: string, code: string, count: number, ms: number, onSample: (samples: SoakSample[], at: number) => Promise<void>): Promise<void> {
  const connected = workers.map((c) => reply(c, 'connected', 60_000 + count * 50));
  workers.forEach((c, w) => tell(c, { type: 'connect', url, code, count: share(count, workers.length, w), idPrefix: `soak-w${w}-${Date.now().toString(36)}`, batch: Math.max(1, Math.ceil(o.batch / workers.length)) }));
  const joined = await Promise.all(connected);
  const failed = joined.reduce((s, j) => s + j.failed, 0);
  console.log(`  ${joined.reduce((s, j) => s + j.connected, 0)} viewers joined in ${(Math.max(...joined.map((j) => j.ms)) / 1000).toFixed(1)} s${failed ? ` (${failed} failed)` : ''}`);
  workers.forEach((c, w) => tell(c, { type: 'traffic', rates: perWorker(w) }));
  const start = Date.now();
  for (let k = 1; k * o.sampleSeconds * 1000 <= ms; k++) {
    await sleep(Math.max(0, start + k * o.sampleSeconds * 1000 - Date.now()));
    const sampled = workers.map((c) => reply(c, 'sample', 30_000));
    workers.forEach((c) => tell(c, { type: 'sample' }));
    await onSample(await Promise.all(sampled), (Date.now() - start) / 1000);
  }
  const left = workers.map((c) => reply(c, 'left', 60_000));
  workers.forEach((c) => tell(c, { type: 'leave' }));
  await Promise.all(left);
}

/** The presenter for `ms`: 20 Hz poses, a chapter every 30 s, a question pinned every minute. */
async function present(host: HostSocket, ms: number): Promise<void> {
  const questions: string[] = [];
  host.on('question:added', (q) => void questions.push(q.id));
  let chapter = 0;
  const chapters = setInterval(() => host.emit('chapter:set', { index: (chapter = (chapter + 1) % DEMO_VEHICLE.chapters.length) }, () => {}), CHAPTER_EVERY_MS);
  const pins = setInterval(() => {
    const id = questions[Math.floor(Math.random() * questions.length)];
    if (id) host.emit('question:moderate', { id, action: 'pin' }, () => {});
  }, PIN_EVERY_MS);
  try {
    await orbit(host, ms / 1000);
  } finally {
    clearInterval(chapters);
    clearInterval(pins);
  }
}

async function untilEmpty(url: string): Promise<{ rooms: number; sockets: number; sessionsOpen: number; seconds: number }> {
  const started = Date.now();
  for (;;) {
    const m = await scrapeMetrics(url, 30_000);
    const state = { rooms: m.vitrine_rooms ?? NaN, sockets: m.vitrine_sockets ?? NaN, sessionsOpen: m.vitrine_viewer_sessions_open ?? NaN, seconds: (Date.now() - started) / 1000 };
    if ((state.rooms === 0 && state.sockets === 0 && state.sessionsOpen === 0) || Date.now() - started > EMPTY_WAIT_MS) return state;
    await sleep(500);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const meta = { startedAt: new Date().toISOString(), machine: machine() };
  if (openFilesLimit() < o.viewers + 1024) throw new Error(`raise the open-files limit (ulimit -n) to at least ${o.viewers + 1024}`);
  const { entry } = await chooseEntry();
  console.log(`Soak: ${o.viewers} viewers for ${o.minutes} min, ${rates.churn} joins + ${rates.churn} leaves a minute, ${rates.asks} questions, ${rates.votes} votes, ${rates.reactions} reactions and ${rates.leads} leads a minute, host at 20 Hz; sampled every ${o.sampleSeconds} s.`);
  await waitForQuiet(o.quietWaitMs);
  const cpus = os.cpus().length;
  if (!args['no-pin'] && cpus >= 2) pin({ server: '0', rest: cpus === 2 ? '1' : `1-${cpus - 1}` });
  const errors = errorLogScanner();
  const onOutput = errors.onOutput;
  const server = await startServer(entry, 60_000, env, ['--expose-gc'], { onOutput, ipc: true, preload: './tests/bench/soak-probe.ts' });
  const workers: ChildProcess[] = [];
  try {
    const cold = await probe(server, true);
    const event = await createEvent(server.url);
    for (let w = 0; w < o.workers; w++) workers.push(forkWorker('soak-viewers.ts'));

    // Warm-up: everything once, at a small scale, then everybody leaves; the baseline is taken after it.
    console.log(`  warm-up: ${Math.min(50, o.viewers)} viewers for ${o.warmupSeconds} s`);
    let host = await connectHost(server.url, event.code, event.hostKey);
    await new Promise<Ack>((resolve) => host.emit('event:start', {}, resolve));
    await prepareSide(server.url, event, host);
    await Promise.all([present(host, o.warmupSeconds * 1000), session(workers, server.url, event.code, Math.min(50, o.viewers), o.warmupSeconds * 1000, async () => {})]);
    host.disconnect();
    await untilEmpty(server.url);
    await sleep(SETTLE_MS);
    const baseline = await probe(server, true, 'baseline');
    console.log(`  baseline: heap ${baseline.heapUsedMB.toFixed(1)} MB (cold ${cold.heapUsedMB.toFixed(1)} MB), ${baseline.resources.Timeout ?? 0} timers`);

    const windows: SoakWindow[] = [];
    const samplesPerMinute = 60 / o.sampleSeconds;
    // Where the two cores went in each window: the server, the load generators (with this process), the rest of the machine.
    const cpuNow = () => ({ t: performance.now(), server: treeCpuSeconds(server.pid), loadgens: workers.reduce((s, c) => s + (cpuSeconds(c.pid!) || 0), 0) + (process.cpuUsage().user + process.cpuUsage().system) / 1e6, machine: machineBusySeconds() });
    let cpu = cpuNow();
    const onSample = async (samples: SoakSample[], at: number): Promise<void> => {
      const [p, m] = await Promise.all([probe(server, false), scrapeMetrics(server.url, 30_000).catch(() => ({}) as Record<string, number>)]);
      const [was, now] = [cpu, (cpu = cpuNow())];
      const seconds = (now.t - was.t) / 1000;
      const serverCpu = now.server - was.server;
      const loadgenCpu = now.loadgens - was.loadgens;
      const acks = Object.fromEntries((['asks', 'votes', 'reactions', 'leads'] as CommandKind[]).map((k) => [k, samples.map((s) => s.acks[k])])) as Record<CommandKind, SoakSample['acks'][CommandKind][]>;
      windows.push({
        at,
        viewers: samples.reduce((s, x) => s + x.viewers, 0),
        poses: samples.flatMap((s) => s.poses),
        // One AckStats per kind: the generators' windows summed (summarize merges histograms).
        acks: Object.fromEntries(Object.entries(acks).map(([k, list]) => [k, { ...list[0]!, sent: list.reduce((s, a) => s + a.sent, 0), ok: list.reduce((s, a) => s + a.ok, 0), rateLimited: list.reduce((s, a) => s + a.rateLimited, 0), otherErrors: list.reduce((s, a) => s + a.otherErrors, 0), noAck: list.reduce((s, a) => s + a.noAck, 0), firstError: list.find((a) => a.firstError)?.firstError ?? null, histogram: list.flatMap((a) => a.histogram) }])) as SoakWindow['acks'],
        joins: samples.reduce((s, x) => s + x.joins, 0),
        leaves: samples.reduce((s, x) => s + x.leaves, 0),
        drops: samples.reduce((s, x) => s + x.drops, 0),
        joinFailures: samples.reduce((s, x) => s + x.joinFailures, 0),
        loadgenLoopP99Ms: Math.max(...samples.map((s) => s.loopP99Ms)),
        heapUsedMB: p.heapUsedMB,
        rssMB: p.rssMB,
        timers: p.resources.Timeout ?? 0,
        sockets: m.vitrine_sockets ?? NaN,
        rooms: m.vitrine_rooms ?? NaN,
        serverLoopP99Ms: (m.nodejs_eventloop_delay_p99_seconds ?? NaN) * 1000,
        serverCpuPct: (serverCpu / seconds) * 100,
        loadgenCpuPct: (loadgenCpu / seconds) * 100,
        otherCpuPct: Math.max(0, ((now.machine - was.machine - serverCpu - loadgenCpu) / seconds) * 100),
      });
      if (windows.length % samplesPerMinute === 0) {
        const [minute] = minutesOf(windows.slice(-samplesPerMinute), samplesPerMinute);
        console.log(`  min ${windows.length / samplesPerMinute}: ${minute!.viewers} viewers, pose p99 ${minute!.poseP99} ms, heap ${minute!.heapUsedMB.toFixed(1)} MB, RSS ${Math.round(minute!.rssMB)} MB, ${minute!.timers} timers, ${minute!.sockets} sockets, ${minute!.drops} drops, server CPU ${Math.round(minute!.serverCpuPct)}%, other ${Math.round(minute!.otherCpuPct)}%`);
      }
    };

    console.log(`  soak: ${o.viewers} viewers for ${o.minutes} min`);
    host = await connectHost(server.url, event.code, event.hostKey);
    const ms = o.minutes * 60_000;
    await Promise.all([present(host, ms), session(workers, server.url, event.code, o.viewers, ms, onSample)]);
    host.disconnect();
    const empty = await untilEmpty(server.url);
    await sleep(SETTLE_MS);
    const final = await probe(server, true, 'final');

    const minutes = minutesOf(windows, samplesPerMinute);
    const alive = server.child.exitCode === null && server.child.signalCode === null;
    const { checks, lines } = soakChecks(minutes, { baseline, cold, final, rooms: empty.rooms, sockets: empty.sockets, sessionsOpen: empty.sessionsOpen, emptiedSeconds: empty.seconds }, { alive, errorLogs: errors.count() });
    console.log(`\nSoak, per minute (${o.viewers} viewers, ${rates.churn} joins + ${rates.churn} leaves a minute):\n`);
    console.log(minuteTable(minutes));
    console.log('\nChecks (issue 8):\n');
    for (const line of lines) console.log(`  ${line}`);
    const firstErrorLog = errors.first();
    if (firstErrorLog) console.log(`  first error log: ${firstErrorLog}`);
    const file = writeJson(path.join(ROOT, 'bench-results'), 'soak', {
      ...meta, args: { ...o, rates, env }, durationSeconds: (Date.now() - started) / 1000, checks, lines, cold, baseline, final, empty, errorLogs: errors.count(), firstErrorLog, minutes,
      windows: windows.map(({ poses: _p, acks: _a, ...w }) => w),
    });
    console.log(`\nJSON: ${path.relative(ROOT, file)} (${Math.round((Date.now() - started) / 1000)} s)`);
    process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
  } finally {
    pin(null);
    await shutdown(workers, server);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error('soak failed:', err);
    process.exit(1);
  },
);
