import { io } from 'socket.io-client';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { boxesOverlap, DESKTOP, expect, PHONE, presenter, test } from './fixtures.js';
import type { Page } from '@playwright/test';

/** Where an element is on screen (it must be shown). */
const box = async (l: ReturnType<Page['getByTestId']>) => (await l.boundingBox())!;

/** The viewer's camera, from the stage's probe. */
async function cameraAt(page: Page): Promise<number[]> {
  const v = await page.getByTestId('stage').getAttribute('data-camera-position');
  return (v ?? '').split(',').map(Number);
}
/**
 * How nearly the viewer's camera stands on a pose's line of sight (cosine of the angle, seen from
 * its target): a phone fits the presenter's view by stepping back along it, so only the direction
 * is the presenter's.
 */
async function onLineOfSight(page: Page, pose: { position: readonly number[]; target: readonly number[] }): Promise<number> {
  const at = await cameraAt(page);
  const toTarget = at.map((x, i) => x - pose.target[i]!);
  const wanted = pose.position.map((x, i) => x - pose.target[i]!);
  return toTarget.reduce((s, x, i) => s + x * wanted[i]!, 0) / (Math.hypot(...toTarget) * Math.hypot(...wanted));
}

test('the presenter steps through the agenda and shows a hotspot; viewers fly there and tap their own', async ({ newPage, createEvent, request }) => {
  test.setTimeout(120_000); // two WebGL pages in software on two cores
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const host = await newPage(DESKTOP);
  await host.goto(`/host/${ev.id}#key=${ev.hostKey}`);
  await host.getByRole('button', { name: 'Démarrer le direct' }).click();
  await expect(host.getByText('Chapitre 1 sur 5', { exact: true })).toBeVisible(); // not the stage's description, which says it too

  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  const agenda = viewer.getByTestId('agenda');
  await expect(agenda).toHaveAttribute('data-chapter', '0');
  await expect(agenda).toContainText('Extérieur');

  // A clicker's Page Down: the next chapter, on every screen, camera included.
  const design = DEMO_VEHICLE.chapters[1]!;
  await host.getByTestId('stage').click({ position: { x: 5, y: 5 } }); // the console has focus, not a field
  await host.keyboard.press('PageDown');
  await expect(agenda).toHaveAttribute('data-chapter', '1');
  await expect(agenda).toContainText(design.title);
  await expect(host.getByRole('button', { name: new RegExp(design.title) })).toHaveAttribute('aria-current', 'step');
  // Fitted to a phone's narrower frame, the camera stands on the chapter's line of sight, further back.
  await expect.poll(() => onLineOfSight(viewer, design.pose), { timeout: 15_000 }).toBeGreaterThan(0.995);
  // From the front, the charge flap's marker on the rear wing is hidden: the car is in the way.
  await expect(viewer.locator('.hotspot-marker[data-hotspot="recharge"]')).toHaveAttribute('data-visible', 'false');
  await expect(host.locator(`.hotspot-marker[data-hotspot="${design.hotspot!}"]`)).toHaveAttribute('data-visible', 'true', { timeout: 15_000 });
  // This chapter opens its hotspot on every screen.
  const card = viewer.getByTestId('hotspot-card');
  await expect(card).toHaveAttribute('data-hotspot', design.hotspot!);
  await expect(card).toContainText('Montré par le présentateur');
  // On the phone the card stands above the "interested" button: it once covered it.
  const interest = viewer.getByRole('button', { name: 'Je suis intéressé·e' });
  await expect(interest).toBeVisible();
  await viewer.waitForTimeout(400); // the card's slide-in
  const [cardBox, interestBox] = [(await card.boundingBox())!, (await interest.boundingBox())!];
  expect(boxesOverlap(cardBox, interestBox), `card ${JSON.stringify(cardBox)}, button ${JSON.stringify(interestBox)}`).toBe(false);
  await interest.click({ trial: true }); // nothing on top of it takes the tap
  await card.getByRole('button', { name: 'Fermer' }).click();
  await expect(card).toBeHidden();

  // Back to the first chapter with the button; then the viewer taps a marker on the car.
  await host.getByRole('button', { name: 'Chapitre précédent' }).click();
  await expect(agenda).toHaveAttribute('data-chapter', '0');
  // From the front three-quarter view, the headlights' marker shows.
  const marker = viewer.locator('.hotspot-marker[data-hotspot="phares"]');
  await expect.poll(() => onLineOfSight(viewer, DEMO_VEHICLE.chapters[0]!.pose), { timeout: 15_000 }).toBeGreaterThan(0.995);
  await expect(marker).toHaveAttribute('data-visible', 'true');
  // The console's own car shows it too once its flight is over: a console draws on demand and
  // kept the markers as they were mid-flight (hidden) until the next drag.
  await expect(host.locator('.hotspot-marker[data-hotspot="phares"]')).toHaveAttribute('data-visible', 'true');
  await marker.click();
  await expect(card).toHaveAttribute('data-hotspot', 'phares');
  await expect(card.getByRole('heading')).toHaveText('Signature lumineuse');
  await expect(card).not.toContainText('Montré par le présentateur');
  // Counted for the report.
  await expect.poll(async () => {
    const res = await request.get(`/api/events/${ev.id}/vehicle`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
    return ((await res.json()) as { hotspotOpens: Record<string, { opens: number }> }).hotspotOpens.phares?.opens;
  }).toBe(1);
  // Its call to action opens that request's form.
  await card.getByRole('button', { name: 'Brochure' }).click();
  await expect(card).toBeHidden();
  await expect(viewer.getByRole('dialog', { name: /brochure/i })).toBeVisible();
  await viewer.keyboard.press('Escape');

  // The presenter's paint swatch repaints the viewer's caption.
  await host.getByRole('button', { name: 'Vert Lagon' }).click();
  await expect(viewer.locator('.stage-sub')).toContainText('Vert Lagon');
});

test('on the console, the question being answered and a hotspot card sit side by side, not on top of each other', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const host = await newPage({ ...DESKTOP, viewport: { width: 1440, height: 900 } });
  await host.goto(`/host/${ev.id}#key=${ev.hostKey}`);
  await host.getByRole('button', { name: 'Démarrer le direct' }).click();
  await expect(host.getByTestId('status')).toHaveText('En direct');
  // A viewer's question, approved and put on screen; then a hotspot shown to everybody.
  const viewer = io(baseURL!, { auth: { code: ev.code, role: 'viewer', viewerId: 'overlap-viewer' }, transports: ['websocket'], reconnection: false });
  const setup = await presenter(baseURL!, ev);
  const id = crypto.randomUUID();
  expect(await viewer.timeout(5_000).emitWithAck('question:ask', { id, text: 'Quelle autonomie sur autoroute à 130 km/h, et combien de temps pour recharger de 10 à 80 % ?' })).toMatchObject({ ok: true });
  for (const action of ['approve', 'pin'] as const) await setup.emit('question:moderate', { id, action });
  await setup.emit('hotspot:focus', { id: DEMO_VEHICLE.hotspots[0]!.id });
  const banner = host.getByTestId('now-answering');
  const card = host.getByTestId('hotspot-card');
  await expect(banner).toBeVisible();
  await expect(card).toBeVisible();
  await host.waitForTimeout(600); // both slide in
  // The console's card is never folded: 'En savoir plus' is a phone viewer's.
  await expect(card.getByRole('button', { name: 'En savoir plus' })).toBeHidden();
  const a = (await banner.boundingBox())!;
  const b = (await card.boundingBox())!;
  expect(boxesOverlap(a, b), `banner ${JSON.stringify(a)}, card ${JSON.stringify(b)}`).toBe(false);
  await host.screenshot({ path: 'test-results/presentation-host-banner-and-card.png' });
  viewer.disconnect();
  setup.close();
});


