import { Router } from 'express';
import { MEDIA_MAX_BYTES, MEDIA_TYPES } from '../../shared/media.js';
import { authoriseUpload, readImageBody } from '../media/receive.js';
import { TYPE_OF_EXT } from '../media/store.js';
import { brandRouter, type BrandDeps } from './brand.routes.js';
import { HttpError } from './errors.js';

/** Served SVG cannot run script or load anything, even opened on its own in a tab. */
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Image uploads for an event (logo, hotspot pictures), the files themselves, and the brand API. */
export function mediaRouter(deps: BrandDeps): Router {
  const { media } = deps;
  const r = Router();

  r.post('/api/events/:id/media', async (req, res) => {
    const { event, type } = await authoriseUpload(deps, req, res, MEDIA_TYPES);
    const body = await readImageBody(req, res, MEDIA_MAX_BYTES);
    res.status(201).json(await media.save(event.id, type, body));
  });

  // Content-hash names never change content: cache for a year, never revalidate.
  r.get('/media/:eventId/:file', (req, res, next) => {
    const file = media.fileOf(req.params.eventId, req.params.file);
    if (!file) return next(new HttpError(404, 'not_found', 'No such image.'));
    const type = TYPE_OF_EXT[file.slice(file.lastIndexOf('.') + 1)]!;
    const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' };
    if (type === 'image/svg+xml') headers['Content-Security-Policy'] = SVG_CSP;
    res.sendFile(file, { maxAge: '1y', immutable: true, headers, dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) next(new HttpError(404, 'not_found', 'No such image.'));
    });
  });

  r.use(brandRouter(deps));
  return r;
}
