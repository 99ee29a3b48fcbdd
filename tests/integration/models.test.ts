import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/event.js';
import type { ModelView } from '../../shared/model.js';
import { next, startServer, type TestServer } from './harness.js';

/** Real models nobody here made (CI has ../shared beside the repository). */
const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/models');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

let server: TestServer;
afterEach(async () => {
  await server.close();
});

function upload(event: EventCreated, body: Uint8Array | string, opts: { key?: string | null; type?: string } = {}) {
  const key = opts.key === undefined ? event.hostKey : opts.key;
  return fetch(`${server.url}/api/events/${event.id}/model`, {
    method: 'POST',
    headers: { 'content-type': opts.type ?? 'model/gltf-binary', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body as BodyInit,
  });
}

/** The status of a GET, its body read (an unread body holds the connection open). */
async function status(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

async function uploaded(res: Response): Promise<ModelView> {
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { model: ModelView }).model;
}

async function refusal(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string; issues?: { code: string; message: string; pointer?: string }[] } };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  return body.error;
}

describe('model upload', () => {
  it.each([
    ['milk-truck.glb', { triangles: 3624, textures: 1 }],
    ['jeep.glb', { triangles: 2032, textures: 1 }],
  ])('takes %s, optimises it, and every later viewer downloads it', async (file, expected) => {
    server = await startServer();
    const event = await server.createEvent();
    const original = fixture(file);
    const model = await uploaded(await upload(event, original));

    expect(model.originalBytes).toBe(original.length);
    expect(model.stats.before).toMatchObject({ bytes: original.length, triangles: expected.triangles });
    expect(model.stats.before.textures).toHaveLength(expected.textures);
    // Same triangles after (weld and meshopt do not simplify), fewer bytes.
    expect(model.stats.after.triangles).toBe(expected.triangles);
    expect(model.bytes).toBeLessThan(original.length);
    expect(model.stats.after.bytes).toBe(model.bytes);
    expect(model.stats.after.extensions).toContain('EXT_meshopt_compression');
    // Three.js no longer reads spec/gloss materials: they come out as metal/rough.
    expect(model.stats.after.extensions).not.toContain('KHR_materials_pbrSpecularGlossiness');
    for (const t of model.stats.after.textures) expect(Math.max(t.width, t.height)).toBeLessThanOrEqual(2048);
    expect(model.bounds.max[1]).toBeGreaterThan(model.bounds.min[1]);
    expect(model.url).toMatch(new RegExp(`^${server.url}/models/${event.id}/[0-9a-f]{32}\\.glb$`));

    // A viewer joining afterwards is given the model and can download it.
    const { state } = await server.join({ code: event.code, role: 'viewer' });
    expect(state.event.vehicle.modelUrl).toBe(new URL(model.url).pathname);
    expect(state.event.vehicle.modelBounds).toEqual(model.bounds);
    expect(state.presentation.pose).toMatchObject({ position: model.pose.position, target: model.pose.target });
    const glb = await fetch(`${server.url}${state.event.vehicle.modelUrl}`);
    expect(glb.status).toBe(200);
    expect(glb.headers.get('content-type')).toBe('model/gltf-binary');
    expect(glb.headers.get('cache-control')).toContain('immutable');
    const served = Buffer.from(await glb.arrayBuffer());
    expect(served.length).toBe(model.bytes);
    expect(served.subarray(0, 4).toString('latin1')).toBe('glTF');

    // The original is kept beside it, and the studio can read the figures back.
    const files = fs.readdirSync(path.join(server.dataDir, 'models', event.id));
    expect(files).toContain(`${new URL(model.url).pathname.split('/').pop()}`);
    expect(files.some((f) => f.endsWith('.source.glb'))).toBe(true);
    const back = await fetch(`${server.url}/api/events/${event.id}/model`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(await back.json()).toMatchObject({ model: { url: model.url, bytes: model.bytes }, maxBytes: 100_000_000 });
  });

  it('tells open pages when the vehicle changes, and a new upload replaces the old files', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const { socket, state } = await server.join({ code: event.code, role: 'viewer' });
    expect(state.event.vehicle.modelUrl).toBeNull();
    const changed = next(socket, 'vehicle:changed', 15_000);
    const first = await uploaded(await upload(event, fixture('jeep.glb')));
    const pushed = await changed;
    expect(pushed.vehicle.modelUrl).toBe(new URL(first.url).pathname);
    expect(pushed.pose?.position).toEqual(first.pose.position);

    const second = await uploaded(await upload(event, fixture('milk-truck.glb'), { key: server.adminToken }));
    expect(second.url).not.toBe(first.url);
    expect(await status(first.url)).toBe(404);
    expect(await status(second.url)).toBe(200);
    expect(fs.readdirSync(path.join(server.dataDir, 'models', event.id)).sort()).toHaveLength(2);
  });

  it('refuses without a key (401), with a wrong one (403), for an unknown event (404)', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const other = await server.createEvent('Autre');
    const glb = fixture('jeep.glb');
    await refusal(await upload(event, glb, { key: null }), 401, 'unauthorized');
    await refusal(await upload(event, glb, { key: event.dealerKey }), 403, 'forbidden');
    await refusal(await upload(event, glb, { key: other.hostKey }), 403, 'forbidden');
    const res = await fetch(`${server.url}/api/events/no-such-event/model`, { method: 'POST', headers: { authorization: `Bearer ${event.hostKey}`, 'content-type': 'model/gltf-binary' }, body: glb as BodyInit });
    await refusal(res, 404, 'not_found');
    await refusal(await upload(event, glb, { type: 'image/png' }), 415, 'unsupported_media_type');
  });

  it('refuses garbage, a truncated GLB and a glTF 1.0 file, naming the problem', async () => {
    server = await startServer();
    const event = await server.createEvent();

    const garbage = await refusal(await upload(event, Buffer.from('this is not a 3D model at all')), 400, 'invalid_model');
    expect(garbage.message).toMatch(/neither a binary glTF/);

    const jeep = fixture('jeep.glb');
    const truncated = await refusal(await upload(event, jeep.subarray(0, Math.floor(jeep.length / 2))), 400, 'invalid_model');
    expect(truncated.issues?.[0]?.code).toMatch(/^GLB_/);
    expect(truncated.message).toContain(truncated.issues![0]!.code);

    const v1 = JSON.stringify({ asset: { version: '1.0' }, scene: 'defaultScene', scenes: { defaultScene: { nodes: [] } } });
    const old = await refusal(await upload(event, v1, { type: 'model/gltf+json' }), 400, 'invalid_model');
    expect(old.issues).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_ASSET_MAJOR_VERSION', pointer: '/asset/version' }));

    const external = JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'https://example.com/car.bin', byteLength: 4 }] });
    const ext = await refusal(await upload(event, external, { type: 'model/gltf+json' }), 400, 'invalid_model');
    expect(ext.issues).toContainEqual(expect.objectContaining({ code: 'EXTERNAL_RESOURCE', pointer: '/buffers/0/uri' }));

    await refusal(await upload(event, Buffer.alloc(0)), 400, 'invalid_model');
    // Nothing was stored, no file left behind.
    const { state } = await server.join({ code: event.code, role: 'viewer' });
    expect(state.event.vehicle.modelUrl).toBeNull();
    expect(fs.readdirSync(path.join(server.dataDir, 'models', 'tmp'))).toEqual([]);
  });

  it('takes a .gltf with its resources embedded as data: URIs', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const gltf = embeddedTriangle();
    const model = await uploaded(await upload(event, JSON.stringify(gltf), { type: 'model/gltf+json' }));
    expect(model.stats.before.triangles).toBe(1);
    expect(model.url).toMatch(/\.glb$/);
  });
});

