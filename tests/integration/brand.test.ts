import sharp from 'sharp';
import { io as connectClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBrand } from '../../shared/brand.js';
import type { EventCreated, EventPublic } from '../../shared/event.js';
import type { MediaUploaded, PosterView } from '../../shared/media.js';
import { DEALER_NAMESPACE } from '../../shared/events.js';
import { DEFAULT_REACTIONS } from '../../shared/qa.js';
import { ask, collect, next, startServer, type TestServer } from './harness.js';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40" fill="#e4002b"/></svg>';

function patch(event: EventCreated, body: unknown, key: string | null = event.hostKey) {
  return fetch(`${server.url}/api/events/${event.id}/brand`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

function putLogo(event: EventCreated, body: Uint8Array | string, type: string, key = event.hostKey) {
  return fetch(`${server.url}/api/events/${event.id}/brand/logo`, { method: 'PUT', headers: { 'content-type': type, authorization: `Bearer ${key}` }, body: body as BodyInit });
}

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function issuesOf(res: Response) {
  const body = await json<{ error: { code: string; issues?: { path: (string | number)[]; message: string }[] } }>(res, 400);
  expect(body.error.code).toBe('invalid_payload');
  return body.error.issues ?? [];
}

describe('event branding', () => {
  it('a patch reaches open pages live (brand:changed), the public event and a late joiner', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const { socket: viewer, state } = await server.join({ code: event.code, role: 'viewer' });
    expect(state.event.brand).toEqual({ name: null, logoUrl: null, accent: null, background: null });
    const { socket: host } = await server.join({ code: event.code, role: 'host', key: event.hostKey });

    // A dealer's inbox is not in the room: it hears the change on /dealers.
    const inbox = connectClient(`${server.url}${DEALER_NAMESPACE}`, { auth: { eventId: event.id, key: event.dealerKey }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      inbox.once('connect', resolve);
      inbox.once('connect_error', reject);
    });
    const pushedToViewer = next(viewer, 'brand:changed');
    const pushedToHost = next(host, 'brand:changed');
    const pushedToInbox = next(inbox, 'brand:changed');
    const answer = await json<{ brand: EventBrand }>(await patch(event, { name: '  Aura Motors ', accent: '#E4002B' }));
    const expected = { name: 'Aura Motors', logoUrl: null, accent: '#e4002b', background: null };
    expect(answer.brand).toEqual(expected);
    expect(await pushedToViewer).toEqual(expected);
    expect(await pushedToHost).toEqual(expected);
    expect(await pushedToInbox).toEqual(expected);
    inbox.close();

    // Only the fields given change; null puts one back to Vitrine's look.
    const second = await json<{ brand: EventBrand }>(await patch(event, { background: '#101820', accent: null }, server.adminToken));
    expect(second.brand).toEqual({ ...expected, accent: null, background: '#101820' });

    const pub = await json<EventPublic>(await fetch(`${server.url}/api/events/${event.code}`));
    expect(pub.brand).toEqual(second.brand);
    const late = await server.join({ code: event.code, role: 'viewer' });
    expect(late.state.event.brand).toEqual(second.brand);
  });

  it('refuses a bad colour, an unknown field and a long name with 400 naming the field', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const { socket } = await server.join({ code: event.code, role: 'viewer' });
    const heard = collect(socket, 'brand:changed');

    expect(await issuesOf(await patch(event, { accent: 'red' }))).toContainEqual({ path: ['accent'], message: 'colour: #rrggbb' });
    expect((await issuesOf(await patch(event, { background: '#12345' })))[0]?.path).toEqual(['background']);
    expect((await issuesOf(await patch(event, { name: 'x'.repeat(61) })))[0]?.path).toEqual(['name']);
    expect((await issuesOf(await patch(event, { colour: '#ffffff' })))[0]?.message).toMatch(/colour/);
    expect((await issuesOf(await patch(event, { logoUrl: 'https://evil.example/logo.svg' })))[0]?.path).toEqual(['logoUrl']);

    const stored = await server.store.events.findById(event.id);
    expect(stored?.brand.accent).toBeNull();
    // Pushes keep their order: had a refused patch been broadcast, it would arrive before this one.
    const pushed = next(socket, 'brand:changed');
    await json(await patch(event, { name: 'ok' }));
    await pushed;
    expect(heard).toEqual([{ name: 'ok', logoUrl: null, accent: null, background: null }]);
  });

  it('offers the event its own reactions: stored, pushed, checked on reaction:send, and null puts the default back', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const { socket: viewer, state } = await server.join({ code: event.code, role: 'viewer' });
    expect(state.qa.emojis).toEqual([...DEFAULT_REACTIONS]);
    expect(state.event.brand.reactions).toBeUndefined();

    const pushed = next(viewer, 'brand:changed');
    const set = ['🚗', '⚡', '🇫🇷', '👍🏽'];
    const answer = await json<{ brand: EventBrand }>(await patch(event, { reactions: [' 🚗', ...set.slice(1)] }));
    expect(answer.brand.reactions).toEqual(set);
    expect((await pushed).reactions).toEqual(set);
    expect((await server.store.events.findById(event.id))?.brand.reactions).toEqual(set);

    // The viewer already in the room may send the new ones at once, and no longer a default one left out.
    expect(await ask(viewer, 'reaction:send', { emoji: '🚗' })).toEqual({ ok: true });
    const refused = await ask(viewer, 'reaction:send', { emoji: '❤️' });
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('invalid_payload');
    const late = await server.join({ code: event.code, role: 'viewer' });
    expect(late.state.qa.emojis).toEqual(set);

    // Another field alone leaves the set as it is; null gives the default one back.
    expect((await json<{ brand: EventBrand }>(await patch(event, { name: 'Aura' }))).brand.reactions).toEqual(set);
    const reset = await json<{ brand: EventBrand }>(await patch(event, { reactions: null }));
    expect(reset.brand).toEqual({ name: 'Aura', logoUrl: null, accent: null, background: null });
    expect((await server.join({ code: event.code, role: 'viewer' })).state.qa.emojis).toEqual([...DEFAULT_REACTIONS]);
    expect(await ask(viewer, 'reaction:send', { emoji: '❤️' })).toEqual({ ok: true });
  });

  it('refuses a reaction set that is empty, too long, repeated or not made of single emojis, naming the entry', async () => {
    server = await startServer();
    const event = await server.createEvent();
    expect(await issuesOf(await patch(event, { reactions: [] }))).toContainEqual({ path: ['reactions'], message: 'reactions: at least one emoji' });
    expect((await issuesOf(await patch(event, { reactions: ['😀', '😁', '😂', '🤣', '😃', '😄', '😅'] })))[0]?.message).toBe('reactions: at most 6 emojis');
    expect((await issuesOf(await patch(event, { reactions: ['🔥', '🔥'] })))[0]?.message).toBe('reactions: each emoji once');
    for (const bad of ['a', '🔥🔥', '©', 'ok', '<b>', '']) {
      expect(await issuesOf(await patch(event, { reactions: ['🚗', bad] }))).toContainEqual({ path: ['reactions', 1], message: 'reactions: one emoji each (❤️, 🚗, 🇫🇷…)' });
    }
    expect((await issuesOf(await patch(event, { reactions: '🔥' })))[0]?.path).toEqual(['reactions']);
    expect((await server.store.events.findById(event.id))?.brand.reactions).toBeUndefined();
  });

  it('refuses without the host key or admin token', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const other = await server.createEvent('Autre');
    expect((await patch(event, { name: 'x' }, null)).status).toBe(401);
    expect((await patch(event, { name: 'x' }, event.dealerKey)).status).toBe(403);
    expect((await patch(event, { name: 'x' }, other.hostKey)).status).toBe(403);
  });

  it('takes an SVG or PNG logo (sanitised), not a photo; logoUrl must be this event’s own upload', async () => {
    server = await startServer();
    const event = await server.createEvent();
    const other = await server.createEvent('Autre');
    const { socket } = await server.join({ code: event.code, role: 'viewer' });

    const pushed = next(socket, 'brand:changed');
    const svg = await json<{ brand: EventBrand; logo: MediaUploaded }>(await putLogo(event, LOGO_SVG.replace('<rect', '<script>alert(1)</script><rect'), 'image/svg+xml'));
    expect(svg.brand.logoUrl).toBe(svg.logo.url);
    expect(svg.logo.url).toMatch(new RegExp(`^/media/${event.id}/[0-9a-f]{32}\\.svg$`));
    expect((await pushed).logoUrl).toBe(svg.logo.url);
    expect(await (await fetch(`${server.url}${svg.logo.url}`)).text()).not.toContain('script');

    const png = await sharp({ create: { width: 40, height: 20, channels: 4, background: '#e4002b80' } }).png().toBuffer();
    const pngLogo = await json<{ brand: EventBrand; logo: MediaUploaded }>(await putLogo(event, png, 'image/png'));
    expect(pngLogo.brand.logoUrl).toMatch(/\.png$/);

    // A photo is no logo: refused by Content-Type, and by its bytes when sent as a PNG.
    const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#123456' } }).jpeg().toBuffer();
    expect((await putLogo(event, jpeg, 'image/jpeg')).status).toBe(415);
    const lying = await json<{ error: { code: string; message: string } }>(await putLogo(event, jpeg, 'image/png'), 400);
    expect(lying.error).toMatchObject({ code: 'invalid_image', message: expect.stringMatching(/JPG.*SVG or PNG/) });

    // Pointing logoUrl at an upload: only this event's own SVG/PNG files that exist.
    const media = await json<MediaUploaded>(
      await fetch(`${server.url}/api/events/${other.id}/media`, { method: 'POST', headers: { 'content-type': 'image/svg+xml', authorization: `Bearer ${other.hostKey}` }, body: LOGO_SVG }),
      201,
    );
    expect((await issuesOf(await patch(event, { logoUrl: media.url })))[0]).toMatchObject({ path: ['logoUrl'], message: expect.stringMatching(/this event/) });
    expect((await issuesOf(await patch(event, { logoUrl: `/media/${event.id}/${'a'.repeat(32)}.svg` })))[0]?.path).toEqual(['logoUrl']);
    const back = await json<{ brand: EventBrand }>(await patch(event, { logoUrl: svg.logo.url }));
    expect(back.brand.logoUrl).toBe(svg.logo.url);
    const cleared = await json<{ brand: EventBrand }>(await patch(event, { logoUrl: null }));
    expect(cleared.brand.logoUrl).toBeNull();
  });

  it('gives the poster what it prints: event, brand, vehicle name and the viewer link', async () => {
    server = await startServer();
    const event = await server.createEvent('Lancement Aura EV');
    await json(await patch(event, { name: 'Aura', accent: '#e4002b' }));
    const poster = await json<PosterView>(await fetch(`${server.url}/api/events/${event.code.toLowerCase()}/poster`));
    expect(poster.event).toMatchObject({ code: event.code, title: 'Lancement Aura EV', brand: { name: 'Aura', accent: '#e4002b' } });
    expect(poster.event).not.toHaveProperty('hostKey');
    expect(poster.vehicle.name).toBeTruthy();
    expect(poster.viewerUrl).toBe(event.links.viewer);
    expect((await fetch(`${server.url}/api/events/ZZZZZZ/poster`)).status).toBe(404);
  });
});
