/**
 * `npm run size`: the viewer page's initial JavaScript, gzipped, from the built client
 * (dist/client; run `npm run build` first). Issue 5's budget: ≤ 350 KB gzipped, with three.js
 * loaded as its own chunk, after the page.
 *
 *   npm run size [-- --dist dist/client] [--json]
 *
 * "Initial" is what a viewer opening /e/<code> downloads before anything 3D is asked for:
 *   - the shell: the entry script of index.html, its modulepreload links and everything they import
 *     statically (import … from / export … from, followed transitively);
 *   - the viewer route: the ViewerPage chunk the shell's router imports at once on /e/<code>, and
 *     its static imports (Vite preloads exactly these with it).
 * Lazy chunks (import()) are not initial: Stage3D and the 'three' chunk load once the page is up.
 * Sizes are gzip level 9 of each file; KB = 1,000 bytes, as Vite prints them (the stricter reading).
 *
 * Exits 1 when the initial JavaScript is over budget or the three chunk is part of it, 2 when
 * dist/client is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

export const INITIAL_BUDGET_BYTES = 350_000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The route chunk the viewer page needs at once (client/App.tsx: lazy(() => import('./features/viewer/ViewerPage'))). */
const VIEWER_CHUNK = /^ViewerPage-[\w-]+\.js$/;
/** Vite names a manualChunks chunk after its key ('three' in vite.config.ts). */
const THREE_CHUNK = /^three-[\w-]+\.js$/;
/** Packages that belong with three.js, their own dependencies included (r3f, drei). */
const THREE_STACK = /^(three|@react-three\/.*|three-stdlib|troika.*|maath|meshline|camera-controls|fflate|@monogrid\/gainmap-js|its-fine|suspend-react|zustand|react-use-measure|use-sync-external-store|@babel\/runtime|@use-gesture\/.*|stats.*|detect-gpu|hls\.js|@mediapipe\/.*)$/;

export interface ChunkSize {
  /** Path inside dist/client, e.g. assets/three-B6q6YAKS.js. */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Why it is initial: "entry", "modulepreload", "viewer route", or "imported by <file>". */
  reason: string;
}

export interface BundleReport {
  dist: string;
  shell: ChunkSize[];
  /** Chunks the viewer route adds to the shell. */
  viewerRoute: ChunkSize[];
  initialGzipBytes: number;
  budgetBytes: number;
  three: (ChunkSize & { inInitial: boolean; packages: { name: string; sourceBytes: number }[] }) | null;
  /** Lazy: the 3D stage's chunk and what it imports that the page has not loaded yet (three included, once it is lazy). */
  stage: { files: ChunkSize[]; gzipBytes: number } | null;
  problems: string[];
}

/** Static import specifiers of a built ES module (minified or not). Dynamic import() is left out. */
export function staticImports(code: string): string[] {
  const found = new Set<string>();
  // `import{a as b}from"./x.js"`, `import"./x.js"`, `export{c}from"./x.js"`, `export*from"./x.js"`;
  // statement starts only, so "import" inside a string or a name does not count. `import(` never matches:
  // the clause before `from` cannot contain "(".
  const re = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+?\.js)["'`]/g;
  for (let m = re.exec(code); m; m = re.exec(code)) found.add(m[1]!);
  return [...found];
}

