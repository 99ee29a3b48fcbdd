/** The soak's figures: per-minute table, the end-of-run checks (issue 8) as met / missed. */
import { summarize, type AckStats, type AckSummary } from './acks.js';
import type { ProbeAnswer } from './soak-probe.js';
import type { CommandKind } from './soak-viewers.js';
import { merge, percentile, type Histogram } from './stats.js';

/** What the server and the machine looked like over a window or a minute. */
interface Readings {
  heapUsedMB: number;
  rssMB: number;
  timers: number;
  sockets: number;
  rooms: number;
  serverLoopP99Ms: number;
  /** % of one core: the server, the load generators and the host, everything else on the machine. */
  serverCpuPct: number;
  loadgenCpuPct: number;
  otherCpuPct: number;
}

/** One sampling window (every --sample-seconds), all load generators together. */
export interface SoakWindow extends Readings {
  /** Seconds since the soak's traffic started, at the end of the window. */
  at: number;
  viewers: number;
  poses: [number, number][];
  acks: Record<CommandKind, AckStats>;
  joins: number;
  leaves: number;
  drops: number;
  joinFailures: number;
  loadgenLoopP99Ms: number;
}

export interface SoakMinute extends Readings {
  minute: number;
  viewers: number;
  poseP50: number;
  poseP99: number;
  poseMax: number;
  joins: number;
  leaves: number;
  drops: number;
  acks: Record<CommandKind, { sent: number; ok: number; noAck: number; p99: number; firstError: string | null }>;
}

/** Pose p99 is stable when no minute's p99 is more than this many times the median minute's. */
export const STABLE_FACTOR = 2;
/** After everyone left and a full GC, the heap is back within this share of the baseline. */
export const HEAP_TOLERANCE = 0.1;

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export function minutesOf(windows: SoakWindow[], samplesPerMinute: number): SoakMinute[] {
  const minutes: SoakMinute[] = [];
  for (let from = 0; from + samplesPerMinute <= windows.length; from += samplesPerMinute) {
    const ws = windows.slice(from, from + samplesPerMinute);
    const last = ws[ws.length - 1]!;
    const poses: Histogram = new Map();
    for (const w of ws) merge(poses, w.poses);
    const ack = (kind: CommandKind) => {
      const s: AckSummary = summarize(ws.map((w) => w.acks[kind]));
      return { sent: s.sent, ok: s.ok, noAck: s.noAck, p99: s.ackP99Ms, firstError: s.firstError };
    };
    minutes.push({
      minute: minutes.length + 1,
      viewers: last.viewers,
      poseP50: percentile(poses, 50),
      poseP99: percentile(poses, 99),
      poseMax: percentile(poses, 100),
      joins: ws.reduce((n, w) => n + w.joins, 0),
      leaves: ws.reduce((n, w) => n + w.leaves, 0),
      drops: ws.reduce((n, w) => n + w.drops, 0),
      acks: { asks: ack('asks'), votes: ack('votes'), reactions: ack('reactions'), leads: ack('leads') },
      heapUsedMB: last.heapUsedMB,
      rssMB: last.rssMB,
      timers: Math.max(...ws.map((w) => w.timers)),
      sockets: last.sockets,
      rooms: last.rooms,
      serverLoopP99Ms: Math.max(...ws.map((w) => w.serverLoopP99Ms)),
      serverCpuPct: mean(ws.map((w) => w.serverCpuPct)),
      loadgenCpuPct: mean(ws.map((w) => w.loadgenCpuPct)),
      otherCpuPct: mean(ws.map((w) => w.otherCpuPct)),
    });
  }
  return minutes;
}

