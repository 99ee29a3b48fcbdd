/**
 * A load-generator process: holds a share of the N viewers as real socket.io-client sockets and
 * measures host→viewer latency (Date.now() − pose.t; same machine, so the same clock).
 * Started by run.ts with an IPC channel; never runs on its own.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import type { Pose } from '../../shared/presentation.js';
import { isFinal, type FromWorker, type ToWorker } from './protocol.js';
import { record, type Histogram } from './stats.js';

type Viewer = Socket<ServerToClientEvents, ClientToServerEvents>;

const CONNECT_TIMEOUT_MS = 30_000;

const send = (m: FromWorker): void => void process.send?.(m);
// The parent is gone (finished, crashed or killed): a load generator must never outlive it.
process.on('disconnect', () => process.exit(0));

const sockets: Viewer[] = [];
let histogram: Histogram = new Map();
let received = new Uint32Array(0); // orbit poses per viewer in the window
let finalLatency = new Float64Array(0); // ms, NaN until the final pose arrives
let disconnects = 0;
const loop = monitorEventLoopDelay({ resolution: 5 });

function onPose(index: number, pose: Pose): void {
  const latency = Date.now() - pose.t;
  if (isFinal(pose.position)) {
    if (Number.isNaN(finalLatency[index])) finalLatency[index] = latency;
    return;
  }
  received[index]!++;
  record(histogram, latency);
}

/** Resolves when the viewer has its first `state` (the server's "you are in"), or with the error. */
function connectOne(url: string, code: string, viewerId: string, index: number): Promise<string | null> {
  const socket: Viewer = io(url, {
    auth: { code, role: 'viewer', viewerId },
    transports: ['websocket'],
    forceNew: true, // one connection per viewer, as browsers have; the default would multiplex them all
    reconnection: false, // a dropped viewer must show up as a drop, not be silently replaced
    timeout: CONNECT_TIMEOUT_MS,
  });
  sockets.push(socket);
  socket.on('camera:pose', (pose) => onPose(index, pose));
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('no state within 30 s'), CONNECT_TIMEOUT_MS);
    socket.once('state', () => {
      clearTimeout(timer);
      socket.on('disconnect', () => disconnects++);
      resolve(null);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
  });
}

/** Ramps up: `batch` handshakes at a time, so the server sees a crowd arriving, not a storm. */
async function connectAll(m: Extract<ToWorker, { type: 'connect' }>): Promise<void> {
  const started = Date.now();
  received = new Uint32Array(m.count);
  finalLatency = new Float64Array(m.count).fill(NaN);
  let connected = 0;
  let failed = 0;
  let firstError: string | null = null;
  for (let from = 0; from < m.count; from += m.batch) {
    const jobs: Promise<string | null>[] = [];
    for (let i = from; i < Math.min(from + m.batch, m.count); i++) {
      jobs.push(connectOne(m.url, m.code, `${m.idPrefix}-${String(i).padStart(6, '0')}`, i));
    }
    for (const error of await Promise.all(jobs)) {
      if (error === null) connected++;
      else {
        failed++;
        firstError ??= error;
      }
    }
  }
  send({ type: 'connected', connected, failed, firstError, ms: Date.now() - started });
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
  });
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'connect') void connectAll(m);
  else if (m.type === 'begin') {
    histogram = new Map();
    received.fill(0);
    finalLatency.fill(NaN);
    disconnects = 0;
    loop.reset();
    loop.enable();
    send({ type: 'begun' });
  } else if (m.type === 'report') report(m);
});
