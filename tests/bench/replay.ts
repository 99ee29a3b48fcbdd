/**
 * `npm run bench -- --scenario replay`: how compact the replay's recording is and how fast it
 * starts (issue 7), on the real server process with a fresh DATA_DIR (SQLite).
 *
 * 1. The recording as the server makes it: the host goes live and orbits at 20 Hz for 10 s
 *    (with a chapter in the middle); the stored poses per second are counted (goal ≤ 10).
 * 2. An hour of presentation: a second hour-long event whose recording is written through the
 *    store (the server's own database, beside the running server, WAL) with the sampling the
 *    recorder keeps (10 poses a second while the hand moves, half of the time; a chapter every
 *    5 minutes; 30 moderated questions), its start moved an hour back. Then `GET /api/replay/:code`:
 *    the first answer (read + build + gzip), later ones (shared for 30 s), and 200 at once (the
 *    audience sent to the replay when the launch ends); bytes stored and sent; and the browser's
 *    own work before the first frame: parsing the JSON and building `ReplayTimeline`.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { REPLAY_POSE_STRIDE, type Replay } from '../../shared/replay.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { ReplayTimeline } from '../../client/features/replay/timeline.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import type { ReplayChunk, ReplayEntry } from '../../server/store/types.js';
import { connectHost, type HostSocket } from './host.js';
import { machine, writeJson } from './report.js';
import { createEvent, ROOT, startServer } from './server.js';
import { percentile, record, type Histogram } from './stats.js';

const HOUR_MS = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Percentile of a few timings, to 0.1 ms. */
function pct(ms: number[], p: number): number {
  const h: Histogram = new Map();
  for (const x of ms) record(h, Math.round(x * 10));
  return percentile(h, p) / 10;
}

function emit(host: HostSocket, event: string, payload: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    (host.emit as (e: string, p: unknown, ack: (a: { ok: boolean }) => void) => void)(event, payload, (ack) => (ack.ok ? resolve() : reject(new Error(`${event}: ${JSON.stringify(ack)}`)))),
  );
}

/** An hour as the recorder would have kept it: chunks of a second, ≤ 10 poses each while moving. */
function hourOfRecording(eventId: string, start: number): ReplayChunk[] {
  const chunks: ReplayChunk[] = [];
  let chapter = 0;
  for (let s = 0; s < HOUR_MS / 1000; s++) {
    const at0 = start + s * 1000;
    const entries: ReplayEntry[] = [];
    if (s % 300 === 0) {
      chapter = (chapter + 1) % DEMO_VEHICLE.chapters.length;
      const c = DEMO_VEHICLE.chapters[chapter]!;
      entries.push({ at: at0, k: 'presentation', presentation: { chapter, variant: c.variant ?? 'bleu-abysse', cta: null, hotspot: c.hotspot ?? null } });
      entries.push({ at: at0, k: 'pose', p: [...c.pose.position, ...c.pose.target, c.pose.fov ?? 40, 1] });
    } else if (Math.floor(s / 30) % 2 === 0) {
      // The hand moves for 30 s, rests for 30 s.
      for (let i = 0; i < 10; i++) {
        const a = (s * 10 + i) / 200;
        entries.push({ at: at0 + i * 100, k: 'pose', p: [Math.round(6000 * Math.sin(a)) / 1000, 1.6, Math.round(6000 * Math.cos(a)) / 1000, 0, 0.6, 0, 40, 0] });
      }
    }
    if (s % 120 === 60) {
      const id = `q-${s}`;
      const question = { id, text: `Question ${s} : quelle autonomie sur autoroute à 130 km/h en hiver ?`, name: 'Camille', votes: 12, status: 'answered' as const, pinned: false, createdAt: new Date(at0).toISOString() };
      entries.push({ at: at0, k: 'question', question: { ...question, status: 'visible', pinned: true } }, { at: at0 + 500, k: 'question', question });
    }
    if (entries.length) chunks.push({ id: `${eventId}-${s}`, eventId, firstAt: at0, entries });
  }
  return chunks;
}

