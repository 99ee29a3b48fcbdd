import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticRouter } from './static.js';

const js = Buffer.from(`export const car = ${JSON.stringify('Aura EV '.repeat(500))};\n`);
let server: http.Server;
let base: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-static-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'three-Ab12.js'), js);
  fs.writeFileSync(path.join(dir, 'assets', 'three-Ab12.js.br'), zlib.brotliCompressSync(js));
  fs.writeFileSync(path.join(dir, 'assets', 'three-Ab12.js.gz'), zlib.gzipSync(js));
  fs.writeFileSync(path.join(dir, 'assets', 'small-Cd34.css'), 'a{}');
  const app = express().use(staticRouter(dir));
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(url: string, acceptEncoding: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('precompressed assets', () => {
  it('sends the Brotli copy to a browser that takes it, else gzip, else the file itself', async () => {
    const br = await get(`${base}/assets/three-Ab12.js`, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.body.length).toBeLessThan(js.length / 4);
    expect(zlib.brotliDecompressSync(br.body).equals(js)).toBe(true);

    const gz = await get(`${base}/assets/three-Ab12.js`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(js)).toBe(true);

    const plain = await get(`${base}/assets/three-Ab12.js`, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(js)).toBe(true);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
  });

  it('sends a file without a compressed copy as it is, and 404s what is not there', async () => {
    const css = await get(`${base}/assets/small-Cd34.css`, 'br');
    expect(css.headers['content-encoding']).toBeUndefined();
    expect(css.body.toString()).toBe('a{}');
    expect((await get(`${base}/assets/nothing-Zz.js`, 'br')).headers['content-type']).not.toMatch(/javascript/);
  });
});
