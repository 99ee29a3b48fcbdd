/**
 * The fuzz scenario (`npm run bench -- --scenario fuzz`, issue 8): legitimate traffic (N viewers,
 * the presenter posing at 20 Hz, active viewers asking, voting and sending leads) measured in
 * phases without fuzz (baseline) and with it (the fuzz worker sending malformed packets of every
 * kind), alternated ABBA ABBA… so that the machine's slow drifts fall on both alike. Pose p99 and
 * ack p99 of each condition are computed over all of its phases together, and the rise is checked.
 * Meanwhile every fuzz packet must get its expected answer, a watching viewer and presenter must
 * see only valid messages, and the server must log no error and keep running.
 */
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import type { Ack } from '../../shared/errors.js';
import { StatePayload, type StatePayload as State } from '../../shared/events.js';
import { KIND_NAMES, roomFacts } from '../fuzz/catalogue.js';
import type { AckStats } from './acks.js';
import type { FromFuzzWorker, FuzzReport, ToFuzzWorker } from './fuzz-worker.js';
import { connectHost, orbit, type HostSocket } from './host.js';
import type { FromWorker, ToWorker, WorkerReport } from './protocol.js';
import { startSampler } from './sampler.js';
import { prepareSide } from './side-host.js';
import { createEvent, startServer } from './server.js';
import { merge, percentile, type Histogram } from './stats.js';
import { connectWorkers, forkWorker, reply as replyOf, share, shutdown, sum, tell as tellOf } from './workers.js';
import { errorLogScanner } from './errorLog.js';

export interface FuzzOptions {
  viewers: number;
  /** ABBA pairs: each pair is one baseline and one fuzz phase. */
  pairs: number;
  phaseSeconds: number;
  /** Fuzz packets over all fuzz phases. */
  packets: number;
  seed: number;
  /** Fuzz packets in flight at once. */
  lanes: number;
  /** Only the kinds whose name matches this regular expression (null: every kind). */
  kinds: string | null;
  /** Active viewers (questions, votes, leads) beside the N passive ones. */
  actives: number;
  batch: number;
  workers: number;
  env: Record<string, string>;
  nodeArgs: string[];
}

export type Condition = 'baseline' | 'fuzz';

export interface PhaseResult {
  condition: Condition;
  poseP50: number;
  poseP99: number;
  poseMax: number;
  delivered: number;
  acks: { sent: number; ok: number; p99: number };
  serverCpuPct: number;
  otherCpuPct: number;
  loadgenLoopP99Ms: number;
  fuzz: { sent: number; seconds: number; handshakes: number } | null;
}

export interface ConditionResult {
  phases: number;
  poseP50: number;
  poseP99: number;
  poseMax: number;
  /** Median over this condition's phases of each phase's pose p99 (a second view, less swayed by one bad phase). */
  poseP99MedianOfPhases: number;
  acks: number;
  ackP50: number;
  ackP99: number;
  serverCpuPct: number;
}

export interface FuzzResult {
  viewers: number;
  actives: number;
  phaseSeconds: number;
  phases: PhaseResult[];
  baseline: ConditionResult;
  fuzz: ConditionResult;
  /** (fuzz − baseline) ÷ baseline. */
  rise: { poseP99: number; ackP99: number };
  packets: { sent: number; ok: number; kinds: number; perSecond: number; handshakes: number; answerP99Ms: number };
  kinds: FuzzReport['kinds'];
  failures: string[];
  watchers: { garbage: string[]; connected: boolean; messages: number };
  server: { alive: boolean; errorLogs: number; firstErrorLog: string | null; stateValid: boolean; healthz: number };
}

/** The rise the issue allows in legitimate traffic's p99 while fuzzed. */
export const MAX_RISE = 0.1;
const SETTLE_MS = 1500;
const PHASE_DRAIN_MS = 700; // after a phase, late acks and poses land before the report

const reply = <T extends FromWorker['type']>(child: ChildProcess, type: T, timeoutMs: number) => replyOf<FromWorker, T>(child, type, timeoutMs);
const tell = tellOf<ToWorker>;
const fuzzReply = <T extends FromFuzzWorker['type']>(child: ChildProcess, type: T, timeoutMs: number) => replyOf<FromFuzzWorker, T>(child, type, timeoutMs);

/** What a fresh viewer is told (to check the room is still whole). */
async function stateOf(url: string, auth: Record<string, unknown>): Promise<State> {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    return await new Promise<State>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no state within 15 s')), 15_000);
      socket.once('state', (s: State) => void (clearTimeout(timer), resolve(s)));
      socket.once('connect_error', (err) => void (clearTimeout(timer), reject(err)));
    });
  } finally {
    socket.close();
  }
}

