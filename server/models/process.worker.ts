import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Document } from '@gltf-transform/core';
import { details, measure, sceneBounds } from './measure.js';
import { createIO, optimise, readModel } from './optimise.js';
import type { WorkerInput, WorkerMessage } from './pipeline.js';
import { validateModel } from './validate.js';

/**
 * One upload, in its own thread: validate → measure → optimise → write. It runs off the main
 * thread so live rooms keep their 20 Hz camera while a 100 MB model is checked, and so the
 * main thread can stop it at its time limit (a worker can be terminated, a busy loop cannot).
 */
async function run(input: WorkerInput): Promise<WorkerMessage> {
  const bytes = new Uint8Array(await fs.promises.readFile(input.input));
  const checked = await validateModel(bytes, input.limits);
  if (!checked.ok) return { type: 'invalid', message: checked.message, issues: checked.issues };
  parentPort!.postMessage({ type: 'validated' } satisfies WorkerMessage);

  const io = await createIO();
  let doc: Document = await readModel(io, bytes, checked.format);
  const bounds = sceneBounds(doc);
  if (!bounds) {
    return { type: 'invalid', message: 'The model has nothing to show: its scene has no geometry.', issues: [{ code: 'EMPTY_SCENE', path: [], message: 'No mesh in the default scene.' }] };
  }
  const before = measure(doc, bytes.byteLength);
  const original = details(doc);
  let note: string | null = null;
  let out: Uint8Array;
  try {
    await optimise(doc, input.limits.maxTexturePixels);
    out = await io.writeBinary(doc);
  } catch (err) {
    // Valid glTF that a transform chokes on: serve it as uploaded (packed as GLB) rather than refuse it.
    note = `Not optimised: ${err instanceof Error ? err.message : String(err)}`;
    doc = await readModel(io, bytes, checked.format);
    out = await io.writeBinary(doc);
  }
  const after = measure(doc, out.byteLength);
  const useOriginal = checked.format === 'glb' && out.byteLength >= bytes.byteLength;
  if (useOriginal) {
    note ??= `The uploaded file (${bytes.byteLength} bytes) is already smaller than the optimised one (${out.byteLength} bytes): it is served as uploaded.`;
    return { type: 'done', result: { format: checked.format, bounds, before, after: before, details: original, useOriginal, note } };
  }
  await fs.promises.writeFile(input.output, out);
  return { type: 'done', result: { format: checked.format, bounds, before, after, details: details(doc), useOriginal, note } };
}

run(workerData as WorkerInput).then(
  (message) => parentPort!.postMessage(message),
  (err: unknown) => parentPort!.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage),
);
