import { json, Router, text } from 'express';
import { z } from 'zod';
import { DealerInput, EventSettings, type DealerAdmin, type DealerPublic, type EventPrivacy, type EventSettingsSaved } from '../../shared/lead.js';
import { postcodeLocation, sortByDistance, type LatLng } from '../geo/geo.js';
import { parseDealerCsv } from '../leads/dealerCsv.js';
import { newKey } from '../keys.js';
import { keyStatus, ownKeyState } from '../access/check.js';
import type { DealerHub } from '../realtime/dealers.js';
import type { DealerRecord, Store } from '../store/types.js';
import { HttpError, parseBody } from './errors.js';
import { eventByCode } from './events.routes.js';
import { requireScope } from './auth.js';

interface Deps {
  store: Store;
  adminToken: string;
  publicUrl: () => string;
  dealers: DealerHub;
}

const toPublic = (d: DealerRecord): DealerPublic => ({ id: d.id, name: d.name, address: d.address, postcode: d.postcode, city: d.city, phone: d.phone ?? null });

const NearQuery = z.object({
  postcode: z.string().trim().max(10).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
});

const DealerList = z.object({ dealers: z.array(z.unknown()).max(5_000, 'at most 5,000 dealers') });

/** The dealer directory (studio), the viewer's dealer picker, and the privacy settings. */
export function dealersRouter({ store, adminToken, publicUrl, dealers: hub }: Deps): Router {
  const r = Router();
  const editors = ['host', 'admin'] as const;
  const toAdmin = (d: DealerRecord): DealerAdmin => ({
    ...toPublic(d),
    latitude: d.latitude,
    longitude: d.longitude,
    email: d.email,
    key: d.key,
    // The key travels in the fragment, never in a path or query a server would log.
    link: `${publicUrl()}/dealer/${d.eventId}#key=${d.key}`,
    keyStatus: keyStatus(ownKeyState(d), new Date()),
  });

  /** Public: the lead form's dealer picker, nearest first when the viewer said where they are. */
  r.get('/api/events/:id/dealers', async (req, res) => {
    const event = await store.events.findById(req.params.id);
    if (!event) throw new HttpError(404, 'not_found', 'No such event.');
    const near = parseBody(NearQuery, req.query);
    let origin: (LatLng & { from: 'position' | 'postcode' }) | null = null;
    if (near.lat !== undefined && near.lng !== undefined) origin = { lat: near.lat, lng: near.lng, from: 'position' };
    else if (near.postcode) {
      const at = postcodeLocation(near.postcode);
      if (at) origin = { ...at, from: 'postcode' };
    }
    const list = await store.dealers.list(event.id);
    const dealers = origin ? sortByDistance(list, origin).map((d) => ({ ...toPublic(d), distanceKm: d.distanceKm })) : list.map(toPublic);
    res.set('cache-control', 'no-store').json({ origin, dealers });
  });

  r.get('/api/events/:id/directory', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, [...editors]);
    res.set('cache-control', 'no-store').json({ dealers: (await store.dealers.list(event.id)).map(toAdmin) });
  });

  /** Import: a CSV file or JSON; upsert by id, all or nothing, every bad row reported at once. */
  r.put('/api/events/:id/directory', text({ type: ['text/csv', 'text/plain'], limit: '1mb' }), json({ limit: '1mb' }), async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, [...editors]);
    let dealers: DealerInput[];
    let ignoredColumns: string[] = [];
    if (typeof req.body === 'string') {
      const parsed = parseDealerCsv(req.body);
      if (!parsed.ok) throw new HttpError(400, 'invalid_payload', 'The dealer file has errors; nothing was imported.', parsed.issues);
      dealers = parsed.dealers;
      ignoredColumns = parsed.ignoredColumns;
    } else {
      const body = parseBody(DealerList, req.body);
      dealers = parseBody(z.array(DealerInput), body.dealers);
      const ids = new Set<string>();
      for (const [i, d] of dealers.entries()) {
        if (ids.has(d.id)) throw new HttpError(400, 'invalid_payload', 'Two dealers have the same id.', [{ path: ['dealers', i, 'id'], message: 'duplicate id' }]);
        ids.add(d.id);
      }
    }
    const stored = await store.dealers.upsertMany(event.id, dealers, newKey, new Date().toISOString());
    res.json({ imported: stored.length, dealers: (await store.dealers.list(event.id)).map(toAdmin), ignoredColumns });
  });

  r.put('/api/events/:id/directory/:dealerId', json({ limit: '16kb' }), async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, [...editors]);
    const input = parseBody(DealerInput, req.body);
    if (input.id !== req.params.dealerId) throw new HttpError(400, 'invalid_payload', 'The id in the body must match the path.', [{ path: ['id'], message: 'must match the path' }]);
    const [dealer] = await store.dealers.upsertMany(event.id, [input], newKey, new Date().toISOString());
    res.json({ dealer: toAdmin(dealer!) });
  });

  r.delete('/api/events/:id/directory/:dealerId', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, [...editors]);
    const id = req.params.dealerId;
    // Its key is rotated away first (the old hash joins the retired keys), so the deleted
    // garage's link answers "no longer valid" (401 key_revoked) rather than "wrong" (403). A
    // crash between the two leaves the dealer listed with a key nobody has: delete again.
    if (!(await store.keys.rotate(event.id, `dealer:${id}`, newKey(), null, new Date().toISOString()))) throw new HttpError(404, 'not_found', 'No such dealer.');
    if (!(await store.dealers.remove(event.id, id))) throw new HttpError(404, 'not_found', 'No such dealer.');
    hub.revoke(event.id, id);
    res.status(204).end();
  });

  r.patch('/api/events/:id', json({ limit: '64kb' }), async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, [...editors]);
    const settings = parseBody(EventSettings, req.body);
    const updated = await store.events.updateSettings(event.id, settings);
    if (!updated) throw new HttpError(404, 'not_found', 'No such event.');
    const saved: EventSettingsSaved = { privacyNotice: updated.privacyNotice, privacyContact: updated.privacyContact, retentionMonths: updated.retentionMonths };
    res.json(saved);
  });

  r.get('/api/events/:code/privacy', async (req, res) => {
    const event = await eventByCode(store, req.params.code);
    const privacy: EventPrivacy = { title: event.title, privacyNotice: event.privacyNotice, privacyContact: event.privacyContact, retentionMonths: event.retentionMonths, brand: event.brand };
    res.json(privacy);
  });

  return r;
}