function gzipSize(file: string): number {
  return gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/** Source bytes per npm package in a chunk, from its source map (none: empty). */
function packagesOf(jsFile: string): { name: string; sourceBytes: number }[] {
  const mapFile = `${jsFile}.map`;
  if (!fs.existsSync(mapFile)) return [];
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
  const totals = new Map<string, number>();
  map.sources.forEach((source, i) => {
    const at = source.lastIndexOf('node_modules/');
    const parts = at === -1 ? ['(app)'] : source.slice(at + 'node_modules/'.length).split('/');
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    totals.set(name, (totals.get(name) ?? 0) + (map.sourcesContent?.[i]?.length ?? 0));
  });
  return [...totals].map(([name, sourceBytes]) => ({ name, sourceBytes })).sort((a, b) => b.sourceBytes - a.sourceBytes);
}

export function measureBundle(dist: string, budgetBytes = INITIAL_BUDGET_BYTES): BundleReport {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!);
  if (entries.length === 0) throw new Error(`${path.join(dist, 'index.html')} has no <script type="module" src>`);
  const rel = (url: string) => url.replace(/^\//, '');

  const seen = new Set<string>();
  const walk = (start: { file: string; reason: string }[]): ChunkSize[] => {
    const out: ChunkSize[] = [];
    const queue = start.filter((s) => !seen.has(s.file));
    for (const s of queue) seen.add(s.file);
    while (queue.length > 0) {
      const { file, reason } = queue.shift()!;
      const abs = path.join(dist, file);
      if (!fs.existsSync(abs)) throw new Error(`${file} is referenced but missing from ${dist}: rebuild (npm run build)`);
      out.push({ file, bytes: fs.statSync(abs).size, gzipBytes: gzipSize(abs), reason });
      for (const spec of staticImports(fs.readFileSync(abs, 'utf8'))) {
        const dep = path.posix.join(path.posix.dirname(file), spec);
        if (seen.has(dep)) continue;
        seen.add(dep);
        queue.push({ file: dep, reason: `imported by ${path.posix.basename(file)}` });
      }
    }
    return out;
  };

  const shell = walk([...entries.map((u) => ({ file: rel(u), reason: 'entry' })), ...preloads.map((u) => ({ file: rel(u), reason: 'modulepreload' }))]);
  const assets = fs.readdirSync(path.join(dist, 'assets'));
  const viewerChunk = assets.find((f) => VIEWER_CHUNK.test(f));
  const problems: string[] = [];
  if (!viewerChunk) problems.push('no ViewerPage-*.js chunk in dist/client/assets: the viewer route is not measured');
  const viewerRoute = viewerChunk ? walk([{ file: `assets/${viewerChunk}`, reason: 'viewer route' }]) : [];
  const initial = [...shell, ...viewerRoute];
  const initialGzipBytes = initial.reduce((s, c) => s + c.gzipBytes, 0);

  const threeFile = assets.find((f) => THREE_CHUNK.test(f));
  let three: BundleReport['three'] = null;
  if (!threeFile) {
    problems.push("no three-*.js chunk: vite.config.ts's manualChunks no longer gives three.js its own chunk");
  } else {
    const abs = path.join(dist, 'assets', threeFile);
    const inInitial = initial.find((c) => c.file === `assets/${threeFile}`);
    three = { file: `assets/${threeFile}`, bytes: fs.statSync(abs).size, gzipBytes: gzipSize(abs), reason: inInitial?.reason ?? 'lazy', inInitial: Boolean(inInitial), packages: packagesOf(abs) };
    if (inInitial) {
      const strays = three.packages.filter((p) => !THREE_STACK.test(p.name)).map((p) => p.name);
      problems.push(
        `the three chunk is initial (${inInitial.reason})` +
          (strays.length ? `: it also holds ${strays.join(', ')}, which the page shell imports from it, so the whole chunk loads first` : ''),
      );
    }
  }
  // three.js bundled into another initial chunk is just as bad as the three chunk being initial.
  for (const c of initial) {
    if (c.file === three?.file) continue;
    if (packagesOf(path.join(dist, c.file)).some((p) => p.name === 'three')) problems.push(`${c.file} (${c.reason}) contains three.js`);
  }
  if (initialGzipBytes > budgetBytes) problems.push(`initial JavaScript is ${kb(initialGzipBytes)} gzipped, over the ${kb(budgetBytes)} budget`);

  const stageFile = assets.find((f) => /^Stage3D-[\w-]+\.js$/.test(f));
  const stageFiles = stageFile ? walk([{ file: `assets/${stageFile}`, reason: 'lazy: the 3D stage' }]) : null;
  const stage = stageFiles ? { files: stageFiles, gzipBytes: stageFiles.reduce((s, c) => s + c.gzipBytes, 0) } : null;
  return { dist, shell, viewerRoute, initialGzipBytes, budgetBytes, three, stage, problems };
}

export const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;

export function formatBundle(r: BundleReport): string {
  const row = (c: ChunkSize) => `| ${c.file} | ${c.reason} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} |`;
  const sum = (cs: ChunkSize[]) => cs.reduce((s, c) => s + c.gzipBytes, 0);
  const lines = [
    '| file | why initial | raw | gzip -9 |',
    '| --- | --- | ---: | ---: |',
    ...r.shell.map(row),
    `| **shell** | | | **${kb(sum(r.shell))}** |`,
    ...r.viewerRoute.map(row),
    `| **viewer page, initial** | | | **${kb(r.initialGzipBytes)}** (budget ${kb(r.budgetBytes)}) |`,
  ];
  if (r.three) {
    const top = r.three.packages.slice(0, 6).map((p) => `${p.name} ${kb(p.sourceBytes)}`).join(', ');
    lines.push('', `three chunk: ${r.three.file}, ${kb(r.three.bytes)} raw, ${kb(r.three.gzipBytes)} gzipped, ${r.three.inInitial ? `INITIAL (${r.three.reason})` : 'lazy'}; sources: ${top}`);
  }
  if (r.stage) lines.push(`3D stage, loaded after the page: ${kb(r.stage.gzipBytes)} gzipped (${r.stage.files.map((c) => `${path.posix.basename(c.file)} ${kb(c.gzipBytes)}`).join(', ')})`);
  lines.push('', r.problems.length ? r.problems.map((p) => `FAIL: ${p}`).join('\n') : `PASS: ${kb(r.initialGzipBytes)} ≤ ${kb(r.budgetBytes)}, three.js is not initial`);
  return lines.join('\n');
}

function main(): void {
  const { values } = parseArgs({ options: { dist: { type: 'string', default: path.join(ROOT, 'dist/client') }, json: { type: 'boolean', default: false } } });
  const dist = path.resolve(values.dist);
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    console.error(`${dist}/index.html is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  const report = measureBundle(dist);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatBundle(report));
  process.exit(report.problems.length ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
