import type { KeyRef, KeyView } from '../../shared/access.js';
import { isKeyLoss, type KeyLoss } from '../../shared/keyLoss.js';
import type { EventCreated, EventPublic } from '../../shared/event.js';
import type { ValidationIssue } from '../../shared/errors.js';
import type { DealerAdmin, DealerPublic, EventPrivacy, EventSettings, EventSettingsSaved, Lead, LeadQuery } from '../../shared/lead.js';
import type { ModelView } from '../../shared/model.js';
import type { EventReport } from '../../shared/report.js';
import type { Replay } from '../../shared/replay.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A 401's `reason`: the key was good once (`key_revoked`, `key_expired`). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** The link worked once and no longer does (revoked or replaced, or expired); null for any other failure. */
export const keyLossOf = (err: unknown): KeyLoss | null => (err instanceof ApiError && err.status === 401 && isKeyLoss(err.reason) ? err.reason : null);

async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; reason?: string } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? res.statusText, body?.error?.reason);
  return body as T;
}

export const api = {
  eventByCode: (code: string) => request<EventPublic>(`/api/events/${encodeURIComponent(code)}`),
  /** The recorded presentation of an ended event (409 `not_live` before its end). */
  replay: (code: string) => request<Replay>(`/api/replay/${encodeURIComponent(code)}`),
  listEvents: (token: string) => request<{ events: EventCreated[] }>('/api/events', { token }),
  createEvent: (token: string, body: { title: string; startsAt?: string; locale?: 'fr' | 'en' }) =>
    request<EventCreated>('/api/events', { method: 'POST', token, body: JSON.stringify(body) }),
};

export interface HostView {
  event: EventPublic;
  links: { viewer: string };
}

export const hostView = (eventId: string, hostKey: string) =>
  request<HostView>(`/api/events/${encodeURIComponent(eventId)}/host`, { token: hostKey });

// ── Leads, dealers and privacy (issue 4) ────────────────────────────────────────────────────

/** A `400 invalid_payload` that says which fields (or CSV lines) are wrong. */
export class ApiIssuesError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly issues: ValidationIssue[],
  ) {
    super(status, code, message);
  }
}

/**
 * `request` for bodies that are not JSON (a CSV import, an image) and answers that are not JSON
 * (a CSV download, a 204): the key always travels in the header, never in the URL (null: a
 * public call). A refusal becomes an `ApiError`, or an `ApiIssuesError` naming the fields.
 */
export async function keyedFetch(path: string, key: string | null, init: { method?: string; body?: BodyInit; contentType?: string; keepalive?: boolean } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body, ...(init.keepalive ? { keepalive: true } : {}) });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (res.ok) return res;
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; issues?: ValidationIssue[]; reason?: string } } | null;
  // A proxy's own 413 page has no JSON body: it still means the file is too large.
  const code = body?.error?.code ?? (res.status === 413 ? 'too_large' : 'internal');
  const message = body?.error?.message ?? res.statusText;
  throw body?.error?.issues ? new ApiIssuesError(res.status, code, message, body.error.issues) : new ApiError(res.status, code, message, body?.error?.reason);
}

export const keyedJson = async <T>(path: string, key: string | null, init?: Parameters<typeof keyedFetch>[2]): Promise<T> => (await keyedFetch(path, key, init)).json() as Promise<T>;

const eventPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

