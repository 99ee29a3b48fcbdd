/** A random id the browser keeps: the same person across reloads and reconnects (CONTRACT.md). */
const VIEWER_ID_KEY = 'vitrine.viewerId';

export function viewerId(): string {
  try {
    const existing = localStorage.getItem(VIEWER_ID_KEY);
    if (existing && /^[A-Za-z0-9_-]{8,64}$/.test(existing)) return existing;
    const fresh = randomId();
    localStorage.setItem(VIEWER_ID_KEY, fresh);
    return fresh;
  } catch {
    return randomId();
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Capability keys arrive in the fragment (`#key=…`), which browsers never send to a server. */
export function fragmentParam(name: string): string | null {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get(name);
}
