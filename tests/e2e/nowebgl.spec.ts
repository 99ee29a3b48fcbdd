import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import type { EventCreated } from '../../shared/event.js';
import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { DESKTOP, expect, PHONE, presenter, test } from './fixtures.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/models');

/** A browser without WebGL (an old phone, a locked-down office PC, WebGL turned off). */
const NO_WEBGL = () => {
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    return /webgl/i.test(type) ? null : (getContext as (...a: unknown[]) => unknown).call(this, type, ...rest);
  } as typeof getContext;
};

async function openViewer(page: Page, ev: EventCreated): Promise<string[]> {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.addInitScript(NO_WEBGL);
  await page.goto(`/e/${ev.code}`);
  await page.getByLabel('Votre prénom (facultatif)').fill('Camille');
  await page.getByRole('button', { name: 'Entrer' }).click();
  return scripts;
}

test('without WebGL a viewer sees the poster of the car and the paint on show, and can still ask and ask to be contacted', async ({ newPage, createEvent, baseURL }) => {
  test.setTimeout(90_000);
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const host = await presenter(baseURL!, ev);
  try {
    await host.emit('event:start', {});
    const viewer = await newPage(PHONE);
    const scripts = await openViewer(viewer, ev);

    const poster = viewer.getByTestId('stage-poster');
    await expect(poster).toBeVisible();
    const picture = poster.getByRole('img', { name: 'Lancement Aura EV, teinte Bleu Abysse' });
    await expect(picture).toHaveAttribute('src', '/poster-demo.webp');
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1600);
    await expect(poster.getByText('Affichage 3D indisponible sur cet appareil')).toBeVisible();
    await expect(poster.getByTestId('poster-paint')).toHaveText('Teinte présentée : Bleu Abysse');
    await expect(viewer.getByTestId('stage')).toHaveCount(0);
    // The 3D engine is not even downloaded.
    expect(scripts.filter((s) => /\/(three|Stage3D)-/.test(s))).toEqual([]);
    await viewer.screenshot({ path: 'test-results/nowebgl-viewer.png' });

    // The presenter changes the paint: the picture cannot, the words do.
    await host.emit('variant:set', { id: 'rouge-rubis' });
    await expect(poster.getByTestId('poster-paint')).toHaveText('Teinte présentée : Rouge Rubis');
    await expect(poster.getByRole('img', { name: 'Lancement Aura EV, teinte Rouge Rubis' })).toBeVisible();

    // Questions work as ever.
    await viewer.getByRole('button', { name: /^Questions/ }).click();
    await viewer.getByLabel('Votre question').fill('Quelle autonomie en hiver ?');
    await viewer.getByRole('button', { name: 'Envoyer' }).click();
    await expect(viewer.getByText('Merci ! Votre question sera publiée après relecture.')).toBeVisible();
    await viewer.getByRole('button', { name: 'Fermer' }).click();

    // And so does the lead form.
    await viewer.getByRole('button', { name: /Je suis intéressé/ }).click();
    await viewer.getByRole('button', { name: /^Brochure/ }).click();
    const form = viewer.getByRole('dialog');
    await expect(form.getByLabel('Prénom')).toHaveValue('Camille');
    await form.getByLabel('Nom', { exact: true }).fill('Durand');
    await form.getByLabel('E-mail').fill('camille.durand@exemple.fr');
    await form.getByLabel(/^Code postal/).fill('69003');
    await form.getByLabel(/J’accepte que l’organisateur/).check();
    await form.getByRole('button', { name: 'Recevoir la brochure' }).click();
    await expect(viewer.getByRole('heading', { name: 'Votre demande a bien été envoyée' })).toBeVisible();
  } finally {
    host.close();
  }
});

test('without WebGL, an uploaded model shows its own poster once the studio has made one, and says so until then', async ({ newPage, createEvent, request, baseURL }) => {
  test.setTimeout(90_000);
  const ev = await createEvent({ title: 'Lancement Milk Truck' });
  const upload = await request.post(`/api/events/${ev.id}/model?name=Milk%20Truck`, {
    headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'model/gltf-binary' },
    data: fs.readFileSync(path.join(FIXTURES, 'milk-truck.glb')),
  });
  expect(upload.status()).toBe(201);
  const host = await presenter(baseURL!, ev);
  try {
    await host.emit('event:start', {});
    const viewer = await newPage(DESKTOP);
    await openViewer(viewer, ev);
    const poster = viewer.getByTestId('stage-poster');
    await expect(poster).toHaveAttribute('data-poster', 'none');
    await expect(poster.getByText('Photo du véhicule bientôt disponible')).toBeVisible();

    // The studio saves a poster: the open page shows it without a reload.
    const picture = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#24272c' } }).png().toBuffer();
    const put = await request.put(`/api/events/${ev.id}/model/poster`, { headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'image/png' }, data: picture });
    expect(put.status(), await put.text()).toBe(200);
    await expect(poster).toHaveAttribute('data-poster', 'shown');
    const img = poster.getByRole('img', { name: 'Milk Truck' });
    await expect(img).toHaveAttribute('src', new RegExp(`^/models/${ev.id}/[0-9a-f]{32}\\.poster\\.webp$`));
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1600);
  } finally {
    host.close();
  }
});

test('the studio renders the poster in the showroom right after an upload, and again on request', async ({ newPage, createEvent }) => {
  test.setTimeout(150_000); // 1600×900 rendered in software, twice
  const ev = await createEvent({ title: 'Lancement Milk Truck' });
  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const card = studio.getByRole('listitem').filter({ hasText: ev.code });
  await card.getByLabel('Importer un modèle…').setInputFiles(path.join(FIXTURES, 'milk-truck.glb'));
  await expect(card.getByText('Modèle importé : tous les écrans l’affichent.')).toBeVisible({ timeout: 45_000 });

  const panel = card.getByTestId('model-poster');
  await expect(panel).toHaveAttribute('data-state', 'saved', { timeout: 60_000 });
  const thumb = panel.getByRole('img', { name: 'Affiche actuelle du modèle Lancement Milk Truck' });
  const first = await thumb.getAttribute('src');
  expect(first).toMatch(new RegExp(`^/models/${ev.id}/[0-9a-f]{32}\\.poster\\.webp$`));
  const served = await studio.request.get(first!);
  expect(served.headers()['content-type']).toBe('image/webp');
  // A picture of the white truck in the dark showroom, not a blank frame.
  const { data, info } = await sharp(await served.body()).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([1600, 900]);
  let white = 0;
  let dark = 0;
  for (let i = 0; i < data.length; i += 3) {
    const v = Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
    if (v > 170) white++;
    if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) < 70) dark++;
  }
  expect(white / (info.width * info.height)).toBeGreaterThan(0.08);
  expect(dark / (info.width * info.height)).toBeGreaterThan(0.3);
  await panel.screenshot({ path: 'test-results/studio-poster.png' });

  // Made again on request (same model, same picture: the same content-hash name is fine).
  await panel.getByRole('button', { name: 'Régénérer l’affiche' }).click();
  await expect(panel).toHaveAttribute('data-state', 'rendering');
  await expect(panel).toHaveAttribute('data-state', 'saved', { timeout: 60_000 });
  await expect(panel.getByRole('status')).toHaveText('Affiche enregistrée.');
});
