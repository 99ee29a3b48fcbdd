import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Locator, Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import type { EventCreated } from '../../shared/event.js';
import type { StatePayload } from '../../shared/events.js';
import { startTcpProxy, type TcpProxy } from '../faults/tcpProxy.js';
import { startServer, type TestServer } from '../integration/harness.js';
import { expect, PHONE, presenter, test } from './fixtures.js';

/**
 * Issue 8, in the browser: a phone that lost the network, and a tab that slept, are current
 * again within 3 s of coming back, with nothing sent twice and their lead kept meanwhile.
 *
 * The page talks to a server of its own through the fault proxy (the shared e2e server cannot
 * be reached through one: a socket must come from its own origin), so the test can take the
 * network away for real: the proxy resets the page's connections, which is what the server
 * sees of a phone gone quiet once its ping timeout (45 s) has passed.
 */

/** What the issue promises once the page is back. */
const RECOVERY_MS = 3_000;
/**
 * Wall time offline. A minute behaves the same once the page's retries have reached their cap
 * (2.5 s ± 50 %, after about 6 s) and the server has dropped the session (here at once, the
 * proxy resets it): 10 s is past both, and the page then waits on its longest backoff.
 */
const OFFLINE_MS = 10_000;
/** Wall time asleep: the drop happens during it (the proxy), the page learns of it on waking. */
const ASLEEP_MS = 4_000;

let server: TestServer;
let proxy: TcpProxy;
/** The server itself, for the presenter and the other viewer (not through the faulty link). */
let direct: string;

test.beforeAll(async () => {
  const target = { host: '127.0.0.1', port: 0 };
  proxy = await startTcpProxy(target);
  server = await startServer({ web: { publicUrl: `http://${proxy.address}`, clientDir: path.resolve('dist/client') } });
  target.port = (server.app.httpServer.address() as AddressInfo).port;
  direct = `http://127.0.0.1:${target.port}`;
});
test.afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** Another viewer, on a good connection: resolves once it has the room's state. */
async function otherViewer(ev: EventCreated): Promise<{ socket: Socket; state: StatePayload }> {
  const socket = io(direct, { auth: { code: ev.code, role: 'viewer', viewerId: 'other-viewer-000' }, transports: ['websocket'], reconnection: false });
  const state = await new Promise<StatePayload>((resolve, reject) => {
    socket.once('state', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, state };
}

/**
 * The phone without WebGL (the page's own fallback: the poster instead of the 3D stage). On
 * CI's two shared cores the software renderer spends seconds per frame (a chapter's camera
 * flight blocked the page for 5.7 s after its reconnection): with it, the test would time the
 * renderer, not the recovery. The socket, the outbox and every element checked are the same.
 */
const NO_WEBGL = () => {
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    return /webgl/i.test(type) ? null : (getContext as (...a: unknown[]) => unknown).call(this, type, ...rest);
  } as typeof getContext;
};

/** The phone joins the live event and asks `text`; resolves with the question once shown with its count. */
async function enterAndAsk(phone: Page, ev: EventCreated, text: string): Promise<Locator> {
  await phone.addInitScript(NO_WEBGL);
  await phone.goto(ev.links.viewer);
  await phone.getByRole('button', { name: 'Entrer' }).click();
  await expect(phone.getByTestId('status')).toHaveText('En direct');
  await phone.getByRole('button', { name: /^Questions/ }).click();
  await phone.getByLabel('Votre question').fill(text);
  await phone.getByRole('button', { name: 'Envoyer' }).click();
  const question = phone.getByTestId('question').filter({ hasText: text });
  await expect(question.getByRole('button', { name: /\(0 vote\)/ })).toBeVisible();
  return question;
}

async function storedLeads(ev: EventCreated): Promise<{ id: string; email: string }[]> {
  const res = await fetch(`${direct}/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${ev.dealerKey}` } });
  return ((await res.json()) as { leads: { id: string; email: string }[] }).leads;
}

