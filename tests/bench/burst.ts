/**
 * What the two burst scenarios (Q&A, leads) report alike: what the burst cost the server, and
 * what else took the two cores meanwhile (the load generators, the host, anything else).
 */
import type { Sample } from './sampler.js';
import { sum } from './workers.js';

export interface ServerCost {
  cpuPct: number; // % of one core over the burst
  cpuPeak1sPct: number; // burst + drain
  cpuPerSecond: number[];
  rssIdleMB: number; // viewers connected, before the burst
  rssPeakMB: number; // burst + drain
}

export interface BurstFigures {
  loadgenCpuPct: number;
  otherCpuPct: number;
  loadgenLoopP99Ms: number;
  hostMaxLateMs: number;
  drainSeconds: number;
  disconnects: number;
}

/** `burst`: the sampler over the burst; `whole`: over burst + drain. */
export const serverCost = (burst: Sample, whole: Sample, rssIdleMB: number): ServerCost => ({
  cpuPct: burst.serverCpuPct,
  cpuPeak1sPct: Math.max(...whole.serverCpuPerSecond),
  cpuPerSecond: whole.serverCpuPerSecond,
  rssIdleMB,
  rssPeakMB: whole.serverRssPeakMB,
});

export const burstFigures = (burst: Sample, reports: { loopP99Ms: number; disconnects: number }[], hostMaxLateMs: number, drainSeconds: number): BurstFigures => ({
  loadgenCpuPct: burst.loadgenCpuPct,
  otherCpuPct: burst.otherCpuPct,
  loadgenLoopP99Ms: Math.max(...reports.map((r) => r.loopP99Ms)),
  hostMaxLateMs,
  drainSeconds,
  disconnects: sum(reports.map((r) => r.disconnects)),
});
