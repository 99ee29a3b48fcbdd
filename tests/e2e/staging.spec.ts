import type { Page } from '@playwright/test';
import type { StagingView } from '../../client/net/stagingApi.js';
import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { DESKTOP, drag, expect, test } from './fixtures.js';

const PREVIEW = '[data-testid="studio-preview"] .studio-preview-canvas';

/** Opens the staging editor of one event's card in the studio, once its 3D preview has drawn the car. */
async function openEditor(page: Page, code: string) {
  await page.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const card = page.getByRole('listitem').filter({ hasText: code });
  await card.getByRole('button', { name: 'Mettre en scène' }).click();
  // Software WebGL on two cores: the first frame of the showroom takes a while.
  await expect(card.getByTestId('studio-preview')).toHaveAttribute('data-ready', 'true', { timeout: 45_000 });
  return card;
}

test('the studio stages the demo car: a paint, a hotspot clicked on the car, a chapter from the current view', async ({ newPage, createEvent, request }) => {
  // WebGL in software on two cores: every paint change blends over ~30 frames of the preview.
  test.setTimeout(180_000);
  const ev = await createEvent({ title: 'Lancement Aura — mise en scène' });
  const studio = await newPage(DESKTOP);
  const card = await openEditor(studio, ev.code);
  const state = card.getByTestId('staging-state');
  await expect(state).toHaveText('Réglages par défaut');

  // A paint of our own, with a named finish.
  await card.getByRole('button', { name: 'Ajouter une teinte' }).click();
  await card.getByLabel('Nom', { exact: true }).fill('Orange Solaire');
  await card.getByLabel('Code couleur').fill('#e8590c');
  await card.getByRole('button', { name: 'Mat', exact: true }).click();
  await expect(card.getByRole('button', { name: 'Modifier « Orange Solaire »' })).toContainText('Mat');
  await expect(state).toHaveText('Modifications non enregistrées');

  // A hotspot, placed by clicking the car in the middle of the preview.
  await card.getByRole('tab', { name: /Points d’intérêt/ }).click();
  const hotspots = card.getByTestId('hotspot-item');
  await expect(hotspots).toHaveCount(3); // the demo car's
  await card.getByRole('button', { name: 'Placer un point d’intérêt' }).click();
  await expect(card.getByText('Cliquez sur le véhicule pour placer « Point 4 »')).toBeVisible();
  const box = (await studio.locator(PREVIEW).boundingBox())!;
  await studio.mouse.click(box.x + box.width / 2, box.y + box.height * 0.55);
  await expect(hotspots).toHaveCount(4);
  await expect(card.getByText(/Cliquez sur le véhicule pour placer/)).toBeHidden();
  await card.getByLabel('Titre', { exact: true }).fill('Portes affleurantes');
  await card.getByLabel('Texte').fill('Les poignées se déploient à l’approche de la clé.');
  await card.getByLabel('Bouton d’action').selectOption('test_drive');
  // Its marker is on the car, where it was clicked, with its new id.
  await expect(studio.locator('[data-hotspot="portes-affleurantes"]')).toHaveAttribute('data-visible', 'true');

  // A chapter from a view turned by hand, showing the new paint and the new hotspot.
  await drag(studio, PREVIEW, -160);
  await card.getByRole('tab', { name: /Chapitres/ }).click();
  await card.getByRole('button', { name: 'Ajouter un chapitre' }).click();
  const chapter = card.getByTestId('chapter-item').last();
  await expect(chapter.getByLabel('Titre', { exact: true })).toHaveValue('Intérieur'); // the agenda's first title not used yet
  await chapter.getByLabel('Teinte').selectOption({ label: 'Orange Solaire' });
  await chapter.getByLabel('Point d’intérêt').selectOption({ label: '4. Portes affleurantes' });
  await chapter.getByRole('button', { name: 'Monter « Intérieur »' }).click();

  await card.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(card.getByText('Enregistré : les écrans ouverts sont à jour.')).toBeVisible();
  await expect(state).toHaveText('Tout est enregistré');

  const res = await request.get(`/api/events/${ev.id}/vehicle`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
  expect(res.status()).toBe(200);
  const view = (await res.json()) as StagingView;
  expect(view.staged).toBe(true);
  expect(view.setup.paints.at(-1)).toEqual({ id: 'orange-solaire', name: 'Orange Solaire', color: '#e8590c', metalness: 0.3, roughness: 0.72, clearcoat: 0 });

  const placed = view.setup.hotspots.find((h) => h.id === 'portes-affleurantes')!;
  expect(placed).toMatchObject({ title: 'Portes affleurantes', cta: 'test_drive' });
  const [x, y, z] = placed.position;
  expect(Math.abs(x)).toBeLessThanOrEqual(2.5);
  expect(y).toBeGreaterThanOrEqual(0);
  expect(y).toBeLessThanOrEqual(1.6);
  expect(Math.abs(z)).toBeLessThanOrEqual(1.1);
  expect(Math.hypot(...placed.normal)).toBeCloseTo(1, 2);
  // Clicked from the camera's side (+z, the default three-quarter front view): the surface faces it.
  expect(placed.normal[2]).toBeGreaterThan(0);

  const titles = view.setup.chapters.map((c) => c.title);
  expect(titles).toEqual(['Extérieur', 'Design & lumière', 'Batterie & recharge', 'Teintes', 'Intérieur', 'Prix & offres']);
  const stored = view.setup.chapters[4]!;
  expect(stored).toMatchObject({ id: 'interieur', variant: 'orange-solaire', hotspot: 'portes-affleurantes' });
  expect(stored.pose.fov).toBe(40);
  expect(stored.pose.t).toBe(0);
  // The hand-turned view, not the default one.
  expect(stored.pose.position).not.toEqual([4.6, 1.6, 5.4]);
  // What viewers get: the studio's paints replace the demo's.
  expect(view.vehicle.variants.map((v) => v.id)).toContain('orange-solaire');
});

test('the editor names the field to fix before saving, and restores the defaults', async ({ newPage, createEvent, request }) => {
  test.setTimeout(180_000);
  const ev = await createEvent({ title: 'Lancement Aura — erreurs' });
  const studio = await newPage(DESKTOP);
  const card = await openEditor(studio, ev.code);

  await card.getByRole('tab', { name: /Chapitres/ }).click();
  await card.getByRole('button', { name: 'Modifier « Prix & offres »' }).click();
  const title = card.getByTestId('chapter-item').last().getByLabel('Titre', { exact: true });
  await title.fill('   ');
  await card.getByRole('tab', { name: /Teintes/ }).click();
  await card.getByRole('button', { name: 'Enregistrer' }).click();
  // The schema's verdict, in French, on the field itself; the editor opened its tab.
  await expect(card.getByText('1 champ à corriger avant d’enregistrer.')).toBeVisible();
  await expect(card.getByRole('tab', { name: /Chapitres/ })).toHaveAttribute('aria-selected', 'true');
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByText('Donnez un titre au chapitre (40 caractères au plus).')).toBeVisible();
  let res = await request.get(`/api/events/${ev.id}/vehicle`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
  expect(((await res.json()) as StagingView).staged).toBe(false); // nothing was sent

  await title.fill('Prix et financement');
  await expect(card.getByText('Donnez un titre au chapitre (40 caractères au plus).')).toBeHidden();
  await card.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(card.getByText('Enregistré : les écrans ouverts sont à jour.')).toBeVisible();
  res = await request.get(`/api/events/${ev.id}/vehicle`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
  const saved = (await res.json()) as StagingView;
  // A saved chapter keeps its id when renamed: live screens and reports refer to it.
  expect(saved.setup.chapters.at(-1)).toMatchObject({ id: 'prix', title: 'Prix et financement' });

  await card.getByRole('button', { name: 'Rétablir les réglages par défaut' }).click();
  await studio.getByRole('dialog').getByRole('button', { name: 'Rétablir les réglages par défaut' }).click();
  await expect(card.getByText('Réglages par défaut rétablis.')).toBeVisible();
  await expect(card.getByTestId('chapter-item').last()).toContainText('Prix & offres');
  res = await request.get(`/api/events/${ev.id}/vehicle`, { headers: { authorization: `Bearer ${ev.hostKey}` } });
  expect(((await res.json()) as StagingView).staged).toBe(false);
});
