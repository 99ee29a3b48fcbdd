import type { ValidationIssue } from '../../shared/errors.js';
import type { Vehicle, VehicleSetup } from '../../shared/vehicle.js';
import { ApiError, ApiIssuesError } from './api.js';

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

/** The key always travels in the header (CONTRACT.md), never in the URL. */
async function send<T>(path: string, key: string, init: { method?: string; body?: BodyInit; contentType?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${key}` };
  if (init.contentType) headers['content-type'] = init.contentType;
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body ?? null });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; issues?: ValidationIssue[] } } | null;
  if (res.ok) return body as T;
  const code = body?.error?.code ?? (res.status === 413 ? 'too_large' : 'internal');
  const message = body?.error?.message ?? res.statusText;
  throw body?.error?.issues ? new ApiIssuesError(res.status, code, message, body.error.issues) : new ApiError(res.status, code, message);
}

/** The event's staging (host key or admin token). */
export const stagingApi = {
  load: (eventId: string, key: string) => send<StagingView>(vehiclePath(eventId), key),
  /** `400 invalid_payload` comes back as an `ApiIssuesError` naming the fields. */
  save: (eventId: string, key: string, setup: VehicleSetup) =>
    send<StagingSaved>(vehiclePath(eventId), key, { method: 'PUT', body: JSON.stringify(setup), contentType: 'application/json' }),
  reset: (eventId: string, key: string) => send<StagingSaved>(vehiclePath(eventId), key, { method: 'DELETE' }),
  /** The image's bytes as they are (PNG, JPEG or WebP, ≤ 2 MB); the server checks them. */
  uploadImage: (eventId: string, key: string, file: Blob) =>
    send<MediaUpload>(`/api/events/${encodeURIComponent(eventId)}/media`, key, { method: 'POST', body: file, contentType: file.type }),
};
