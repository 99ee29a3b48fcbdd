import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '..');

/** The CommonJS packages a process has loaded once `module` is imported (tsx, as `npm start` runs). */
function loadedBy(module: string): string[] {
  const script = `await import(${JSON.stringify(module)}); const { createRequire } = await import('node:module'); console.log(JSON.stringify(Object.keys(createRequire(process.cwd() + '/x.js').cache)));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
}

describe('what the server loads at start', () => {
  it('leaves the upload-only libraries (sharp, xmldom, gltf-validator) for the first upload', () => {
    const loaded = loadedBy('./server/app.ts');
    expect(loaded.some((f) => f.includes(`${path.sep}express${path.sep}`))).toBe(true); // it does see what the app loads
    for (const lib of ['sharp', '@xmldom', 'gltf-validator']) expect(loaded.filter((f) => f.includes(`${path.sep}node_modules${path.sep}${lib}`)), lib).toEqual([]);
  });

  it('loads them when they are used', () => {
    expect(loadedBy('./server/media/raster.ts').some((f) => f.includes(`${path.sep}sharp${path.sep}`))).toBe(false);
    const script = `const { reencodeRaster } = await import('./server/media/raster.ts'); await reencodeRaster(new Uint8Array([1, 2, 3])).catch(() => {}); const { createRequire } = await import('node:module'); console.log(Object.keys(createRequire(process.cwd() + '/x.js').cache).some((f) => f.includes('/sharp/')));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout.trim().split('\n').at(-1), run.stderr).toBe('true');
  });
});
