import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import type { EventCreated } from '../../shared/event.js';
import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';

/** Every page a test opens fails the test on a page error or a console error. */
export function watchErrors(page: Page, into: string[], expected: RegExp[]): Page {
  page.on('pageerror', (err) => into.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && !expected.some((re) => re.test(text))) into.push(`console.error: ${text}`);
  });
  return page;
}

// Scale 1: WebGL renders in software here, and four times the pixels only slows the test.
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1, locale: 'fr-FR' };
export const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'fr-FR' };

interface Fixtures {
  errors: string[];
  /** Console errors a test provokes on purpose (the browser logs a refused request, e.g. a 403). */
  expectedErrors: RegExp[];
  newPage: (options: BrowserContextOptions) => Promise<Page>;
  createEvent: (body?: { title?: string; startsAt?: string }) => Promise<EventCreated>;
}

export const test = base.extend<Fixtures>({
  errors: async ({}, use) => {
    const errors: string[] = [];
    await use(errors);
    expect(errors, 'page errors and console errors').toEqual([]);
  },
  expectedErrors: async ({}, use) => {
    await use([]);
  },
  newPage: async ({ browser, errors, expectedErrors }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options) => {
      const ctx = await browser.newContext(options);
      contexts.push(ctx);
      return watchErrors(await ctx.newPage(), errors, expectedErrors);
    });
    for (const c of contexts) await c.close();
  },
  createEvent: async ({ request }, use) => {
    await use(async (body = {}) => {
      const res = await request.post('/api/events', {
        headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
        data: { title: body.title ?? 'Lancement Aura EV', ...(body.startsAt ? { startsAt: body.startsAt } : {}) },
      });
      expect(res.status()).toBe(201);
      return (await res.json()) as EventCreated;
    });
  },
});

export { expect };

/** Drags across the middle of an element, in small steps like a hand would. */
export async function drag(page: Page, selector: string, dx: number, dy = 0): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x + (dx * i) / 8, y + (dy * i) / 8);
  await page.mouse.up();
}

export async function azimuth(page: Page): Promise<number> {
  const v = await page.getByTestId('stage').getAttribute('data-camera-azimuth');
  if (v === null) throw new Error('stage has no camera probe yet');
  return Number(v);
}

/** Smallest angle between two azimuths, in degrees. */
export const angleBetween = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

/** A directory of one dealer in Lyon, as a French Excel exports it (`PUT …/directory`). */
export const LYON_DEALER_CSV = [
  'id;nom;adresse;code postal;ville;latitude;longitude;email;téléphone',
  'lyon-1;Garage du Rhône;12 quai Perrache;69002;Lyon;45,7490;4,8260;contact@garage-rhone.fr;04 78 00 00 00',
].join('\r\n');

/** Whether two boxes on the page (Playwright's `boundingBox()`) share any pixel. */
export function boxesOverlap(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The presenter, as a socket: drives the event without a WebGL page (`emit` resolves on an ok ack). */
export async function presenter(baseURL: string, ev: EventCreated) {
  const host = io(baseURL, { auth: { code: ev.code, role: 'host', key: ev.hostKey }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    host.once('state', () => resolve());
    host.once('connect_error', reject);
  });
  const emit = (event: string, payload: unknown) =>
    new Promise<void>((resolve, reject) => host.emit(event as 'event:start', payload as never, (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error(`${event} refused`)))));
  /** Fire and forget, as the console sends its camera. */
  const pose = (p: { position: number[]; target: number[]; fov?: number; t: number }) => host.emit('camera:set', p as never);
  return { emit, pose, socket: host, close: () => host.disconnect() };
}

/** Starts the event as its presenter would (and picks a paint), without a second WebGL page on two cores. */
export async function goLive(baseURL: string, ev: EventCreated, variant?: string): Promise<void> {
  const host = io(baseURL, { auth: { code: ev.code, role: 'host', key: ev.hostKey }, transports: ['websocket'], reconnection: false });
  const emit = (event: string, payload: unknown) =>
    new Promise<void>((resolve, reject) => host.emit(event as 'event:start', payload as never, (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error(`${event} refused`)))));
  try {
    await new Promise<void>((resolve, reject) => {
      host.once('state', () => resolve());
      host.once('connect_error', reject);
    });
    await emit('event:start', {});
    if (variant) await emit('variant:set', { id: variant });
  } finally {
    host.disconnect();
  }
}
