/**
 * The fan-out's side traffic in figures (Vitrine runs): did every viewer get every chapter, how
 * late, and were the active viewers' questions, votes and leads all acknowledged, how fast. Issue
 * 6 asks that at 10,000 viewers this traffic be 100% delivered with p99 < 250 ms.
 */
import { summarize, type AckSummary } from './acks.js';
import type { ChapterSent, WorkerReport } from './protocol.js';
import type { RunResult } from './report.js';
import { merge, percentile, type Histogram } from './stats.js';
import { sum } from './workers.js';

export interface SideResult {
  actives: number;
  chapters: {
    sent: number;
    /** Chapters the host's `chapter:set` was acknowledged ok, and the slowest ack (ms). */
    hostAcked: number;
    hostAckMaxMs: number;
    /** (viewer, chapter) pairs received ÷ (viewers × chapters sent); `complete`: chapters every viewer got. */
    deliveredShare: number;
    complete: number;
    /** Host sends `chapter:set` → the viewer gets `presentation:changed`, over every (viewer, chapter). */
    p50: number;
    p99: number;
    max: number;
  };
  asks: AckSummary;
  votes: AckSummary;
  leads: AckSummary;
  /** Acks the active viewers still awaited when the run ended (a command never answered). */
  unanswered: number;
  /** `questions:changed` batches each passive viewer received in the window, on average. */
  questionBatchesPerViewer: number;
}

export function sideResult(actives: number, chapters: ChapterSent[], reports: WorkerReport[], viewers: number): SideResult {
  const h: Histogram = new Map();
  for (const r of reports) merge(h, r.chapterHistogram);
  const perChapter = chapters.map((_, k) => sum(reports.map((r) => r.chapterReceived[k] ?? 0)));
  const acked = chapters.filter((c) => c.ackMs !== null);
  const sides = reports.flatMap((r) => (r.side ? [r.side] : []));
  return {
    actives,
    chapters: {
      sent: chapters.length,
      hostAcked: acked.length,
      hostAckMaxMs: Math.max(0, ...acked.map((c) => c.ackMs!)),
      deliveredShare: chapters.length ? sum(perChapter) / (viewers * chapters.length) : NaN,
      complete: perChapter.filter((n) => n === viewers).length,
      p50: percentile(h, 50),
      p99: percentile(h, 99),
      max: percentile(h, 100),
    },
    asks: summarize(sides.map((s) => s.asks)),
    votes: summarize(sides.map((s) => s.votes)),
    leads: summarize(sides.map((s) => s.leads)),
    unanswered: sum(sides.map((s) => s.unanswered)),
    questionBatchesPerViewer: sum(reports.map((r) => r.questionBatches)) / Math.max(1, viewers),
  };
}

/** Every command acknowledged ok (and at least one sent). */
const allOk = (a: AckSummary): boolean => a.sent > 0 && a.ok === a.sent;

/** Issue 6 at 10,000 viewers: every chapter to every viewer, every question, vote and lead acknowledged ok, each p99 under `p99Ms`. */
export function sideMet(s: SideResult, p99Ms: number): boolean {
  const c = s.chapters;
  return c.sent > 0 && c.hostAcked === c.sent && c.deliveredShare === 1 && c.p99 < p99Ms && [s.asks, s.votes, s.leads].every((a) => allOk(a) && a.ackP99Ms < p99Ms);
}

const f0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${f0(x)} ms`);
const okOf = (a: AckSummary): string => `${f0(a.ok)}/${f0(a.sent)}`;

/** One row per Vitrine run that carried side traffic. */
export function sideTable(results: RunResult[]): string {
  const rows = [
    '| viewers | chapters: delivered (each to all) | chapter p50 / p99 / max | host ack max | questions ok | votes ok | leads ok | ask / vote / lead ack p99 | Q&A batches per viewer |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const s = r.side;
    if (!s) continue;
    const c = s.chapters;
    rows.push(
      `| ${f0(r.viewers)} | ${(c.deliveredShare * 100).toFixed(1)}% (${c.complete} of ${c.sent}) | ${ms(c.p50)} / ${ms(c.p99)} / ${ms(c.max)} | ${c.hostAcked === c.sent ? ms(c.hostAckMaxMs) : `${c.sent - c.hostAcked} not acked`} | ` +
        `${okOf(s.asks)} | ${okOf(s.votes)} | ${okOf(s.leads)} | ${ms(s.asks.ackP99Ms)} / ${ms(s.votes.ackP99Ms)} / ${ms(s.leads.ackP99Ms)} | ${s.questionBatchesPerViewer.toFixed(1)} |`,
    );
  }
  return rows.join('\n');
}