/** `firstByteMs`: until the answer's head (the server's part); `ms`: until the body is in and unzipped (the client's too). */
async function timed(url: string): Promise<{ ms: number; firstByteMs: number; bytes: number; body: Buffer }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
  const firstByteMs = performance.now() - t0;
  const wire = Number(res.headers.get('content-length') ?? 0);
  const body = Buffer.from(await res.arrayBuffer()); // fetch decompresses
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.toString()}`);
  return { ms: performance.now() - t0, firstByteMs, bytes: wire, body };
}

export async function runReplayBench(entry: string): Promise<void> {
  const server = await startServer(entry);
  try {
    // 1. The recorder on the real path.
    const live = await createEvent(server.url);
    const host = await connectHost(server.url, live.code, live.hostKey);
    await emit(host, 'event:start', {});
    const seconds = 10;
    let t = 1;
    for (let i = 0; i < seconds * 20; i++) {
      if (i === seconds * 10) await emit(host, 'chapter:set', { index: 2 });
      const a = i / 40;
      host.emit('camera:set', { position: [6 * Math.sin(a), 1.6, 6 * Math.cos(a)], target: [0, 0.6, 0], fov: 40, t: (t += 50) });
      await sleep(50);
    }
    await emit(host, 'event:end', {});
    host.disconnect();
    const recorded = (await timed(`${server.url}/api/replay/${live.code}`)).body;
    const liveReplay = JSON.parse(recorded.toString()) as Replay;
    const livePoses = liveReplay.poses.length / REPLAY_POSE_STRIDE;
    const samples = Array.from({ length: livePoses }, (_, i) => ({ t: liveReplay.poses[i * REPLAY_POSE_STRIDE]!, fly: liveReplay.poses[i * REPLAY_POSE_STRIDE + 8] === 1 }));
    const flights = samples.filter((x) => x.fly).length;
    // The hand's samples after the start's: their rate over the span they cover, and the closest two.
    const hand = samples.slice(1).filter((x) => !x.fly);
    const handRate = (hand.length - 1) / ((hand.at(-1)!.t - hand[0]!.t) / 1000);
    const minGapMs = Math.min(...hand.slice(1).map((x, i) => x.t - hand[i]!.t));

    // 2. An hour.
    const hour = await createEvent(server.url);
    const h = await connectHost(server.url, hour.code, hour.hostKey);
    await emit(h, 'event:start', {});
    await emit(h, 'event:end', {});
    h.disconnect();
    const dbFile = path.join(server.dataDir, 'vitrine.db');
    const store = openSqliteStore(dbFile);
    const ended = Date.now();
    const start = ended - HOUR_MS;
    const chunks = hourOfRecording(hour.id, start);
    await store.replay.append(chunks);
    await store.close();
    const db = new Database(dbFile);
    db.prepare('UPDATE events SET started_at = ? WHERE id = ?').run(new Date(start).toISOString(), hour.id);
    const stored = db.prepare('SELECT COUNT(*) AS rows, SUM(LENGTH(entries)) AS bytes FROM replay_chunks WHERE event_id = ?').get(hour.id) as { rows: number; bytes: number };
    db.close();

    const url = `${server.url}/api/replay/${hour.code}`;
    const first = await timed(url);
    const again: number[] = [];
    for (let i = 0; i < 20; i++) again.push((await timed(url)).ms);
    const burstRuns = await Promise.all(Array.from({ length: 200 }, () => timed(url)));
    const burst = burstRuns.map((r) => r.ms);
    const burstHeads = burstRuns.map((r) => r.firstByteMs);

    const t0 = performance.now();
    const replay = JSON.parse(first.body.toString()) as Replay;
    const timeline = new ReplayTimeline(replay);
    const parseMs = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 10_000; i++) timeline.poseAt((i / 10_000) * replay.durationMs);
    const sampleUs = ((performance.now() - t1) / 10_000) * 1000;

    const result = {
      recorder: { seconds, posesSent: seconds * 20, posesStored: livePoses, handRatePerSecond: handRate, minGapMs, flights },
      hour: {
        durationMs: replay.durationMs,
        poses: replay.poses.length / REPLAY_POSE_STRIDE,
        chapters: replay.presentation.length,
        questionMoments: replay.questions.length,
        storedRows: stored.rows,
        storedBytes: stored.bytes,
        jsonBytes: first.body.length,
        gzipBytes: first.bytes,
        firstMs: first.ms,
        againP50Ms: pct(again, 50),
        burst200P99Ms: pct(burst, 99),
        burst200FirstByteP99Ms: pct(burstHeads, 99),
        clientParseMs: parseMs,
        poseAtUs: sampleUs,
      },
    };
    const kb = (b: number) => `${Math.round(b / 1024).toLocaleString('en')} KB`;
    console.log('\nReplay (SQLite):\n');
    console.log('| measure | figure | goal |');
    console.log('| --- | ---: | --- |');
    console.log(`| poses stored while orbiting at 20 Hz for ${seconds} s (+ ${flights} flight, the start) | ${livePoses}: ${handRate.toFixed(2)}/s, closest two ${minGapMs} ms apart | ≤ 10/s |`);
    console.log(`| 1 h recording: rows, bytes stored | ${stored.rows.toLocaleString('en')} rows, ${kb(stored.bytes)} | compact |`);
    console.log(`| 1 h replay: poses, JSON, gzip on the wire | ${result.hour.poses.toLocaleString('en')}, ${kb(first.body.length)}, ${kb(first.bytes)} | |`);
    console.log(`| GET /api/replay first answer (read + build + gzip) | ${Math.round(first.ms)} ms | starts at once |`);
    console.log(`| GET /api/replay again, p50 | ${pct(again, 50).toFixed(1)} ms | |`);
    console.log(`| 200 at once: answer's head p99 / whole body in and unzipped p99 (one client process) | ${Math.round(pct(burstHeads, 99))} ms / ${Math.round(pct(burst, 99))} ms | |`);
    console.log(`| browser work before playing: JSON.parse + ReplayTimeline | ${Math.round(parseMs)} ms (Node, this machine) | |`);
    console.log(`| one camera sample (poseAt) | ${sampleUs.toFixed(2)} µs | ≪ a frame |`);
    const file = writeJson(path.join(ROOT, 'bench-results'), 'replay', { startedAt: new Date().toISOString(), machine: machine(), result });
    console.log(`\nJSON: ${path.relative(ROOT, file)}`);
  } finally {
    await server.close();
  }
}
