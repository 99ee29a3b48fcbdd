/**
 * The Q&A burst scenario of `npm run bench` (--scenario qa): N viewers; within the burst they
 * ask Q questions (moderation `open`, so they are visible at once) and send V votes (with
 * deliberate duplicates) and reactions, while the host orbits at 20 Hz. Measures vote→visible
 * latency on other viewers' screens, whether the stored counts are exact, reaction broadcast
 * rate, pose latency meanwhile, acks, and what it costs the server. See docs/benchmarks.md.
 */
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/errors.js';
import type { ClientToServerEvents, ServerToClientEvents, StatePayload } from '../../shared/events.js';
import { burstFigures, serverCost } from './burst.js';
import { connectHost, orbit, sendFinal } from './host.js';
import { treeRssMB } from './procs.js';
import type { FromQaWorker, QaWorkerReport, ToQaWorker } from './qa-protocol.js';
import { summarize } from './acks.js';
import { maxIn1s, voteVisibility, type QaResult } from './qa-report.js';
import { startSampler } from './sampler.js';
import { createEvent, scrapeMetrics, startServer } from './server.js';
import { merge, percentile, type Histogram } from './stats.js';
import { connectWorkers, reply as replyOf, share, shutdown, sum, tell as tellOf } from './workers.js';

export interface QaOptions {
  viewers: number;
  questions: number;
  votes: number;
  burstSeconds: number;
  reactionsPerViewer: number;
  workers: number;
  batch: number;
  /** Added to the server's environment (`--vitrine-env`, e.g. DATABASE_URL: votes are then read back from PostgreSQL). */
  env: Record<string, string>;
  /** Node flags for the server (`--vitrine-node-args`, e.g. --cpu-prof). */
  nodeArgs: string[];
}

const OBSERVERS_PER_WORKER = 2; // viewers that never vote: the "other viewer" whose screen we time
const TWINS_PER_WORKER = 50; // voters with a second connection (same viewerId) that votes again
const REPEAT_SHARE = 0.05; // vote messages that repeat the viewer's earlier vote on the same socket
const SETTLE_MS = 1500;
const FINAL_DEADLINE_MS = 3000;
const DRAIN_MAX_MS = 60_000; // after the burst, at most this long for acks and counts to land
const QUIET_UPDATES_MS = 1500; // …and done when no observer saw a count move for this long

const reply = <T extends FromQaWorker['type']>(child: ChildProcess, type: T, timeoutMs: number) => replyOf<FromQaWorker, T>(child, type, timeoutMs);
const tell = tellOf<ToQaWorker>;

/** What a brand-new viewer is told: the sum of every question's votes, and how many it sees. */
async function freshViewerState(url: string, code: string): Promise<{ sumVotes: number; questions: number }> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    auth: { code, role: 'viewer', viewerId: 'bench-state-check' },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  try {
    const state = await new Promise<StatePayload>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('state check: no state within 15 s')), 15_000);
      socket.once('state', (s) => void (clearTimeout(timer), resolve(s)));
      socket.once('connect_error', (err) => void (clearTimeout(timer), reject(err)));
    });
    return { sumVotes: sum(state.questions.map((q) => q.votes)), questions: state.questions.length };
  } finally {
    socket.close();
  }
}

const SUM_VOTES = 'SELECT COALESCE(SUM(q.votes), 0) AS n FROM questions q JOIN events e ON e.id = q.event_id WHERE e.code = $1';
const COUNT_VOTES = 'SELECT COUNT(*) AS n FROM votes v JOIN events e ON e.id = v.event_id WHERE e.code = $1';

/** The stored truth: PostgreSQL when the server ran on it, else its SQLite file, read-only (WAL lets us read beside the running server). */
async function storedVotes(dataDir: string, code: string, databaseUrl: string | undefined): Promise<{ sumVotes: number; rows: number }> {
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const one = async (sql: string): Promise<number> => Number((await client.query<{ n: string }>(sql, [code])).rows[0]!.n); // bigint arrives as a string
      return { sumVotes: await one(SUM_VOTES), rows: await one(COUNT_VOTES) };
    } finally {
      await client.end();
    }
  }
  const db = new Database(path.join(dataDir, 'vitrine.db'), { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string): number => db.prepare(sql.replace('$1', '?')).pluck().get(code) as number;
    return { sumVotes: one(SUM_VOTES), rows: one(COUNT_VOTES) };
  } finally {
    db.close();
  }
}