test('on a desktop viewer, the question being answered, a hotspot card and the questions sheet leave each other in view', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const setup = await presenter(baseURL!, ev);
  await setup.emit('event:start', {});
  const asker = io(baseURL!, { auth: { code: ev.code, role: 'viewer', viewerId: 'overlap-asker' }, transports: ['websocket'], reconnection: false });
  const id = crypto.randomUUID();
  expect(await asker.timeout(5_000).emitWithAck('question:ask', { id, text: 'Y aura-t-il une version break, et avec quel volume de coffre ?' })).toMatchObject({ ok: true });
  for (const action of ['approve', 'pin'] as const) await setup.emit('question:moderate', { id, action });
  await setup.emit('hotspot:focus', { id: DEMO_VEHICLE.hotspots[0]!.id });

  const page = await newPage({ ...DESKTOP, viewport: { width: 1440, height: 900 } });
  await page.goto(`/e/${ev.code}`);
  await page.getByRole('button', { name: 'Continuer sans prénom' }).click();
  const banner = page.getByTestId('now-answering');
  const card = page.getByTestId('hotspot-card');
  await expect(banner).toBeVisible();
  await expect(card).toBeVisible();
  await page.waitForTimeout(600); // both slide in
  expect(boxesOverlap(await box(banner), await box(card)), 'banner under the card').toBe(false);

  // The questions sheet opens on the right: the card and the "interested" button move to its left.
  await page.getByRole('button', { name: /^Questions/ }).click();
  const sheet = page.getByRole('dialog', { name: 'Questions au présentateur' });
  await expect(sheet).toBeVisible();
  await page.waitForTimeout(400); // the sheet slides in
  const interest = page.getByRole('button', { name: 'Je suis intéressé·e' });
  expect(boxesOverlap(await box(sheet), await box(card)), 'sheet over the card').toBe(false);
  expect(boxesOverlap(await box(sheet), await box(interest)), 'sheet over the button').toBe(false);
  await interest.click({ trial: true });
  // The sheet shows the question being answered; the banner gives way rather than run under the card.
  await expect(sheet.getByText('Réponse en cours')).toBeVisible();
  await expect(banner).toBeHidden();
  await page.screenshot({ path: 'test-results/presentation-viewer-desktop-overlays.png' });
  asker.disconnect();
  setup.close();
});

