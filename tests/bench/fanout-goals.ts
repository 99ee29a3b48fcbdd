/**
 * Issue 6's fan-out goals, checked on the measured runs: one PASS/FAIL line per goal, so a run's
 * output says at a glance whether Vitrine meets them on this machine.
 */
import { SERVERS } from './fanout-run.js';
import { find, type RunResult } from './report.js';
import { sideMet } from './side-report.js';

export const GOALS = {
  /** 3,000 viewers at 20 Hz: p99 ≤ 75 ms, every viewer reaches the final pose. */
  p99At3000Ms: 75,
  /** 10,000 viewers: p99 ≤ 250 ms, RSS ≤ 600 MB, every viewer reaches the final pose. */
  p99At10000Ms: 250,
  rssAt10000MB: 600,
  /** 10,000 viewers: chapters, questions, votes and leads all delivered, each p99 under this. */
  sideP99At10000Ms: 250,
  /** Server CPU per delivered pose, as a multiple of the bare ws floor's (stretch: 1.15×). */
  cpuVsWsFloor: 1.3,
  cpuVsWsFloorStretch: 1.15,
} as const;

/** Past this p99 a relay is not keeping up: poses wait in its queues. */
const QUEUED_P99_MS = 1000;

const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/** Every viewer joined, none dropped, all got the final pose within the deadline. */
const everyone = (r: RunResult): boolean => r.connectFailed === 0 && r.finalShare === 1;
const finalText = (r: RunResult): string => `${n0(r.finalShare * r.connected)} of ${n0(r.viewers)} viewers got the final pose`;

export function goalLines(results: RunResult[]): string[] {
  const lines: string[] = [];
  const v3 = find(results, 'vitrine', 3000);
  lines.push(
    v3
      ? `${verdict(v3.latencyMs.p99 <= GOALS.p99At3000Ms && everyone(v3))}  3,000 viewers at 20 Hz: p99 ${n0(v3.latencyMs.p99)} ms (goal ≤ ${GOALS.p99At3000Ms}), ${finalText(v3)}`
      : 'n/a   3,000 viewers: not measured in this run',
  );
  const v10 = find(results, 'vitrine', 10000);
  lines.push(
    v10
      ? `${verdict(v10.latencyMs.p99 <= GOALS.p99At10000Ms && v10.serverRssPeakMB <= GOALS.rssAt10000MB && everyone(v10))}  10,000 viewers: ` +
          `p99 ${n0(v10.latencyMs.p99)} ms (goal ≤ ${GOALS.p99At10000Ms}), peak RSS ${n0(v10.serverRssPeakMB)} MB (goal ≤ ${GOALS.rssAt10000MB}), ${finalText(v10)}`
      : 'n/a   10,000 viewers: not measured in this run',
  );
  const s = find(results, SERVERS['vitrine-side'].label, 10000)?.side;
  if (s) {
    const c = s.chapters;
    lines.push(
      `${verdict(sideMet(s, GOALS.sideP99At10000Ms))}  10,000 viewers, side traffic (goal: 100% delivered, p99 < ${GOALS.sideP99At10000Ms} ms): chapters ${(c.deliveredShare * 100).toFixed(1)}% delivered, p99 ${n0(c.p99)} ms; ` +
        `questions ${n0(s.asks.ok)}/${n0(s.asks.sent)}, votes ${n0(s.votes.ok)}/${n0(s.votes.sent)}, leads ${n0(s.leads.ok)}/${n0(s.leads.sent)} acked ok, ack p99 ${n0(s.asks.ackP99Ms)} / ${n0(s.votes.ackP99Ms)} / ${n0(s.leads.ackP99Ms)} ms`,
    );
  }
  const pairs = results.filter((r) => r.server === 'vitrine').map((v) => [v, find(results, 'ws floor', v.viewers)] as const);
  if (!pairs.some(([, ws]) => ws)) lines.push('n/a   CPU per delivered pose vs the ws floor: the floor was not measured in this run');
  for (const [v, ws] of pairs) {
    if (!ws) continue;
    const ratio = v.cpuUsPerDeliveredPose / ws.cpuUsPerDeliveredPose;
    // A floor that cannot keep up queues in user space and writes many frames per system call: cheaper per pose, seconds late.
    const queued = ws.latencyMs.p99 > QUEUED_P99_MS ? `; the ws floor queued (p99 ${(ws.latencyMs.p99 / 1000).toFixed(1)} s), so its per-pose cost is that of batched writes: ${ws.posesPerWrite.toFixed(1)} poses per write system call, Vitrine's ${v.posesPerWrite.toFixed(1)}` : '';
    lines.push(
      `${verdict(ratio <= GOALS.cpuVsWsFloor)}  CPU per delivered pose at ${n0(v.viewers)} viewers: ${v.cpuUsPerDeliveredPose.toFixed(1)} µs = ${ratio.toFixed(2)}× the ws floor's ` +
        `${ws.cpuUsPerDeliveredPose.toFixed(1)} µs (goal ≤ ${GOALS.cpuVsWsFloor}×; stretch ≤ ${GOALS.cpuVsWsFloorStretch}×: ${ratio <= GOALS.cpuVsWsFloorStretch ? 'met' : 'not met'}${queued})`,
    );
  }
  return lines;
}
