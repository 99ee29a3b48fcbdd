import { json, Router } from 'express';
import type { EventBrand } from '../../shared/brand.js';
import { BrandUpdate, LOGO_TYPES, MEDIA_MAX_BYTES, type PosterView } from '../../shared/media.js';
import { authoriseUpload, readImageBody } from '../media/receive.js';
import type { MediaStore } from '../media/store.js';
import { vehicleOf } from '../models/vehicle.js';
import type { EventRecord, Store } from '../store/types.js';
import { HttpError, parseBody } from './errors.js';
import { eventByCode, toPublicEvent } from './events.routes.js';
import { requireScope } from './auth.js';

export interface BrandDeps {
  store: Store;
  adminToken: string;
  media: MediaStore;
  publicUrl: () => string;
  /** Tells open pages that the event's branding changed (`brand:changed`). */
  onBrandChanged: (event: EventRecord) => Promise<void>;
}

/** The event's branding (host key or admin token) and what its printable poster shows (anyone). */
export function brandRouter(deps: BrandDeps): Router {
  const { store, adminToken, media } = deps;
  const r = Router();

  /** Stores the new branding and tells the open pages; answers `{brand}`. */
  async function save(event: EventRecord, brand: EventBrand) {
    const saved = await store.events.updateSettings(event.id, { brand });
    if (!saved) throw new HttpError(404, 'not_found', 'No such event.');
    await deps.onBrandChanged(saved);
    return { brand: saved.brand };
  }

  /** Only the fields given change; null puts Vitrine's own look back for that field. */
  r.patch('/api/events/:id/brand', json({ limit: '16kb' }), async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
    const patch = parseBody(BrandUpdate, req.body);
    if (typeof patch.logoUrl === 'string' && !(await media.has(event.id, patch.logoUrl))) {
      const message = 'logoUrl: not a logo uploaded to this event (upload it first)';
      throw new HttpError(400, 'invalid_payload', message, [{ path: ['logoUrl'], message }]);
    }
    const next: EventBrand = { ...event.brand };
    if (patch.name !== undefined) next.name = patch.name || null;
    if (patch.accent !== undefined) next.accent = patch.accent?.toLowerCase() ?? null;
    if (patch.background !== undefined) next.background = patch.background?.toLowerCase() ?? null;
    if (patch.logoUrl !== undefined) next.logoUrl = patch.logoUrl;
    // Stored only when the studio chose a set of its own: absent is the default one.
    if (patch.reactions === null) delete next.reactions;
    else if (patch.reactions !== undefined) next.reactions = patch.reactions;
    res.json(await save(event, next));
  });

  /** Upload and use a logo in one step: the image as the body, SVG or PNG only. */
  r.put('/api/events/:id/brand/logo', async (req, res) => {
    const { event, type } = await authoriseUpload(deps, req, res, LOGO_TYPES);
    const body = await readImageBody(req, res, MEDIA_MAX_BYTES);
    const uploaded = await media.save(event.id, type, body, LOGO_TYPES);
    const saved = await save(event, { ...event.brand, logoUrl: uploaded.url });
    res.json({ ...saved, logo: uploaded });
  });

  /** The printable QR poster's content: public, like the event itself. */
  r.get('/api/events/:code/poster', async (req, res) => {
    const event = await eventByCode(store, req.params.code);
    const model = await store.models.get(event.id);
    const view: PosterView = { event: toPublicEvent(event), vehicle: { name: vehicleOf(event, model).name }, viewerUrl: `${deps.publicUrl()}/e/${event.code}` };
    res.set('cache-control', 'no-store').json(view);
  });

  return r;
}