/** The acks a cumulative count gained since the previous one (the load generator counts from its start). */
function since(prev: AckStats | undefined, cur: AckStats): { sent: number; ok: number; h: Histogram } {
  const h: Histogram = new Map(cur.histogram);
  for (const [ms, n] of prev?.histogram ?? []) h.set(ms, (h.get(ms) ?? 0) - n);
  for (const [ms, n] of h) if (n <= 0) h.delete(ms);
  return { sent: cur.sent - (prev?.sent ?? 0), ok: cur.ok - (prev?.ok ?? 0), h };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function runFuzz(entry: string, o: FuzzOptions): Promise<FuzzResult> {
  const errors = errorLogScanner();
  const onOutput = errors.onOutput;
  const server = await startServer(entry, 60_000, o.env, o.nodeArgs, { onOutput });
  const workers: ChildProcess[] = [];
  const cleanup: { attacker?: ChildProcess; host?: HostSocket } = {};
  try {
    const event = await createEvent(server.url);
    // Replay pages are fuzzed too: they need an event that went live and ended.
    const ended = await createEvent(server.url);
    const endedHost = await connectHost(server.url, ended.code, ended.hostKey);
    for (const step of ['event:start', 'event:end'] as const) await new Promise<Ack>((resolve) => endedHost.emit(step, {}, resolve));
    endedHost.disconnect();

    const k = o.workers;
    const joined = await connectWorkers(workers, 'viewers.ts', k, 60_000 + o.viewers * 20, (w): ToWorker => ({
      type: 'connect', url: server.url, code: event.code, count: share(o.viewers, k, w), batch: Math.max(1, Math.ceil(o.batch / k)), idPrefix: `fz-w${w}`, protocol: 'socket.io', actives: w === 0 ? o.actives : 0,
    }));
    console.log(`  fuzz N=${o.viewers}: ${joined.connected} viewers (+${o.actives} active) joined in ${joined.seconds.toFixed(1)} s`);
    if (joined.failed) console.warn(`  ${joined.failed} viewers failed to join: ${joined.firstError}`);
    const host = (cleanup.host = await connectHost(server.url, event.code, event.hostKey));
    await new Promise<Ack>((resolve) => host.emit('event:start', {}, resolve));
    await prepareSide(server.url, event, host);
    const before = await stateOf(server.url, { code: event.code, role: 'viewer', viewerId: 'fuzz-state-before' });

    const attacker = (cleanup.attacker = forkWorker('fuzz-worker.ts'));
    // The attacker shares the load generators' core: at a lower priority it cannot delay what they measure.
    os.setPriority(attacker.pid!, 10);
    const started = fuzzReply(attacker, 'started', 30_000);
    const target = { url: server.url, eventId: event.id, code: event.code, hostKey: event.hostKey, dealerKey: event.dealerKey, replayCode: ended.code };
    tellOf<ToFuzzWorker>(attacker, { type: 'start', target, room: roomFacts(before.event.vehicle), seed: o.seed, total: o.packets, lanes: o.lanes, kinds: o.kinds });
    await started;
    await sleep(SETTLE_MS);

    const order: Condition[] = Array.from({ length: o.pairs }, (_, i): Condition[] => (i % 2 === 0 ? ['baseline', 'fuzz'] : ['fuzz', 'baseline'])).flat();
    const phaseMs = o.phaseSeconds * 1000;
    const phases: PhaseResult[] = [];
    const poses: Record<Condition, Histogram> = { baseline: new Map(), fuzz: new Map() };
    const acks: Record<Condition, Histogram> = { baseline: new Map(), fuzz: new Map() };
    let side: WorkerReport['side'] = null;
    let fuzzSent = 0;
    for (const [i, condition] of order.entries()) {
      const sampler = startSampler(server.pid, [...workers, attacker].map((c) => c.pid!));
      const begun = workers.map((child) => reply(child, 'begun', 10_000));
      workers.forEach((child) => tell(child, { type: 'begin', side: { at: Date.now() + 300, windowMs: phaseMs - 1500, asks: 1, votes: 5, leads: 1 } }));
      await Promise.all(begun);
      let fuzzing: Promise<Extract<FromFuzzWorker, { type: 'ran' }>> | null = null;
      if (condition === 'fuzz') {
        const fuzzPhase = order.slice(0, i).filter((c) => c === 'fuzz').length;
        const packets = share(o.packets, o.pairs, fuzzPhase);
        fuzzing = fuzzReply(attacker, 'ran', phaseMs + 120_000);
        tellOf<ToFuzzWorker>(attacker, { type: 'run', packets, ms: phaseMs - 500 });
      }
      const sent = await orbit(host, o.phaseSeconds);
      const window = sampler.sample();
      sampler.stop();
      const ran = fuzzing ? await fuzzing : null;
      fuzzSent += ran?.sent ?? 0;
      await sleep(PHASE_DRAIN_MS);
      const reporting = workers.map((child) => reply(child, 'report', 30_000));
      workers.forEach((child) => tell(child, { type: 'report', finalDeadlineMs: 0, chapters: [] }));
      const reports = await Promise.all(reporting);
      const h: Histogram = new Map();
      for (const r of reports) merge(h, r.histogram);
      merge(poses[condition], h);
      const now = reports.find((r) => r.side)?.side ?? null;
      const gained = now ? (['asks', 'votes', 'leads'] as const).map((kind) => since(side?.[kind], now[kind])) : [];
      side = now;
      const ackH: Histogram = new Map();
      for (const g of gained) merge(ackH, g.h);
      merge(acks[condition], ackH);
      const phase: PhaseResult = {
        condition,
        poseP50: percentile(h, 50),
        poseP99: percentile(h, 99),
        poseMax: percentile(h, 100),
        delivered: sum(reports.map((r) => r.received)) / (joined.connected * sent.sent),
        acks: { sent: sum(gained.map((g) => g.sent)), ok: sum(gained.map((g) => g.ok)), p99: percentile(ackH, 99) },
        serverCpuPct: window.serverCpuPct,
        otherCpuPct: window.otherCpuPct,
        loadgenLoopP99Ms: Math.max(...reports.map((r) => r.loopP99Ms)),
        fuzz: ran ? { sent: ran.sent, seconds: ran.seconds, handshakes: ran.handshakes } : null,
      };
      phases.push(phase);
      console.log(`  phase ${i + 1}/${order.length} ${condition.padEnd(8)}: pose p99 ${phase.poseP99} ms, ack p99 ${phase.acks.p99} ms (${phase.acks.ok}/${phase.acks.sent} ok), server CPU ${Math.round(phase.serverCpuPct)}%, other ${Math.round(phase.otherCpuPct)}%${ran ? `, ${ran.sent} fuzz packets in ${ran.seconds.toFixed(1)} s` : ''}`);
    }

    const reportP = fuzzReply(attacker, 'report', 30_000);
    tellOf<ToFuzzWorker>(attacker, { type: 'report' });
    const report = await reportP;
    const after = await stateOf(server.url, { code: event.code, role: 'viewer', viewerId: 'fuzz-state-after' }).catch(() => null);
    const healthz = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0);
    const condition = (c: Condition): ConditionResult => {
      const ps = phases.filter((p) => p.condition === c);
      return {
        phases: ps.length,
        poseP50: percentile(poses[c], 50),
        poseP99: percentile(poses[c], 99),
        poseMax: percentile(poses[c], 100),
        poseP99MedianOfPhases: median(ps.map((p) => p.poseP99)),
        acks: sum([...acks[c].values()]),
        ackP50: percentile(acks[c], 50),
        ackP99: percentile(acks[c], 99),
        serverCpuPct: sum(ps.map((p) => p.serverCpuPct)) / ps.length,
      };
    };
    const baseline = condition('baseline');
    const fuzz = condition('fuzz');
    const tallies = Object.values(report.kinds);
    const answers: Histogram = new Map(report.answerHistogram);
    return {
      viewers: o.viewers,
      actives: o.actives,
      phaseSeconds: o.phaseSeconds,
      phases,
      baseline,
      fuzz,
      rise: { poseP99: (fuzz.poseP99 - baseline.poseP99) / baseline.poseP99, ackP99: (fuzz.ackP99 - baseline.ackP99) / baseline.ackP99 },
      packets: {
        sent: sum(tallies.map((t) => t.sent)),
        ok: sum(tallies.map((t) => t.ok)),
        kinds: KIND_NAMES.filter((kind) => (report.kinds[kind]?.sent ?? 0) > 0).length,
        perSecond: fuzzSent / sum(phases.filter((p) => p.fuzz).map((p) => p.fuzz!.seconds)),
        handshakes: sum(phases.map((p) => p.fuzz?.handshakes ?? 0)),
        answerP99Ms: percentile(answers, 99),
      },
      kinds: report.kinds,
      failures: report.failures,
      watchers: { garbage: report.watchers.flatMap((w) => w.garbage), connected: report.watchersConnected, messages: sum(report.watchers.flatMap((w) => Object.values(w.counts))) },
      server: {
        alive: server.child.exitCode === null && server.child.signalCode === null,
        errorLogs: errors.count(),
        firstErrorLog: errors.first(),
        stateValid: after !== null && StatePayload.safeParse(after).success && after.event.status === 'live',
        healthz,
      },
    };
  } finally {
    cleanup.host?.disconnect();
    if (cleanup.attacker) workers.push(cleanup.attacker);
    await shutdown(workers, server);
  }
}
