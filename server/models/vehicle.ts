import { DEMO_VEHICLE, type Vehicle } from '../../shared/vehicle.js';
import type { ModelRecord } from '../store/types.js';

/** Where viewers download an event's model: `GET /models/<eventId>/<content hash>.glb`. */
export function modelPath(model: Pick<ModelRecord, 'eventId' | 'optimised'>): string {
  return `/models/${encodeURIComponent(model.eventId)}/${model.optimised.file}`;
}

/**
 * What `state.event.vehicle` says: the uploaded model when there is one, else the demo car.
 * The demo's paint variants stay until the studio can define a model's own (issue 5, later).
 */
export function vehicleOf(model: ModelRecord | null): Vehicle {
  if (!model) return DEMO_VEHICLE;
  return { ...DEMO_VEHICLE, name: model.name, modelUrl: modelPath(model), modelBounds: model.bounds };
}
