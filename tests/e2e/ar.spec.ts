import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import * as THREE from 'three';
import { strFromU8, unzipSync } from 'three/examples/jsm/libs/fflate.module.js';
import type { EventCreated } from '../../shared/event.js';
import { DEMO_VEHICLE, variantOf } from '../../shared/vehicle.js';
import { DESKTOP, expect, goLive, PHONE, test } from './fixtures.js';

/** Real models nobody here made (CI has ../shared beside the repository). */
const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/models');

/** What Safari on an iPhone answers: `<a rel="ar">` opens AR Quick Look. */
const QUICK_LOOK = () => {
  const supports = DOMTokenList.prototype.supports;
  DOMTokenList.prototype.supports = function (token: string) {
    return token === 'ar' ? true : supports.call(this, token);
  };
};

/** An Android phone with ARCore, without the camera: the session request is recorded, then refused. */
const WEBXR = () => {
  const w = window as unknown as { xrRequests: unknown[] };
  w.xrRequests = [];
  const xr = {
    isSessionSupported: async (mode: string) => mode === 'immersive-ar',
    requestSession: async (mode: string, init: XRSessionInit) => {
      w.xrRequests.push({ mode, required: init.requiredFeatures, optional: init.optionalFeatures, overlay: init.domOverlay?.root instanceof HTMLElement });
      throw new DOMException('No AR device in this test', 'NotSupportedError');
    },
  };
  Object.defineProperty(Navigator.prototype, 'xr', { configurable: true, get: () => xr });
};

async function uploadModel(request: APIRequestContext, ev: EventCreated, file: string, name: string): Promise<void> {
  const res = await request.post(`/api/events/${ev.id}/model?name=${encodeURIComponent(name)}`, {
    headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'model/gltf-binary' },
    data: fs.readFileSync(path.join(FIXTURES, file)),
  });
  expect(res.status(), await res.text()).toBe(201);
}

async function openViewer(page: Page, ev: EventCreated): Promise<string[]> {
  const chunks: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') chunks.push(new URL(r.url()).pathname);
  });
  await page.goto(`/e/${ev.code}`);
  await page.getByRole('button', { name: 'Continuer sans prénom' }).click();
  return chunks;
}

/** Taps "Voir chez moi" and returns the USDZ that Quick Look would open (Chromium downloads it). */
async function quickLookFile(page: Page): Promise<Uint8Array> {
  const button = page.getByRole('button', { name: 'Voir chez moi' });
  await expect(button).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), button.click()]);
  expect(download.suggestedFilename()).toMatch(/\.usdz$/);
  const bytes = new Uint8Array(fs.readFileSync(await download.path()));
  // The link Quick Look needs: rel="ar", an image inside, a blob of the same size.
  const link = page.getByTestId('ar-quicklook');
  await expect(link).toHaveAttribute('rel', 'ar');
  await expect(link).toHaveAttribute('href', /^blob:.*#allowsContentScaling=0$/);
  await expect(link).toHaveAttribute('data-usdz-bytes', String(bytes.length));
  expect(await link.locator('img').count()).toBe(1);
  return bytes;
}

/**
 * Whether one of the scene's materials has this base colour: its `diffuseColor`, or the scale of
 * its colour texture (USD wants it linear; two JavaScript engines may differ in the last digit).
 */
function hasDiffuse(usda: string, hex: string): boolean {
  const c = new THREE.Color(hex);
  return [...usda.matchAll(/(?:color3f inputs:diffuseColor|float4 inputs:scale) = \(([^)]*)\)/g)].some((m) => {
    const [r, g, b] = m[1]!.split(',').map(Number);
    return Math.abs(r! - c.r) < 1e-9 && Math.abs(g! - c.g) < 1e-9 && Math.abs(b! - c.b) < 1e-9;
  });
}

test('on a desktop browser the AR button is not offered, and no AR code is downloaded', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  await goLive(baseURL!, ev);
  const viewer = await newPage(DESKTOP);
  const chunks = await openViewer(viewer, ev);
  await expect(viewer.getByTestId('stage')).toBeVisible();
  // Asked and answered: no AR here.
  await expect(viewer.getByTestId('ar')).toHaveAttribute('data-ar-mode', 'none');
  await expect(viewer.getByRole('button', { name: 'Voir chez moi' })).toHaveCount(0);
  expect(chunks.filter((c) => /\/(quickLook|webxr|vehicleObject)-/.test(c))).toEqual([]);
});

