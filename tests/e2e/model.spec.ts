import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import sharp from 'sharp';
import { io } from 'socket.io-client';
import type { EventCreated } from '../../shared/event.js';
import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { DESKTOP, expect, PHONE, test } from './fixtures.js';

/** Real models nobody here made (CI has ../shared beside the repository). */
const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/models');

async function uploadModel(request: APIRequestContext, ev: EventCreated, file: string, name: string): Promise<string> {
  const res = await request.post(`/api/events/${ev.id}/model?name=${encodeURIComponent(name)}`, {
    headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'model/gltf-binary' },
    data: fs.readFileSync(path.join(FIXTURES, file)),
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { model: { url: string } }).model.url;
}

/** Starts the event as its presenter would, without a third WebGL page on two cores. */
async function goLive(baseURL: string, ev: EventCreated): Promise<void> {
  const host = io(baseURL, { auth: { code: ev.code, role: 'host', key: ev.hostKey }, transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      host.once('state', () => host.emit('event:start', {}, (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error('event:start refused')))));
      host.once('connect_error', reject);
    });
  } finally {
    host.disconnect();
  }
}

/** Share of the stage's middle that is bright and neutral: the white milk truck (the demo car is dark blue). */
async function whiteShare(page: Page): Promise<number> {
  const box = (await page.getByTestId('stage').boundingBox())!;
  const png = await page.screenshot({ clip: { x: box.x + box.width * 0.1, y: box.y + box.height * 0.3, width: box.width * 0.8, height: box.height * 0.35 } });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let white = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (r > 170 && g > 170 && b > 170 && Math.max(r, g, b) - Math.min(r, g, b) < 30) white++;
  }
  return white / (info.width * info.height);
}

test('a brand uploads its truck and every viewer sees it, even a page already open', async ({ newPage, createEvent, request, baseURL }) => {
  test.setTimeout(120_000); // WebGL in software on two cores
  const ev = await createEvent({ title: 'Lancement Milk Truck' });
  const truckUrl = await uploadModel(request, ev, 'milk-truck.glb', 'Milk Truck');
  await goLive(baseURL!, ev);

  const viewer = await newPage(PHONE);
  const download = viewer.waitForResponse((r) => r.url() === truckUrl);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  const glb = await download;
  expect(glb.status()).toBe(200);
  expect(glb.headers()['content-type']).toBe('model/gltf-binary');
  const stage = viewer.getByTestId('stage');
  await expect(stage).toHaveAttribute('data-model-state', 'ready', { timeout: 45_000 });
  await expect(viewer.getByText('Milk Truck', { exact: true })).toBeVisible();
  // Rendered, lit and framed: a good part of the middle of the screen is the white truck.
  await expect.poll(() => whiteShare(viewer), { timeout: 20_000 }).toBeGreaterThan(0.08);
  await viewer.screenshot({ path: 'test-results/viewer-model-truck.png' });

  // A new upload reaches the open page: it loads the new car without a reload.
  const next = viewer.waitForResponse((r) => r.url().includes(`/models/${ev.id}/`) && r.url() !== truckUrl);
  const jeepUrl = await uploadModel(request, ev, 'jeep.glb', 'Jeep 4×4');
  expect((await next).url()).toBe(jeepUrl);
  await expect(stage).toHaveAttribute('data-model-state', 'ready', { timeout: 45_000 });
  await expect(viewer.getByText('Jeep 4×4', { exact: true })).toBeVisible();
});

test('the studio uploads a model, says what is wrong with a broken one, and shows before/after figures', async ({ newPage, createEvent, expectedErrors }) => {
  expectedErrors.push(/status of 400/); // the broken file, refused on purpose
  const ev = await createEvent({ title: 'Lancement Jeep' });
  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const card = studio.getByRole('listitem').filter({ hasText: ev.code });
  await expect(card.getByText('Les spectateurs voient le véhicule de démonstration', { exact: false })).toBeVisible();

  const jeep = fs.readFileSync(path.join(FIXTURES, 'jeep.glb'));
  await card.getByLabel('Importer un modèle…').setInputFiles({ name: 'jeep-cut.glb', mimeType: 'model/gltf-binary', buffer: jeep.subarray(0, 60_000) });
  const refusal = card.getByTestId('model-error');
  await expect(refusal).toContainText('Ce fichier n’est pas un modèle glTF 2.0 valide.');
  await expect(refusal).toContainText('GLB_UNEXPECTED_END_OF_CHUNK_DATA');

  await card.getByLabel('Importer un modèle…').setInputFiles(path.join(FIXTURES, 'jeep.glb'));
  await expect(card.getByText('Modèle importé : tous les écrans l’affichent.')).toBeVisible();
  const figures = card.getByTestId('model-figures');
  await expect(figures.getByRole('row', { name: /Poids/ })).toContainText('148 ko');
  await expect(figures.getByRole('row', { name: /Triangles/ })).toContainText('2 032');
  await expect(card.getByText(/mis à l’échelle d’une voiture/)).toBeVisible();
  // Named after the launch, not the file ("jeep"): the staging renames it.
  await expect(card.getByText('Modèle actuel : Lancement Jeep.')).toBeVisible();
  await card.screenshot({ path: 'test-results/studio-model.png' });
});
