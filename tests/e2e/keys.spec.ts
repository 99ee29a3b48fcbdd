import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { DESKTOP, expect, test } from './fixtures.js';

/** The console without its 3D stage (its poster instead): what is tested here is the link, and software WebGL costs seconds. */
const NO_WEBGL = () => {
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    return /webgl/i.test(type) ? null : (getContext as (...a: unknown[]) => unknown).call(this, type, ...rest);
  } as typeof getContext;
};

test('the studio replaces the presenter link: the console open with the old link says it is no longer valid', async ({ newPage, createEvent }) => {
  const title = `Lancement clés ${Date.now()}`;
  const ev = await createEvent({ title });
  const consolePage = await newPage(DESKTOP);
  await consolePage.addInitScript(NO_WEBGL);
  await consolePage.goto(`/host/${ev.id}#key=${ev.hostKey}`);
  await expect(consolePage.getByRole('heading', { name: title })).toBeVisible();

  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const card = studio.getByRole('listitem').filter({ has: studio.getByRole('heading', { name: title }) });
  await card.getByRole('button', { name: 'Accès', exact: true }).click();
  const host = card.getByRole('listitem', { name: 'Présentateur' });
  await expect(host.getByText('Actif')).toBeVisible();
  await host.getByRole('button', { name: 'Nouveau lien' }).click();
  const asked = studio.getByRole('dialog', { name: 'Nouveau lien' });
  await expect(asked).toHaveText(/Remplacer le lien « Présentateur »\u00a0\? L’ancien lien cessera aussitôt de fonctionner, y compris sur les pages déjà ouvertes\./);
  await asked.getByRole('button', { name: 'Nouveau lien' }).click();
  const fresh = card.getByTestId('access-fresh');
  await expect(fresh).toContainText(`/host/${ev.id}#key=`);
  expect(await fresh.locator('code').textContent()).not.toContain(ev.hostKey);

  // The console was never reloaded: the server closed its socket, the reconnection was refused.
  await expect(consolePage.getByRole('alert').filter({ hasText: 'Ce lien n’est plus valide' })).toHaveText(/^Ce lien n’est plus valide : il a été remplacé ou révoqué\./);
  await expect(consolePage.getByRole('heading', { name: title })).toHaveCount(0);
  await card.locator(`#access-${ev.id}`).screenshot({ path: 'test-results/studio-access.png' });
  // The new link itself opens the console: integration test keys.test.ts (without a 3D page here).
});

test('a dealer link revoked in Accès disappears from the open dealer directory at once, no reopening', async ({ newPage, createEvent, request }) => {
  const title = `Annuaire clés ${Date.now()}`;
  const ev = await createEvent({ title });
  const dealer = { id: 'lyon-acces', name: 'Garage Accès Lyon', postcode: '69003', city: 'Lyon', latitude: 45.76, longitude: 4.85, email: 'acces@example.fr' };
  const put = await request.put(`/api/events/${ev.id}/directory/${dealer.id}`, { headers: { authorization: `Bearer ${ev.hostKey}` }, data: dealer });
  expect(put.status()).toBe(200);

  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const card = studio.getByRole('listitem').filter({ has: studio.getByRole('heading', { name: title }) });
  await card.getByRole('button', { name: 'Concessionnaires et confidentialité' }).click();
  const row = card.getByTestId('directory-dealer').filter({ hasText: dealer.name });
  await expect(row.getByRole('link', { name: new RegExp(dealer.name) })).toBeVisible();

  await card.getByRole('button', { name: 'Accès', exact: true }).click();
  await card.getByRole('listitem', { name: `Concession : ${dealer.name}` }).getByRole('button', { name: 'Révoquer' }).click();
  await studio.getByRole('dialog').getByRole('button', { name: 'Révoquer' }).click();
  // The directory (still open) read its links again: the revoked one is no longer offered.
  await expect(row.getByText('Révoqué')).toBeVisible();
  await expect(row.getByRole('link', { name: new RegExp(dealer.name) })).toHaveCount(0);
});