/** What a viewer joining now is shown: one question of that text, with its count. */
async function serverQuestions(ev: EventCreated): Promise<{ text: string; votes: number }[]> {
  const { socket, state } = await otherViewer(ev);
  socket.disconnect();
  return state.questions.map(({ text, votes }) => ({ text, votes }));
}

/**
 * A tab put to sleep. Playwright keeps its pages active (CDP `Page.setWebLifecycleState
 * frozen` is accepted and changes nothing: no `freeze` event, timers keep running), so the
 * page is frozen the way the browser freezes it for script: the lifecycle events it would
 * fire, then its JavaScript stopped (the debugger), so no timer, no ping, no message is handled
 * until it wakes; everything that arrived meanwhile is then delivered at once.
 */
async function sleepTab(page: Page, cdp: CDPSession): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    document.dispatchEvent(new Event('freeze'));
  });
  await cdp.send('Debugger.enable');
  const paused = new Promise((resolve) => cdp.once('Debugger.paused', resolve));
  await cdp.send('Debugger.pause');
  await paused; // at the next script to run (the render loop's frame)
}

async function wakeTab(page: Page, cdp: CDPSession): Promise<void> {
  await cdp.send('Debugger.resume');
  await cdp.send('Debugger.disable');
  await page.evaluate(() => {
    delete (document as { visibilityState?: unknown }).visibilityState;
    document.dispatchEvent(new Event('resume'));
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

test('a phone offline for a while is current within 3 s of coming back; its lead waited on the phone and is stored once', async ({ newPage, expectedErrors }) => {
  test.setTimeout(90_000);
  // Chromium reports each reconnection attempt that fails while offline.
  expectedErrors.push(/WebSocket connection to .* failed/, /ERR_INTERNET_DISCONNECTED/);
  const ev = await server.createEvent('Lancement hors ligne');
  const host = await presenter(direct, ev);
  try {
    await host.emit('event:start', {});
    await host.emit('qa:mode', { mode: 'open' });
    const phone = await newPage(PHONE);
    const question = await enterAndAsk(phone, ev, 'Quelle autonomie en hiver ?');
    await phone.getByRole('button', { name: 'Fermer' }).click();

    // The network goes: nothing gets through either way, the connection is reset (what the
    // page learns after its ping timeout in a real outage), then the phone reports it offline.
    // The page's retries meanwhile all fail and its backoff reaches its cap.
    proxy.cut();
    const wentAt = Date.now();
    await expect(phone.getByText('Connexion perdue — reconnexion…')).toBeVisible();
    await phone.context().setOffline(true);

    // Meanwhile the presenter moves on and somebody supports the phone's question.
    await host.emit('chapter:set', { index: 2 });
    const other = await otherViewer(ev);
    const id = other.state.questions.find((q) => q.text === 'Quelle autonomie en hiver ?')!.id;
    expect(await other.socket.emitWithAck('question:vote', { id })).toEqual({ ok: true, data: { votes: 1 } });
    other.socket.disconnect();

    // The phone asks for the brochure: kept on the phone, and the viewer is told so.
    await phone.getByRole('button', { name: /Je suis intéressé/ }).click();
    await phone.getByRole('button', { name: /^Brochure/ }).click();
    const form = phone.getByRole('dialog');
    await form.getByLabel('Prénom').fill('Camille');
    await form.getByLabel('Nom', { exact: true }).fill('Durand');
    await form.getByLabel('E-mail').fill('camille.durand@exemple.fr');
    await form.getByLabel(/^Code postal/).fill('69003');
    await form.getByLabel(/J’accepte que l’organisateur/).check();
    await form.getByRole('button', { name: 'Recevoir la brochure' }).click();
    await expect(form.getByText('Connexion instable\u00a0: votre demande est enregistrée sur cet appareil et partira dès le retour du réseau.')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Envoi…' })).toBeDisabled();
    expect(await storedLeads(ev)).toEqual([]);

    // The rest of the outage (see OFFLINE_MS).
    await new Promise((r) => setTimeout(r, OFFLINE_MS - (Date.now() - wentAt)));
    proxy.restore();
    const backAt = Date.now();
    await phone.context().setOffline(false);
    const left = () => Math.max(1, RECOVERY_MS - (Date.now() - backAt));
    const sent = phone.getByRole('dialog', { name: 'Votre demande a bien été envoyée' });
    await expect(sent).toBeVisible({ timeout: left() });
    await expect(phone.getByTestId('agenda')).toHaveAttribute('data-chapter', '2', { timeout: left() });
    await sent.getByRole('button', { name: 'Fermer' }).click();
    await phone.getByRole('button', { name: /^Questions/ }).click();
    await expect(question.getByRole('button', { name: /\(1 vote\)/ })).toBeVisible({ timeout: left() });
    const recoveredMs = Date.now() - backAt;
    console.warn(`[faults e2e] offline ${OFFLINE_MS} ms: current again ${recoveredMs} ms after coming back online`);
    expect(recoveredMs).toBeLessThanOrEqual(RECOVERY_MS);

    // Sent once, and nothing else twice.
    const leads = await storedLeads(ev);
    expect(leads.map((l) => l.email)).toEqual(['camille.durand@exemple.fr']);
    expect(await serverQuestions(ev)).toEqual([{ text: 'Quelle autonomie en hiver ?', votes: 1 }]);
    expect(await server.store.questions.voters(ev.id)).toHaveLength(1);
  } finally {
    host.close();
  }
});

test('a tab that slept while the server dropped it is current within 3 s of waking', async ({ newPage, expectedErrors }) => {
  test.setTimeout(90_000);
  expectedErrors.push(/WebSocket connection to .* failed/);
  const ev = await server.createEvent('Lancement en veille');
  const host = await presenter(direct, ev);
  try {
    await host.emit('event:start', {});
    await host.emit('qa:mode', { mode: 'open' });
    const phone = await newPage(PHONE);
    const question = await enterAndAsk(phone, ev, 'Et la recharge rapide ?');
    await expect(phone.getByTestId('agenda')).toHaveAttribute('data-chapter', '0');

    const cdp = await phone.context().newCDPSession(phone);
    await sleepTab(phone, cdp);
    // Asleep: the server drops it, the presentation moves on, somebody votes.
    proxy.reset();
    await host.emit('chapter:set', { index: 3 });
    const other = await otherViewer(ev);
    const id = other.state.questions.find((q) => q.text === 'Et la recharge rapide ?')!.id;
    expect(await other.socket.emitWithAck('question:vote', { id })).toEqual({ ok: true, data: { votes: 1 } });
    other.socket.disconnect();
    await new Promise((r) => setTimeout(r, ASLEEP_MS));

    const wokeAt = Date.now();
    await wakeTab(phone, cdp);
    const left = () => Math.max(1, RECOVERY_MS - (Date.now() - wokeAt));
    await expect(phone.getByTestId('agenda')).toHaveAttribute('data-chapter', '3', { timeout: left() });
    await expect(question.getByRole('button', { name: /\(1 vote\)/ })).toBeVisible({ timeout: left() });
    const recoveredMs = Date.now() - wokeAt;
    console.warn(`[faults e2e] asleep ${ASLEEP_MS} ms, dropped by the server: current again ${recoveredMs} ms after waking`);
    expect(recoveredMs).toBeLessThanOrEqual(RECOVERY_MS);
    expect(await serverQuestions(ev)).toEqual([{ text: 'Et la recharge rapide ?', votes: 1 }]);
  } finally {
    host.close();
  }
});

test('offline, a question waits on the phone and goes once (also when only its answer was lost); a vote or a reaction says it was not sent', async ({ newPage, expectedErrors }) => {
  test.setTimeout(90_000);
  expectedErrors.push(/WebSocket connection to .* failed/, /ERR_INTERNET_DISCONNECTED/);
  const ev = await server.createEvent('Questions hors ligne');
  const host = await presenter(direct, ev);
  try {
    await host.emit('event:start', {});
    await host.emit('qa:mode', { mode: 'open' });
    const phone = await newPage(PHONE);
    const first = await enterAndAsk(phone, ev, 'Quel prix pour la version longue autonomie ?');
    await phone.getByLabel('Votre question').fill('Et la garantie de la batterie ?');

    proxy.cut();
    await expect(phone.getByText('Connexion perdue — reconnexion…')).toBeVisible();
    await phone.context().setOffline(true);
    // Sent offline: told at once (not after a 10 s timeout), and kept in the box.
    const sentAt = Date.now();
    await phone.getByRole('button', { name: 'Envoyer' }).click();
    await expect(phone.getByRole('status').filter({ hasText: 'Hors connexion\u00a0: votre question partira dès le retour du réseau.' })).toBeVisible();
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    await expect(phone.getByLabel('Votre question')).toHaveValue('Et la garantie de la batterie ?');
    // A vote is not queued either: it says so, and the count stays.
    await first.getByRole('button', { name: /\(0 vote\)/ }).click();
    await expect(phone.getByRole('alert').filter({ hasText: 'Hors connexion\u00a0: votre vote n’est pas parti.' })).toBeVisible();
    await expect(first.getByRole('button', { name: /\(0 vote\)/ })).toHaveAttribute('aria-pressed', 'false');
    // The sheet closed: the question still waits (the dock holds it), a reaction says it is not sent.
    await phone.getByRole('button', { name: 'Fermer' }).click();
    await phone.getByRole('button', { name: 'Réagir : ❤️' }).click();
    await expect(phone.getByRole('alert').filter({ hasText: 'Hors connexion\u00a0: réaction non envoyée.' })).toBeVisible();
    expect(await serverQuestions(ev)).toEqual([{ text: 'Quel prix pour la version longue autonomie ?', votes: 0 }]);

    // Back: the waiting question goes by itself, once; the notices about the outage are gone.
    proxy.restore();
    await phone.context().setOffline(false);
    await expect(phone.getByText('Connexion perdue — reconnexion…')).toBeHidden({ timeout: 10_000 });
    await phone.getByRole('button', { name: /^Questions/ }).click();
    await expect(phone.getByRole('status').filter({ hasText: 'Merci ! Votre question est publiée.' })).toBeVisible({ timeout: 5_000 });
    await expect(phone.getByTestId('question').filter({ hasText: 'Et la garantie de la batterie ?' })).toBeVisible();
    await expect(phone.getByLabel('Votre question')).toHaveValue('');
    await expect(phone.getByText(/Hors connexion/)).toHaveCount(0);
    expect(await serverQuestions(ev)).toEqual([
      { text: 'Quel prix pour la version longue autonomie ?', votes: 0 },
      { text: 'Et la garantie de la batterie ?', votes: 0 },
    ]);

    // A slow link: the question reaches the server but its answer comes after the page stopped
    // waiting (10 s). The question arriving in the list ends the wait: no second send needed.
    proxy.set({ latencyMs: 11_000 }, 'down');
    await phone.getByLabel('Votre question').fill('Livrée quand ?');
    await phone.getByRole('button', { name: 'Envoyer' }).click();
    await expect(phone.getByRole('status').filter({ hasText: 'Hors connexion\u00a0: votre question partira' })).toBeVisible({ timeout: 12_000 });
    await expect(phone.getByRole('status').filter({ hasText: 'Merci ! Votre question est publiée.' })).toBeVisible({ timeout: 8_000 });
    proxy.heal();
    await expect(phone.getByLabel('Votre question')).toHaveValue('');
    expect((await serverQuestions(ev)).map((q) => q.text)).toEqual(['Quel prix pour la version longue autonomie ?', 'Et la garantie de la batterie ?', 'Livrée quand ?']);
  } finally {
    host.close();
  }
});
