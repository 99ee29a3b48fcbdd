/**
 * `npm run bench`: camera-pose fan-out, host → N viewers, then the Q&A burst (qa-run.ts) and the
 * lead burst (leads-run.ts), each against the real server process.
 *
 *   npm run bench -- [--scenario fanout,qa,leads] --viewers 200,1000,5000 --seconds 15 [--workers 4] [--batch 400] [--no-floor] [--quiet-wait 60]
 *                    [--qa-viewers 2000 --qa-questions 500 --qa-votes 10000 --qa-seconds 10 --qa-reactions 3]
 *                    [--leads-viewers 2000 --leads-seconds 10]
 *   npm run bench -- --scenario ttff [--runs 5] [--trace]      (viewer page's first frame, ttff.ts; not in the default set)
 *
 * Per N: a fresh server process (fresh DATA_DIR), one event, N socket.io-client viewers spread
 * over load-generator processes, one host sending poses at 20 Hz, then a final pose every viewer
 * must get. Each N is also run against a bare socket.io relay (floor-server.ts, skip with
 * --no-floor): the in-run reference PERFORMANCE.md asks for, since absolute figures drift.
 * Everything is on 127.0.0.1, on this one machine.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { connectHost, orbit, sendFinal } from './host.js';
import { leadsTables, type LeadsResult } from './leads-report.js';
import { CONCURRENT_SHARE, RESEND_SHARE, runLeads } from './leads-run.js';
import { cpuSeconds, killAll, machineBusySeconds, rssMB } from './procs.js';
import type { FromWorker, ToWorker, WorkerReport } from './protocol.js';
import { machine, markdownTable, notesTable, writeJson, type RunResult } from './report.js';
import { chooseEntry, createEvent, ROOT, scrapeMetrics, startServer } from './server.js';
import { runQa } from './qa-run.js';
import { runTtff } from './ttff.js';
import { qaTables, type QaResult } from './qa-report.js';
import { merge, percentile, mean, type Histogram } from './stats.js';
import { connectWorkers, reply as replyOf, share, shutdown, sum, tell as tellOf, waitForQuiet } from './workers.js';

const FINAL_DEADLINE_MS = 3000;
/** Pause after everyone has joined, so join-time work (presence, GC) is not measured as relay work. */
const SETTLE_MS = 1500;

const { values: args } = parseArgs({
  options: {
    viewers: { type: 'string', default: '200,1000,5000' },
    seconds: { type: 'string', default: '15' },
    workers: { type: 'string' },
    batch: { type: 'string', default: '400' },
    'no-floor': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '60' },
    scenario: { type: 'string', default: 'fanout,qa,leads' },
    'qa-viewers': { type: 'string', default: '2000' },
    'qa-questions': { type: 'string', default: '500' },
    'qa-votes': { type: 'string', default: '10000' },
    'qa-seconds': { type: 'string', default: '10' },
    'qa-reactions': { type: 'string', default: '3' }, // per viewer in the burst: 2,000 × 3 = 600/s, ≤ 1/s each
    'leads-viewers': { type: 'string', default: '2000' },
    'leads-seconds': { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' }, // ttff: cold loads per vehicle
    trace: { type: 'boolean', default: false }, // ttff: a Chromium trace of each vehicle's first run
  },
});
const scenarios = new Set(args.scenario.split(','));
const qaNumbers = ['qa-viewers', 'qa-questions', 'qa-votes', 'qa-seconds', 'qa-reactions'].map((k) => Number(args[k as 'qa-viewers']));
const [qaViewers, qaQuestions, qaVotes, qaSeconds, qaReactions] = qaNumbers as [number, number, number, number, number];
const leadsViewers = Number(args['leads-viewers']);
const leadsSeconds = Number(args['leads-seconds']);
const badLeads = !Number.isInteger(leadsViewers) || leadsViewers < 1 || !(leadsSeconds > 0);
const ttffRuns = Number(args.runs);
const badTtff = !Number.isInteger(ttffRuns) || ttffRuns < 1;
const counts = args.viewers.split(',').map((s) => Number(s.replace(/_/g, '')));
const seconds = Number(args.seconds);
const batch = Number(args.batch);
const quietWaitMs = Number(args['quiet-wait']) * 1000;
const badQa = qaNumbers.some((x) => !(x >= 0)) || qaViewers < 10 || !(qaSeconds > 0) || qaReactions / qaSeconds > 10;
if (counts.some((n) => !Number.isInteger(n) || n < 1) || !(seconds > 0) || !(batch > 0) || !(quietWaitMs >= 0) || badQa || badLeads || badTtff || ![...scenarios].every((x) => ['fanout', 'qa', 'leads', 'ttff'].includes(x))) {
  console.error('usage: npm run bench -- [--scenario fanout,qa,leads] [--viewers 200,1000,5000] [--seconds 15] [--workers k] [--batch 400] [--no-floor] [--quiet-wait 60]');
  console.error('                        [--qa-viewers 2000] [--qa-questions 500] [--qa-votes 10000] [--qa-seconds 10] [--qa-reactions 3]');
  console.error('                        [--leads-viewers 2000] [--leads-seconds 10]');
  console.error('       npm run bench -- --scenario ttff [--runs 5] [--trace]');
  process.exit(2);
}

