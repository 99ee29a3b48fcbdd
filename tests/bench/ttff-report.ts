/** The ttff scenario's figures as markdown tables (docs/benchmarks.md reports them the same way). */

export interface RunSample {
  /** Navigation start → `vitrine:first-frame`, ms. */
  firstFrameMs: number;
  /** Navigation start → `vitrine:studio-frame` (reflections and contact shadow in), ms; null: not within the time limit. */
  studioFrameMs: number | null;
  /** Encoded bytes over the wire (CDP Network.loadingFinished), by kind, until the network went quiet. */
  bytes: { js: number; model: number; other: number };
  /** Colours (6 bits a channel) in a screenshot of the stage canvas; 1 = blank. */
  colours: number;
  nonBlank: boolean;
  /** responseEnd of what the page loaded, ms from navigation start (null: not loaded). */
  timings: { html: number | null; domContentLoaded: number | null; viewerChunk: number | null; threeChunk: number | null; stageChunk: number | null; model: number | null };
  /** Main thread blocked in long tasks (> 50 ms, Long Tasks API) before the first frame, and the longest of them, ms. */
  longTasksMs: number;
  longestTaskMs: number;
  errors: string[];
  /** 1-minute load average at the start of the run, and the CPU other processes used during it (% of one core). */
  load1: number;
  otherCpuPct: number;
}

export interface VehicleResult {
  label: string;
  /** From the upload's answer; null for the demo car (built in code, no file). */
  model: { originalBytes: number; bytes: number; url: string } | null;
  samples: RunSample[];
  medianMs: number;
  maxMs: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const kB = (b: number): string => `${Math.round(b / 1000).toLocaleString('en-US')} kB`;
const B = (b: number): string => `${b.toLocaleString('en-US')} B`;
const ms = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : `${Math.round(x).toLocaleString('en-US')} ms`);
const medianOf = (samples: RunSample[], pick: (s: RunSample) => number | null): number | null => {
  const xs = samples.map(pick).filter((x): x is number => x !== null);
  return xs.length ? median(xs) : null;
};

export function ttffTables(results: VehicleResult[], goalMs: number): string {
  const main = [
    '| vehicle | model file: uploaded → served | page over the wire: JS + model + other = total | first frame, median / max | non-blank | goal | CPU used by other processes, median (load avg) |',
    '| --- | ---: | ---: | ---: | :---: | :---: | ---: |',
  ];
  results.forEach((r, i) => {
    const b = (k: keyof RunSample['bytes']) => medianOf(r.samples, (s) => s.bytes[k]) ?? 0;
    const total = medianOf(r.samples, (s) => s.bytes.js + s.bytes.model + s.bytes.other) ?? 0;
    const file = r.model ? `${B(r.model.originalBytes)} → ${B(r.model.bytes)} (−${Math.round((1 - r.model.bytes / r.model.originalBytes) * 100)}%)` : 'no file (built in code)';
    const blank = r.samples.filter((s) => s.nonBlank).length;
    // The goal is the default vehicle's; the fixtures are reported against it for comparison.
    const verdict = r.medianMs <= goalMs ? 'PASS' : 'FAIL';
    main.push(
      `| ${r.label} | ${file} | ${kB(b('js'))} + ${kB(b('model'))} + ${kB(b('other'))} = **${kB(total)}** | **${ms(r.medianMs)}** / ${ms(r.maxMs)} | ${blank}/${r.samples.length} | ${i === 0 ? `**${verdict}** (≤ ${ms(goalMs)})` : `(${verdict})`} | ${Math.round(medianOf(r.samples, (s) => s.otherCpuPct) ?? 0)}% (${(medianOf(r.samples, (s) => s.load1) ?? 0).toFixed(1)}) |`,
    );
  });
  const detail = [
    '| vehicle | HTML | DOMContentLoaded | ViewerPage chunk | three chunk | Stage3D chunk | model file | first frame | full studio frame | long tasks (longest) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const t = (k: keyof RunSample['timings']) => ms(medianOf(r.samples, (s) => s.timings[k]));
    detail.push(
      `| ${r.label} | ${t('html')} | ${t('domContentLoaded')} | ${t('viewerChunk')} | ${t('threeChunk')} | ${t('stageChunk')} | ${t('model')} | ${ms(r.medianMs)} | ${ms(medianOf(r.samples, (s) => s.studioFrameMs))} | ${ms(medianOf(r.samples, (s) => s.longTasksMs))} (${ms(medianOf(r.samples, (s) => s.longestTaskMs))}) |`,
    );
  }
  return `${main.join('\n')}\n\nMedians, ms from navigation start (resources: when their last byte arrived):\n\n${detail.join('\n')}`;
}
