import type { Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { DEMO_VEHICLE } from '../../shared/vehicle.js';
import { DESKTOP, expect, PHONE, presenter, test } from './fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cameraAt(page: Page): Promise<number[]> {
  const v = await page.getByTestId('stage').getAttribute('data-camera-position');
  return (v ?? '').split(',').map(Number);
}
const distance = (a: number[], b: readonly number[]) => Math.hypot(...a.map((x, i) => x - b[i]!));

test('after the launch, the replay plays the presenter’s camera, seeks to a chapter, and its leads are tagged "replay"', async ({ newPage, createEvent, request, baseURL }) => {
  test.setTimeout(120_000); // a WebGL page in software on two cores
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const host = await presenter(baseURL!, ev);
  await host.emit('qa:mode', { mode: 'open' });
  await host.emit('event:start', {});

  // The presenter orbits for a second at 20 Hz, goes to "Batterie & recharge", rests, then ends on a pose of their own.
  let t = Date.now();
  for (let i = 0; i <= 20; i++) {
    const a = (i / 20) * 0.8;
    host.pose({ position: [6 * Math.sin(a), 1.6, 6 * Math.cos(a)], target: [0, 0.6, 0], fov: 40, t: (t += 50) });
    await sleep(50);
  }
  const chapter = DEMO_VEHICLE.chapters.findIndex((c) => c.id === 'recharge');
  await host.emit('chapter:set', { index: chapter });
  // A viewer's question, answered live.
  const viewer = io(baseURL!, { auth: { code: ev.code, role: 'viewer', viewerId: 'viewer-replay-e2e' }, transports: ['websocket'], reconnection: false });
  const asked = await viewer.timeout(5_000).emitWithAck('question:ask', { id: crypto.randomUUID(), text: 'Combien de temps pour recharger ?', name: 'Camille' });
  await host.emit('question:moderate', { id: (asked as { data: { id: string } }).data.id, action: 'pin' });
  await sleep(5_000);
  await host.emit('question:moderate', { id: (asked as { data: { id: string } }).data.id, action: 'answer' });
  // The launch ends in another paint than the one it showed at "Batterie & recharge".
  await host.emit('variant:set', { id: 'rouge-rubis' });
  const last = { position: [-2.5, 2.4, -5.5], target: [0, 0.6, 0], fov: 40 };
  for (let i = 0; i < 5; i++) {
    host.pose({ ...last, position: [last.position[0]! + (4 - i) * 0.2, last.position[1]!, last.position[2]!], t: (t += 3_000 + i * 50) });
    await sleep(50);
  }
  await sleep(300);
  await host.emit('event:end', {});
  viewer.disconnect();
  host.close();

  const page = await newPage(DESKTOP);
  await page.goto(`/replay/${ev.code}`);
  await expect(page.getByText('Rediffusion', { exact: true })).toBeVisible();
  const controls = page.getByTestId('replay-controls');
  // It plays at once, and stops by itself at the end (7 s of launch).
  await expect.poll(async () => Number(await controls.getAttribute('data-position')), { timeout: 15_000 }).toBeGreaterThan(0);
  await expect(controls).toHaveAttribute('data-playing', 'false', { timeout: 30_000 });
  await expect(controls.getByRole('button', { name: 'Revoir depuis le début' })).toBeVisible();

  // Seek by chapter, paused (no race with a software-rendered page): the jump lands on the
  // chapter's view, its hotspot card, the question being answered then.
  await controls.getByRole('button', { name: 'Chapitres' }).click();
  await controls.getByRole('button', { name: /Batterie & recharge/ }).click();
  const target = DEMO_VEHICLE.chapters[chapter]!.pose.position;
  await expect.poll(async () => distance(await cameraAt(page), target), { timeout: 15_000 }).toBeLessThan(0.05);
  await expect(controls).toHaveAttribute('data-playing', 'false');
  await expect(page.getByTestId('hotspot-card')).toHaveAttribute('data-hotspot', 'recharge');
  await expect(page.getByTestId('now-answering')).toContainText('Combien de temps pour recharger ?');
  await page.screenshot({ path: test.info().outputPath('replay-chapter.png') });
  // A request from this moment starts on the paint on screen then, not the one the launch ended on.
  await page.getByRole('button', { name: 'Je suis intéressé·e' }).click();
  await page.getByRole('button', { name: /Brochure/ }).click();
  await expect(page.locator('#lead-sheet').getByLabel('Teinte')).toHaveValue('bleu-abysse'); // the demo car's first paint on stage
  await page.keyboard.press('Escape');
  await expect(page.locator('#lead-sheet')).toHaveCount(0);

  // The end: where the presenter's camera was last.
  await page.getByLabel('Position dans la présentation').focus();
  await page.keyboard.press('End');
  await expect.poll(async () => distance(await cameraAt(page), last.position), { timeout: 15_000 }).toBeLessThan(0.05);
  await controls.getByRole('button', { name: 'Chapitres' }).click();
  await expect(controls.getByRole('listitem').filter({ hasText: 'Combien de temps pour recharger ?' })).toContainText('Camille');
  await controls.getByRole('button', { name: 'Chapitres' }).click();

  // A request from the replay.
  await page.getByRole('button', { name: 'Je suis intéressé·e' }).click();
  await page.getByRole('button', { name: /Brochure/ }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel('Prénom').fill('Inès');
  await form.getByLabel('Nom', { exact: true }).fill('Martin');
  await form.getByLabel('E-mail').fill('ines.martin@exemple.fr');
  await form.getByLabel(/^Code postal/).fill('69003');
  await form.getByLabel(/J’accepte que l’organisateur/).check();
  await form.getByRole('button', { name: /brochure/i }).click();
  await expect(page.getByRole('heading', { name: 'Votre demande a bien été envoyée' })).toBeVisible();
  const res = await request.get(`/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
  const { leads } = (await res.json()) as { leads: { email: string; source: string }[] };
  expect(leads.map((l) => [l.email, l.source])).toEqual([['ines.martin@exemple.fr', 'replay']]);

  // On a phone's width the bar keeps the position (the duration goes) and a usable slider.
  // After the end there is no launch to go back to: the button says what it does.
  await expect(page.getByRole('button', { name: 'Retour au lancement' })).toHaveCount(0);
  await page.locator('#lead-sheet .btn-block', { hasText: 'Fermer' }).click();
  await expect(page.getByRole('heading', { name: 'Votre demande a bien été envoyée' })).toBeHidden();
  await page.setViewportSize(PHONE.viewport);
  const time = controls.locator('.replay-time');
  await expect(time).toBeVisible();
  await expect(time).toHaveText(/^\d+:\d\d$/, { useInnerText: true });
  expect(await controls.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect((await page.getByLabel('Position dans la présentation').boundingBox())!.width).toBeGreaterThanOrEqual(60);
});

test('before the end, the replay says when it opens and leads to the live page', async ({ newPage, createEvent, expectedErrors }) => {
  expectedErrors.push(/status of 409/);
  const ev = await createEvent();
  const page = await newPage(PHONE);
  await page.goto(`/replay/${ev.code}`);
  await expect(page.getByRole('alert')).toHaveText('La rediffusion sera disponible dès la fin du lancement.');
  await page.getByRole('link', { name: 'Suivre le lancement en direct' }).click();
  await expect(page).toHaveURL(new RegExp(`/e/${ev.code}$`));
});