// No leftovers, whatever happens: every exit path kills every child, and a watchdog bounds the run.
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping`);
    process.exit(130);
  });
}
const floor = !args['no-floor'];
const runs = scenarios.has('fanout') ? counts.length * (floor ? 2 : 1) : 0;
const qaBudgetMs = scenarios.has('qa') ? 60_000 + quietWaitMs + qaSeconds * 1000 + 60_000 + qaViewers * 20 : 0; // start + quiet + burst + drain + connect
const leadsBudgetMs = scenarios.has('leads') ? 60_000 + quietWaitMs + leadsSeconds * 1000 + 60_000 + leadsViewers * 20 : 0; // start + quiet + burst + drain + connect
const ttffBudgetMs = scenarios.has('ttff') ? 180_000 + 3 * (quietWaitMs + ttffRuns * 90_000) : 0; // start (a rebuild) + 3 vehicles
const budgetMs = 200_000 + qaBudgetMs + leadsBudgetMs + ttffBudgetMs + counts.reduce((s, n) => s + (60_000 + quietWaitMs + seconds * 1000 + n * 15) * (runs / counts.length), 0);
setTimeout(() => {
  console.error(`bench: still running after ${Math.round(budgetMs / 1000)} s, giving up`);
  process.exit(1);
}, budgetMs).unref();

/** Load generators for n viewers: each should not have to parse much more than ~30k poses a second. */
const workersFor = (n: number): number => (args.workers ? Number(args.workers) : n <= 500 ? 1 : n <= 2000 ? 2 : 4);
const reply = <T extends FromWorker['type']>(child: ChildProcess, type: T, timeoutMs: number) => replyOf<FromWorker, T>(child, type, timeoutMs);
const tell = tellOf<ToWorker>;

async function runOne(label: string, entry: string, n: number): Promise<RunResult> {
  const server = await startServer(entry);
  const workers: ChildProcess[] = [];
  try {
    const { code, hostKey } = await createEvent(server.url);
    const k = workersFor(n);
    const joined = await connectWorkers(workers, 'viewers.ts', k, 60_000 + n * 20, (w): ToWorker => ({
      type: 'connect', url: server.url, code, count: share(n, k, w), batch: Math.max(1, Math.ceil(batch / k)), idPrefix: `bench-w${w}`,
    }));
    const { connected, failed: connectFailed, seconds: connectSeconds } = joined;
    console.log(`  ${label} N=${n}: ${connected} viewers joined in ${connectSeconds.toFixed(1)} s over ${k} load generator(s)`);
    if (connectFailed) console.warn(`  ${connectFailed} viewers failed to join: ${joined.firstError}`);

    const host = await connectHost(server.url, code, hostKey);
    await sleep(SETTLE_MS);
    const serverRssIdleMB = rssMB(server.pid);
    const begun = workers.map((child) => reply(child, 'begun', 10_000));
    workers.forEach((child) => tell(child, { type: 'begin' }));
    await Promise.all(begun);
    const before = await scrapeMetrics(server.url).catch(() => ({}) as Record<string, number>);

    // Sample the server while the host sends: RSS every 250 ms, CPU per second.
    const workerCpu = (): number => sum(workers.map((c) => cpuSeconds(c.pid!)));
    const cpu0 = cpuSeconds(server.pid);
    const load0 = workerCpu();
    const machine0 = machineBusySeconds();
    const self0 = process.cpuUsage();
    const t0 = performance.now();
    let serverRssPeakMB = serverRssIdleMB;
    const perSecond: number[] = [];
    let lastCpu = cpu0;
    let tick = 0;
    const sampler = setInterval(() => {
      serverRssPeakMB = Math.max(serverRssPeakMB, rssMB(server.pid) || 0);
      if (++tick % 4 === 0) {
        const cpu = cpuSeconds(server.pid);
        perSecond.push(Math.round((cpu - lastCpu) * 100));
        lastCpu = cpu;
      }
    }, 250);

    const sent = await orbit(host, seconds);
    const sendSeconds = (performance.now() - t0) / 1000;
    const cpuSend = cpuSeconds(server.pid) - cpu0;
    const loadSend = workerCpu() - load0;
    // Whatever else ran on the machine meanwhile (other users, a browser…) took cores from us.
    const selfSend = (process.cpuUsage(self0).user + process.cpuUsage(self0).system) / 1e6;
    const otherSend = machineBusySeconds() - machine0 - cpuSend - loadSend - selfSend;
    sendFinal(host);
    await sleep(FINAL_DEADLINE_MS); // the server may still be working through what it owes
    const cpuAll = cpuSeconds(server.pid) - cpu0;
    clearInterval(sampler);
    const after = await scrapeMetrics(server.url).catch(() => ({}) as Record<string, number>);
    const reporting = workers.map((child) => reply(child, 'report', 30_000));
    workers.forEach((child) => tell(child, { type: 'report', finalDeadlineMs: FINAL_DEADLINE_MS }));
    const reports: WorkerReport[] = await Promise.all(reporting);
    host.disconnect();

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
      seconds,
      posesSent: sent.sent,
      hostMaxLateMs: sent.maxLateMs,
      latencyMs: { p50: percentile(histogram, 50), p90: percentile(histogram, 90), p99: percentile(histogram, 99), max: percentile(histogram, 100), mean: mean(histogram) },
      posesPerViewerPerSec: received / connected / seconds,
      minPosesPerViewerPerSec: Math.min(...reports.map((r) => r.minReceived)) / seconds,
      deliveredShare: received / (connected * sent.sent),
      finalShare: finalReceived / connected,
      finalMaxMs: Math.max(...reports.map((r) => r.finalMaxMs)),
      serverCpuPct: (cpuSend / sendSeconds) * 100,
      serverCpuPeak1sPct: Math.max(...perSecond),
      serverCpuPerSecond: perSecond,
      serverRssIdleMB,
      serverRssPeakMB,
      cpuUsPerDeliveredPose: (cpuAll * 1e6) / (received + finalReceived),
      loadgenCpuPct: (loadSend / sendSeconds) * 100,
      otherCpuPct: Math.max(0, (otherSend / sendSeconds) * 100),
      loadgenLoopP99Ms: Math.max(...reports.map((r) => r.loopP99Ms)),
      serverLoopP99Ms: loop === undefined ? null : loop * 1000,
      broadcasts: counter('vitrine_pose_broadcasts_total'),
      deferredSends: counter('vitrine_pose_deferred_total'),
      disconnects: sum(reports.map((r) => r.disconnects)),
    };
  } finally {
    await shutdown(workers, server);
  }
}

async function fanout(entry: string, note: string | null, meta: Record<string, unknown>, started: number): Promise<void> {
  const results: RunResult[] = [];
  for (const n of counts) {
    await waitForQuiet(quietWaitMs);
    results.push(await runOne('vitrine', entry, n));
    if (!floor) continue;
    await waitForQuiet(quietWaitMs);
    results.push(await runOne('socket.io floor', 'tests/bench/floor-server.ts', n));
  }
  console.log(`\nPose fan-out, ${seconds} s at 20 Hz per run, ${(meta.machine as { cpus: number }).cpus} CPUs shared by server and load generators:\n`);
  console.log(markdownTable(results));
  console.log('\n' + notesTable(results));
  if (note) console.log(`\nNote: ${note}`);
  for (const r of results.filter((r) => r.otherCpuPct > 20)) {
    console.log(`Warning: other processes used ${Math.round(r.otherCpuPct)}% of a core during ${r.server} N=${r.viewers}; its figures are pessimistic.`);
  }
  const file = writeJson(path.join(ROOT, 'bench-results'), 'pose-fanout', { ...meta, entry, note, durationSeconds: (Date.now() - started) / 1000, results });
  console.log(`\nJSON: ${path.relative(ROOT, file)} (${Math.round((Date.now() - started) / 1000)} s)`);
}

async function qa(entry: string, meta: Record<string, unknown>): Promise<void> {
  const started = Date.now();
  await waitForQuiet(quietWaitMs);
  const options = { viewers: qaViewers, questions: qaQuestions, votes: qaVotes, burstSeconds: qaSeconds, reactionsPerViewer: qaReactions, batch, workers: workersFor(qaViewers) };
  const results: QaResult[] = [await runQa(entry, options)];
  console.log(`\nQ&A burst: ${qaViewers} viewers, ${qaQuestions} questions and ${qaVotes} votes in ${qaSeconds} s (moderation open), host at 20 Hz:\n`);
  console.log(qaTables(results));
  for (const r of results) console.log(`  pose relay during the Q&A run: ${r.poseBroadcastsDelta ?? '–'} room broadcasts, ${r.poseDeferredDelta ?? '–'} single sends to busy viewers`);
  for (const r of results.filter((r) => r.otherCpuPct > 20)) console.log(`\nWarning: other processes used ${Math.round(r.otherCpuPct)}% of a core during the burst; its figures are pessimistic.`);
  const file = writeJson(path.join(ROOT, 'bench-results'), 'qa-burst', { ...meta, args: options, durationSeconds: (Date.now() - started) / 1000, results });
  console.log(`\nJSON: ${path.relative(ROOT, file)} (${Math.round((Date.now() - started) / 1000)} s)`);
}

async function leads(entry: string, meta: Record<string, unknown>): Promise<void> {
  const started = Date.now();
  await waitForQuiet(quietWaitMs);
  const options = { viewers: leadsViewers, windowSeconds: leadsSeconds, batch, workers: workersFor(leadsViewers) };
  const result: LeadsResult = await runLeads(entry, options);
  console.log(`\nLead burst: the host opens the test-drive CTA, ${leadsViewers} viewers submit within ${leadsSeconds} s (${RESEND_SHARE * 100}% resend after the ack, ${CONCURRENT_SHARE * 100}% send twice at once), host at 20 Hz:\n`);
  console.log(leadsTables(result));
  if (result.otherCpuPct > 20) console.log(`\nWarning: other processes used ${Math.round(result.otherCpuPct)}% of a core during the burst; its figures are pessimistic.`);
  const file = writeJson(path.join(ROOT, 'bench-results'), 'lead-burst', { ...meta, args: options, durationSeconds: (Date.now() - started) / 1000, results: [result] });
  console.log(`\nJSON: ${path.relative(ROOT, file)} (${Math.round((Date.now() - started) / 1000)} s)`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const meta = { startedAt: new Date().toISOString(), machine: machine(), args: { viewers: counts, seconds, batch, workers: args.workers ?? 'auto', floor } };
  // ttff measures dist/client as built: it must not build it (it says so when it is missing).
  const { entry, note } = [...scenarios].some((s) => s !== 'ttff') ? await chooseEntry() : { entry: 'server/index.ts', note: null };
  if (scenarios.has('fanout')) await fanout(entry, note, meta, started);
  if (scenarios.has('qa')) await qa(entry, { startedAt: new Date().toISOString(), machine: machine() });
  if (scenarios.has('leads')) await leads(entry, { startedAt: new Date().toISOString(), machine: machine() });
  if (scenarios.has('ttff')) await runTtff({ runs: ttffRuns, quietWaitMs, trace: args.trace });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench failed:', err);
    process.exit(1);
  },
);
