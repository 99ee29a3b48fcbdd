import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router, type Request } from 'express';
import { closeAfterResponse } from '../models/intake.js';
import type { ModelService } from '../models/service.js';
import type { EventRecord, ModelRecord, Store } from '../store/types.js';
import { requireScope } from './auth.js';
import { HttpError } from './errors.js';

/** What an upload may be sent as; the bytes decide between GLB and glTF JSON. */
const UPLOAD_TYPES = ['model/gltf-binary', 'model/gltf+json', 'application/octet-stream', 'application/json'];
const SERVED_FILE = /^[0-9a-f]{32}\.glb$/;
/** The model's poster (server/http/poster.routes.ts), served beside it. */
const SERVED_POSTER = /^[0-9a-f]{32}\.poster\.webp$/;
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** three.js's Draco decoder (JS + WASM), served by us: no CDN, and the CSP stays 'self'. */
const THREE_LIBS = path.join(path.dirname(createRequire(import.meta.url).resolve('three')), '..', 'examples', 'jsm', 'libs');
const DRACO_DIR = path.join(THREE_LIBS, 'draco', 'gltf');
/** And its Basis Universal transcoder, for models with KTX2 textures (KHR_texture_basisu). */
const BASIS_DIR = path.join(THREE_LIBS, 'basis');

interface Deps {
  store: Store;
  adminToken: string;
  models: ModelService;
  publicUrl: () => string;
  /** Tells open pages that the event's vehicle changed. */
  onModelChanged: (event: EventRecord, model: ModelRecord) => Promise<void>;
}

export function modelsRouter(deps: Deps): Router {
  const { store, models } = deps;
  const r = Router();

  /** The event, if this bearer is its host key or the admin token; 401/403/404 otherwise. */
  const authorised = async (req: Request): Promise<EventRecord> => (await requireScope(store, deps.adminToken, req, ['host', 'admin'])).event;

  r.post('/api/events/:id/model', async (req, res) => {
    let event: EventRecord;
    try {
      event = await authorised(req);
      const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!UPLOAD_TYPES.includes(type)) {
        throw new HttpError(415, 'unsupported_media_type', 'Send the model as the body with Content-Type: model/gltf-binary (.glb) or model/gltf+json (.gltf).');
      }
    } catch (err) {
      // Refused before reading the body: do not read (up to 100 MB of) it for nothing.
      closeAfterResponse(req, res);
      throw err;
    }
    const name = typeof req.query.name === 'string' ? req.query.name : undefined;
    const model = await models.upload(event, req, res, name);
    await deps.onModelChanged(event, model);
    res.status(201).json({ model: models.view(model, deps.publicUrl()) });
  });

  /** Addition: the studio's view of the current model (null without one) and the upload limit. */
  r.get('/api/events/:id/model', async (req, res) => {
    const event = await authorised(req);
    const model = await store.models.get(event.id);
    res.json({ model: model ? models.view(model, deps.publicUrl()) : null, maxBytes: models.maxBytes });
  });

  // Content-hash names never change content: cache for a year, never revalidate.
  r.get('/models/:eventId/:file', (req, res, next) => {
    const { eventId, file } = req.params;
    const poster = SERVED_POSTER.test(file);
    if (!EVENT_ID.test(eventId) || !(poster || SERVED_FILE.test(file))) return next(new HttpError(404, 'not_found', 'No such model.'));
    res.sendFile(
      path.join(models.eventDir(eventId), file),
      { maxAge: '1y', immutable: true, headers: { 'Content-Type': poster ? 'image/webp' : 'model/gltf-binary' } },
      (err) => {
        if (err && !res.headersSent) next(new HttpError(404, 'not_found', 'No such model.'));
      },
    );
  });

  r.use('/decoders/draco', express.static(DRACO_DIR, { maxAge: '1d', index: false }));
  r.use('/decoders/basis', express.static(BASIS_DIR, { maxAge: '1d', index: false }));

  return r;
}
