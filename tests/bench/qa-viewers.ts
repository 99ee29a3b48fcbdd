/**
 * A Q&A load generator: holds a share of the viewers as light socket.io clients (light-socket.ts:
 * socket.io's wire protocol over bare `ws` sockets, decoding only what a listener reads), and
 * during the burst asks questions, votes (with deliberate duplicates) and sends reactions, all
 * on a schedule drawn when the burst starts. It records what it sent and when, what the server
 * answered, and what a few observer viewers (which never vote) saw arrive: the parent computes
 * vote→visible latency from that. Started by qa-run.ts with an IPC channel; never runs alone.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_REACTIONS } from '../../shared/qa.js';
import { command, newStats, pendingAcks, reported } from './acks.js';
import { viewerIds } from './connect.js';
import { connectLightViewers, type LightSocket } from './light-socket.js';
import { isFinal } from './protocol.js';
import type { FromQaWorker, QaPlan, ToQaWorker } from './qa-protocol.js';
import { msSince, record, type Histogram } from './stats.js';

type Connect = Extract<ToQaWorker, { type: 'connect' }>;
type Viewer = LightSocket;

const send = (m: FromQaWorker): void => void process.send?.(m);
process.on('disconnect', () => process.exit(0)); // never outlive the bench

const loop = monitorEventLoopDelay({ resolution: 5 });
let conf: Connect;
let plan: QaPlan | null = null;
const primary: Viewer[] = []; // index i is viewer `${idPrefix}-${i}`; the first `observers` only watch
const twin = new Map<number, Viewer>(); // viewer index → its second connection (another tab)
let disconnects = 0;

// What the burst does and sees.
const asks = newStats();
const votes = newStats();
const reactions = newStats();
let scheduled = 0;
const known: string[] = []; // visible question ids, in the order this generator learnt them
const knownSet = new Set<string>();
const votedBy = new Map<number, string[]>(); // viewer index → questions it voted for
interface Pair { q: string; firstSend: number; minVotes: number; ok: boolean; noAck: boolean }
const pairs = new Map<string, Pair>(); // `${viewer index} ${question id}`
let observed: Map<string, [number, number][]>[] = [];
let lastUpdateAt = 0;
let reactionCounts = new Uint32Array(0);
let observerReactionTimes: number[][] = [];
let poseHistogram: Histogram = new Map();
let posesReceived = 0;
let finalLatency = new Float64Array(0);

function learn(id: string): void {
  if (knownSet.has(id)) return;
  knownSet.add(id);
  known.push(id);
}

function listen(socket: Viewer, slot: number, observer: number | null): void {
  socket.on('camera:pose', (pose) => {
    if (!plan) return;
    const latency = msSince(pose.t);
    if (isFinal(pose.position)) {
      if (Number.isNaN(finalLatency[slot])) finalLatency[slot] = latency;
    } else {
      posesReceived++;
      record(poseHistogram, latency);
    }
  });
  socket.onArrival('reactions', () => { // only counted: the totals are never read
    const now = Date.now();
    if (!plan || now < plan.at || now > plan.at + plan.burstMs) return;
    reactionCounts[slot]!++;
    if (observer !== null) observerReactionTimes[observer]!.push(now);
  });
  if (observer === null) return;
  // The audience hears about questions and counts in batches (`questions:changed`); only
  // observers read them, so the other sockets drop these frames unparsed.
  socket.on('questions:changed', ({ questions, votes }) => {
    const now = Date.now();
    const entries: [string, number][] = [...questions.map((q): [string, number] => [q.id, q.votes]), ...Object.entries(votes)];
    for (const [id, count] of entries) {
      if (observer === 0) learn(id);
      if (!plan) continue;
      lastUpdateAt = now;
      const seen = observed[observer]!;
      let list = seen.get(id);
      if (!list) seen.set(id, (list = []));
      list.push([now, count]);
    }
  });
}

async function connectAll(m: Connect): Promise<void> {
  conf = m;
  const ids: [string, number, boolean][] = viewerIds(m.idPrefix, m.viewers).map((id, i) => [id, i, false]); // viewerId, viewer index, is a twin
  for (let i = 0; i < m.twins; i++) ids.push([ids[m.observers + i]![0], m.observers + i, true]);
  const joined = await connectLightViewers(ids.map(([id]) => id), { url: m.url, code: m.code, batch: m.batch, onDisconnect: () => disconnects++ });
  joined.sockets.forEach((r, j) => {
    if (!r) return;
    const [, index, isTwin] = ids[j]!;
    const slot = primary.length + twin.size;
    if (isTwin) twin.set(index, r);
    else primary[index] = r;
    listen(r, slot, !isTwin && index < m.observers ? index : null);
  });
  const sockets = primary.length + twin.size;
  reactionCounts = new Uint32Array(sockets);
  finalLatency = new Float64Array(sockets).fill(NaN);
  observed = Array.from({ length: m.observers }, () => new Map());
  observerReactionTimes = Array.from({ length: m.observers }, () => []);
  send({ type: 'connected', connected: sockets, failed: joined.failed, firstError: joined.firstError, ms: joined.ms });
}

function ask(vi: number, j: number): void {
  const id = randomUUID();
  const text = `Bench question ${j} from viewer ${vi}: what is the real range in winter at 130 km/h, heat pump on?`;
  command(asks, primary[vi], (s, cb) => s.emit('question:ask', { id, text }, cb), () => learn(id));
}

function vote(vi: number, q: string, socket: Viewer | undefined): void {
  const key = `${vi} ${q}`;
  const now = Date.now();
  const pair = pairs.get(key) ?? { q, firstSend: now, minVotes: Infinity, ok: false, noAck: false };
  pairs.set(key, pair);
  const mine = votedBy.get(vi) ?? [];
  if (!mine.includes(q)) votedBy.set(vi, [...mine, q]);
  command<{ votes: number }, Viewer>(
    votes,
    socket,
    (s, cb) => s.emit('question:vote', { id: q }, cb),
    (data) => {
      pair.ok = true;
      pair.minVotes = Math.min(pair.minVotes, data?.votes ?? Infinity);
    },
    () => void (pair.noAck = true),
  );
}

/** A question this viewer has not voted for: early (popular) ones half the time, else any. */
function pickFresh(vi: number): string | null {
  const mine = votedBy.get(vi) ?? [];
  if (mine.length >= known.length) return null;
  for (let attempt = 0; attempt < 8; attempt++) {
    const hot = Math.random() < 0.5;
    const range = hot ? Math.max(1, Math.ceil(known.length * 0.1)) : known.length;
    const q = known[Math.floor(Math.random() * range)]!;
    if (!mine.includes(q)) return q;
  }
  return known.find((q) => !mine.includes(q)) ?? null;
}

