import type { Page, Response } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { DESKTOP, expect, test } from './fixtures.js';

/** Sources a CSP of ours may list: keywords and our own schemes, never a host. */
const OWN_SOURCES = new Set(["'self'", "'none'", "'unsafe-inline'", "'wasm-unsafe-eval'", 'data:', 'blob:']);

/** Every URL a page asks for (documents, scripts, API calls, models, its socket), and the Referer each carried. */
function recordRequests(page: Page): { url: string; referer: string | undefined }[] {
  const seen: { url: string; referer: string | undefined }[] = [];
  page.on('request', (r) => seen.push({ url: r.url(), referer: r.headers()['referer'] }));
  page.on('websocket', (ws) => seen.push({ url: ws.url(), referer: undefined }));
  return seen;
}

function expectOwnHeaders(res: Response | null): void {
  expect(res, 'the page answered').not.toBeNull();
  const headers = res!.headers();
  expect(headers['referrer-policy']).toBe('no-referrer');
  const sources = headers['content-security-policy']!.split(';').flatMap((d) => d.trim().split(/\s+/).slice(1));
  expect(sources.length).toBeGreaterThan(10);
  expect(sources.filter((s) => !OWN_SOURCES.has(s)), 'third-party origins in the CSP').toEqual([]);
}

test('pages that carry keys load nothing from another origin, leak no key in a URL and send no Referer', async ({ newPage, createEvent, baseURL, request }) => {
  test.setTimeout(90_000); // the console renders its stage in software
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const own = new URL(baseURL!);
  const pages = [
    { path: ev.links.host.slice(ev.links.host.indexOf('/host/')), ready: (p: Page) => p.getByRole('button', { name: 'Démarrer le direct' }) },
    { path: ev.links.dealer.slice(ev.links.dealer.indexOf('/dealer/')), ready: (p: Page) => p.getByRole('heading', { name: 'Demandes reçues' }) },
    { path: `/report/${ev.id}#key=${ev.hostKey}`, ready: (p: Page) => p.getByRole('heading', { name: 'Lancement Aura EV' }) },
    { path: `/studio#token=${E2E_ADMIN_TOKEN}`, ready: (p: Page) => p.getByRole('listitem').filter({ hasText: ev.code }) },
  ];
  for (const { path, ready } of pages) {
    const page = await newPage(DESKTOP);
    const requests = recordRequests(page);
    expectOwnHeaders(await page.goto(path));
    await expect(ready(page).first()).toBeVisible();
    await page.waitForLoadState('networkidle');

    expect(requests.length, path).toBeGreaterThan(3);
    for (const { url, referer } of requests) {
      const u = new URL(url);
      if (u.protocol === 'data:' || u.protocol === 'blob:') continue;
      expect(u.host, `${path} asked ${url}`).toBe(own.host);
      expect(referer ?? '', `${url} carried a Referer`).toBe(''); // Chromium shows a withheld one as empty
    }
    // Keys stay in the fragment and in Authorization: never in a URL a proxy would log.
    const asked = requests.map((r) => r.url).join('\n');
    for (const secret of [ev.hostKey, ev.dealerKey, E2E_ADMIN_TOKEN]) expect(asked).not.toContain(secret);
    await page.close();
  }

  // API answers carry the same headers (a JSON body opened as a page gets the same protection).
  const api = await request.get(`/api/events/${ev.code}`);
  expect(api.headers()['referrer-policy']).toBe('no-referrer');
  expect(api.headers()['content-security-policy']).toContain("default-src 'self'");
});
