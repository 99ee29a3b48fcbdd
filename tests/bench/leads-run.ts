/**
 * The lead burst scenario of `npm run bench` (--scenario leads), issue 4's load: the presenter
 * opens the test-drive CTA and N viewers submit a lead within the window, some of them twice,
 * while the host orbits at 20 Hz. Measures the acks, what was stored (read back as a dealer
 * does), the CTA's delivery, pose latency during the burst, and what it costs the server.
 * See docs/benchmarks.md.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lead } from '../../shared/lead.js';
import { burstFigures, serverCost } from './burst.js';
import { connectHost, orbit } from './host.js';
import { DEALERS } from './leads-data.js';
import type { FromLeadsWorker, LeadsWorkerReport, RepeatStats, ToLeadsWorker } from './leads-protocol.js';
import { goalsOf, type LeadsResult } from './leads-report.js';
import { treeRssMB } from './procs.js';
import { startSampler } from './sampler.js';
import { api, createEvent, scrapeMetrics, startServer } from './server.js';
import { merge, percentile, type Histogram } from './stats.js';
import { connectWorkers, reply as replyOf, share, shutdown, sum, tell as tellOf } from './workers.js';

export interface LeadsOptions {
  viewers: number;
  windowSeconds: number;
  workers: number;
  batch: number;
  /** Added to the server's environment (`--vitrine-env`, e.g. DATABASE_URL). */
  env: Record<string, string>;
}

export const RESEND_SHARE = 0.05; // viewers that send their lead again right after the ack
export const CONCURRENT_SHARE = 0.01; // viewers that send it twice at once, before any ack
const SETTLE_MS = 1500;
const LEAD_IN_MS = 1000; // the host orbits this long before opening the CTA…
const ORBIT_AFTER_MS = 2000; // …and this long after the window
const DRAIN_MAX_MS = 40_000; // after the window, at most this long for the last answers (acks time out after 30 s)

const reply = <T extends FromLeadsWorker['type']>(child: ChildProcess, type: T, timeoutMs: number) => replyOf<FromLeadsWorker, T>(child, type, timeoutMs);
const tell = tellOf<ToLeadsWorker>;

const loopMs = (m: Record<string, number>): number | null => (m.nodejs_eventloop_delay_p99_seconds === undefined ? null : m.nodejs_eventloop_delay_p99_seconds * 1000);

function addCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of all) for (const [code, n] of Object.entries(counts)) out[code] = (out[code] ?? 0) + n;
  return out;
}

/** The stored leads, as a dealer reads them, against the ids the generators had acknowledged ok. */
function checkStored(leads: Lead[], okIds: Set<string>): LeadsResult['stored'] {
  const ids = new Set(leads.map((l) => l.id));
  return {
    rows: leads.length,
    distinct: ids.size,
    missing: [...okIds].filter((id) => !ids.has(id)).length,
    unexpected: [...ids].filter((id) => !okIds.has(id)).length,
    routedShare: leads.filter((l) => l.dealerId !== null).length / Math.max(1, leads.length),
  };
}

