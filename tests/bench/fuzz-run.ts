/**
 * The fuzz scenario (`npm run bench -- --scenario fuzz`, issue 8): legitimate traffic (N viewers,
 * the presenter posing at 20 Hz, active viewers asking, voting and sending leads) measured in
 * phases without fuzz (baseline) and with it (the fuzz worker sending malformed packets of every
 * kind), alternated ABBA ABBA… so that the machine's slow drifts fall on both alike. Pose p99 and
 * ack p99 of each condition are computed over all of its phases together, and the rise is checked.
 * Meanwhile every fuzz packet must get its expected answer, a watching viewer and presenter must
 * see only valid messages, and the server must log no error and keep running.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
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
import { cpuSeconds } from './procs.js';
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
  /** Active viewers (questions, votes, leads, reactions) beside the N passive ones. */
  actives: number;
  /** Votes each active viewer casts in a phase (and one question, one lead). */
  votes: number;
  /** Reactions each active viewer sends in a phase. */
  reactions: number;
  /**
   * A control (0: off): in the fuzz phases the attacker sends nothing and only keeps this % of a
   * core busy on the load generators' core, as it does when fuzzing. A rise then is the
   * measurement's, not the server's.
   */
  shamPct: number;
  batch: number;
  workers: number;
  env: Record<string, string>;
  nodeArgs: string[];
}

/** A warm-up phase comes first and counts for neither: the JIT, the caches and the question list settle in it. */
export type Condition = 'warm-up' | 'baseline' | 'fuzz';

/** The legitimate commands whose acks are timed. */
const ACK_KINDS = ['asks', 'votes', 'leads', 'reacts'] as const;
type AckKind = (typeof ACK_KINDS)[number];
const ACK_LABELS: Record<AckKind, string> = { asks: 'questions', votes: 'votes', leads: 'leads', reacts: 'reactions' };

export interface PhaseHistograms {
  condition: Condition;
  pose: Histogram;
  acks: Histogram;
}

export interface PhaseResult {
  condition: Condition;
  poseP50: number;
  poseP99: number;
  poseMax: number;
  delivered: number;
  acks: { sent: number; ok: number; p99: number; p99ByKind: Record<AckKind, number> };
  serverCpuPct: number;
  otherCpuPct: number;
  /** The load generators measuring legitimate traffic (% of one core). */
  loadgenCpuPct: number;
  /** The attacker (% of one core). */
  attackerCpuPct: number;
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
  /** How the attacker was kept out of the load generators' way ('SCHED_IDLE' or 'nice 19'). */
  attackerPriority: string;
  phases: PhaseResult[];
  baseline: ConditionResult;
  fuzz: ConditionResult;
  /** (fuzz − baseline) ÷ baseline. */
  rise: { poseP99: number; ackP99: number };
  /**
   * How sure the rise is: the 5th and 95th percentiles of the rise over 2,000 resamplings of
   * the phases (each condition's phases drawn with replacement, pooled as above). Phases of one
   * condition differ more than samples within a phase, so it is the phases that are resampled.
   */
  riseInterval: { poseP99: [number, number]; ackP99: [number, number] };
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

/**
 * The attacker shares the load generators' core (the server has the other one to itself), so it
 * must not delay what they measure: SCHED_IDLE runs it only when they have nothing to do (a
 * lower nice value alone still lets it finish its slice in front of a waking load generator).
 * Where `chrt` is missing or refused, the lowest nice value.
 */
function deprioritise(pid: number): string {
  try {
    execFileSync('chrt', ['--idle', '-p', '0', String(pid)], { stdio: 'ignore' });
    return 'SCHED_IDLE';
  } catch {
    os.setPriority(pid, 19);
    return 'nice 19';
  }
}

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

/** A small seeded generator (mulberry32): the interval is the same for the same run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rise's 5th–95th percentile interval when each condition's phases are resampled with replacement. */
export function riseInterval(phases: PhaseHistograms[], which: 'pose' | 'acks', seed: number, rounds = 2000): [number, number] {
  const of = (c: Condition) => phases.filter((p) => p.condition === c).map((p) => p[which]);
  const base = of('baseline');
  const fuzz = of('fuzz');
  if (!base.length || !fuzz.length) return [NaN, NaN];
  const next = random(seed);
  const p99 = (hs: Histogram[]): number => {
    const pooled: Histogram = new Map();
    for (let i = 0; i < hs.length; i++) merge(pooled, hs[Math.floor(next() * hs.length)]!);
    return percentile(pooled, 99);
  };
  const rises: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const b = p99(base);
    rises.push((p99(fuzz) - b) / b);
  }
  rises.sort((x, y) => x - y);
  return [rises[Math.floor(rounds * 0.05)]!, rises[Math.floor(rounds * 0.95)]!];
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
    const attackerPriority = deprioritise(attacker.pid!);
    const started = fuzzReply(attacker, 'started', 30_000);
    const target = { url: server.url, eventId: event.id, code: event.code, hostKey: event.hostKey, dealerKey: event.dealerKey, replayCode: ended.code };
    tellOf<ToFuzzWorker>(attacker, { type: 'start', target, room: roomFacts(before.event.vehicle), seed: o.seed, total: o.packets, lanes: o.lanes, kinds: o.kinds });
    await started;
    await sleep(SETTLE_MS);

