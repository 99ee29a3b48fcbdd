/** The lead burst's figures, its goals (issue 4) as met / missed, and the markdown tables. */
import type { BurstFigures, ServerCost } from './burst.js';
import type { RepeatStats } from './leads-protocol.js';

export interface LeadsResult extends BurstFigures {
  viewers: number;
  connectFailed: number;
  connectSeconds: number;
  workers: number;
  windowSeconds: number;
  dealers: number;
  /** Host sends `cta:open` → viewer gets `presentation:changed` (ms). */
  cta: { received: number; p50: number; p99: number; max: number };
  leads: { sent: number; ok: number; errors: Record<string, number>; ackP50: number; ackP95: number; ackP99: number; ackMax: number; ctaToLastAckMs: number };
  repeats: RepeatStats;
  /** Read back with `GET /api/events/:id/leads` (event dealer key). */
  stored: { rows: number; distinct: number; missing: number; unexpected: number; routedShare: number };
  /** Orbit poses the host sent within [CTA, CTA + window], as every viewer received them. */
  pose: { p50: number; p99: number; max: number; perViewerPerSec: number };
  /** Event-loop delay p99 from /metrics over the window, and over the drain after it. */
  server: ServerCost & { loopP99WindowMs: number | null; loopP99DrainMs: number | null };
  goals: { allAcknowledged: boolean; ackP99Under500: boolean; rowsEqualN: boolean; noDuplicate: boolean; poseP99Under100: boolean };
}

export function goalsOf(r: Omit<LeadsResult, 'goals'>): LeadsResult['goals'] {
  const repeats = r.repeats.afterAck + r.repeats.concurrent;
  return {
    allAcknowledged: r.leads.sent === r.viewers && r.leads.ok === r.viewers,
    ackP99Under500: r.leads.ackP99 < 500,
    rowsEqualN: r.stored.rows === r.viewers && r.stored.missing === 0 && r.stored.unexpected === 0,
    noDuplicate: r.stored.distinct === r.stored.rows && r.repeats.ok === repeats && r.repeats.sameReceipt === repeats,
    poseP99Under100: r.pose.p99 < 100,
  };
}

const f0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ms = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${f0(x)} ms`);
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
const met = (ok: boolean): string => (ok ? 'met' : '**missed**');
const codes = (e: Record<string, number>): string => Object.entries(e).map(([code, n]) => `${code} ${f0(n)}`).join(', ') || 'none';

export function leadsTables(r: LeadsResult): string {
  const g = r.goals;
  const repeats = r.repeats.afterAck + r.repeats.concurrent;
  const goals = [
    '| goal (issue 4) | measured | |',
    '| --- | ---: | :---: |',
    `| all acknowledged | ${f0(r.leads.ok)} ok of ${f0(r.viewers)} viewers (${f0(r.leads.sent)} sent; errors: ${codes(r.leads.errors)}) | ${met(g.allAcknowledged)} |`,
    `| ack p99 < 500 ms | ${ms(r.leads.ackP99)} | ${met(g.ackP99Under500)} |`,
    `| rows = N | ${f0(r.stored.rows)} rows for N = ${f0(r.viewers)} (acked but not stored ${f0(r.stored.missing)}, stored but not acked ${f0(r.stored.unexpected)}) | ${met(g.rowsEqualN)} |`,
    `| no duplicate | ${f0(r.stored.distinct)} distinct ids; ${f0(r.repeats.ok)} of ${f0(repeats)} repeats ok, ${f0(r.repeats.sameReceipt)} with the first receipt | ${met(g.noDuplicate)} |`,
    `| pose p99 < 100 ms during the burst | ${ms(r.pose.p99)} | ${met(g.poseP99Under100)} |`,
  ];
  const details = [
    '| measure | value |',
    '| --- | ---: |',
    `| viewers (load generators, join time) | ${f0(r.viewers - r.connectFailed)}${r.connectFailed ? ` (${f0(r.connectFailed)} failed to join)` : ''} (${r.workers}, ${f1(r.connectSeconds)} s) |`,
    `| dealers in the directory | ${f0(r.dealers)} |`,
    `| CTA delivery p50 / p99 / max (got it) | ${ms(r.cta.p50)} / ${ms(r.cta.p99)} / ${ms(r.cta.max)} (${f0(r.cta.received)}) |`,
    `| leads sent / acknowledged ok | ${f0(r.leads.sent)} / ${f0(r.leads.ok)} |`,
    `| errors by code | ${codes(r.leads.errors)} |`,
    `| ack p50 / p95 / p99 / max | ${ms(r.leads.ackP50)} / ${ms(r.leads.ackP95)} / ${ms(r.leads.ackP99)} / ${ms(r.leads.ackMax)} |`,
    `| CTA → last ack | ${ms(r.leads.ctaToLastAckMs)} |`,
    `| repeats: resent after the ack / sent twice at once | ${f0(r.repeats.afterAck)} / ${f0(r.repeats.concurrent)} (errors: ${codes(r.repeats.errors)}) |`,
    `| rows stored / distinct ids | ${f0(r.stored.rows)} / ${f0(r.stored.distinct)} |`,
    `| routed to a dealer | ${pct(r.stored.routedShare)} |`,
    `| pose p50 / p99 / max in the window (poses/viewer/s) | ${ms(r.pose.p50)} / ${ms(r.pose.p99)} / ${ms(r.pose.max)} (${f1(r.pose.perViewerPerSec)}) |`,
    `| server CPU in the window (peak 1 s) | ${f0(r.server.cpuPct)}% (${f0(r.server.cpuPeak1sPct)}%) |`,
    `| server RSS idle → peak | ${f0(r.server.rssIdleMB)} → ${f0(r.server.rssPeakMB)} MB |`,
    `| server event-loop delay p99: window / drain | ${ms(r.server.loopP99WindowMs)} / ${ms(r.server.loopP99DrainMs)} |`,
    `| load-gen CPU / other CPU / load-gen loop p99 | ${f0(r.loadgenCpuPct)}% / ${f0(r.otherCpuPct)}% / ${ms(r.loadgenLoopP99Ms)} |`,
    `| host late max / drain after the window / drops | ${ms(r.hostMaxLateMs)} / ${f1(r.drainSeconds)} s / ${f0(r.disconnects)} |`,
  ];
  return [goals, details].map((t) => t.join('\n')).join('\n\n');
}
