/**
 * `npm run bench -- --scenario ttff [--runs 5] [--trace]`: time to first rendered frame of the
 * viewer page, issue 5's goal: ≤ 3 s for the default vehicle, headless Chromium with 4× CPU
 * slowdown on loopback.
 *
 * It measures the client as built (dist/client; it builds nothing: run `npm run build` first),
 * served by the real server process on a fresh DATA_DIR. One event per vehicle: the demo car, and
 * each fixture of ../shared/fixtures/models uploaded through the API (so optimised by the server).
 * Each event is live, as a viewer joining a launch sees it. Per run: a new browser (so neither the
 * HTTP cache nor the GPU process's shader cache is warm), a phone-sized page with the name step
 * skipped, 4× CPU throttling set before navigation; the figure is the `vitrine:first-frame` mark
 * (client/scene/Stage3D.tsx) read from the page, i.e. from navigation start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import sharp from 'sharp';
import { formatBundle, measureBundle, type BundleReport } from '../../scripts/bundle-size.js';
import { connectHost } from './host.js';
import { cpuSeconds, machineBusySeconds } from './procs.js';
import { machine, writeJson } from './report.js';
import { createEvent, ROOT, startServer, type BenchServer } from './server.js';
import { collectTrace, type TraceSummary } from './ttff-trace.js';
import { median, ttffTables, type RunSample, type VehicleResult } from './ttff-report.js';
import { waitForQuiet } from './workers.js';

export const CPU_SLOWDOWN = 4;
export const GOAL_MS = 3000;
/** The flags every browser test here uses (playwright.config.ts); SwiftShader renders WebGL without a GPU. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-swiftshader'];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Viewers are phone-first: the e2e suite's phone (tests/e2e/fixtures.ts). */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1, locale: 'fr-FR' };
const FIXTURES = path.resolve(ROOT, '../shared/fixtures/models');
const FIRST_FRAME_TIMEOUT_MS = 60_000;
/** After the first frame, requests still finishing (the page is done when none has moved for this long). */
const NETWORK_QUIET_MS = 500;

export interface TtffOptions {
  runs: number;
  quietWaitMs: number;
  trace: boolean;
}

interface StagedVehicle {
  label: string;
  code: string;
  fixture: string | null;
  model: { originalBytes: number; bytes: number; url: string } | null;
}

