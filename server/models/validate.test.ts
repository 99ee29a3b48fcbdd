import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelPipeline } from './pipeline.js';
import { MODEL_LIMITS, pointerPath, validateModel } from './validate.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/models');
const jeep = () => new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'jeep.glb')));

describe('validateModel bounds', () => {
  it('accepts a real model within the limits', async () => {
    expect(await validateModel(jeep())).toMatchObject({ ok: true, format: 'glb', triangles: 2032 });
  });

  it('lists at most a few errors however many the file has, and says how many more', async () => {
    // 200 accessors pointing at a buffer view that does not exist: 200 errors.
    const gltf = { asset: { version: '2.0' }, accessors: Array.from({ length: 200 }, () => ({ bufferView: 99, componentType: 5126, count: 1, type: 'SCALAR' })) };
    const result = await validateModel(new TextEncoder().encode(JSON.stringify(gltf)), { ...MODEL_LIMITS, maxIssues: 50 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.length).toBeLessThanOrEqual(10);
    expect(result.issues[0]).toMatchObject({ code: 'UNRESOLVED_REFERENCE', pointer: '/accessors/0/bufferView', path: ['accessors', 0, 'bufferView'] });
    expect(result.message).toMatch(/and \d+ more/);
  });

  it('refuses more triangles than allowed before anything decodes them', async () => {
    const result = await validateModel(jeep(), { ...MODEL_LIMITS, maxTriangles: 1000 });
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'TOO_MANY_TRIANGLES' }] });
  });

  it('refuses a texture over the pixel limit, read from its header only', async () => {
    const result = await validateModel(jeep(), { ...MODEL_LIMITS, maxTexturePixels: 256 * 256 });
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'TEXTURE_TOO_LARGE', pointer: '/images/0' }] });
  });

  it('reads JSON pointers as paths', () => {
    expect(pointerPath('/meshes/0/primitives/12/attributes/TEXCOORD_0')).toEqual(['meshes', 0, 'primitives', 12, 'attributes', 'TEXCOORD_0']);
    expect(pointerPath('/extensions/a~1b~0c')).toEqual(['extensions', 'a/b~c']);
  });
});

describe('ModelPipeline time limit', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-pipeline-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('stops the worker and refuses the model when validation runs out of time', async () => {
    const input = path.join(tmp, 'jeep.glb');
    fs.writeFileSync(input, jeep());
    const pipeline = new ModelPipeline({ limits: MODEL_LIMITS, validationTimeoutMs: 1 });
    const outcome = await pipeline.run(input, path.join(tmp, 'out.glb'));
    expect(outcome).toMatchObject({ kind: 'invalid', issues: [{ code: 'TIMEOUT' }] });
    expect(fs.existsSync(path.join(tmp, 'out.glb'))).toBe(false);
  });
});
