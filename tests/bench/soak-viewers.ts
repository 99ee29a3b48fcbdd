/**
 * A soak load generator (`npm run soak`, soak.ts): holds a share of the viewers as bare WebSocket
 * clients speaking socket.io's wire protocol (like connect-ws.ts, light enough for 2,000 viewers
 * × 20 poses a second on one core), and for as long as the parent says: replaces viewers (one
 * leaves, a new one joins), and has random viewers ask, vote, react and submit leads, each command
 * with its ack timed. Pose latency and acks are reported per sampling window. Started with an IPC
 * channel by soak.ts; never runs alone.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import { DEFAULT_REACTIONS } from '../../shared/qa.js';
import { newStats, reported, type AckStats, type Counting } from './acks.js';
import { testDriveLead } from './leads-data.js';
import { msSince, record, type Histogram } from './stats.js';

/** Per minute, this generator's share of the soak's traffic. */
export interface SoakRates {
  churn: number;
  asks: number;
  votes: number;
  reactions: number;
  leads: number;
}

export type ToSoakWorker =
  | { type: 'connect'; url: string; code: string; count: number; idPrefix: string; batch: number }
  | { type: 'traffic'; rates: SoakRates }
  | { type: 'sample' }
  | { type: 'leave' };

export type CommandKind = 'asks' | 'votes' | 'reactions' | 'leads';

export interface SoakSample {
  type: 'sample';
  viewers: number;
  /** Pose latency [ms, count] over the window, and poses received. */
  poses: [number, number][];
  received: number;
  acks: Record<CommandKind, AckStats>;
  joins: number;
  leaves: number;
  /** Sockets the server closed (or that failed) without this generator asking. */
  drops: number;
  joinFailures: number;
  loopP99Ms: number;
}

export type FromSoakWorker = { type: 'connected'; connected: number; failed: number; firstError: string | null; ms: number } | SoakSample | { type: 'left' };

const QUESTIONS = ['Quelle autonomie réelle sur autoroute en hiver ?', 'Le bonus écologique est-il déduit du prix ?', 'Peut-on tracter une remorque ?', 'Quel délai de livraison pour le Rouge Rubis ?', 'La pompe à chaleur est-elle de série ?'];
const ACK_TIMEOUT_MS = 30_000;
const JOIN_TIMEOUT_MS = 30_000;
const JOIN_RETRY_MS = 1000;

const send = (m: FromSoakWorker): void => void process.send?.(m);
process.on('disconnect', () => process.exit(0)); // never outlive the parent

interface RawViewer {
  ws: WebSocket;
  joined: boolean;
  leaving: boolean;
  nextAck: number;
  acks: Map<number, { kind: CommandKind; at: number; timer: NodeJS.Timeout }>;
}

let conf: Extract<ToSoakWorker, { type: 'connect' }>;
let serial = 0;
const viewers = new Set<RawViewer>();
const questionIds: string[] = [];
const loop = monitorEventLoopDelay({ resolution: 5 });
const timers: NodeJS.Timeout[] = [];
/** Joins under way: everybody leaving waits for them, so a viewer that joins late does not stay behind. */
const joining = new Set<Promise<boolean>>();
let stopping = false;
let window = freshWindow();

function freshWindow() {
  loop.reset();
  return { poses: new Map() as Histogram, received: 0, acks: { asks: newStats(), votes: newStats(), reactions: newStats(), leads: newStats() } as Record<CommandKind, Counting>, joins: 0, leaves: 0, drops: 0, joinFailures: 0 };
}

/** A viewer in: engine.io open → CONNECT with the auth → `state`. Resolves true once in. */
function join(): Promise<boolean> {
  const joined = joinOne().finally(() => joining.delete(joined));
  joining.add(joined);
  return joined;
}