/** What a viewer page is given: the demo car, or a fixture uploaded through the API. */
async function stage(server: BenchServer, fixture: string | null): Promise<StagedVehicle> {
  const ev = await createEvent(server.url);
  let model: StagedVehicle['model'] = null;
  if (fixture) {
    const res = await fetch(`${server.url}/api/events/${ev.id}/model?name=${encodeURIComponent(fixture)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'model/gltf-binary' },
      body: fs.readFileSync(path.join(FIXTURES, fixture)),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`upload of ${fixture}: ${res.status} ${text}`);
    const m = (JSON.parse(text) as { model: { url: string; bytes: number; originalBytes: number } }).model;
    model = { url: m.url, bytes: m.bytes, originalBytes: m.originalBytes };
  }
  // Live, as during a launch (no "starts soon" card over the stage).
  const host = await connectHost(server.url, ev.code, ev.hostKey);
  try {
    await new Promise<void>((resolve, reject) => host.emit('event:start', {}, (ack) => (ack.ok ? resolve() : reject(new Error(`event:start: ${JSON.stringify(ack)}`)))));
  } finally {
    host.disconnect();
  }
  return { label: fixture ?? 'default vehicle (demo car)', code: ev.code, fixture, model };
}

type Kind = 'js' | 'model' | 'other';

/** Bytes over the wire per request (encoded: gzip and headers included), from CDP Network events. */
function watchNetwork(cdp: CDPSession) {
  const kinds = new Map<string, Kind>();
  const bytes = { js: 0, model: 0, other: 0 };
  let inFlight = 0;
  let lastChange = performance.now();
  cdp.on('Network.requestWillBeSent', () => {
    inFlight++;
    lastChange = performance.now();
  });
  cdp.on('Network.responseReceived', (e) => {
    const model = e.response.mimeType === 'model/gltf-binary' || /\/models\/.+\.glb$/.test(e.response.url);
    kinds.set(e.requestId, model ? 'model' : e.type === 'Script' ? 'js' : 'other');
  });
  const done = (requestId: string, encoded: number) => {
    bytes[kinds.get(requestId) ?? 'other'] += encoded;
    inFlight = Math.max(0, inFlight - 1);
    lastChange = performance.now();
  };
  cdp.on('Network.loadingFinished', (e) => done(e.requestId, e.encodedDataLength));
  cdp.on('Network.loadingFailed', (e) => done(e.requestId, 0));
  return {
    bytes,
    /** Until nothing has started or finished for NETWORK_QUIET_MS (at most 10 s): socket.io's websocket never "finishes". */
    async quiet(): Promise<void> {
      const deadline = performance.now() + 10_000;
      while (performance.now() < deadline && (inFlight > 1 || performance.now() - lastChange < NETWORK_QUIET_MS)) await new Promise((r) => setTimeout(r, 100));
    },
  };
}

/** Not all one colour, and how many colours (6 bits a channel) the stage's canvas shows. */
async function canvasColours(page: Page): Promise<number> {
  const png = await page.locator('[data-testid="stage"] canvas').screenshot({ timeout: 20_000 });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += info.channels) colours.add(((data[i]! >> 2) << 12) | ((data[i + 1]! >> 2) << 6) | (data[i + 2]! >> 2));
  return colours.size;
}

/** CPU seconds used so far by this process and every process it started (the server, Chromium's). */
function ownCpuSeconds(): number {
  const parentOf = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const ours = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...parentOf.keys()].filter(ours).reduce((sum, pid) => sum + (cpuSeconds(pid) || 0), 0);
}

async function oneRun(serverUrl: string, v: StagedVehicle, traceFile: string | null): Promise<RunSample & { trace: TraceSummary | null }> {
  let browser: Browser | null = null;
  const load1 = os.loadavg()[0]!;
  const machine0 = machineBusySeconds();
  const own0 = ownCpuSeconds();
  const t0 = performance.now();
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext(PHONE);
    // The name step (ViewerPage.tsx) is a person's choice, not page load: skip it as a returning viewer would.
    await context.addInitScript((key: string) => sessionStorage.setItem(key, '1'), `vitrine.entered.${v.code.toUpperCase()}`);
    // Resolves on the mark without polling the (throttled) main thread; keeps the long tasks (> 50 ms) until then.
    await context.addInitScript(() => {
      const w = window as unknown as { __firstFrame: Promise<number>; __studioFrame: Promise<number>; __longTasks: [number, number][] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
      // The first frame, then the first with the showroom's reflections and contact shadow
      // (client/scene/Showroom.tsx). No named helper: tsx would wrap it in `__name`, unknown here.
      [w.__firstFrame, w.__studioFrame] = ['vitrine:first-frame', 'vitrine:studio-frame'].map(
        (name) =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const mark = list.getEntriesByName(name)[0];
              if (mark) resolve(mark.startTime);
            }).observe({ type: 'mark', buffered: true });
          }),
      ) as [Promise<number>, Promise<number>];
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const net = watchNetwork(cdp);
    const tracing = traceFile ? await collectTrace(browser, page) : null;

    await page.goto(`${serverUrl}/e/${v.code}`, { waitUntil: 'commit' });
    const firstFrameMs = await Promise.race([
      page.evaluate(() => (window as unknown as { __firstFrame: Promise<number> }).__firstFrame),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no vitrine:first-frame within ${FIRST_FRAME_TIMEOUT_MS / 1000} s${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`)), FIRST_FRAME_TIMEOUT_MS)),
    ]);
    const studioFrameMs = await Promise.race([
      page.evaluate(() => (window as unknown as { __studioFrame: Promise<number> }).__studioFrame),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), FIRST_FRAME_TIMEOUT_MS)),
    ]);
    const longTasks = (await page.evaluate(() => (window as unknown as { __longTasks: [number, number][] }).__longTasks)).filter(([start]) => start < firstFrameMs);
    // Where the time went, from the page's own timings (ms from navigation start).
    // Plain data out of the page (tsx would wrap a named helper in `__name`, unknown in the page).
    const entries = await page.evaluate(() => [
      ...performance.getEntriesByType('navigation').map((e) => ['navigation', (e as PerformanceNavigationTiming).responseEnd, (e as PerformanceNavigationTiming).domContentLoadedEventEnd] as const),
      ...performance.getEntriesByType('resource').map((e) => [e.name, (e as PerformanceResourceTiming).responseEnd, 0] as const),
    ]);
    const end = (re: RegExp): number | null => {
      const e = entries.find(([name]) => re.test(name));
      return e ? Math.round(e[1]) : null;
    };
    const nav = entries.find(([name]) => name === 'navigation');
    const timings = {
      html: nav ? Math.round(nav[1]) : null,
      domContentLoaded: nav ? Math.round(nav[2]) : null,
      viewerChunk: end(/\/assets\/ViewerPage-[\w-]+\.js$/),
      threeChunk: end(/\/assets\/three-[\w-]+\.js$/),
      stageChunk: end(/\/assets\/Stage3D-[\w-]+\.js$/),
      model: end(/\/models\/.+\.glb$/),
    };
    const trace = tracing ? await tracing.stop(traceFile!, firstFrameMs) : null;
    await net.quiet();
    const colours = await canvasColours(page);
    // Whatever else ran meanwhile took CPU from the page and from WebGL (SwiftShader renders on the CPU).
    const otherCpuPct = Math.max(0, ((machineBusySeconds() - machine0 - (ownCpuSeconds() - own0)) / ((performance.now() - t0) / 1000)) * 100);
    return {
      load1,
      otherCpuPct,
      firstFrameMs,
      studioFrameMs,
      bytes: { ...net.bytes },
      colours,
      nonBlank: colours > 1,
      timings,
      longTasksMs: Math.round(longTasks.reduce((sum, [start, duration]) => sum + Math.min(duration, firstFrameMs - start), 0)),
      longestTaskMs: Math.round(Math.max(0, ...longTasks.map(([start, duration]) => Math.min(duration, firstFrameMs - start)))),
      errors,
      trace,
    };
  } finally {
    await browser?.close();
  }
}

function serverAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function measureVehicle(server: BenchServer, v: StagedVehicle, options: TtffOptions): Promise<VehicleResult> {
  await waitForQuiet(options.quietWaitMs);
  const samples: RunSample[] = [];
  for (let i = 0; i < options.runs; i++) {
    const traceFile = options.trace && i === 0 ? path.join(ROOT, 'bench-results', `ttff-trace-${v.label.replace(/\W+/g, '-')}.json`) : null;
    let sample: Awaited<ReturnType<typeof oneRun>>;
    try {
      sample = await oneRun(server.url, v, traceFile);
    } catch (err) {
      // A browser killed from outside (a shared machine) or a one-off hiccup: that run once more, no more.
      if (!serverAlive(server.pid)) throw err;
      console.warn(`  ${v.label} #${i + 1} failed (${(err as Error).message.split('\n')[0]}): once more`);
      sample = await oneRun(server.url, v, traceFile);
    }
    samples.push(sample);
    console.log(
      `  ${v.label} #${i + 1}: first frame ${Math.round(sample.firstFrameMs)} ms, ${Math.round((sample.bytes.js + sample.bytes.model + sample.bytes.other) / 1000)} KB over the wire, ` +
        `${sample.nonBlank ? `${sample.colours} colours` : 'BLANK'} (load ${sample.load1.toFixed(2)}, other processes ${Math.round(sample.otherCpuPct)}% of a core)` +
        (sample.errors.length ? `, page errors: ${sample.errors.join('; ')}` : ''),
    );
    if (sample.trace) console.log(`    trace: ${path.relative(ROOT, traceFile!)}\n${sample.trace.text}`);
  }
  return { label: v.label, model: v.model, samples, medianMs: median(samples.map((s) => s.firstFrameMs)), maxMs: Math.max(...samples.map((s) => s.firstFrameMs)) };
}

/** Newest modification time under the folders the client is built from (as server/index.ts checks). */
function newestSourceMs(): number {
  let newest = fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs;
  for (const dir of ['client', 'shared']) {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
      if (e.isFile()) newest = Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
    }
  }
  return newest;
}

export async function runTtff(options: TtffOptions): Promise<void> {
  const started = Date.now();
  const index = path.join(ROOT, 'dist/client/index.html');
  if (!fs.existsSync(index)) {
    console.error('ttff: dist/client is missing. This scenario measures the client as built and builds nothing: run `npm run build` first.');
    process.exit(2);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`ttff: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (newestSourceMs() > fs.statSync(index).mtimeMs) {
    console.log('  note: dist/client is older than client/ or shared/: the server rebuilds it as it starts, so the figures are for the sources as they are now.');
  }
  fs.mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
  const loadBefore = os.loadavg();
  console.log(`\nViewer page, time to first frame: ${options.runs} cold loads per vehicle, ${CPU_SLOWDOWN}× CPU slowdown, loopback (load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')})`);
  const results: VehicleResult[] = [];
  let bundle: BundleReport | null = null;
  for (const fixture of [null, 'milk-truck.glb', 'jeep.glb']) {
    // A server per vehicle, so one that dies (this is a shared machine) costs one vehicle's runs, retried once.
    for (let attempt = 1; ; attempt++) {
      const server = await startServer('server/index.ts', 180_000); // the first one may rebuild a stale dist/client
      try {
        bundle ??= measureBundle(path.join(ROOT, 'dist/client'));
        results.push(await measureVehicle(server, await stage(server, fixture), options));
        break;
      } catch (err) {
        if (attempt > 1 || serverAlive(server.pid)) throw err;
        console.warn(`  the server (pid ${server.pid}) is gone (${(err as Error).message.split('\n')[0]}): once more on a fresh one`);
      } finally {
        await server.close();
      }
    }
  }
  const loadAfter = os.loadavg();
  console.log('\n' + ttffTables(results, GOAL_MS));
  console.log(`\nLoad average before / after: ${loadBefore.map((x) => x.toFixed(2)).join(' ')} / ${loadAfter.map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
  if (bundle) console.log(`\nViewer page's initial JavaScript (npm run size):\n\n${formatBundle(bundle)}`);
  const file = writeJson(path.join(ROOT, 'bench-results'), 'ttff', {
    startedAt: new Date(started).toISOString(),
    machine: machine(),
    chromium: CHROMIUM,
    cpuSlowdown: CPU_SLOWDOWN,
    device: PHONE,
    loadAverage: { before: loadBefore, after: loadAfter },
    results,
    bundle,
  });
  console.log(`\nJSON: ${path.relative(ROOT, file)} (${Math.round((Date.now() - started) / 1000)} s)`);
}
