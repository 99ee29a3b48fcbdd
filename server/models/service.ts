import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { ModelView } from '../../shared/model.js';
import { framingPose } from '../../shared/model.js';
import { HttpError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import type { EventRecord, ModelRecord, Store } from '../store/types.js';
import { receiveBody } from './intake.js';
import { ModelPipeline, type PipelineOptions } from './pipeline.js';
import { MODEL_LIMITS } from './limits.js';
import { modelPath, posterPath } from './vehicle.js';

export interface ModelServiceDeps {
  store: Store;
  log: Logger;
  /** `DATA_DIR/models`: one folder per event, plus `tmp/` for uploads in progress. */
  dir: string;
  maxBytes: number;
  pipeline?: Partial<PipelineOptions>;
}

/** Content-hash file names: 128 bits of sha256, so a URL never serves two different files. */
const HASH_CHARS = 32;
const NAME_MAX = 80;

/** Event ids become folder names: only ever the ids we make (UUIDs). */
const SAFE_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

export class ModelService {
  readonly dir: string;
  readonly maxBytes: number;
  private pipeline: ModelPipeline;

  constructor(private deps: ModelServiceDeps) {
    this.dir = deps.dir;
    this.maxBytes = deps.maxBytes;
    this.pipeline = new ModelPipeline({ limits: MODEL_LIMITS, ...deps.pipeline });
  }

  eventDir(eventId: string): string {
    if (!SAFE_SEGMENT.test(eventId)) throw new Error(`unsafe event id for a folder name: ${eventId}`);
    return path.join(this.dir, eventId);
  }

  /**
   * Receives, checks, optimises and stores an event's new model (the caller has checked the
   * key). Returns the new record and the one it replaced, whose files are already deleted.
   */
  async upload(event: EventRecord, req: Request, res: Response, name: string | undefined): Promise<ModelRecord> {
    const tmp = path.join(this.dir, 'tmp');
    const received = await receiveBody(req, res, tmp, this.maxBytes);
    const output = path.join(tmp, `${path.basename(received.path, '.upload')}.out.glb`);
    try {
      const outcome = await this.pipeline.run(received.path, output);
      if (outcome.kind === 'invalid') throw new HttpError(400, 'invalid_model', outcome.message, outcome.issues);
      if (outcome.kind === 'failed') throw new Error(`model pipeline failed: ${outcome.message}`);
      const { result } = outcome;

      const dir = this.eventDir(event.id);
      await fs.promises.mkdir(dir, { recursive: true });
      const originalFile = `${received.sha256.slice(0, HASH_CHARS)}.source.${result.format}`;
      await fs.promises.rename(received.path, path.join(dir, originalFile));
      // The served name carries the hash of what is served: a replaced model gets a new URL,
      // so the year-long browser cache never shows an old car.
      let servedFile: string;
      let servedBytes: number;
      if (result.useOriginal) {
        servedFile = `${received.sha256.slice(0, HASH_CHARS)}.glb`;
        servedBytes = received.bytes;
        await fs.promises.copyFile(path.join(dir, originalFile), path.join(dir, servedFile));
      } else {
        const { sha256, bytes } = await hashFile(output);
        servedFile = `${sha256.slice(0, HASH_CHARS)}.glb`;
        servedBytes = bytes;
        await fs.promises.rename(output, path.join(dir, servedFile));
      }

      const record: ModelRecord = {
        eventId: event.id,
        name: cleanName(name) ?? event.title,
        original: { file: originalFile, bytes: received.bytes },
        optimised: { file: servedFile, bytes: servedBytes },
        stats: { before: result.before, after: result.after },
        bounds: result.bounds,
        pose: framingPose(result.bounds),
        note: result.note,
        details: result.details,
        poster: null,
        createdAt: new Date().toISOString(),
      };
      const { previous } = await this.deps.store.models.put(record);
      if (previous) await this.removeFiles(previous, record);
      this.deps.log.info({ eventId: event.id, before: received.bytes, after: servedBytes, triangles: result.after.triangles }, 'model stored');
      return record;
    } finally {
      await Promise.all([fs.promises.rm(received.path, { force: true }), fs.promises.rm(output, { force: true })]);
    }
  }

  /** Deletes a replaced model's files, except those the new one still uses (same content). */
  private async removeFiles(old: ModelRecord, current: ModelRecord): Promise<void> {
    const keep = new Set([current.original.file, current.optimised.file, current.poster?.file]);
    const dir = this.eventDir(old.eventId);
    for (const file of new Set([old.original.file, old.optimised.file, old.poster?.file])) {
      if (!file) continue;
      if (!keep.has(file)) await fs.promises.rm(path.join(dir, file), { force: true });
    }
  }

  /** The API's view of a model; `publicUrl` makes its URL absolute, like the event links. */
  view(model: ModelRecord, publicUrl: string): ModelView {
    return {
      url: `${publicUrl}${modelPath(model)}`,
      name: model.name,
      bytes: model.optimised.bytes,
      originalBytes: model.original.bytes,
      stats: model.stats,
      bounds: model.bounds,
      pose: model.pose,
      note: model.note,
      details: model.details,
      posterUrl: model.poster ? `${publicUrl}${posterPath(model)}` : null,
      createdAt: model.createdAt,
    };
  }

  /** Leftovers of uploads cut short by a restart. */
  async sweepTemp(): Promise<void> {
    await fs.promises.rm(path.join(this.dir, 'tmp'), { recursive: true, force: true });
  }
}

function cleanName(name: string | undefined): string | null {
  const n = name?.replace(/\s+/g, ' ').trim().slice(0, NAME_MAX);
  return n ? n : null;
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
