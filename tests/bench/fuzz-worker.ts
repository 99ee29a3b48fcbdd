/**
 * The fuzz scenario's attacker (`npm run bench -- --scenario fuzz`): a process of its own that
 * sends malformed packets of every kind (tests/fuzz/) at a steady rate while the bench measures
 * legitimate traffic, judges every answer, and keeps a watching viewer and presenter that check
 * every message the server pushes. Started by fuzz-run.ts with an IPC channel; never runs alone.
 */
import { io } from 'socket.io-client';
import { packetStream } from '../fuzz/catalogue.js';
import type { RoomFacts } from '../fuzz/commands.js';
import { FuzzDriver, type FuzzTarget } from '../fuzz/driver.js';
import type { FuzzPacket } from '../fuzz/packet.js';
import { watch, type Watch } from '../fuzz/watcher.js';
import { record, type Histogram } from './stats.js';

export type ToFuzzWorker =
  | { type: 'start'; target: FuzzTarget; room: RoomFacts; seed: number; total: number; lanes: number; kinds: string | null }
  /** Send `packets` more, spread evenly over `ms`. */
  | { type: 'run'; packets: number; ms: number }
  /** The control run (`--fuzz-sham`): send nothing, only take `pct` % of a core for `ms`, as sending would. */
  | { type: 'spin'; pct: number; ms: number }
  | { type: 'report' };

/** Per kind: packets sent, answered as expected, and the wrong answers seen (answer → count). */
export interface KindTally {
  sent: number;
  ok: number;
  wrong: Record<string, number>;
}

export interface FuzzPhase {
  type: 'ran';
  sent: number;
  seconds: number;
  /** Joined sockets the server had to set up (raw frames, handshakes, replacements of closed sockets). */
  handshakes: number;
}

export interface FuzzReport {
  type: 'report';
  kinds: Record<string, KindTally>;
  /** The first wrong answers, with the packet (long strings cut). */
  failures: string[];
  /** Time to the answer, [ms, count]. */
  answerHistogram: [number, number][];
  watchers: Watch[];
  /** Whether the watchers are still connected at the end. */
  watchersConnected: boolean;
}

export type FromFuzzWorker = { type: 'started' } | FuzzPhase | FuzzReport;

const send = (m: FromFuzzWorker): void => void process.send?.(m);
process.on('disconnect', () => process.exit(0)); // never outlive the bench

let drivers: FuzzDriver[] = [];
let stream: Generator<FuzzPacket> | null = null;
const kinds: Record<string, KindTally> = {};
const failures: string[] = [];
const answers: Histogram = new Map();
const watchers: { connected: () => boolean; seen: Watch }[] = [];

async function start(m: Extract<ToFuzzWorker, { type: 'start' }>): Promise<void> {
  stream = packetStream(m.room, m.seed, m.total, m.kinds ? new RegExp(m.kinds) : undefined);
  drivers = Array.from({ length: m.lanes }, (_, i) => new FuzzDriver(m.target, { timeoutMs: 10_000, idPrefix: `fuzz-l${i}` }));
  for (const auth of [{ code: m.target.code, role: 'viewer', viewerId: 'fuzz-watcher-viewer' }, { code: m.target.code, role: 'host', key: m.target.hostKey }]) {
    const socket = io(m.target.url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
    const seen = watch(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('state', () => resolve());
      socket.once('connect_error', reject);
    });
    watchers.push({ connected: () => socket.connected, seen });
  }
  send({ type: 'started' });
}

/** One packet: judged, tallied, its first failures kept for the report. */
async function one(driver: FuzzDriver, p: FuzzPacket): Promise<void> {
  const v = await driver.send(p);
  const t = (kinds[p.kind] ??= { sent: 0, ok: 0, wrong: {} });
  t.sent++;
  record(answers, Math.round(v.ms));
  if (v.ok) return void t.ok++;
  t.wrong[v.got] = (t.wrong[v.got] ?? 0) + 1;
  if (failures.length < 20) failures.push(`${p.kind}: expected ${JSON.stringify(p.expect)}, got ${v.got}: ${JSON.stringify(p, (_k, x: unknown) => (typeof x === 'string' && x.length > 120 ? `<${x.length} chars>` : x)).slice(0, 400)}`);
}

/** Packet i is due at start + i × interval; each lane takes the next due packet when it is free. */
async function run(packets: number, ms: number): Promise<void> {
  const started = performance.now();
  const handshakes0 = drivers.reduce((n, d) => n + d.handshakes, 0);
  const interval = ms / Math.max(1, packets);
  let next = 0;
  await Promise.all(
    drivers.map(async (driver) => {
      for (;;) {
        const i = next++;
        if (i >= packets) return;
        const p = stream!.next();
        if (p.done) return;
        const wait = started + i * interval - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        await one(driver, p.value);
      }
    }),
  );
  send({ type: 'ran', sent: Math.min(next, packets), seconds: (performance.now() - started) / 1000, handshakes: drivers.reduce((n, d) => n + d.handshakes, 0) - handshakes0 });
}

/** Busy for `pct` % of every 10 ms, for `ms`: the attacker's CPU on the load generators' core, without its packets. */
async function spin(pct: number, ms: number): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    const slice = performance.now();
    while (performance.now() - slice < pct / 10);
    await new Promise((r) => setTimeout(r, Math.max(1, 10 - pct / 10)));
  }
  send({ type: 'ran', sent: 0, seconds: (performance.now() - started) / 1000, handshakes: 0 });
}

process.on('message', (m: ToFuzzWorker) => {
  if (m.type === 'start') void start(m);
  else if (m.type === 'run') void run(m.packets, m.ms);
  else if (m.type === 'spin') void spin(m.pct, m.ms);
  else
    send({
      type: 'report',
      kinds,
      failures,
      answerHistogram: [...answers],
      watchers: watchers.map((w) => w.seen),
      watchersConnected: watchers.every((w) => w.connected()),
    });
});