function leadQueryString(query: LeadQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** `GET /api/events/:id/dealer`: what the dealer page shows around the leads. */
export interface DealerView {
  event: EventPublic;
  scope: { kind: 'all' } | { kind: 'dealer'; dealerId: string; name: string };
  dealers: { id: string; name: string }[];
  /** The key may erase leads (the host key): the page offers "Effacer les données". */
  canErase?: boolean;
}

export type LeadDownloadFormat = 'excel' | 'csv' | 'json';

/** The dealer page: key = the event's dealer key, the host key or one dealer's own key. */
export const dealerInbox = {
  view: (eventId: string, key: string) => keyedJson<DealerView>(`${eventPath(eventId)}/dealer`, key),
  leads: (eventId: string, key: string, query: LeadQuery = {}) => keyedJson<{ leads: Lead[] }>(`${eventPath(eventId)}/leads${leadQueryString(query)}`, key),
  /** Gives a lead without a dealer to one (the event's dealer key or the host key). */
  assign: (eventId: string, leadId: string, dealerId: string, key: string) =>
    keyedJson<{ lead: Lead }>(`${eventPath(eventId)}/leads/${encodeURIComponent(leadId)}/assign`, key, { method: 'POST', body: JSON.stringify({ dealerId }) }),
  /** `keepalive`: sent as the page goes away (the inbox's undo window was still open). */
  markContacted: (eventId: string, leadId: string, key: string, keepalive = false) =>
    keyedJson<{ lead: Lead }>(`${eventPath(eventId)}/leads/${encodeURIComponent(leadId)}/contacted`, key, { method: 'POST', keepalive }),
  /** Erases the person's data for good (host key). An unknown id (already erased) is `404`. */
  erase: async (eventId: string, leadId: string, key: string): Promise<void> => {
    await keyedFetch(`${eventPath(eventId)}/leads/${encodeURIComponent(leadId)}`, key, { method: 'DELETE' });
  },
  /** The file's bytes, fetched with the key in the header; the page saves it. */
  download: async (eventId: string, key: string, format: LeadDownloadFormat, query: LeadQuery): Promise<Blob> => {
    if (format === 'json') {
      const res = await keyedFetch(`${eventPath(eventId)}/leads${leadQueryString(query)}`, key);
      return new Blob([JSON.stringify(await res.json(), null, 2)], { type: 'application/json' });
    }
    const res = await keyedFetch(`${eventPath(eventId)}/leads.csv${leadQueryString(query, format === 'excel' ? { sep: 'semicolon', labels: 'fr' } : {})}`, key);
    return res.blob();
  },
};

/** The studio's dealer directory and privacy settings of one event (admin token). */
export const eventLeadSettings = {
  directory: (eventId: string, token: string) => keyedJson<{ dealers: DealerAdmin[] }>(`${eventPath(eventId)}/directory`, token),
  importCsv: (eventId: string, token: string, csv: string) =>
    keyedJson<{ dealers: DealerAdmin[]; imported: number; ignoredColumns: string[] }>(`${eventPath(eventId)}/directory`, token, { method: 'PUT', body: csv, contentType: 'text/csv' }),
  /** Create or edit one dealer: the raw form values, the server validates (`DealerInput`). */
  saveDealer: (eventId: string, token: string, dealer: { id: string } & Record<string, unknown>) =>
    keyedJson<{ dealer: DealerAdmin }>(`${eventPath(eventId)}/directory/${encodeURIComponent(dealer.id)}`, token, { method: 'PUT', body: JSON.stringify(dealer) }),
  deleteDealer: async (eventId: string, token: string, dealerId: string): Promise<void> => {
    await keyedFetch(`${eventPath(eventId)}/directory/${encodeURIComponent(dealerId)}`, token, { method: 'DELETE' });
  },
  privacy: (code: string) => request<EventPrivacy>(`/api/events/${encodeURIComponent(code)}/privacy`),
  saveSettings: (eventId: string, token: string, settings: EventSettings) => keyedJson<EventSettingsSaved>(eventPath(eventId), token, { method: 'PATCH', body: JSON.stringify(settings) }),
};

/** Where the dealer list is measured from: the viewer's position, their postcode, or nothing (by name). */
export type DealerOrigin = { postcode: string } | { lat: number; lng: number } | null;

export interface DealerDirectory {
  origin: { lat: number; lng: number; from: 'position' | 'postcode' } | null;
  dealers: DealerPublic[];
}

/** The lead form's dealer list (public: no emails, no keys), nearest first when an origin is given. */
export function eventDealers(eventId: string, near: DealerOrigin, signal?: AbortSignal): Promise<DealerDirectory> {
  const q = new URLSearchParams();
  if (near && 'postcode' in near) q.set('postcode', near.postcode);
  if (near && 'lat' in near) {
    // Three decimals (~100 m) is plenty to sort dealers and says less about where someone lives.
    q.set('lat', near.lat.toFixed(3));
    q.set('lng', near.lng.toFixed(3));
  }
  const qs = q.toString() ? `?${q.toString()}` : '';
  return request<DealerDirectory>(`/api/events/${encodeURIComponent(eventId)}/dealers${qs}`, signal ? { signal } : {});
}

// ── Capability keys (issue 8) ───────────────────────────────────────────────────────────────

const keyPath = (eventId: string, ref: KeyRef) => `${eventPath(eventId)}/keys/${encodeURIComponent(ref)}`;

/** The studio's "Accès" panel (admin token): every key of an event, and what it may do to each. */
export const eventKeys = {
  list: (eventId: string, token: string) => keyedJson<{ keys: KeyView[] }>(`${eventPath(eventId)}/keys`, token),
  rotate: (eventId: string, token: string, ref: KeyRef) => keyedJson<{ key: KeyView }>(`${keyPath(eventId, ref)}/rotate`, token, { method: 'POST', body: '{}' }),
  revoke: (eventId: string, token: string, ref: KeyRef) => keyedJson<{ key: KeyView }>(keyPath(eventId, ref), token, { method: 'DELETE' }),
  setExpiry: (eventId: string, token: string, ref: KeyRef, expiresAt: string | null) =>
    keyedJson<{ key: KeyView }>(`${keyPath(eventId, ref)}/expiry`, token, { method: 'PUT', body: JSON.stringify({ expiresAt }) }),
};

// ── The launch report (issue 7) ─────────────────────────────────────────────────────────────

/** `GET /api/events/:id/report` (host key or admin token): computed from the store at each call. */
export const eventReport = (eventId: string, key: string) => keyedJson<EventReport>(`${eventPath(eventId)}/report`, key);

// ── Models (issue 5) ────────────────────────────────────────────────────────────────────────

/** The event's current model (null: the demo car) and the largest upload the server takes. */
export const eventModel = (eventId: string, token: string) => keyedJson<{ model: ModelView | null; maxBytes: number }>(`${eventPath(eventId)}/model`, token);

/** A refused model: the validator's findings, each with its code and where in the file. */
export interface ModelIssue {
  code: string;
  message: string;
  pointer?: string;
}

export class ModelUploadError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly issues: ModelIssue[],
  ) {
    super(status, code, message);
  }
}

