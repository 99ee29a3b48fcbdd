/**
 * A fan-out load-generator process: holds a share of the N viewers as WebSocket clients speaking
 * socket.io's wire protocol (or the ws floor's bare JSON; connect-ws.ts) and measures host→viewer
 * latency (Date.now() − pose.t; same machine, so the same clock), and, against Vitrine, when each
 * viewer got each chapter the host set. Load generator 0 also holds the active viewers of the side
 * traffic (side-viewers.ts). Started by fanout-run.ts with an IPC channel; never runs on its own.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Pose } from '../../shared/presentation.js';
import { viewerIds } from './connect.js';
import { connectWsViewers } from './connect-ws.js';
import { isFinal, type FromWorker, type ToWorker } from './protocol.js';
import { ActiveViewers, chapterLatencies } from './side-viewers.js';
import { msSince, record, type Histogram } from './stats.js';

const send = (m: FromWorker): void => void process.send?.(m);
// The parent is gone (finished, crashed or killed): a load generator must never outlive it.
process.on('disconnect', () => process.exit(0));

let histogram: Histogram = new Map();
let received = new Uint32Array(0); // orbit poses per viewer in the window
let finalLatency = new Float64Array(0); // ms, NaN until the final pose arrives
let disconnects = 0;
let chapterArrivals: number[][] = []; // per viewer, `presentation:changed` in the window: [epoch ms, chapter, …]
let questionBatches = 0;
let windowOpen = false;
let actives: ActiveViewers | null = null;
const loop = monitorEventLoopDelay({ resolution: 5 });

function onPose(index: number, pose: Pose): void {
  if (pose.fly) return; // a chapter's pose, made by the server: not one of the host's orbit poses
  const latency = msSince(pose.t);
  if (isFinal(pose.position)) {
    if (Number.isNaN(finalLatency[index])) finalLatency[index] = latency;
    return;
  }
  received[index]!++;
  record(histogram, latency);
}

/** Ramps up `batch` handshakes at a time; each viewer records the poses it gets from then on. */
async function connectAll(m: Extract<ToWorker, { type: 'connect' }>): Promise<void> {
  const started = Date.now();
  received = new Uint32Array(m.count);
  finalLatency = new Float64Array(m.count).fill(NaN);
  const ids = viewerIds(m.idPrefix, m.count);
  const joined = await connectWsViewers(m.count, {
    url: m.url,
    protocol: m.protocol,
    auth: (index) => ({ code: m.code, role: 'viewer', viewerId: ids[index]! }),
    batch: m.batch,
    onDisconnect: () => void disconnects++,
    onPose,
    onPresentation: (index, chapter) => void (windowOpen && chapterArrivals[index]!.push(Date.now(), chapter)),
    onQuestions: () => void (windowOpen && questionBatches++),
  });
  // `connected` counts the passive viewers (the pose figures are theirs); an active one that fails to join is a failure too.
  let { failed, firstError } = joined;
  if (m.actives > 0) {
    const a = await ActiveViewers.connect(m.actives, { url: m.url, code: m.code, batch: m.batch, idPrefix: m.idPrefix, onDisconnect: () => void disconnects++ });
    actives = a.actives;
    failed += a.failed;
    firstError ??= a.firstError;
  }
  send({ type: 'connected', connected: m.count - joined.failed, failed, firstError, ms: Date.now() - started });
}

function report(m: Extract<ToWorker, { type: 'report' }>): void {
  let total = 0;
  let minReceived = Infinity;
  for (const n of received) {
    total += n;
    minReceived = Math.min(minReceived, n);
  }
  let finalReceived = 0;
  let finalMaxMs = 0;
  for (const ms of finalLatency) {
    if (ms <= m.finalDeadlineMs) {
      finalReceived++;
      finalMaxMs = Math.max(finalMaxMs, ms);
    }
  }
  const chapterReceived = m.chapters.map(() => 0);
  const chapterHistogram: Histogram = new Map();
  for (const arrivals of chapterArrivals) {
    chapterLatencies(arrivals, m.chapters).forEach((ms, k) => {
      if (ms === null) return;
      chapterReceived[k]!++;
      record(chapterHistogram, ms);
    });
  }
  send({
    type: 'report',
    viewers: received.length,
    histogram: [...histogram],
    received: total,
    minReceived: received.length ? minReceived : 0,
    finalReceived,
    finalMaxMs,
    disconnects,
    loopP99Ms: loop.percentile(99) / 1e6,
    chapterReceived,
    chapterHistogram: [...chapterHistogram],
    questionBatches,
    side: actives?.report() ?? null,
  });
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'connect') void connectAll(m);
  else if (m.type === 'begin') {
    histogram = new Map();
    received.fill(0);
    finalLatency.fill(NaN);
    disconnects = 0;
    chapterArrivals = Array.from({ length: received.length }, () => []);
    questionBatches = 0;
    windowOpen = true;
    if (m.side) actives?.start(m.side);
    loop.reset();
    loop.enable();
    send({ type: 'begun' });
  } else if (m.type === 'report') report(m);
});
