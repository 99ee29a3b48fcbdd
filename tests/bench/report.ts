/** Turns measured fan-out runs into the markdown tables and the JSON file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SideResult } from './side-report.js';

export interface RunResult {
  server: string; // which server ran: vitrine, the socket.io floor or the ws floor (fanout-run.ts SERVERS)
  viewers: number;
  connected: number;
  connectFailed: number;
  connectSeconds: number;
  workers: number;
  seconds: number;
  posesSent: number;
  hostMaxLateMs: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  posesPerViewerPerSec: number;
  minPosesPerViewerPerSec: number;
  deliveredShare: number; // orbit poses received / (viewers × poses sent)
  finalShare: number; // viewers that got the final pose within the deadline
  finalMaxMs: number;
  serverCpuPct: number; // % of one core while the host sends
  serverCpuPeak1sPct: number;
  serverCpuPerSecond: number[];
  serverProcesses: number; // processes in the server's tree, summed for CPU and RSS
  serverRssIdleMB: number; // all viewers connected, before the first pose
  serverRssPeakMB: number; // while the host sends and just after, all its processes
  cpuUsPerDeliveredPose: number;
  /** Delivered poses per write system call of the server's (WebSocket frames a write carried; pings, handshakes and other writes count too, so ≤ the true figure). */
  posesPerWrite: number;
  loadgenCpuPct: number; // all load generators together, % of one core
  otherCpuPct: number; // everything else on the machine (not server, load generators or host), % of one core
  loadgenLoopP99Ms: number; // worst load generator's event-loop delay
  serverLoopP99Ms: number | null; // from the server's /metrics, over the window
  broadcasts: number | null;
  deferredSends: number | null; // latest-wins sends to a viewer that was busy
  disconnects: number;
  side: SideResult | null; // Vitrine runs with side traffic: chapters, questions, votes, leads (side-report.ts)
  attempts?: number; // runs of this configuration: more than 1 when other work disturbed the first (run.ts keeps the least disturbed)
}

const f0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${f0(x)} ms`);
const loopMs = (r: RunResult): string => (r.serverLoopP99Ms === null ? '–' : ms(r.serverLoopP99Ms));

export function markdownTable(results: RunResult[]): string {
  const rows = [
    '| server | viewers | p50 | p99 | max | poses/viewer/s | delivered | final pose ≤ 3 s | server CPU | peak RSS | loop p99 | CPU µs/delivered pose |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    rows.push(
      `| ${r.server} | ${f0(r.connected)}${r.connectFailed ? ` (${r.connectFailed} failed)` : ''} | ${ms(r.latencyMs.p50)} | ${ms(r.latencyMs.p99)} | ${ms(r.latencyMs.max)} | ` +
        `${f1(r.posesPerViewerPerSec)} | ${pct(r.deliveredShare)} | ${pct(r.finalShare)} | ${f0(r.serverCpuPct)}% | ${f0(r.serverRssPeakMB)} MB | ${loopMs(r)} | ${f1(r.cpuUsPerDeliveredPose)} |`,
    );
  }
  return rows.join('\n');
}

/** What a reader needs to judge the figures: where the other core went, and what was shed. */
export function notesTable(results: RunResult[]): string {
  const rows = [
    '| server | viewers | connect s | server processes | broadcasts | deferred sends | drops | load-gen CPU | other CPU | runs | load-gen loop p99 | host late max | min poses/viewer/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    rows.push(
      `| ${r.server} | ${f0(r.viewers)} | ${f1(r.connectSeconds)} | ${r.serverProcesses} | ${r.broadcasts === null ? '–' : f0(r.broadcasts)} | ` +
        `${r.deferredSends === null ? '–' : f0(r.deferredSends)} | ${f0(r.disconnects)} | ${f0(r.loadgenCpuPct)}% | ${f0(r.otherCpuPct)}% | ${r.attempts ?? 1} | ${ms(r.loadgenLoopP99Ms)} | ${ms(r.hostMaxLateMs)} | ${f1(r.minPosesPerViewerPerSec)} |`,
    );
  }
  return rows.join('\n');
}

/** The run with `server` at `viewers`, if it was measured. */
export const find = (results: RunResult[], server: string, viewers: number): RunResult | undefined => results.find((r) => r.server === server && r.viewers === viewers);

/** Vitrine beside the two floors, per N: p99, final pose, loop delay, and CPU per delivered pose as a multiple of the ws floor's. */
export function ratioTable(results: RunResult[]): string {
  const rows = [
    '| viewers | p99 (vitrine / socket.io / ws) | final pose | loop p99 | CPU µs/delivered pose | poses per write | vitrine ÷ ws floor | socket.io ÷ ws floor |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const n of [...new Set(results.map((r) => r.viewers))]) {
    const [vitrine, socketIo, ws] = ['vitrine', 'socket.io floor', 'ws floor'].map((s) => find(results, s, n));
    const cell = (show: (r: RunResult) => string): string => [vitrine, socketIo, ws].map((r) => (r ? show(r) : '–')).join(' / ');
    const ratio = (r: RunResult | undefined): string => (r && ws ? `${(r.cpuUsPerDeliveredPose / ws.cpuUsPerDeliveredPose).toFixed(2)}×` : '–');
    rows.push(
      `| ${f0(n)} | ${cell((r) => ms(r.latencyMs.p99))} | ${cell((r) => pct(r.finalShare))} | ${cell(loopMs)} | ${cell((r) => f1(r.cpuUsPerDeliveredPose))} | ${cell((r) => f1(r.posesPerWrite))} | ${ratio(vitrine)} | ${ratio(socketIo)} |`,
    );
  }
  return rows.join('\n');
}

export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverage1mAtStart: os.loadavg()[0],
  };
}

export function writeJson(dir: string, name: string, payload: Record<string, unknown>): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(payload, null, 2) + '\n');
  return file;
}
