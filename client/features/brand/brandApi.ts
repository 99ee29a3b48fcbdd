import type { EventBrand } from '../../../shared/brand.js';
import type { ValidationIssue } from '../../../shared/errors.js';
import type { BrandUpdate, MediaUploaded, PosterView } from '../../../shared/media.js';
import { ApiError, ApiIssuesError } from '../../net/api.js';

/** Brand, media and poster calls; the key (host key or admin token) always in the header. */
async function call<T>(path: string, init: { method?: string; key?: string; body?: BodyInit; type?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.type) headers['content-type'] = init.type;
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; issues?: ValidationIssue[] } } | null;
  if (res.ok) return body as T;
  const code = body?.error?.code ?? (res.status === 413 ? 'too_large' : 'internal');
  const message = body?.error?.message ?? res.statusText;
  throw body?.error?.issues ? new ApiIssuesError(res.status, code, message, body.error.issues) : new ApiError(res.status, code, message);
}

const eventPath = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;

export const brandApi = {
  /** Only the fields given change; null resets one to Vitrine's look. */
  patch: (eventId: string, key: string, patch: BrandUpdate) =>
    call<{ brand: EventBrand }>(`${eventPath(eventId)}/brand`, { method: 'PATCH', key, body: JSON.stringify(patch), type: 'application/json' }),
  /** Uploads an SVG or PNG logo and makes it the brand's logo. */
  putLogo: (eventId: string, key: string, file: Blob) =>
    call<{ brand: EventBrand; logo: MediaUploaded }>(`${eventPath(eventId)}/brand/logo`, { method: 'PUT', key, body: file, type: file.type }),
  /** Any event image (PNG, JPEG, WebP, SVG): answers where it is served. */
  uploadMedia: (eventId: string, key: string, file: Blob) =>
    call<MediaUploaded>(`${eventPath(eventId)}/media`, { method: 'POST', key, body: file, type: file.type }),
  /** What the printable poster shows (public). */
  poster: (code: string) => call<PosterView>(`/api/events/${encodeURIComponent(code)}/poster`),
};
