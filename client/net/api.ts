import type { EventCreated, EventPublic } from '../../shared/event.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? res.statusText);
  return body as T;
}

export const api = {
  eventByCode: (code: string) => request<EventPublic>(`/api/events/${encodeURIComponent(code)}`),
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