const f0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const met = (ok: boolean): string => (ok ? 'met' : '**missed**');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export function minuteTable(minutes: SoakMinute[]): string {
  const rows = [
    '| min | viewers | joins / leaves | drops | pose p50 / p99 / max | asks ok | votes ok | reactions ok | leads ok | ack p99 (ask / vote / react / lead) | heap | RSS | timers | sockets | rooms | loop p99 | CPU server / load-gen / other |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of minutes) {
    const a = m.acks;
    rows.push(
      `| ${m.minute} | ${f0(m.viewers)} | ${m.joins} / ${m.leaves} | ${m.drops} | ${f0(m.poseP50)} / ${f0(m.poseP99)} / ${f0(m.poseMax)} ms | ${a.asks.ok}/${a.asks.sent} | ${a.votes.ok}/${a.votes.sent} | ${a.reactions.ok}/${a.reactions.sent} | ${a.leads.ok}/${a.leads.sent} | ` +
        `${f0(a.asks.p99)} / ${f0(a.votes.p99)} / ${f0(a.reactions.p99)} / ${f0(a.leads.p99)} ms | ${f1(m.heapUsedMB)} MB | ${f0(m.rssMB)} MB | ${m.timers} | ${f0(m.sockets)} | ${m.rooms} | ${f0(m.serverLoopP99Ms)} ms | ${f0(m.serverCpuPct)} / ${f0(m.loadgenCpuPct)} / ${f0(m.otherCpuPct)}% |`,
    );
  }
  return rows.join('\n');
}

export interface SoakEnd {
  baseline: ProbeAnswer;
  cold: ProbeAnswer;
  final: ProbeAnswer;
  rooms: number;
  sockets: number;
  sessionsOpen: number;
  /** Seconds from the last leave until the server held no socket and no room. */
  emptiedSeconds: number;
}

export interface SoakChecks {
  heapBack: boolean;
  noRoom: boolean;
  noTimer: boolean;
  poseStable: boolean;
  allAnswered: boolean;
  serverWhole: boolean;
}

export function soakChecks(minutes: SoakMinute[], end: SoakEnd, server: { alive: boolean; errorLogs: number }): { checks: SoakChecks; lines: string[] } {
  const timers = (p: ProbeAnswer): number => p.resources.Timeout ?? 0;
  const sockets = (p: ProbeAnswer): number => p.resources.TCPSocketWrap ?? 0;
  const heapDelta = (end.final.heapUsedMB - end.baseline.heapUsedMB) / end.baseline.heapUsedMB;
  const p99s = minutes.map((m) => m.poseP99);
  const medianP99 = median(p99s);
  const worst = Math.max(...p99s);
  const sent = minutes.reduce((n, m) => n + Object.values(m.acks).reduce((k, a) => k + a.sent, 0), 0);
  const noAck = minutes.reduce((n, m) => n + Object.values(m.acks).reduce((k, a) => k + a.noAck, 0), 0);
  const checks: SoakChecks = {
    heapBack: Math.abs(heapDelta) <= HEAP_TOLERANCE,
    noRoom: end.rooms === 0 && end.sockets === 0 && end.sessionsOpen === 0,
    noTimer: timers(end.final) <= timers(end.baseline) && sockets(end.final) <= sockets(end.baseline),
    poseStable: minutes.length > 0 && worst <= STABLE_FACTOR * medianP99,
    allAnswered: noAck === 0,
    serverWhole: server.alive && server.errorLogs === 0,
  };
  const lines = [
    `${met(checks.heapBack)}: heap after everyone left and a full GC ${f1(end.final.heapUsedMB)} MB against ${f1(end.baseline.heapUsedMB)} MB at the baseline (${heapDelta >= 0 ? '+' : ''}${(heapDelta * 100).toFixed(1)}%; goal ±${HEAP_TOLERANCE * 100}%); cold start ${f1(end.cold.heapUsedMB)} MB; RSS ${f0(end.final.rssMB)} MB (baseline ${f0(end.baseline.rssMB)} MB)`,
    `${met(checks.noRoom)}: ${end.rooms} room(s), ${end.sockets} socket(s), ${end.sessionsOpen} viewer session(s) open ${f1(end.emptiedSeconds)} s after the last viewer left`,
    `${met(checks.noTimer)}: ${timers(end.final)} timer(s) and ${sockets(end.final)} TCP socket(s) left, against ${timers(end.baseline)} and ${sockets(end.baseline)} at the baseline (process.getActiveResourcesInfo(): ref'd timers)`,
    `${met(checks.poseStable)}: pose p99 per minute ${f0(Math.min(...p99s))}–${f0(worst)} ms, median ${f0(medianP99)} ms (goal: every minute ≤ ${STABLE_FACTOR}× the median)`,
    `${met(checks.allAnswered)}: ${f0(sent - noAck)} of ${f0(sent)} commands answered`,
    `${met(checks.serverWhole)}: server ${server.alive ? 'still running' : 'DIED'}, ${server.errorLogs} error log line(s)`,
  ];
  return { checks, lines };
}