    const order: Condition[] = ['warm-up', ...Array.from({ length: o.pairs }, (_, i): Condition[] => (i % 2 === 0 ? ['baseline', 'fuzz'] : ['fuzz', 'baseline'])).flat()];
    const phaseMs = o.phaseSeconds * 1000;
    const phases: PhaseResult[] = [];
    /** Each phase's pose and ack latencies: pooled per condition at the end, resampled for the interval. */
    const phaseHistograms: PhaseHistograms[] = [];
    let side: WorkerReport['side'] = null;
    let fuzzSent = 0;
    for (const [i, condition] of order.entries()) {
      const sampler = startSampler(server.pid, workers.map((c) => c.pid!));
      const attackerCpu0 = cpuSeconds(attacker.pid!);
      const attackerT0 = performance.now();
      const begun = workers.map((child) => reply(child, 'begun', 10_000));
      workers.forEach((child) => tell(child, { type: 'begin', side: { at: Date.now() + 300, windowMs: phaseMs - 1500, asks: 1, votes: o.votes, leads: 1, reactions: o.reactions } }));
      await Promise.all(begun);
      let fuzzing: Promise<Extract<FromFuzzWorker, { type: 'ran' }>> | null = null;
      if (condition === 'fuzz') {
        const fuzzPhase = order.slice(0, i).filter((c) => c === 'fuzz').length;
        const packets = share(o.packets, o.pairs, fuzzPhase);
        fuzzing = fuzzReply(attacker, 'ran', phaseMs + 120_000);
        tellOf<ToFuzzWorker>(attacker, o.shamPct > 0 ? { type: 'spin', pct: o.shamPct, ms: phaseMs - 500 } : { type: 'run', packets, ms: phaseMs - 500 });
      }
      const sent = await orbit(host, o.phaseSeconds);
      const window = sampler.sample();
      sampler.stop();
      const attackerCpuPct = ((cpuSeconds(attacker.pid!) - attackerCpu0) / ((performance.now() - attackerT0) / 1000)) * 100;
      const ran = fuzzing ? await fuzzing : null;
      fuzzSent += ran?.sent ?? 0;
      await sleep(PHASE_DRAIN_MS);
      const reporting = workers.map((child) => reply(child, 'report', 30_000));
      workers.forEach((child) => tell(child, { type: 'report', finalDeadlineMs: 0, chapters: [] }));
      const reports = await Promise.all(reporting);
      const h: Histogram = new Map();
      for (const r of reports) merge(h, r.histogram);
      const now = reports.find((r) => r.side)?.side ?? null;
      const gained = now ? ACK_KINDS.map((kind) => since(side?.[kind], now[kind])) : [];
      side = now;
      const ackH: Histogram = new Map();
      for (const g of gained) merge(ackH, g.h);
      phaseHistograms.push({ condition, pose: h, acks: ackH });
      const phase: PhaseResult = {
        condition,
        poseP50: percentile(h, 50),
        poseP99: percentile(h, 99),
        poseMax: percentile(h, 100),
        delivered: sum(reports.map((r) => r.received)) / (joined.connected * sent.sent),
        acks: {
          sent: sum(gained.map((g) => g.sent)),
          ok: sum(gained.map((g) => g.ok)),
          p99: percentile(ackH, 99),
          p99ByKind: Object.fromEntries(ACK_KINDS.map((kind, k) => [kind, percentile(gained[k]?.h ?? new Map(), 99)])) as Record<AckKind, number>,
        },
        serverCpuPct: window.serverCpuPct,
        otherCpuPct: Math.max(0, window.otherCpuPct - attackerCpuPct),
        loadgenCpuPct: window.loadgenCpuPct,
        attackerCpuPct,
        loadgenLoopP99Ms: Math.max(...reports.map((r) => r.loopP99Ms)),
        fuzz: ran ? { sent: ran.sent, seconds: ran.seconds, handshakes: ran.handshakes } : null,
      };
      phases.push(phase);
      console.log(`  phase ${i + 1}/${order.length} ${condition.padEnd(8)}: pose p99 ${phase.poseP99} ms, ack p99 ${phase.acks.p99} ms (${ACK_KINDS.map((k) => `${ACK_LABELS[k]} ${Number.isFinite(phase.acks.p99ByKind[k]) ? phase.acks.p99ByKind[k] : '–'}`).join(', ')}; ${phase.acks.ok}/${phase.acks.sent} ok), server CPU ${Math.round(phase.serverCpuPct)}%, load generators ${Math.round(phase.loadgenCpuPct)}% (loop p99 ${Math.round(phase.loadgenLoopP99Ms)} ms), attacker ${Math.round(phase.attackerCpuPct)}%, other ${Math.round(phase.otherCpuPct)}%${ran ? `, ${ran.sent} fuzz packets in ${ran.seconds.toFixed(1)} s` : ''}`);
    }

