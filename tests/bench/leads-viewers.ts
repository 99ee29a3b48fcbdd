/**
 * A lead-burst load generator: holds a share of the viewers as light socket.io clients
 * (light-socket.ts: socket.io's wire protocol over bare `ws` sockets, decoding only what a
 * listener reads). When a viewer sees the presenter's test-drive CTA (`presentation:changed`), it waits a random
 * delay within the window, submits a test-drive lead and times its ack; a few send it again (right
 * after the ack, or twice at once) to exercise exactly-once. It also times the poses sent in the
 * window. Started by leads-run.ts with an IPC channel; never runs alone.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LeadSubmitInput } from '../../shared/lead.js';
import { viewerIds } from './connect.js';
import { connectLightViewers, type LightSocket } from './light-socket.js';
import { testDriveLead } from './leads-data.js';
import type { FromLeadsWorker, LeadsPlan, RepeatStats, ToLeadsWorker } from './leads-protocol.js';
import { msSince, record, total, type Histogram } from './stats.js';

const ACK_TIMEOUT_MS = 30_000;
type Viewer = LightSocket;
const send = (m: FromLeadsWorker): void => void process.send?.(m);
process.on('disconnect', () => process.exit(0)); // never outlive the bench

const loop = monitorEventLoopDelay({ resolution: 5 });
let viewers: (Viewer | null)[] = [];
let variant: string | undefined; // the car's variant on screen, as the form sends it
let plan: LeadsPlan | null = null;
let ctaSeenAt = new Float64Array(0); // epoch ms each viewer got the CTA, NaN until then
let waiting = 0; // viewers that still owe their lead, or an answer to one of its messages
let disconnects = 0;

let sent = 0;
let ok = 0;
let lastAckAt = 0;
const errors: Record<string, number> = {};
const acks: Histogram = new Map();
const repeats: RepeatStats = { afterAck: 0, concurrent: 0, ok: 0, sameReceipt: 0, errors: {} };
const okIds: string[] = [];
const poses: Histogram = new Map();
let posesReceived = 0;

type Answer = { ok: true; receipt: string } | { ok: false; code: string };
const count = (into: Record<string, number>, code: string): void => void (into[code] = (into[code] ?? 0) + 1);

/** One `lead:submit` message; `done` gets its answer (`no_ack`: none within 30 s, or a closed socket). */
function submit(socket: Viewer, lead: LeadSubmitInput, done: (a: Answer) => void): void {
  if (!socket.connected) return done({ ok: false, code: 'no_ack' });
  socket.emit('lead:submit', lead, (err, a) => {
    if (err || !a) done({ ok: false, code: 'no_ack' });
    else done(a.ok ? { ok: true, receipt: JSON.stringify(a.data) } : { ok: false, code: a.error.code });
  });
}

/** Viewer `i` fills in the form: one lead, its ack timed from the first send, maybe repeated. */
function fillIn(i: number, p: LeadsPlan): void {
  const socket = viewers[i]!;
  const lead = testDriveLead(variant);
  const r = Math.random();
  const concurrent = r < p.concurrentShare;
  const resend = !concurrent && r < p.concurrentShare + p.resendShare;
  const t0 = Date.now();
  let first: Answer | null = null;
  let outstanding = concurrent ? 2 : 1; // messages of this lead still unanswered
  const settle = (): void => {
    if (--outstanding === 0) waiting--;
  };
  const onRepeat = (a: Answer): void => {
    if (!a.ok) count(repeats.errors, a.code);
    else {
      repeats.ok++;
      if (first?.ok && a.receipt === first.receipt) repeats.sameReceipt++;
    }
    settle();
  };
  const onAnswer = (a: Answer): void => {
    if (first) return onRepeat(a); // the later answer of a concurrent pair
    first = a;
    if (a.ok || a.code !== 'no_ack') {
      lastAckAt = Date.now();
      record(acks, lastAckAt - t0);
    }
    if (a.ok) {
      ok++;
      okIds.push(lead.id);
    } else count(errors, a.code);
    if (resend && a.ok) {
      repeats.afterAck++;
      outstanding++;
      submit(socket, lead, onRepeat);
    }
    settle();
  };
  sent++;
  submit(socket, lead, onAnswer);
  if (concurrent) {
    repeats.concurrent++;
    submit(socket, lead, onAnswer);
  }
}

function listen(socket: Viewer, i: number): void {
  socket.once('state', (s) => void (variant ??= s.presentation.variant));
  socket.on('presentation:changed', ({ cta }) => {
    if (cta !== 'test_drive' || !plan || !Number.isNaN(ctaSeenAt[i])) return;
    ctaSeenAt[i] = Date.now();
    const p = plan;
    setTimeout(() => fillIn(i, p), Math.random() * p.windowMs);
  });
  socket.on('camera:pose', (pose) => {
    if (!plan || pose.t < plan.ctaAt || pose.t > plan.ctaAt + plan.windowMs) return;
    posesReceived++;
    record(poses, msSince(pose.t));
  });
}

async function connectAll(m: Extract<ToLeadsWorker, { type: 'connect' }>): Promise<void> {
  ctaSeenAt = new Float64Array(m.viewers).fill(NaN);
  const joined = await connectLightViewers(viewerIds(m.idPrefix, m.viewers), {
    url: m.url, code: m.code, batch: m.batch, onDisconnect: () => disconnects++, setup: listen, ackTimeoutMs: ACK_TIMEOUT_MS,
  });
  viewers = joined.sockets;
  send({ type: 'connected', connected: m.viewers - joined.failed, failed: joined.failed, firstError: joined.firstError, ms: joined.ms });
}

function report(ctaSentAt: number): void {
  const cta: Histogram = new Map();
  for (const at of ctaSeenAt) if (!Number.isNaN(at)) record(cta, at - ctaSentAt);
  send({
    type: 'report',
    viewers: viewers.filter(Boolean).length,
    ctaReceived: total(cta),
    ctaHistogram: [...cta],
    sent,
    ok,
    errors,
    ackHistogram: [...acks],
    lastAckAt,
    repeats,
    okIds,
    poseHistogram: [...poses],
    posesReceived,
    disconnects,
    loopP99Ms: loop.percentile(99) / 1e6,
  });
}

process.on('message', (m: ToLeadsWorker) => {
  if (m.type === 'connect') void connectAll(m);
  else if (m.type === 'arm') {
    plan = m.plan;
    waiting = viewers.filter(Boolean).length;
    loop.reset();
    loop.enable();
    send({ type: 'armed' });
  } else if (m.type === 'status') send({ type: 'status', waiting });
  else report(m.ctaSentAt);
});