/** By the file's extension (browsers often give .glb no type); the server reads the bytes anyway. */
export function modelContentType(fileName: string): string | null {
  if (/\.glb$/i.test(fileName)) return 'model/gltf-binary';
  if (/\.gltf$/i.test(fileName)) return 'model/gltf+json';
  return null;
}

/**
 * Uploads a model with XMLHttpRequest, the one browser API that reports upload progress
 * (`onProgress`, 0–1; then the server checks and optimises, which it does not report).
 */
export function uploadModel(eventId: string, token: string, file: File, onProgress: (sent: number) => void): { done: Promise<ModelView>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ModelView>((resolve, reject) => {
    // No `?name=`: the vehicle takes the launch's title, not the file's name ("jeep",
    // "model_final_v3"); the staging's name field renames it.
    xhr.open('POST', `${eventPath(eventId)}/model`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', modelContentType(file.name) ?? 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { model?: ModelView; error?: { code: string; message: string; issues?: ModelIssue[] } } | null;
      if (xhr.status === 201 && body?.model) return resolve(body.model);
      const error = body?.error;
      reject(new ModelUploadError(xhr.status, error?.code ?? 'internal', error?.message ?? xhr.statusText, error?.issues ?? []));
    };
    // A refused upload may be cut off before its answer can be read (413 while still sending).
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
