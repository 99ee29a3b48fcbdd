import { json, Router } from 'express';
import { VehicleSetup } from '../../shared/vehicle.js';
import { setupOf, setupProblems, vehicleOf } from '../models/vehicle.js';
import type { Store } from '../store/types.js';
import { HttpError, parseBody } from './errors.js';
import { requireScope } from './auth.js';

interface Deps {
  store: Store;
  adminToken: string;
  /** Tells open pages (viewers, presenters) that the vehicle changed. */
  onStaged: (eventId: string) => Promise<void>;
}

/** The studio stages the vehicle: paints, hotspots and chapters (host key or admin token). */
export function vehicleRouter({ store, adminToken, onStaged }: Deps): Router {
  const r = Router();

  /** What the studio edits from: the staging (stored or default), what viewers get, and what the model offers. */
  r.get('/api/events/:id/vehicle', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
    const [model, opens] = await Promise.all([store.models.get(event.id), store.hotspotOpens.counts(event.id)]);
    res.set('cache-control', 'no-store').json({
      setup: setupOf(event, model),
      staged: event.stage !== null,
      vehicle: vehicleOf(event, model),
      materials: model?.details.materials ?? [],
      modelVariants: model?.details.variants ?? [],
      hotspotOpens: opens,
    });
  });

  r.put('/api/events/:id/vehicle', json({ limit: '256kb' }), async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
    const setup = parseBody(VehicleSetup, req.body);
    const model = await store.models.get(event.id);
    const problems = setupProblems(event.id, setup, model);
    if (problems.length) throw new HttpError(400, 'invalid_payload', problems[0]!.message, problems);
    const saved = await store.events.updateSettings(event.id, { stage: setup });
    if (!saved) throw new HttpError(404, 'not_found', 'No such event.');
    await onStaged(event.id);
    res.json({ setup, staged: true, vehicle: vehicleOf(saved, model) });
  });

  /** Back to the defaults (the model's own variants, no hotspots, the four-view agenda). */
  r.delete('/api/events/:id/vehicle', async (req, res) => {
    const { event } = await requireScope(store, adminToken, req, ['host', 'admin']);
    const saved = await store.events.updateSettings(event.id, { stage: null });
    if (!saved) throw new HttpError(404, 'not_found', 'No such event.');
    await onStaged(event.id);
    const model = await store.models.get(event.id);
    res.json({ setup: setupOf(saved, model), staged: false, vehicle: vehicleOf(saved, model) });
  });

  return r;
}