test('on an iPhone, "Voir chez moi" opens Quick Look with a USDZ of the demo car in the paint on stage', async ({ newPage, createEvent, baseURL }) => {
  test.setTimeout(120_000);
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  await goLive(baseURL!, ev, 'rouge-rubis');
  const viewer = await newPage(PHONE);
  await viewer.addInitScript(QUICK_LOOK);
  const chunks = await openViewer(viewer, ev);
  // The demo car bears the launch's title, said once (the title): the line under it is the paint.
  await expect(viewer.locator('.stage-sub')).toHaveText('Rouge Rubis');
  await expect(viewer.getByTestId('ar')).toHaveAttribute('data-ar-mode', 'quicklook');
  // Nothing of the exporter until the tap.
  expect(chunks.filter((c) => /\/quickLook-/.test(c))).toEqual([]);
  await viewer.screenshot({ path: 'test-results/ar-button.png' });

  const usdz = await quickLookFile(viewer);
  expect(strFromU8(usdz.subarray(0, 2))).toBe('PK');
  const files = unzipSync(usdz);
  expect(Object.keys(files)[0]).toBe('model.usda');
  const scene = strFromU8(files['model.usda']!);
  expect(scene).toContain('preliminary:anchoring:type = "plane"');
  expect(hasDiffuse(scene, variantOf(DEMO_VEHICLE, 'rouge-rubis')!.color)).toBe(true);
  expect(hasDiffuse(scene, variantOf(DEMO_VEHICLE, 'bleu-abysse')!.color)).toBe(false);
  expect(chunks.filter((c) => /\/quickLook-/.test(c))).toHaveLength(1);
});

test('on an iPhone, the uploaded truck goes to Quick Look with its texture and the studio’s paint on its body', async ({ newPage, createEvent, request, baseURL }) => {
  test.setTimeout(120_000);
  const ev = await createEvent({ title: 'Lancement Milk Truck' });
  await uploadModel(request, ev, 'milk-truck.glb', 'Milk Truck');
  // The studio defines a paint for the truck's body material.
  const auth = { authorization: `Bearer ${ev.hostKey}` };
  const current = (await (await request.get(`/api/events/${ev.id}/vehicle`, { headers: auth })).json()) as { setup: Record<string, unknown>; materials: { name: string; color: string }[] };
  // The white, textured material of its body (the optimiser merged the identical wheel one into it).
  const body = current.materials.find((m) => m.color === '#ffffff')!.name;
  const orange = { id: 'orange-solaire', name: 'Orange Solaire', color: '#e8590c', metalness: 0.3, roughness: 0.72, clearcoat: 0.5 };
  const staged = await request.put(`/api/events/${ev.id}/vehicle`, { headers: auth, data: { ...current.setup, modelVariants: false, paints: [orange], bodyMaterials: [body] } });
  expect(staged.status(), await staged.text()).toBe(200);
  await goLive(baseURL!, ev, 'orange-solaire');

  const viewer = await newPage(PHONE);
  await viewer.addInitScript(QUICK_LOOK);
  await openViewer(viewer, ev);
  await expect(viewer.getByTestId('stage')).toHaveAttribute('data-model-state', 'ready', { timeout: 45_000 });
  await expect(viewer.getByText('Milk Truck · Orange Solaire')).toBeVisible();

  const usdz = await quickLookFile(viewer);
  expect(strFromU8(usdz.subarray(0, 2))).toBe('PK');
  const files = unzipSync(usdz);
  const names = Object.keys(files);
  expect(names[0]).toBe('model.usda');
  expect(names.some((n) => /^geometries\/.+\.usda$/.test(n))).toBe(true);
  expect(names.some((n) => /^textures\/.+\.(png|jpg)$/.test(n))).toBe(true);
  const scene = strFromU8(files['model.usda']!);
  // The painted body: the paint's colour scales the truck's texture, with its clearcoat.
  expect(scene).toMatch(/float inputs:clearcoat = 0\.5/);
  expect(hasDiffuse(scene, orange.color)).toBe(true);
  expect(usdz.length).toBeGreaterThan(100_000);
});

test('on an Android phone with ARCore, "Voir chez moi" asks for an immersive-ar session with hit-test, and says why it did not open', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  await goLive(baseURL!, ev);
  const viewer = await newPage(PHONE);
  await viewer.addInitScript(WEBXR);
  await openViewer(viewer, ev);
  await expect(viewer.getByTestId('ar')).toHaveAttribute('data-ar-mode', 'webxr');
  await viewer.getByRole('button', { name: 'Voir chez moi' }).click();
  await expect(viewer.getByRole('alert').filter({ hasText: 'Impossible d’afficher le véhicule chez vous' })).toContainText('la réalité augmentée n’est pas disponible sur cet appareil.');
  expect(await viewer.evaluate(() => (window as unknown as { xrRequests: unknown[] }).xrRequests)).toEqual([
    { mode: 'immersive-ar', required: ['hit-test'], optional: ['dom-overlay', 'light-estimation'], overlay: true },
  ]);
  // The overlay made for the session is gone with it.
  await expect(viewer.locator('.ar-overlay')).toHaveCount(0);
  await viewer.getByRole('button', { name: 'Fermer le message' }).click();
  await expect(viewer.getByRole('alert').filter({ hasText: 'Impossible d’afficher' })).toHaveCount(0);
});
