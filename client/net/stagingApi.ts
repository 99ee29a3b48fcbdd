import type { Vehicle, VehicleSetup } from '../../shared/vehicle.js';
import { keyedJson } from './api.js';

/** `GET /api/events/:id/vehicle`: what the studio's staging editor starts from. */
export interface StagingView {
  setup: VehicleSetup;
  /** false: nothing stored yet, the setup is the defaults written out. */
  staged: boolean;
  vehicle: Vehicle;
  /** The uploaded model's materials (empty with the demo car). */
  materials: { name: string; color: string }[];
  /** The model's own `KHR_materials_variants`. */
  modelVariants: { name: string; color: string }[];
  hotspotOpens: Record<string, { opens: number; viewers: number }>;
}

export type StagingSaved = Pick<StagingView, 'setup' | 'staged' | 'vehicle'>;

/** `POST /api/events/:id/media` → an image a hotspot may show. */
export interface MediaUpload {
  url: string;
  width: number;
  height: number;
  bytes: number;
}

const vehiclePath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/vehicle`;

/** The event's staging (host key or admin token). */
export const stagingApi = {
  load: (eventId: string, key: string) => keyedJson<StagingView>(vehiclePath(eventId), key),
  /** `400 invalid_payload` comes back as an `ApiIssuesError` naming the fields. */
  save: (eventId: string, key: string, setup: VehicleSetup) =>
    keyedJson<StagingSaved>(vehiclePath(eventId), key, { method: 'PUT', body: JSON.stringify(setup), contentType: 'application/json' }),
  reset: (eventId: string, key: string) => keyedJson<StagingSaved>(vehiclePath(eventId), key, { method: 'DELETE' }),
  /** The image's bytes as they are (PNG, JPEG or WebP, ≤ 2 MB); the server checks them. */
  uploadImage: (eventId: string, key: string, file: Blob) =>
    keyedJson<MediaUpload>(`/api/events/${encodeURIComponent(eventId)}/media`, key, { method: 'POST', body: file, contentType: file.type }),
};
