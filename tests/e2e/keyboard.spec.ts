import type { Locator, Page } from '@playwright/test';
import { contrast, toHex } from '../../client/features/brand/colour.js';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { angleBetween, azimuth, expect, PHONE, presenter, test } from './fixtures.js';

const NAVY = '#0b1f5c'; // an accent that vanishes on the night background unless the UI adjusts it
// Smaller than DESKTOP (software WebGL pays per pixel), still wider than tall: the viewer's
// camera then shows the presenter's pose as is (no fitting to a portrait screen).
const CONSOLE = { viewport: { width: 1000, height: 640 }, locale: 'fr-FR' };
const LAPTOP = { viewport: { width: 640, height: 560 }, locale: 'fr-FR' };

/** Presses Tab, as a keyboard user does, until `target` has the focus; fails if it never does. */
async function tabTo(page: Page, target: Locator, maxStops = 40): Promise<void> {
  await expect(target).toBeVisible();
  for (let i = 0; i < maxStops; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} not reached in ${maxStops} presses of Tab`);
}

/**
 * The focused element's ring is visible: a solid outline at least 2 px wide, or a box-shadow
 * ring (text fields: their border and 1 px more), in a colour that stands out 3:1 from the
 * page (WCAG 1.4.11).
 */
async function expectFocusRing(page: Page, what: string): Promise<void> {
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const colour = outline ? s.outlineColor : (/rgba?\([^)]*\)/.exec(s.boxShadow)?.[0] ?? '');
    return { colour, page: getComputedStyle(document.body).backgroundColor };
  });
  const hex = (rgb: string) => toHex((rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number) as [number, number, number]);
  expect(ring.colour, `${what}: a focus ring`).not.toBe('');
  expect(contrast(hex(ring.colour), hex(ring.page)), `${what}: ring ${ring.colour} on ${ring.page}`).toBeGreaterThanOrEqual(3);
}

/** Records every camera position the stage's probe shows from now on. */
async function recordCamera(page: Page): Promise<() => Promise<number[][]>> {
  await page.getByTestId('stage').evaluate((stage) => {
    const seen: string[] = [];
    (window as unknown as { cameraTrail: string[] }).cameraTrail = seen;
    new MutationObserver(() => seen.push(stage.dataset.cameraPosition ?? '')).observe(stage, { attributes: true, attributeFilter: ['data-camera-position'] });
  });
  return async () => (await page.evaluate(() => (window as unknown as { cameraTrail: string[] }).cameraTrail)).map((p) => p.split(',').map(Number));
}

async function cameraAt(page: Page): Promise<number[]> {
  return ((await page.getByTestId('stage').getAttribute('data-camera-position')) ?? '').split(',').map(Number);
}
const distance = (a: number[], b: readonly number[]) => Math.hypot(...a.map((x, i) => x - b[i]!));

test('keyboard only, reduced motion: a viewer asks, votes and sends a request; the presenter orbits, steps chapters and paints; camera flights are cuts; the stage is described', async ({ newPage, createEvent, request, baseURL }) => {
  test.setTimeout(120_000); // two WebGL pages in software on two cores
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const setup = await presenter(baseURL!, ev);
  await setup.emit('qa:mode', { mode: 'open' }); // questions show at once: one can vote on them
  setup.close();
  const res = await request.patch(`/api/events/${ev.id}/brand`, { headers: { authorization: `Bearer ${ev.hostKey}` }, data: { accent: NAVY } });
  expect(res.status()).toBe(200);

  // The presenter (who asked their system for less motion too) starts the launch from the keyboard.
  const host = await newPage(CONSOLE);
  await host.emulateMedia({ reducedMotion: 'reduce' });
  await host.goto(ev.links.host);
  const start = host.getByRole('button', { name: 'Démarrer le direct' });
  await tabTo(host, start);
  await expectFocusRing(host, 'start button');
  await host.keyboard.press('Enter');
  await expect(host.getByTestId('status')).toHaveText('En direct');
  // The showroom QR code opens and closes from the keyboard: Escape, focus back where it was.
  const qrToggle = host.getByRole('button', { name: 'Afficher le QR code' });
  await tabTo(host, qrToggle);
  await host.keyboard.press('Enter');
  const qr = host.getByRole('dialog', { name: 'QR code pour l’écran du showroom' });
  await expect(qr.getByRole('button', { name: 'Masquer le QR code' })).toBeFocused();
  await host.keyboard.press('Escape');
  await expect(qr).toBeHidden();
  await expect(qrToggle).toBeFocused();

  // A viewer with reduced motion, on the keyboard alone.
  const viewer = await newPage(LAPTOP);
  await viewer.emulateMedia({ reducedMotion: 'reduce' });
  await viewer.goto(`/e/${ev.code}`);
  await tabTo(viewer, viewer.getByRole('button', { name: 'Continuer sans prénom' }));
  await viewer.keyboard.press('Enter');
  await expect(viewer.getByTestId('status')).toHaveText('En direct');
  // The stage's text alternative: vehicle, chapter, paint (the demo car starts in Bleu Abysse).
  const described = viewer.getByTestId('stage-description');
  await expect(described).toHaveText(`Lancement Aura EV. Chapitre 1 sur 5 : Extérieur. Teinte Bleu Abysse`);
  await expect(described).toHaveAttribute('aria-live', 'polite');

  // The viewer asks a question and votes for it.
  const questions = viewer.getByRole('button', { name: /^Questions/ });
  await tabTo(viewer, questions);
  await expectFocusRing(viewer, 'questions button');
  await viewer.keyboard.press('Enter');
  await expect(viewer.getByRole('heading', { name: 'Questions' })).toBeFocused();
  await tabTo(viewer, viewer.getByLabel('Votre question'));
  await expectFocusRing(viewer, 'question field');
  await viewer.keyboard.type('Quelle autonomie sur autoroute ?');
  const send = viewer.getByRole('button', { name: 'Envoyer' });
  await tabTo(viewer, send);
  await expectFocusRing(viewer, 'send button');
  await viewer.keyboard.press('Enter');
  const mine = viewer.getByTestId('question').filter({ hasText: 'Quelle autonomie sur autoroute ?' });
  await expect(mine).toBeVisible();
  await expect(send).toBeFocused(); // sent and emptied, the button keeps the focus
  const vote = mine.getByRole('button', { name: /Soutenir cette question/ });
  await tabTo(viewer, vote);
  await expectFocusRing(viewer, 'vote button');
  await viewer.keyboard.press('Space');
  await expect(vote).toHaveAttribute('aria-pressed', 'true');
  await expect(vote).toHaveText('1');
  await expect(vote).toBeFocused();
  await viewer.keyboard.press('Escape');
  await expect(questions).toBeFocused();

  // The viewer asks for the brochure: the lead sheet, the form, the consent, sent.
  const interested = viewer.getByRole('button', { name: 'Je suis intéressé·e' });
  await tabTo(viewer, interested);
  await expectFocusRing(viewer, 'interested button');
  await viewer.keyboard.press('Enter');
  await tabTo(viewer, viewer.getByRole('dialog', { name: /vous intéresse/ }).getByRole('button', { name: /^Brochure/ }));
  await expectFocusRing(viewer, 'brochure choice');
  await viewer.keyboard.press('Enter');
  const form = viewer.getByRole('dialog', { name: 'Recevoir la brochure' });
  await tabTo(viewer, form.getByLabel('Prénom'));
  await viewer.keyboard.type('Inès');
  await tabTo(viewer, form.getByLabel('Nom', { exact: true }));
  await viewer.keyboard.type('Martin');
  await tabTo(viewer, form.getByLabel('E-mail'));
  await viewer.keyboard.type('ines.martin@exemple.fr');
  await tabTo(viewer, form.getByLabel(/^Code postal/));
  await viewer.keyboard.type('75011');
  const consent = form.getByLabel(/J’accepte que l’organisateur/);
  await tabTo(viewer, consent);
  await expectFocusRing(viewer, 'consent checkbox');
  await viewer.keyboard.press('Space');
  await expect(consent).toBeChecked();
  await tabTo(viewer, form.getByRole('button', { name: 'Recevoir la brochure' }));
  await viewer.keyboard.press('Enter');
  await expect(viewer.getByRole('heading', { name: 'Votre demande a bien été envoyée' })).toBeVisible();
  // No dealer on this event: the lead is routed to nobody, and the page says who takes it on.
  await expect(viewer.getByTestId('lead-done')).toContainText('La marque transmet votre demande à l’une de ses concessions, qui vous recontactera.');
  const leads = await request.get(`/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
  expect(((await leads.json()) as { leads: { email: string; type: string }[] }).leads.map((l) => [l.email, l.type])).toEqual([['ines.martin@exemple.fr', 'brochure']]);
  await viewer.keyboard.press('Escape');

  // The presenter orbits with the arrow keys from the focused stage; the viewer's camera follows.
  const hostStage = host.getByTestId('stage');
  await tabTo(host, hostStage);
  await expectFocusRing(host, 'the presenter’s stage');
  await expect(hostStage).toHaveAttribute('data-camera-azimuth', /\d/);
  const before = await azimuth(host);
  for (let i = 0; i < 5; i++) await host.keyboard.press('ArrowRight');
  await expect.poll(async () => angleBetween(await azimuth(host), before)).toBeGreaterThan(15);
  await expect.poll(async () => distance(await cameraAt(viewer), await cameraAt(host)), { timeout: 15_000 }).toBeLessThan(0.02);
  // Turning the camera says nothing: the description is about the car, not every pose.
  await expect(described).toHaveText(/Chapitre 1 sur 5/);

  // Page Down steps to the next chapter. With reduced motion both cameras cut there: every
  // position they show is the one before or the chapter's, nothing in between.
  const from = await cameraAt(viewer);
  const trails = [await recordCamera(viewer), await recordCamera(host)];
  await host.keyboard.press('PageDown');
  const design = DEMO_VEHICLE.chapters[1]!;
  await expect(described).toHaveText(`Lancement Aura EV. Chapitre 2 sur 5 : ${design.title}. Teinte Bleu Abysse`);
  for (const [who, page] of [['viewer', viewer], ['presenter', host]] as const) {
    await expect.poll(async () => distance(await cameraAt(page), design.pose.position), { message: `${who}'s camera on the chapter's view` }).toBeLessThan(0.05);
  }
  for (const trail of trails) {
    const seen = await trail();
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) expect(Math.min(distance(p, from), distance(p, design.pose.position)), `camera at ${p} during the cut`).toBeLessThan(0.05);
  }

  // A paint from the keyboard: the description says it.
  await tabTo(host, host.getByRole('button', { name: 'Vert Lagon' }));
  await expectFocusRing(host, 'paint swatch');
  await host.keyboard.press('Enter');
  await expect(described).toHaveText(`Lancement Aura EV. Chapitre 2 sur 5 : ${design.title}. Teinte Vert Lagon`);
});

test('before the start, the language toggle above the waiting card works, and the keyboard stays out of the car behind it', async ({ newPage, createEvent }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV', startsAt: '2026-12-01T18:00:00Z' });
  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  const waiting = viewer.getByRole('dialog', { name: 'Le lancement commence bientôt' });
  await expect(waiting).toBeVisible();
  // Every Tab stop is in the card or the top bar, never the car, its markers or its caption.
  const stops: string[] = [];
  for (let i = 0; i < 20; i++) {
    await viewer.keyboard.press('Tab');
    stops.push(await viewer.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'body';
      return el.closest('.overlay') ? 'card' : el.closest('.topbar') ? 'topbar' : `behind:${el.className || el.tagName}`;
    }));
  }
  expect(stops.filter((s) => s.startsWith('behind'))).toEqual([]);
  expect(stops).toContain('card');
  // The toggle is above the card: a tap switches the page to English.
  await viewer.getByRole('button', { name: 'Langue: English' }).tap();
  await expect(viewer.getByRole('dialog', { name: 'The launch starts soon' })).toBeVisible();
});
