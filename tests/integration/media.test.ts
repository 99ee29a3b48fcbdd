import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/event.js';
import { MEDIA_MAX_BYTES, type MediaUploaded } from '../../shared/media.js';
import { startServer, type TestServer } from './harness.js';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

function upload(event: EventCreated, body: Uint8Array | string, type: string, key: string | null = event.hostKey) {
  return fetch(`${server.url}/api/events/${event.id}/media`, {
    method: 'POST',
    headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body as BodyInit,
  });
}

async function uploaded(res: Response): Promise<MediaUploaded> {
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as MediaUploaded;
}

async function refusal(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  return body.error;
}

/** A 3-colour picture with transparency, so a re-encode that lost alpha or pixels shows. */
const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: { r: 228, g: 0, b: 43, alpha: 0.5 } } }).composite([
    { input: { create: { width: Math.ceil(width / 2), height, channels: 4, background: { r: 10, g: 20, b: 200, alpha: 1 } } }, left: 0, top: 0 },
  ]);

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" onload="alert(1)"><script>alert(2)</script><rect width="120" height="40" rx="6" fill="#e4002b"/><text x="10" y="27" fill="#fff">AURA</text></svg>`;

describe('image upload (POST /api/events/:id/media)', () => {
  it('takes a PNG, keeps it a PNG with its transparency, and serves it for a year', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const png = await picture(300, 120).png().toBuffer();
    const media = await uploaded(await upload(event, png, 'image/png'));
    expect(media).toMatchObject({ type: 'image/png', width: 300, height: 120 });
    expect(media.url).toMatch(new RegExp(`^/media/${event.id}/[0-9a-f]{32}\\.png$`));

    const res = await fetch(`${server.url}${media.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const served = Buffer.from(await res.arrayBuffer());
    expect(served.length).toBe(media.bytes);
    const meta = await sharp(served).metadata();
    expect(meta).toMatchObject({ format: 'png', hasAlpha: true, width: 300, height: 120 });
    // On disk where the README says: DATA_DIR/media/<event id>/.
    expect(fs.readdirSync(path.join(server.dataDir, 'media', event.id))).toEqual([media.url.split('/').pop()]);
  });

  it('re-encodes a JPEG without its metadata (no GPS position leaks) and scales a huge one down', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const jpeg = await picture(3000, 1000)
      .jpeg()
      .withExif({ IFD0: { Copyright: 'Secret Studio' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1' } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const media = await uploaded(await upload(event, jpeg, 'image/jpeg'));
    expect(media).toMatchObject({ type: 'image/jpeg', width: 2048, height: 683 });
    expect(media.url).toMatch(/\.jpg$/);
    const served = Buffer.from(await (await fetch(`${server.url}${media.url}`)).arrayBuffer());
    const meta = await sharp(served).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(served.includes('Secret Studio')).toBe(false);
  });

  it('keeps a WebP a WebP', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const media = await uploaded(await upload(event, await picture(64, 64).webp().toBuffer(), 'image/webp', server.adminToken));
    expect(media).toMatchObject({ type: 'image/webp', width: 64, height: 64 });
    const res = await fetch(`${server.url}${media.url}`);
    expect(res.headers.get('content-type')).toBe('image/webp');
  });

  it('sanitises an SVG and serves it under a Content-Security-Policy that forbids script', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const media = await uploaded(await upload(event, LOGO_SVG, 'image/svg+xml'));
    expect(media).toMatchObject({ type: 'image/svg+xml', width: 120, height: 40 });
    const res = await fetch(`${server.url}${media.url}`);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    const svg = await res.text();
    expect(svg).toContain('<rect width="120" height="40" rx="6" fill="#e4002b"/>');
    expect(svg).not.toMatch(/script|onload|alert/);
  });

  it('refuses garbage, a lying type, an entity bomb and a pixel bomb with 400 invalid_image', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const garbage = await refusal(await upload(event, Buffer.from('definitely not an image'), 'image/png'), 400, 'invalid_image');
    expect(garbage.message).toMatch(/PNG, JPEG or WebP/);
    // The bytes decide: an SVG sent as a PNG is not decoded by the raster path (sharp reads SVG too).
    const svgAsPng = await refusal(await upload(event, LOGO_SVG, 'image/png'), 400, 'invalid_image');
    expect(svgAsPng.message).toMatch(/SVG image/);
    const broken = await refusal(await upload(event, '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', 'image/svg+xml'), 400, 'invalid_image');
    expect(broken.message).toMatch(/well-formed/);
    const bomb = `<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&b;</text></svg>`;
    expect((await refusal(await upload(event, bomb, 'image/svg+xml'), 400, 'invalid_image')).message).toMatch(/DOCTYPE/);
    const huge = await refusal(await upload(event, await pngClaiming(20_000, 20_000), 'image/png'), 400, 'invalid_image');
    expect(huge.message).toMatch(/megapixels/);
    await refusal(await upload(event, Buffer.alloc(0), 'image/png'), 400, 'invalid_image');
    expect(fs.existsSync(path.join(server.dataDir, 'media', event.id))).toBe(false);
  });

  it('refuses without a key (401), with a dealer key or another event’s host key (403), other types (415)', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const other = await server.createEvent('Autre');
    const png = await picture(8, 8).png().toBuffer();
    await refusal(await upload(event, png, 'image/png', null), 401, 'unauthorized');
    await refusal(await upload(event, png, 'image/png', event.dealerKey), 403, 'forbidden');
    await refusal(await upload(event, png, 'image/png', other.hostKey), 403, 'forbidden');
    await refusal(await upload(event, png, 'image/gif'), 415, 'unsupported_media_type');
    await refusal(await upload(event, png, 'text/html'), 415, 'unsupported_media_type');
  });

  it('answers 413 too_large over 2 MB, before reading a body whose Content-Length says so', async () => {
    server = await startServer();
    const event = await server.createEvent();
    await refusal(await upload(event, Buffer.alloc(MEDIA_MAX_BYTES + 1), 'image/png'), 413, 'too_large');

    const declared = 50_000_000;
    const head = `POST /api/events/${event.id}/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${event.hostKey}\r\nContent-Type: image/png\r\nContent-Length: ${declared}\r\n\r\n`;
    expect(await statusLine(head, [Buffer.alloc(1024)])).toBe('HTTP/1.1 413 Payload Too Large');

    // Chunked, no length: refused as soon as it goes over, though the body never ends.
    const chunked = `POST /api/events/${event.id}/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${event.hostKey}\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = Buffer.concat([Buffer.from(`${(256 * 1024).toString(16)}\r\n`), Buffer.alloc(256 * 1024, 7), Buffer.from('\r\n')]);
    expect(await statusLine(chunked, Array.from({ length: 10 }, () => chunk))).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('serves nothing outside the media folder', async () => {
    server = await startServer();
    const event = await server.createEvent();
    await uploaded(await upload(event, LOGO_SVG, 'image/svg+xml'));
    for (const p of [`/media/${event.id}/..%2F..%2Fvitrine.db`, `/media/..%2Fmodels/x.png`, `/media/${event.id}/${'0'.repeat(32)}.png`, `/media/${event.id}/${'a'.repeat(32)}.html`]) {
      const res = await fetch(`${server.url}${p}`);
      await res.arrayBuffer();
      expect(res.status, p).toBe(404);
    }
  });
});

/** A valid PNG header that claims a size far over the pixel limit, with one tiny data chunk. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer());
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows its 13 bytes.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
  return png;
}

/** Sends raw HTTP (the body only in part) and resolves with the answer's status line. */
function statusLine(head: string, body: Buffer[]): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
    socket.write(head);
    for (const chunk of body) socket.write(chunk);
  });
}
