import fs from 'node:fs';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/event.js';
import { framingPose, type ModelView } from '../../shared/model.js';
import type { ModelRecord } from '../../server/store/types.js';
import { next, startServer, type TestServer } from './harness.js';

let server: TestServer;
let event: EventCreated;
beforeEach(async () => {
  server = await startServer();
  event = await server.createEvent('Lancement Poster');
});
afterEach(async () => {
  await server.close();
});

const bounds = { min: [-2, 0, -1] as [number, number, number], max: [2, 1.5, 1] as [number, number, number] };
const stats = { bytes: 1000, triangles: 12, vertices: 8, drawCalls: 1, meshes: 1, materials: 1, textures: [], extensions: [] };

/** A stored model without the upload pipeline: this suite is about its poster. */
async function storeModel(file = 'a'.repeat(32)): Promise<ModelRecord> {
  const record: ModelRecord = {
    eventId: event.id,
    name: 'Camion',
    original: { file: `${file}.source.glb`, bytes: 1000 },
    optimised: { file: `${file}.glb`, bytes: 1000 },
    stats: { before: stats, after: stats },
    bounds,
    pose: framingPose(bounds),
    note: null,
    details: { materials: [], variants: [] },
    poster: null,
    createdAt: new Date().toISOString(),
  };
  await server.store.models.put(record);
  return record;
}

function putPoster(body: Uint8Array | string, opts: { key?: string | null; type?: string; query?: string } = {}) {
  const key = opts.key === undefined ? event.hostKey : opts.key;
  return fetch(`${server.url}/api/events/${event.id}/model/poster${opts.query ?? ''}`, {
    method: 'PUT',
    headers: { 'content-type': opts.type ?? 'image/png', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body as BodyInit,
  });
}

async function refusal(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  return body.error;
}

/** A photo-sized JPEG with EXIF (camera, GPS-like comment) that must not survive. */
const photo = () =>
  sharp({ create: { width: 3000, height: 1690, channels: 3, background: '#1d3f8f' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SecretCam', Copyright: 'do-not-leak' } })
    .toBuffer();

const posterFiles = () => fs.readdirSync(server.app.models.eventDir(event.id)).filter((f) => f.endsWith('.poster.webp'));

describe('model poster', () => {
  it('re-encodes the picture as a small WebP without metadata, serves it, and tells open pages', async () => {
    const model = await storeModel();
    const { socket } = await server.join({ code: event.code, role: 'viewer' });
    const changed = next(socket, 'vehicle:changed');

    const res = await putPoster(await photo(), { type: 'image/jpeg', query: `?model=${model.optimised.file}` });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = JSON.parse(text) as { model: ModelView; poster: { bytes: number; width: number; height: number } };
    expect(body.poster).toMatchObject({ width: 1600, height: 901 });
    expect(body.model.posterUrl).toMatch(new RegExp(`^${server.url}/models/${event.id}/[0-9a-f]{32}\\.poster\\.webp$`));

    const { vehicle } = await changed;
    expect(vehicle.posterUrl).toBe(new URL(body.model.posterUrl!).pathname);

    const served = await fetch(body.model.posterUrl!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('cache-control')).toContain('immutable');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.length).toBe(body.poster.bytes);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 1600 });
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('SecretCam'))).toBe(false);

    // The studio's view and a late joiner both have it.
    const view = (await (await fetch(`${server.url}/api/events/${event.id}/model`, { headers: { authorization: `Bearer ${event.hostKey}` } })).json()) as { model: ModelView };
    expect(view.model.posterUrl).toBe(body.model.posterUrl);
    const late = await server.join({ code: event.code, role: 'viewer' });
    expect(late.state.event.vehicle.posterUrl).toBe(vehicle.posterUrl);
  });

  it('keeps a small picture at its size, and a new poster replaces the old file', async () => {
    await storeModel();
    const small = await sharp({ create: { width: 800, height: 450, channels: 4, background: '#a3121f' } }).png().toBuffer();
    const first = (await (await putPoster(small)).json()) as { poster: { width: number } };
    expect(first.poster.width).toBe(800);
    const [firstFile] = posterFiles();
    expect(firstFile).toMatch(/^[0-9a-f]{32}\.poster\.webp$/);

    const other = await sharp({ create: { width: 800, height: 450, channels: 3, background: '#1f6b5c' } }).webp().toBuffer();
    const res = await putPoster(other, { type: 'image/webp', key: server.adminToken });
    expect(res.status).toBe(200);
    const files = posterFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).not.toBe(firstFile);
    expect((await fetch(`${server.url}/models/${event.id}/${firstFile}`)).status).toBe(404);
  });

  it('refuses without a model (404), without a key (401), with a dealer key (403)', async () => {
    const png = await sharp({ create: { width: 16, height: 9, channels: 3, background: '#000' } }).png().toBuffer();
    await refusal(await putPoster(png), 404, 'not_found');
    await storeModel();
    await refusal(await putPoster(png, { key: null }), 401, 'unauthorized');
    await refusal(await putPoster(png, { key: event.dealerKey }), 403, 'forbidden');
  });

  it('refuses what is not a WebP, PNG or JPEG picture, whatever it claims to be', async () => {
    await storeModel();
    await refusal(await putPoster('hello', { type: 'text/plain' }), 415, 'unsupported_media_type');
    expect((await refusal(await putPoster('not an image at all', { type: 'image/png' }), 400, 'invalid_image')).message).toContain('WebP, PNG or JPEG');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    expect((await refusal(await putPoster(svg, { type: 'image/png' }), 400, 'invalid_image')).message).toContain('svg');
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).gif().toBuffer();
    await refusal(await putPoster(gif, { type: 'image/png' }), 400, 'invalid_image');
    expect(fs.existsSync(server.app.models.eventDir(event.id)) ? posterFiles() : []).toEqual([]);
  });

  it('refuses a body over 4 MB (413) and a poster of a model since replaced (409)', async () => {
    const model = await storeModel();
    await refusal(await putPoster(Buffer.alloc(4 * 1024 * 1024 + 1)), 413, 'too_large');
    const png = await sharp({ create: { width: 16, height: 9, channels: 3, background: '#000' } }).png().toBuffer();
    await refusal(await putPoster(png, { query: `?model=${'b'.repeat(32)}.glb` }), 409, 'conflict');
    expect((await server.store.models.get(event.id))?.poster).toBeNull();
    expect(model.poster).toBeNull();
  });
});

