/**
 * `--trace`: one Chromium performance trace per vehicle (its first run), summarised as where the
 * page's main thread spent the time until the first frame. The trace file opens in Chrome
 * DevTools' Performance panel (or ui.perfetto.dev).
 */
import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink.user_timing',
  'loading',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.compile',
  'gpu',
  'toplevel',
];

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string } };
}

export interface TraceSummary {
  /** Self time on the renderer's main thread until the first frame, ms, by activity. */
  selfMs: Record<string, number>;
  /** Longest single tasks before the first frame: start, duration (ms from navigation) and what ran. */
  longTasks: { startMs: number; ms: number; top: string; pastFirstFrameMs: number }[];
  /** Busy time on the GPU process's main thread before the first frame (SwiftShader: shaders, draws), ms. */
  gpuProcessMs: number;
  text: string;
}

/**
 * Event name → what a reader calls it, for self time on the renderer's main thread. CPU throttling
 * pauses the thread inside whatever runs, so every figure here is stretched by the slowdown; the
 * untraced part of each task (mostly those pauses) shows as "task overhead".
 */
function activity(e: TraceEvent): string {
  const n = e.name;
  if (/^(CommandBufferProxyImpl::WaitForGetOffset|ImplementationBase::WaitForCmd|CommandBufferHelper::Finish|GLES2::ReadPixels|CommandBufferProxyImpl::Flush|CommandBufferHelper::Flush)$/.test(n)) return 'waiting for the GPU process';
  if (/^(V8\.(Parse|PreParse|Compile|CollectSourcePositions|Optimize|Maglev|Turbofan|Deserialize)|v8\.compile|FlushInstructionCache)/.test(n)) return 'script parse/compile';
  if (/^(V8\.GC|MajorGC|MinorGC|BlinkGC|ThreadState::)/.test(n)) return 'garbage collection';
  if (/^(FunctionCall|EvaluateScript|v8\.evaluateModule|v8\.callFunction|v8\.run|V8\.Execute|V8\.BytecodeBudgetInterrupt|RunMicrotasks|FireAnimationFrame|TimerFire|EventDispatch)/.test(n)) return 'script execution';
  if (/^(ParseHTML|ParseAuthorStyleSheet|UpdateLayoutTree|Layout|PrePaint|Paint|Layerize|Commit|HitTest|UpdateLayer)$/.test(n)) return 'HTML, style, layout, paint';
  if (n === 'ThreadControllerImpl::RunTask' || n === 'RunTask') return 'task overhead (throttle pauses)';
  return 'other';
}

export async function collectTrace(browser: Browser, page: Page) {
  await browser.startTracing(page, { categories: CATEGORIES, screenshots: false });
  return {
    /** Stops, writes the trace to `file`, and summarises it up to `firstFrameMs` after navigation start. */
    async stop(file: string, firstFrameMs: number): Promise<TraceSummary> {
      const buffer = await browser.stopTracing();
      fs.writeFileSync(file, buffer);
      return summarise((JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents, firstFrameMs);
    },
  };
}

export function summarise(events: TraceEvent[], firstFrameMs: number): TraceSummary {
  const mark = events.find((e) => e.name === 'vitrine:first-frame' && e.cat.includes('blink.user_timing'));
  const threadName = (pid: number, tid: number) => events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.tid === tid)?.args?.name;
  const pid = mark?.pid ?? events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')!.pid;
  const tid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain')!.tid;
  const nav = events.find((e) => e.pid === pid && e.name === 'navigationStart') ?? events.find((e) => e.pid === pid);
  const t0 = nav!.ts;
  const end = t0 + firstFrameMs * 1000;
  // Complete events on the main thread, as a tree by nesting: self time = own duration − children's.
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined && e.ts < end).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const selfMs: Record<string, number> = {};
  const stack: { e: TraceEvent; childUs: number }[] = [];
  const longTasks: (TraceSummary['longTasks'][number] & { kinds: Record<string, number> })[] = [];
  let task: (typeof longTasks)[number] | null = null; // the long top-level task being walked, if any
  const close = (upTo: number) => {
    while (stack.length && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= upTo) {
      const { e, childUs } = stack.pop()!;
      const self = Math.max(0, Math.min(e.ts + e.dur!, end) - e.ts - childUs);
      const kind = activity(e);
      selfMs[kind] = (selfMs[kind] ?? 0) + self / 1000;
      if (task) task.kinds[kind] = (task.kinds[kind] ?? 0) + self / 1000;
      if (stack.length) stack[stack.length - 1]!.childUs += Math.min(e.ts + e.dur!, end) - e.ts;
      else task = null;
    }
  };
  for (const e of main) {
    close(e.ts);
    if (stack.length === 0 && e.dur! >= 50_000) {
      task = { startMs: (e.ts - t0) / 1000, ms: (Math.min(e.ts + e.dur!, end) - e.ts) / 1000, pastFirstFrameMs: Math.max(0, e.ts + e.dur! - end) / 1000, top: '', kinds: {} };
      longTasks.push(task);
    }
    stack.push({ e, childUs: 0 });
  }
  close(Infinity);
  for (const k of Object.keys(selfMs)) selfMs[k] = Math.round(selfMs[k]!);

  // The GPU process runs WebGL for the page (SwiftShader on this machine): shader compiles and draws.
  const gpuPid = events.find((e) => e.ph === 'M' && e.name === 'process_name' && (e.args?.name ?? '').includes('GPU'))?.pid;
  let gpuProcessMs = 0;
  if (gpuPid !== undefined) {
    const gpuMain = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === gpuPid && e.args?.name === 'CrGpuMain')?.tid;
    for (const e of events) if (e.pid === gpuPid && e.tid === gpuMain && e.ph === 'X' && e.name === 'RunTask' && e.ts >= t0 && e.ts < end) gpuProcessMs += (e.dur ?? 0) / 1000;
  }
  // A long task is named after what took most of it (e.g. waiting for the GPU process).
  for (const t of longTasks) t.top = Object.entries(t.kinds).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  longTasks.sort((a, b) => b.ms - a.ms);
  const busy = Object.values(selfMs).reduce((a, b) => a + b, 0);
  const text = [
    `    main thread (${threadName(pid, tid)}) until the first frame at ${Math.round(firstFrameMs)} ms: busy ${Math.round(busy)} ms — ` +
      Object.entries(selfMs).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v} ms`).join(', '),
    `    GPU process main thread busy ${Math.round(gpuProcessMs)} ms`,
    `    longest tasks: ${longTasks.slice(0, 6).map((t) => `${Math.round(t.ms)} ms at ${Math.round(t.startMs)} (${t.top}${t.pastFirstFrameMs ? `; goes on ${Math.round(t.pastFirstFrameMs)} ms past the first frame` : ''})`).join('; ')}`,
  ].join('\n');
  return { selfMs, longTasks: longTasks.slice(0, 10).map(({ kinds: _, ...t }) => t), gpuProcessMs: Math.round(gpuProcessMs), text };
}
