import type { EventBrand } from '../../../shared/brand.js';
import type { BrandUpdate, MediaUploaded, PosterView } from '../../../shared/media.js';
import { keyedJson } from '../../net/api.js';

/** Brand, media and poster calls; the key (host key or admin token) always in the header. */
const call = <T>(path: string, init: { method?: string; key?: string; body?: BodyInit; type?: string } = {}): Promise<T> =>
  keyedJson<T>(path, init.key ?? null, { method: init.method, body: init.body, contentType: init.type });

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