    const reportP = fuzzReply(attacker, 'report', 30_000);
    tellOf<ToFuzzWorker>(attacker, { type: 'report' });
    const report = await reportP;
    const after = await stateOf(server.url, { code: event.code, role: 'viewer', viewerId: 'fuzz-state-after' }).catch(() => null);
    const healthz = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0);
    const condition = (c: Condition): ConditionResult => {
      const ps = phases.filter((p) => p.condition === c);
      const pooled = (which: 'pose' | 'acks'): Histogram => {
        const h: Histogram = new Map();
        for (const p of phaseHistograms) if (p.condition === c) merge(h, p[which]);
        return h;
      };
      const poses = pooled('pose');
      const acks = pooled('acks');
      return {
        phases: ps.length,
        poseP50: percentile(poses, 50),
        poseP99: percentile(poses, 99),
        poseMax: percentile(poses, 100),
        poseP99MedianOfPhases: median(ps.map((p) => p.poseP99)),
        acks: sum([...acks.values()]),
        ackP50: percentile(acks, 50),
        ackP99: percentile(acks, 99),
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
      attackerPriority,
      phases,
      baseline,
      fuzz,
      rise: { poseP99: (fuzz.poseP99 - baseline.poseP99) / baseline.poseP99, ackP99: (fuzz.ackP99 - baseline.ackP99) / baseline.ackP99 },
      riseInterval: { poseP99: riseInterval(phaseHistograms, 'pose', o.seed), ackP99: riseInterval(phaseHistograms, 'acks', o.seed) },
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
