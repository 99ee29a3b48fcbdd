/** The fuzz scenario's figures as markdown tables, and its goals (issue 8) as met / missed. */
import { KIND_NAMES } from '../fuzz/catalogue.js';
import { MAX_RISE, type ConditionResult, type FuzzResult } from './fuzz-run.js';

/** Issue 8: at least this many fuzz packets, of at least this many kinds, in one run. */
export const FUZZ_GOAL = { packets: 10_000, kinds: 40 };

const f0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ms = (x: number): string => (Number.isFinite(x) ? `${f0(x)} ms` : '–');
/** Latencies are kept to 0.1 ms (stats.ts): the rise is judged on those, so they are shown so. */
const ms1 = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '–');
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : '–');
const met = (ok: boolean): string => (ok ? 'met' : '**missed**');

export interface FuzzGoals {
  volume: boolean;
  allAnswered: boolean;
  serverWhole: boolean;
  noGarbage: boolean;
  poseRise: boolean;
  ackRise: boolean;
}

export function fuzzGoals(r: FuzzResult): FuzzGoals {
  return {
    volume: r.packets.sent >= FUZZ_GOAL.packets && r.packets.kinds >= FUZZ_GOAL.kinds,
    allAnswered: r.packets.ok === r.packets.sent,
    serverWhole: r.server.alive && r.server.errorLogs === 0 && r.server.stateValid && r.server.healthz === 200,
    noGarbage: r.watchers.garbage.length === 0 && r.watchers.connected,
    poseRise: r.rise.poseP99 < MAX_RISE,
    ackRise: r.rise.ackP99 < MAX_RISE,
  };
}

export function fuzzGoalLines(r: FuzzResult): string[] {
  const g = fuzzGoals(r);
  return [
    `${met(g.volume)}: ${f0(r.packets.sent)} malformed packets (goal ≥ ${f0(FUZZ_GOAL.packets)}) of ${r.packets.kinds} kinds (goal ≥ ${FUZZ_GOAL.kinds}), ${r.packets.perSecond.toFixed(0)} a second during the fuzz phases`,
    `${met(g.allAnswered)}: ${f0(r.packets.ok)} of ${f0(r.packets.sent)} answered as expected (a known refusal, a closed connection, a refused handshake, a 400/403), answer p99 ${ms(r.packets.answerP99Ms)}`,
    `${met(g.serverWhole)}: server ${r.server.alive ? 'still running' : 'DIED'}, ${r.server.errorLogs} error log line(s)${r.server.firstErrorLog ? ` (first: ${r.server.firstErrorLog})` : ''}, /healthz ${r.server.healthz}, a new viewer's state ${r.server.stateValid ? 'valid' : 'INVALID'}`,
    `${met(g.noGarbage)}: a watching viewer and presenter got ${f0(r.watchers.messages)} messages, ${r.watchers.garbage.length ? `garbage: ${r.watchers.garbage.slice(0, 3).join('; ')}` : 'all valid'}`,
    `${met(g.poseRise)}: legitimate pose p99 ${ms1(r.baseline.poseP99)} without fuzz, ${ms1(r.fuzz.poseP99)} with (${signed(r.rise.poseP99)}, phases resampled: ${signed(r.riseInterval.poseP99[0])} to ${signed(r.riseInterval.poseP99[1])}; goal < +${MAX_RISE * 100}%)`,
    `${met(g.ackRise)}: legitimate ack p99 (questions, votes, leads, reactions) ${ms1(r.baseline.ackP99)} without fuzz, ${ms1(r.fuzz.ackP99)} with (${signed(r.rise.ackP99)}, phases resampled: ${signed(r.riseInterval.ackP99[0])} to ${signed(r.riseInterval.ackP99[1])}; goal < +${MAX_RISE * 100}%)`,
  ];
}

export function conditionTable(r: FuzzResult): string {
  const row = (name: string, c: ConditionResult): string =>
    `| ${name} | ${c.phases} × ${r.phaseSeconds} s | ${ms1(c.poseP50)} | ${ms1(c.poseP99)} | ${ms1(c.poseP99MedianOfPhases)} | ${ms(c.poseMax)} | ${f0(c.acks)} | ${ms1(c.ackP50)} | ${ms1(c.ackP99)} | ${f0(c.serverCpuPct)}% |`;
  return [
    '| condition | phases | pose p50 | pose p99 | median of phase p99s | pose max | acks | ack p50 | ack p99 | server CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('baseline (no fuzz)', r.baseline),
    row('fuzz', r.fuzz),
    `| rise | | | ${signed(r.rise.poseP99)} | ${signed((r.fuzz.poseP99MedianOfPhases - r.baseline.poseP99MedianOfPhases) / r.baseline.poseP99MedianOfPhases)} | | | | ${signed(r.rise.ackP99)} | |`,
  ].join('\n');
}

export function phaseTable(r: FuzzResult): string {
  const rows = [
    '| # | condition | pose p50 / p99 / max | delivered | acks ok | ack p99 | server CPU | load generators CPU | attacker CPU | other CPU | load-gen loop p99 | fuzz packets (s, handshakes) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  r.phases.forEach((p, i) => {
    const fuzz = p.fuzz ? `${f0(p.fuzz.sent)} (${p.fuzz.seconds.toFixed(1)} s, ${f0(p.fuzz.handshakes)})` : '–';
    rows.push(`| ${i + 1} | ${p.condition} | ${p.poseP50.toFixed(1)} / ${p.poseP99.toFixed(1)} / ${f0(p.poseMax)} ms | ${pct(p.delivered)} | ${p.acks.ok}/${p.acks.sent} | ${ms1(p.acks.p99)} | ${f0(p.serverCpuPct)}% | ${f0(p.loadgenCpuPct)}% | ${f0(p.attackerCpuPct)}% | ${f0(p.otherCpuPct)}% | ${ms(p.loadgenLoopP99Ms)} | ${fuzz} |`);
  });
  return rows.join('\n');
}

/** Per kind: how many were sent and how many got the expected answer (wrong answers named). */
export function kindTable(r: FuzzResult): string {
  const rows = ['| kind | sent | as expected | wrong answers |', '| --- | ---: | ---: | --- |'];
  for (const kind of KIND_NAMES) {
    const t = r.kinds[kind] ?? { sent: 0, ok: 0, wrong: {} };
    const wrong = Object.entries(t.wrong).map(([got, n]) => `${got} ×${n}`).join(', ');
    rows.push(`| ${kind} | ${f0(t.sent)} | ${f0(t.ok)} | ${wrong || '–'} |`);
  }
  return rows.join('\n');
}

export function printFuzz(r: FuzzResult): void {
  console.log(`\nFuzz against legitimate traffic: ${f0(r.viewers)} viewers + ${r.actives} active, the host at 20 Hz; pose and ack p99 over all phases of each condition:\n`);
  console.log(conditionTable(r));
  console.log('\nPhases, in the order run:\n');
  console.log(phaseTable(r));
  console.log('\nPackets per kind:\n');
  console.log(kindTable(r));
  for (const f of r.failures) console.log(`  wrong answer: ${f}`);
  console.log('\nGoals (issue 8):\n');
  for (const line of fuzzGoalLines(r)) console.log(`  ${line}`);
}
