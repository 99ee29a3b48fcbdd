import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { angleBetween, azimuth, DESKTOP, drag, expect, PHONE, test } from './fixtures.js';

test('a presenter turns the car and a phone viewer follows, looks around, and follows again', async ({ newPage, createEvent }) => {
  test.setTimeout(150_000); // three pages render WebGL in software on two cores
  const ev = await createEvent({ startsAt: new Date(Date.now() + 3_600_000).toISOString() });
  const host = await newPage(DESKTOP);
  await host.goto(ev.links.host);
  await expect(host.getByRole('heading', { name: ev.title })).toBeVisible();
  await expect(host.getByTestId('stage')).toHaveAttribute('data-camera-azimuth', /.+/);
  // An hour ahead of the announced time, going live is allowed and says what it does.
  await expect(host.getByRole('button', { name: 'Démarrer le direct' })).toHaveAccessibleDescription(/^Annoncé pour le .+ : le direct commencera dès maintenant pour tous les spectateurs\.$/);

  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByLabel('Votre prénom (facultatif)').fill('Camille');
  await viewer.getByRole('button', { name: 'Entrer' }).click();
  // Before the start: the waiting screen and its countdown.
  await expect(viewer.getByRole('heading', { name: 'Le lancement commence bientôt' })).toBeVisible();
  await expect(viewer.getByRole('timer')).toBeVisible();
  await expect(host.getByTestId('viewer-count')).toHaveText('1 spectateur');

  await host.getByRole('button', { name: 'Démarrer le direct' }).click();
  await expect(viewer.getByTestId('status')).toHaveText('En direct');
  await expect(viewer.getByRole('heading', { name: 'Le lancement commence bientôt' })).toBeHidden();
  await expect(viewer.getByTestId('stage')).toHaveAttribute('data-camera-azimuth', /.+/);

  // The presenter turns the car: the viewer's camera ends where the presenter's is.
  const before = await azimuth(host);
  await drag(host, '[data-testid=stage] canvas', 320);
  await expect.poll(async () => angleBetween(await azimuth(host), before)).toBeGreaterThan(20);
  await expect.poll(async () => angleBetween(await azimuth(viewer), await azimuth(host)), { timeout: 5000 }).toBeLessThan(2);
  await viewer.screenshot({ path: 'test-results/viewer-following.png' });
  await host.screenshot({ path: 'test-results/host-console.png' });

  // Free look: the viewer drags away, and a button offers to follow again.
  await drag(viewer, '[data-testid=stage] canvas', -200);
  const follow = viewer.getByRole('button', { name: 'Suivre le présentateur' });
  await expect(follow).toBeVisible();
  await expect.poll(async () => angleBetween(await azimuth(viewer), await azimuth(host))).toBeGreaterThan(10);
  await follow.click();
  await expect(follow).toBeHidden();
  await expect.poll(async () => angleBetween(await azimuth(viewer), await azimuth(host)), { timeout: 5000 }).toBeLessThan(2);

  // A late joiner starts where everybody is.
  await drag(host, '[data-testid=stage] canvas', -150);
  await expect.poll(async () => angleBetween(await azimuth(viewer), await azimuth(host)), { timeout: 5000 }).toBeLessThan(2);
  const late = await newPage(PHONE);
  await late.goto(`/e/${ev.code}`);
  await late.getByRole('button', { name: 'Continuer sans prénom' }).click();
  // A third page compiling its shaders in software WebGL: allow it time for its first frame.
  await expect(late.getByTestId('stage')).toHaveAttribute('data-camera-azimuth', /.+/, { timeout: 45_000 });
  await expect.poll(async () => angleBetween(await azimuth(late), await azimuth(host)), { timeout: 5000 }).toBeLessThan(2);
  await expect(host.getByTestId('viewer-count')).toHaveText('2 spectateurs');

  // The end reaches everybody.
  await expect(host.getByRole('button', { name: 'Chapitre suivant' })).toBeVisible();
  // The console asks first, in its own dialog: the focus on "Annuler", Escape changes nothing.
  const end = host.getByRole('button', { name: 'Terminer le lancement' });
  await end.click();
  const ending = host.getByRole('dialog', { name: 'Terminer le lancement' });
  await expect(ending).toContainText('Terminer le lancement pour tous les spectateurs\u00a0?');
  await expect(ending.getByRole('button', { name: 'Annuler' })).toBeFocused();
  await host.keyboard.press('Escape');
  await expect(ending).toBeHidden();
  await expect(end).toBeFocused();
  await expect(host.getByTestId('status')).toHaveText('En direct');
  await end.click();
  await ending.getByRole('button', { name: 'Terminer le lancement' }).click();
  await expect(viewer.getByRole('heading', { name: 'Le lancement est terminé' })).toBeVisible();
  await expect(late.getByRole('heading', { name: 'Le lancement est terminé' })).toBeVisible();
  // The console keeps what is still of use (replay, inbox, report), not the controls of a show that is over.
  await expect(host.getByText('Ce lancement est terminé.')).toBeVisible();
  await expect(host.getByRole('button', { name: 'Chapitre suivant' })).toHaveCount(0);
  await expect(host.getByRole('button', { name: 'Essai', exact: true })).toHaveCount(0);
  // Someone opening the link afterwards is not asked to join: the closing card, at once.
  const after = await newPage(PHONE);
  await after.goto(`/e/${ev.code}`);
  await expect(after.getByRole('heading', { name: 'Le lancement est terminé' })).toBeVisible();
  await expect(after.getByRole('button', { name: 'Continuer sans prénom' })).toHaveCount(0);
  // The studio's card and the QR poster say when it took place, not the date once planned.
  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  await expect(studio.getByRole('listitem').filter({ hasText: ev.code }).first()).toContainText(/terminé le \w+ \d+/);
  await studio.goto(`/e/${ev.code}/poster`);
  await expect(studio.getByTestId('poster')).toContainText('Présenté le');
  await expect(studio.getByTestId('poster')).toContainText('Scannez pour revoir la présentation');
});

test('a host link with a wrong key is refused with a clear message', async ({ newPage, createEvent, expectedErrors }) => {
  expectedErrors.push(/status of 403/);
  const ev = await createEvent();
  const page = await newPage(DESKTOP);
  await page.goto(`/host/${ev.id}#key=not-the-right-key`);
  await expect(page.getByRole('alert')).toHaveText('Ce lien présentateur n’est pas valide. Demandez un nouveau lien au studio.');
});
