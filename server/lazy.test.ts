import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '..');

/** The CommonJS files a fresh process (tsx, as `npm start` runs it) has loaded once `code` has run. */
function loadedAfter(code: string): string[] {
  const script = `${code}; const { createRequire } = await import('node:module'); console.log(JSON.stringify(Object.keys(createRequire(process.cwd() + '/x.js').cache)));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
}

const has = (loaded: string[], lib: string): boolean => loaded.some((f) => f.includes(`${path.sep}node_modules${path.sep}${lib}${path.sep}`));

describe('what the server loads at start', () => {
  it('leaves the upload-only libraries (sharp, xmldom, gltf-validator) for the first upload', () => {
    const loaded = loadedAfter(`await import('./server/app.ts')`);
    expect(has(loaded, 'express')).toBe(true); // it does see what the app loads
    for (const lib of ['sharp', '@xmldom/xmldom', 'gltf-validator']) expect(has(loaded, lib), lib).toBe(false);
  });

  it('loads each when it is first used', () => {
    const raster = `const { reencodeRaster } = await import('./server/media/raster.ts')`;
    expect(has(loadedAfter(raster), 'sharp')).toBe(false);
    expect(has(loadedAfter(`${raster}; await reencodeRaster(new Uint8Array([1, 2, 3])).catch(() => {})`), 'sharp')).toBe(true);
    const svg = `const { sanitiseSvg } = await import('./server/media/svg.ts')`;
    expect(has(loadedAfter(svg), '@xmldom/xmldom')).toBe(false);
    expect(has(loadedAfter(`${svg}; sanitiseSvg(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'))`), '@xmldom/xmldom')).toBe(true);
  });
});