describe('decoders', () => {
  it('serves Draco and the KTX2 (Basis) transcoder from our own server, WebAssembly typed as such', async () => {
    server = await startServer();
    for (const file of ['draco/draco_decoder.wasm', 'draco/draco_wasm_wrapper.js', 'basis/basis_transcoder.wasm', 'basis/basis_transcoder.js']) {
      const res = await fetch(`${server.url}/decoders/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(file.endsWith('.wasm') ? /^application\/wasm/ : /javascript/);
      expect((await res.arrayBuffer()).byteLength, file).toBeGreaterThan(10_000);
    }
  });
});

describe('oversize uploads', () => {
  const MAX = 64 * 1024;

  /** Sends raw HTTP and resolves with the answer's status line as soon as it arrives. */
  function raw(head: string, body: Buffer[], opts: { pauseAfter: number }): Promise<{ status: string; sent: number }> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let sent = 0;
      let answer = '';
      socket.on('data', (d) => {
        answer += d.toString('latin1');
        if (answer.includes('\r\n')) {
          socket.destroy();
          resolve({ status: answer.split('\r\n')[0]!, sent });
        }
      });
      socket.on('error', reject);
      socket.write(head);
      // Send only part of the body, then wait: the answer must come without the rest.
      for (const chunk of body.slice(0, opts.pauseAfter)) {
        socket.write(chunk);
        sent += chunk.length;
      }
    });
  }

  it('refuses a body whose Content-Length is over MODEL_MAX_BYTES before reading it', async () => {
    server = await startServer({ modelMaxBytes: MAX });
    const event = await server.createEvent();
    const declared = 50 * 1024 * 1024;
    const head = `POST /api/events/${event.id}/model HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${event.hostKey}\r\nContent-Type: model/gltf-binary\r\nContent-Length: ${declared}\r\n\r\n`;
    const { status, sent } = await raw(head, [Buffer.alloc(1024)], { pauseAfter: 1 });
    expect(status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(sent).toBeLessThan(declared / 1000);
  });

  it('refuses a chunked body as soon as it goes over, without waiting for its end', async () => {
    server = await startServer({ modelMaxBytes: MAX });
    const event = await server.createEvent();
    const head = `POST /api/events/${event.id}/model HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${event.hostKey}\r\nContent-Type: model/gltf-binary\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = (n: number) => Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), Buffer.alloc(n, 7), Buffer.from('\r\n')]);
    // 80 KB sent of a body that never ends (no terminating chunk).
    const { status, sent } = await raw(head, Array.from({ length: 10 }, () => chunk(8 * 1024)), { pauseAfter: 10 });
    expect(status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(sent).toBeLessThan(MAX * 2);
    expect(fs.readdirSync(path.join(server.dataDir, 'models', 'tmp'))).toEqual([]);
  });

  it('answers 413 too_large to an ordinary client', async () => {
    server = await startServer({ modelMaxBytes: MAX });
    const event = await server.createEvent();
    await refusal(await upload(event, Buffer.alloc(MAX + 1)), 413, 'too_large');
  });
});

/** The smallest valid glTF: one triangle, its buffer embedded as a data: URI. */
function embeddedTriangle() {
  const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  const bin = Buffer.from(positions.buffer);
  return {
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0 }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
    buffers: [{ uri: `data:application/octet-stream;base64,${bin.toString('base64')}`, byteLength: bin.length }],
    bufferViews: [{ buffer: 0, byteLength: bin.length }],
    accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] }],
  };
}