export async function runQa(entry: string, o: QaOptions): Promise<QaResult> {
  const server = await startServer(entry, undefined, o.env, o.nodeArgs);
  const workers: ChildProcess[] = [];
  try {
    const { code, hostKey } = await createEvent(server.url);
    const k = o.workers;
    const joined = await connectWorkers(workers, 'qa-viewers.ts', k, 60_000 + o.viewers * 20, (w): ToQaWorker => ({
      type: 'connect', url: server.url, code, viewers: share(o.viewers, k, w), observers: OBSERVERS_PER_WORKER, twins: TWINS_PER_WORKER,
      batch: Math.max(1, Math.ceil(o.batch / k)), idPrefix: `qa-w${w}`,
    }));
    const { seconds: connectSeconds, failed: connectFailed } = joined;
    console.log(`  qa N=${o.viewers}: ${joined.connected} sockets joined in ${connectSeconds.toFixed(1)} s over ${k} load generator(s)`);
    if (connectFailed) console.warn(`  ${connectFailed} sockets failed to join: ${joined.firstError}`);

    const host = await connectHost(server.url, code, hostKey);
    const mode = await new Promise<Ack>((resolve) => host.emit('qa:mode', { mode: 'open' }, resolve));
    if (!mode.ok) throw new Error(`qa:mode open refused: ${mode.error.message}`);
    await sleep(SETTLE_MS);
    const rssIdleMB = treeRssMB(server.pid);
    const before = await scrapeMetrics(server.url).catch(() => ({}) as Record<string, number>);
    const sampler = startSampler(server.pid, workers.map((c) => c.pid!));

    // Everybody starts at the same instant: workers schedule their sends from `at`, the host orbits from it.
    const at = Date.now() + 500;
    const bursting = workers.map((child) => reply(child, 'bursting', 10_000));
    workers.forEach((child, w) =>
      tell(child, {
        type: 'burst',
        plan: { at, burstMs: o.burstSeconds * 1000, questions: share(o.questions, k, w), votes: share(o.votes, k, w), reactionsPerViewer: o.reactionsPerViewer, repeatShare: REPEAT_SHARE },
      }),
    );
    await Promise.all(bursting);
    await sleep(Math.max(0, at - Date.now()));
    const sent = await orbit(host, o.burstSeconds);
    const burst = sampler.sample();
    sendFinal(host);
    const burstEnd = Date.now();

    // Drain: every ack in, every count landed (observers quiet), the final pose's deadline passed.
    for (;;) {
      await sleep(500);
      const asked = workers.map((child) => reply(child, 'status', 10_000));
      workers.forEach((child) => tell(child, { type: 'status' }));
      const statuses = await Promise.all(asked);
      const now = Date.now();
      const done = statuses.every((s) => s.sentAll && s.pendingAcks === 0) && now - Math.max(...statuses.map((s) => s.lastUpdateAt)) >= QUIET_UPDATES_MS;
      if ((done && now - burstEnd >= FINAL_DEADLINE_MS) || now - burstEnd > DRAIN_MAX_MS) break;
    }
    const drainSeconds = (Date.now() - burstEnd) / 1000;
    const whole = sampler.sample();
    sampler.stop();
    // An overloaded server answers HTTP late too: wait for it rather than lose the counters.
    const after = await scrapeMetrics(server.url, 30_000).catch(() => ({}) as Record<string, number>);
    const reporting = workers.map((child) => reply(child, 'report', 60_000));
    workers.forEach((child) => tell(child, { type: 'report', finalDeadlineMs: FINAL_DEADLINE_MS }));
    const reports: QaWorkerReport[] = await Promise.all(reporting);
    host.disconnect();

    const state = await freshViewerState(server.url, code);
    const stored = await storedVotes(server.dataDir, code, o.env.DATABASE_URL);
    const distinctPairs = sum(reports.map((r) => r.distinctPairs));
    const unsurePairs = sum(reports.map((r) => r.unsurePairs));
    const sockets = sum(reports.map((r) => r.sockets));
    const poses: Histogram = new Map();
    for (const r of reports) merge(poses, r.poseHistogram);
    const counts = reports.flatMap((r) => r.reactionCounts);
    const observers = reports.flatMap((r) => r.observed);
    const updates = sum(observers.map((m) => sum(Object.values(m).map((l) => l.length))));
    const delta = (name: string): number | null => (name in after && name in before ? after[name]! - before[name]! : null);
    return {
      viewers: o.viewers,
      sockets,
      connectFailed,
      connectSeconds,
      burstSeconds: o.burstSeconds,
      asks: summarize(reports.map((r) => r.asks)),
      votes: summarize(reports.map((r) => r.votes)),
      reactions: summarize(reports.map((r) => r.reactions)),
      voteVisible: voteVisibility(reports),
      integrity: {
        distinctPairs, unsurePairs, dbSumVotes: stored.sumVotes, dbVoteRows: stored.rows, stateSumVotes: state.sumVotes, stateQuestions: state.questions,
        match: unsurePairs === 0 && stored.sumVotes === distinctPairs && stored.rows === distinctPairs && state.sumVotes === distinctPairs,
      },
      updatesPerViewer: updates / Math.max(1, observers.length),
      reactionBroadcastsPerViewerPerSec: { mean: sum(counts) / counts.length / o.burstSeconds, max: Math.max(...counts) / o.burstSeconds },
      reactionMaxIn1s: Math.max(...reports.flatMap((r) => r.observerReactionTimes.map(maxIn1s))),
      reactionBroadcastsDelta: delta('vitrine_reaction_broadcasts_total'),
      poseBroadcastsDelta: delta('vitrine_pose_broadcasts_total'),
      poseDeferredDelta: delta('vitrine_pose_deferred_total'),
      pose: {
        sent: sent.sent,
        p50: percentile(poses, 50),
        p99: percentile(poses, 99),
        max: percentile(poses, 100),
        delivered: sum(reports.map((r) => r.posesReceived)) / (sockets * sent.sent),
        finalShare: sum(reports.map((r) => r.finalReceived)) / sockets,
        finalEverShare: sum(reports.map((r) => r.finalEver)) / sockets,
      },
      server: { ...serverCost(burst, whole, rssIdleMB), loopP99Ms: after.nodejs_eventloop_delay_p99_seconds === undefined ? null : after.nodejs_eventloop_delay_p99_seconds * 1000 },
      ...burstFigures(burst, reports, sent.maxLateMs, drainSeconds),
    };
  } finally {
    await shutdown(workers, server);
  }
}