/** One scheduled vote slot. Twins vote on both connections at once on their first slot. */
function voteSlot(vi: number, ordinal: number): void {
  const mine = votedBy.get(vi) ?? [];
  const tab = twin.get(vi);
  if (ordinal > 0 && mine.length > 0 && Math.random() < plan!.repeatShare) {
    scheduled--;
    return vote(vi, mine[Math.floor(Math.random() * mine.length)]!, tab ?? primary[vi]); // a repeat
  }
  const q = pickFresh(vi);
  if (q === null && Date.now() > plan!.at + plan!.burstMs + 20_000) return void scheduled--; // never anything to vote on
  if (q === null) return void setTimeout(() => voteSlot(vi, ordinal), 100); // nothing to vote on yet
  scheduled--;
  vote(vi, q, primary[vi]);
  if (tab && ordinal === 0) vote(vi, q, tab); // the same vote from the second tab, concurrently
}

function burst(p: QaPlan): void {
  plan = p;
  poseHistogram = new Map();
  posesReceived = 0;
  loop.reset();
  loop.enable();
  const active = primary.length - conf.observers;
  const at = (t: number): number => Math.max(0, p.at + t - Date.now());
  for (let j = 0; j < p.questions; j++) {
    const vi = conf.observers + Math.floor((j * active) / p.questions); // one question per asker
    scheduled++;
    setTimeout(() => {
      scheduled--;
      ask(vi, j);
    }, at(((j + Math.random()) / p.questions) * p.burstMs * 0.8));
  }
  // Vote slots at random times; a twin's first slot sends two messages, so it takes two slots.
  const slots = Array.from({ length: p.votes }, (_, k) => ({ vi: conf.observers + (k % active), t: p.burstMs * (0.05 + 0.95 * Math.random()) })).sort((a, b) => a.t - b.t);
  const ordinals = new Map<number, number>();
  for (const { vi, t } of slots) {
    const ordinal = ordinals.get(vi) ?? 0;
    ordinals.set(vi, ordinal + 1);
    if (twin.has(vi) && ordinal === 1) continue; // consumed by the twin's double first vote
    scheduled++;
    setTimeout(() => voteSlot(vi, ordinal), at(t));
  }
  for (let vi = conf.observers; vi < primary.length; vi++) {
    for (let r = 0; r < p.reactionsPerViewer; r++) {
      const emoji = DEFAULT_REACTIONS[Math.floor(Math.random() * DEFAULT_REACTIONS.length)]!;
      scheduled++;
      setTimeout(() => {
        scheduled--;
        command(reactions, primary[vi], (s, cb) => s.emit('reaction:send', { emoji }, cb));
      }, at(Math.random() * p.burstMs));
    }
  }
  send({ type: 'bursting' });
}

function report(finalDeadlineMs: number): void {
  const good = [...pairs.values()];
  let finalReceived = 0;
  let finalMaxMs = 0;
  for (const ms of finalLatency) {
    if (ms <= finalDeadlineMs) {
      finalReceived++;
      finalMaxMs = Math.max(finalMaxMs, ms);
    }
  }
  send({
    type: 'report',
    sockets: primary.length + twin.size,
    asks: reported(asks),
    votes: reported(votes),
    reactions: reported(reactions),
    distinctPairs: good.filter((p) => p.ok).length,
    unsurePairs: good.filter((p) => !p.ok && p.noAck).length,
    pairVotes: good.filter((p) => p.ok).map((p) => [p.q, p.firstSend, p.minVotes]),
    observed: observed.map((m) => Object.fromEntries(m)),
    reactionCounts: [...reactionCounts],
    observerReactionTimes,
    poseHistogram: [...poseHistogram],
    posesReceived,
    finalReceived,
    finalMaxMs,
    finalEver: finalLatency.filter((x) => !Number.isNaN(x)).length,
    disconnects,
    loopP99Ms: loop.percentile(99) / 1e6,
  });
}

process.on('message', (m: ToQaWorker) => {
  if (m.type === 'connect') void connectAll(m);
  else if (m.type === 'burst') burst(m.plan);
  else if (m.type === 'status') send({ type: 'status', pendingAcks: pendingAcks(), lastUpdateAt, sentAll: scheduled === 0 && Date.now() > (plan?.at ?? 0) + (plan?.burstMs ?? 0) });
  else report(m.finalDeadlineMs);
});
