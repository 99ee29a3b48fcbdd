/** The Q&A burst's figures: vote→visible latency from the generators' records, and the tables. */
import type { AckSummary } from './acks.js';
import type { BurstFigures, ServerCost } from './burst.js';
import type { QaWorkerReport } from './qa-protocol.js';

export interface QaResult extends BurstFigures {
  viewers: number;
  sockets: number; // viewers + second connections ("twins")
  connectFailed: number;
  connectSeconds: number;
  burstSeconds: number;
  asks: AckSummary;
  votes: AckSummary;
  reactions: AckSummary;
  /** Vote → first observer arrival of that question with votes ≥ the acked count, one sample per (vote, observer). */
  voteVisible: { samples: number; observers: number; p50: number; p90: number; p99: number; max: number; unseen: number };
  integrity: { distinctPairs: number; unsurePairs: number; dbSumVotes: number; dbVoteRows: number; stateSumVotes: number; stateQuestions: number; match: boolean };
  /** Question entries each observer received in `questions:changed` batches, burst and drain together. */
  updatesPerViewer: number;
  reactionBroadcastsPerViewerPerSec: { mean: number; max: number };
  reactionMaxIn1s: number; // observers: most broadcasts that arrived within any 1 s
  reactionBroadcastsDelta: number | null; // server's /metrics counter over the burst
  poseBroadcastsDelta: number | null; // pose broadcasts (one frame to the whole room)
  poseDeferredDelta: number | null; // poses sent one by one to viewers whose socket was busy
  pose: { sent: number; p50: number; p99: number; max: number; delivered: number; finalShare: number; finalEverShare: number };
  server: ServerCost & { loopP99Ms: number | null };
}

/** Nearest-rank percentile of a sorted array (Infinity stands for "never seen"). */
const rank = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.ceil((p / 100) * sorted.length) - 1]! : NaN);

/**
 * For each distinct (viewer, question) vote, with `n` the lowest count its acks returned (a count
 * that includes it) and `t` its first send: for each observer, the first batch entry of
 * that question with votes ≥ n, minus t. Counts only grow in this load (no unvotes), so that
 * arrival cannot precede the vote. Observers never vote: it is always another viewer's screen.
 */
export function voteVisibility(reports: QaWorkerReport[]): QaResult['voteVisible'] {
  const observers = reports.flatMap((r) => r.observed);
  const samples: number[] = [];
  let unseen = 0;
  for (const r of reports) {
    for (const [q, t, n] of r.pairVotes) {
      for (const o of observers) {
        const hit = o[q]?.find(([, votes]) => votes >= n);
        if (hit) samples.push(hit[0] - t);
        else {
          samples.push(Infinity);
          unseen++;
        }
      }
    }
  }
  samples.sort((a, b) => a - b);
  return { samples: samples.length, observers: observers.length, p50: rank(samples, 50), p90: rank(samples, 90), p99: rank(samples, 99), max: rank(samples, 100), unseen };
}

/** Most timestamps within any 1-second window [t, t + 1000). */
export function maxIn1s(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

const f0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : x === Infinity ? '∞' : '–');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ms = (x: number): string => (x === Infinity ? 'never' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${f0(x)} ms`);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const acks = (a: AckSummary): string => `${f0(a.ok)} / ${f0(a.rateLimited)} / ${f0(a.otherErrors)} / ${f0(a.noAck)} of ${f0(a.sent)}`;
const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');

export function qaTables(results: QaResult[]): string {
  const goals = [
    '| viewers (sockets) | vote→visible p50 / p99 (goal < 250 ms) | unseen | stored votes / distinct pairs (state) | match | reaction broadcasts/s per viewer mean / max (max in 1 s; goal ≤ 4) | pose p50 / p99 (goal < 100 ms) | final pose ≤ 3 s |',
    '| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: |',
  ];
  const load = [
    '| viewers | questions ok / rate-limited / error / no ack | votes ok / rl / err / no ack | reactions ok / rl / err / no ack | ask ack p50 / p99 | vote ack p50 / p99 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const cost = [
    '| viewers | server CPU (burst) | peak 1 s | RSS idle → peak | server loop p99 | batched question entries per viewer | reaction broadcasts (/metrics) | load-gen CPU | other CPU | load-gen loop p99 | drain | drops |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const v = r.voteVisible;
    const i = r.integrity;
    goals.push(
      `| ${f0(r.viewers)} (${f0(r.sockets)}${r.connectFailed ? `, ${r.connectFailed} failed` : ''}) | ${ms(v.p50)} / ${ms(v.p99)} | ${f0(v.unseen)} of ${f0(v.samples)} | ${f0(i.dbSumVotes)} / ${f0(i.distinctPairs)} (${f0(i.stateSumVotes)}) | ${yes(i.match)} | ` +
        `${f1(r.reactionBroadcastsPerViewerPerSec.mean)} / ${f1(r.reactionBroadcastsPerViewerPerSec.max)} (${r.reactionMaxIn1s}) | ${ms(r.pose.p50)} / ${ms(r.pose.p99)} | ${pct(r.pose.finalShare)} |`,
    );
    load.push(`| ${f0(r.viewers)} | ${acks(r.asks)} | ${acks(r.votes)} | ${acks(r.reactions)} | ${ms(r.asks.ackP50Ms)} / ${ms(r.asks.ackP99Ms)} | ${ms(r.votes.ackP50Ms)} / ${ms(r.votes.ackP99Ms)} |`);
    cost.push(
      `| ${f0(r.viewers)} | ${f0(r.server.cpuPct)}% | ${f0(r.server.cpuPeak1sPct)}% | ${f0(r.server.rssIdleMB)} → ${f0(r.server.rssPeakMB)} MB | ${r.server.loopP99Ms === null ? '–' : ms(r.server.loopP99Ms)} | ${f0(r.updatesPerViewer)} | ` +
        `${r.reactionBroadcastsDelta === null ? '–' : `${f0(r.reactionBroadcastsDelta)} (${f1(r.reactionBroadcastsDelta / r.burstSeconds)}/s)`} | ${f0(r.loadgenCpuPct)}% | ${f0(r.otherCpuPct)}% | ${ms(r.loadgenLoopP99Ms)} | ${f1(r.drainSeconds)} s | ${f0(r.disconnects)} |`,
    );
  }
  return [goals, load, cost].map((t) => t.join('\n')).join('\n\n');
}