export async function runLeads(entry: string, o: LeadsOptions): Promise<LeadsResult> {
  const server = await startServer(entry, undefined, o.env);
  const workers: ChildProcess[] = [];
  try {
    const event = await createEvent(server.url);
    const directory = await api<{ imported: number }>(`${server.url}/api/events/${event.id}/directory`, event.hostKey, 'PUT', { dealers: DEALERS });
    const k = o.workers;
    const joined = await connectWorkers(workers, 'leads-viewers.ts', k, 60_000 + o.viewers * 20, (w): ToLeadsWorker => ({
      type: 'connect', url: server.url, code: event.code, viewers: share(o.viewers, k, w), batch: Math.max(1, Math.ceil(o.batch / k)), idPrefix: `leads-w${w}`,
    }));
    console.log(`  leads N=${o.viewers}: ${joined.connected} viewers joined in ${joined.seconds.toFixed(1)} s over ${k} load generator(s); ${directory.imported} dealers imported`);
    if (joined.failed) console.warn(`  ${joined.failed} viewers failed to join: ${joined.firstError}`);

    const host = await connectHost(server.url, event.code, event.hostKey);
    await new Promise((resolve) => host.timeout(10_000).emit('event:start', {}, resolve)); // a launch is live when its CTA opens
    await sleep(SETTLE_MS);
    const rssIdleMB = treeRssMB(server.pid);

    // The host orbits from now on; viewers time the poses it sends within [ctaAt, ctaAt + window].
    const windowMs = o.windowSeconds * 1000;
    const ctaAt = Date.now() + LEAD_IN_MS;
    const armed = workers.map((child) => reply(child, 'armed', 10_000));
    workers.forEach((child) => tell(child, { type: 'arm', plan: { ctaAt, windowMs, resendShare: RESEND_SHARE, concurrentShare: CONCURRENT_SHARE } }));
    await Promise.all(armed);
    const orbiting = orbit(host, (ctaAt - Date.now() + windowMs + ORBIT_AFTER_MS) / 1000);
    await sleep(Math.max(0, ctaAt - Date.now()));
    await scrapeMetrics(server.url).catch(() => null); // starts the server's loop-delay window afresh
    const sampler = startSampler(server.pid, workers.map((c) => c.pid!));
    const ctaSentAt = Date.now();
    const opened = new Promise<string | null>((resolve) =>
      host.timeout(10_000).emit('cta:open', { kind: 'test_drive' }, (err, a) => resolve(err ? 'no ack within 10 s' : a.ok ? null : a.error.message)),
    );
    await sleep(Math.max(0, ctaSentAt + windowMs - Date.now()));
    const burst = sampler.sample();
    const inWindow = await scrapeMetrics(server.url, 30_000).catch(() => ({}) as Record<string, number>);
    const refused = await opened;
    if (refused) throw new Error(`cta:open: ${refused}`);

    // Drain: every viewer has sent its lead and had every answer, or the deadline passed.
    const windowEnd = Date.now();
    for (;;) {
      const asked = workers.map((child) => reply(child, 'status', 10_000));
      workers.forEach((child) => tell(child, { type: 'status' }));
      const waiting = sum((await Promise.all(asked)).map((s) => s.waiting));
      if (waiting === 0 || Date.now() - windowEnd > DRAIN_MAX_MS) break;
      await sleep(250);
    }
    const drainSeconds = (Date.now() - windowEnd) / 1000;
    const sent = await orbiting;
    const whole = sampler.sample();
    sampler.stop();
    const afterDrain = await scrapeMetrics(server.url, 30_000).catch(() => ({}) as Record<string, number>);
    const reporting = workers.map((child) => reply(child, 'report', 60_000));
    workers.forEach((child) => tell(child, { type: 'report', ctaSentAt }));
    const reports: LeadsWorkerReport[] = await Promise.all(reporting);
    host.disconnect();
    const { leads } = await api<{ leads: Lead[] }>(`${server.url}/api/events/${event.id}/leads`, event.dealerKey);

    const histogram = (pick: (r: LeadsWorkerReport) => [number, number][]): Histogram => reports.reduce((h, r) => merge(h, pick(r)), new Map() as Histogram);
    const acks = histogram((r) => r.ackHistogram);
    const cta = histogram((r) => r.ctaHistogram);
    const poses = histogram((r) => r.poseHistogram);
    const repeat = (key: keyof Omit<RepeatStats, 'errors'>): number => sum(reports.map((r) => r.repeats[key]));
    const viewers = sum(reports.map((r) => r.viewers));
    const lastAckAt = Math.max(...reports.map((r) => r.lastAckAt));
    const result = {
      viewers: o.viewers,
      connectFailed: joined.failed,
      connectSeconds: joined.seconds,
      workers: k,
      windowSeconds: o.windowSeconds,
      dealers: directory.imported,
      cta: { received: sum(reports.map((r) => r.ctaReceived)), p50: percentile(cta, 50), p99: percentile(cta, 99), max: percentile(cta, 100) },
      leads: {
        sent: sum(reports.map((r) => r.sent)),
        ok: sum(reports.map((r) => r.ok)),
        errors: addCounts(reports.map((r) => r.errors)),
        ackP50: percentile(acks, 50),
        ackP95: percentile(acks, 95),
        ackP99: percentile(acks, 99),
        ackMax: percentile(acks, 100),
        ctaToLastAckMs: lastAckAt > 0 ? lastAckAt - ctaSentAt : NaN,
      },
      repeats: { afterAck: repeat('afterAck'), concurrent: repeat('concurrent'), ok: repeat('ok'), sameReceipt: repeat('sameReceipt'), errors: addCounts(reports.map((r) => r.repeats.errors)) },
      stored: checkStored(leads, new Set(reports.flatMap((r) => r.okIds))),
      pose: { p50: percentile(poses, 50), p99: percentile(poses, 99), max: percentile(poses, 100), perViewerPerSec: sum(reports.map((r) => r.posesReceived)) / Math.max(1, viewers) / o.windowSeconds },
      server: { ...serverCost(burst, whole, rssIdleMB), loopP99WindowMs: loopMs(inWindow), loopP99DrainMs: loopMs(afterDrain) },
      ...burstFigures(burst, reports, sent.maxLateMs, drainSeconds),
    };
    return { ...result, goals: goalsOf(result) };
  } finally {
    await shutdown(workers, server);
  }
}