function joinOne(): Promise<boolean> {
  const id = `${conf.idPrefix}-${String(serial++).padStart(7, '0')}`;
  const ws = new WebSocket(`${conf.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false, handshakeTimeout: JOIN_TIMEOUT_MS });
  const v: RawViewer = { ws, joined: false, leaving: false, nextAck: 1, acks: new Map() };
  // Every 40th viewer reads the Q&A batches, to learn the question ids votes go to.
  const readsQuestions = serial % 40 === 0;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), JOIN_TIMEOUT_MS);
    function done(ok: boolean): void {
      clearTimeout(timer);
      if (ok) {
        v.joined = true;
        viewers.add(v);
        window.joins++;
      } else {
        window.joinFailures++;
        ws.terminate();
      }
      resolve(ok);
    }
    ws.on('message', (data: RawData) => {
      const text = data.toString();
      if (text.startsWith('42["camera:pose",')) {
        const pose = (JSON.parse(text.slice(2)) as [string, { t: number; fly?: true }])[1];
        if (pose.fly) return; // a chapter's pose, made by the server
        window.received++;
        record(window.poses, msSince(pose.t));
      } else if (text === '2') ws.send('3');
      else if (text.startsWith('43')) answered(v, text);
      else if (readsQuestions && text.startsWith('42["questions:changed",')) {
        for (const q of (JSON.parse(text.slice(2)) as [string, { questions: { id: string }[] }])[1].questions) if (!questionIds.includes(q.id)) questionIds.push(q.id);
      } else if (!v.joined && text.startsWith('42["state"')) done(true);
      else if (text.startsWith('0')) ws.send(`40${JSON.stringify({ code: conf.code, role: 'viewer', viewerId: id })}`);
      else if (text.startsWith('44')) done(false);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (!v.joined) return done(false);
      viewers.delete(v);
      for (const a of v.acks.values()) clearTimeout(a.timer);
      if (!v.leaving) window.drops++;
    });
  });
}

function answered(v: RawViewer, text: string): void {
  const m = /^43(\d+)/.exec(text)!;
  const pending = v.acks.get(Number(m[1]));
  if (!pending) return;
  v.acks.delete(Number(m[1]));
  clearTimeout(pending.timer);
  const stats = window.acks[pending.kind];
  record(stats.h, Date.now() - pending.at);
  const ack = (JSON.parse(text.slice(m[0].length)) as [{ ok: boolean; error?: { code: string; message: string } }])[0];
  if (ack.ok) stats.ok++;
  else if (ack.error?.code === 'rate_limited') stats.rateLimited++;
  else {
    stats.otherErrors++;
    stats.firstError ??= `${ack.error?.code}: ${ack.error?.message}`;
  }
}

function command(kind: CommandKind, event: string, payload: unknown): void {
  const v = randomViewer();
  const stats = window.acks[kind];
  stats.sent++;
  if (!v) return void stats.noAck++;
  const id = v.nextAck++;
  const timer = setTimeout(() => {
    v.acks.delete(id);
    window.acks[kind].noAck++;
  }, ACK_TIMEOUT_MS);
  v.acks.set(id, { kind, at: Date.now(), timer });
  v.ws.send(`42${id}${JSON.stringify([event, payload])}`);
}

function randomViewer(): RawViewer | null {
  if (viewers.size === 0) return null;
  let i = Math.floor(Math.random() * viewers.size);
  for (const v of viewers) if (i-- === 0) return v;
  return null;
}

/** A new viewer in, tried again a second later while it fails (a slow server must not shrink the audience). */
async function rejoin(): Promise<void> {
  while (!stopping && !(await join())) await new Promise((r) => setTimeout(r, JOIN_RETRY_MS));
}

function leaveOne(v: RawViewer | null): void {
  if (!v) return;
  v.leaving = true;
  viewers.delete(v);
  window.leaves++;
  v.ws.close();
}

/** Every `perMinute` a minute, at even intervals; nothing if 0. */
function every(perMinute: number, action: () => void): void {
  if (perMinute > 0) timers.push(setInterval(action, 60_000 / perMinute));
}

async function connectAll(m: Extract<ToSoakWorker, { type: 'connect' }>): Promise<void> {
  conf = m;
  const started = Date.now();
  let failed = 0;
  for (let from = 0; from < m.count; from += m.batch) {
    const oks = await Promise.all(Array.from({ length: Math.min(m.batch, m.count - from) }, () => join()));
    failed += oks.filter((ok) => !ok).length;
  }
  window = freshWindow();
  send({ type: 'connected', connected: viewers.size, failed, firstError: failed ? 'join failed or timed out' : null, ms: Date.now() - started });
}

function traffic(r: SoakRates): void {
  loop.enable();
  // Churn: one viewer leaves and a new one joins, so the audience stays the same size.
  every(r.churn, () => {
    if (stopping) return;
    leaveOne(randomViewer());
    void rejoin();
  });
  every(r.asks, () => command('asks', 'question:ask', { id: randomUUID(), text: QUESTIONS[Math.floor(Math.random() * QUESTIONS.length)] }));
  every(r.votes, () => {
    if (questionIds.length) command('votes', 'question:vote', { id: questionIds[Math.floor(Math.random() * questionIds.length)] });
  });
  every(r.reactions, () => command('reactions', 'reaction:send', { emoji: DEFAULT_REACTIONS[Math.floor(Math.random() * DEFAULT_REACTIONS.length)] }));
  every(r.leads, () => command('leads', 'lead:submit', testDriveLead(undefined)));
}

function sample(): void {
  const w = window;
  const loopP99Ms = loop.percentile(99) / 1e6;
  window = freshWindow();
  send({
    type: 'sample',
    viewers: viewers.size,
    poses: [...w.poses],
    received: w.received,
    acks: { asks: reported(w.acks.asks), votes: reported(w.acks.votes), reactions: reported(w.acks.reactions), leads: reported(w.acks.leads) },
    joins: w.joins,
    leaves: w.leaves,
    drops: w.drops,
    joinFailures: w.joinFailures,
    loopP99Ms,
  });
}

/** Everybody leaves (the traffic stops first, joins under way finish); answers once every socket is closed. */
async function leaveAll(): Promise<void> {
  stopping = true;
  for (const t of timers.splice(0)) clearInterval(t);
  await Promise.all(joining);
  const closing = [...viewers].map((v) => new Promise<void>((resolve) => (v.ws.once('close', () => resolve()), leaveOne(v))));
  await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 30_000))]);
  stopping = false;
  send({ type: 'left' });
}

process.on('message', (m: ToSoakWorker) => {
  if (m.type === 'connect') void connectAll(m);
  else if (m.type === 'traffic') traffic(m.rates);
  else if (m.type === 'sample') sample();
  else void leaveAll();
});