test('on a phone, a call to action pushed while the presenter shows a hotspot stays in view: the card folds to its title above it', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const setup = await presenter(baseURL!, ev);
  await setup.emit('event:start', {});
  const hotspot = DEMO_VEHICLE.hotspots[0]!;
  await setup.emit('hotspot:focus', { id: hotspot.id });

  const phone = await newPage(PHONE);
  await phone.goto(`/e/${ev.code}`);
  await phone.getByRole('button', { name: 'Continuer sans prénom' }).click();
  const card = phone.getByTestId('hotspot-card');
  await expect(card.getByRole('heading', { name: hotspot.title })).toBeVisible();
  const unfold = card.getByRole('button', { name: 'En savoir plus' });
  await expect(unfold).toBeHidden(); // no call to action: the card is whole

  await setup.emit('cta:open', { kind: 'test_drive' });
  const cta = phone.getByTestId('lead-cta');
  await expect(cta).toBeVisible();
  await expect(unfold).toBeVisible();
  await phone.waitForTimeout(600); // the call to action slides up
  expect(boxesOverlap(await box(card), await box(cta)), 'folded card over the call to action').toBe(false);
  await expect(cta.getByRole('button', { name: 'Réserver un essai' })).toBeInViewport();
  await phone.screenshot({ path: 'test-results/presentation-phone-cta-and-hotspot.png' });

  // Unfolded, the card takes the room and the call to action steps aside; closed, it comes back.
  await unfold.click();
  await expect(card.getByRole('button', { name: 'Fermer' })).toBeFocused();
  await expect(cta).toBeHidden();
  await card.getByRole('button', { name: 'Fermer' }).click();
  await expect(cta).toBeVisible();
  // The focus went back to the car (its marker, or the stage), not to the top of the page.
  await expect.poll(() => phone.evaluate(() => (document.activeElement?.closest('.hotspot-marker, [data-testid="stage"]') ? 'car' : document.activeElement?.tagName))).toBe('car');
  setup.close();
});
