import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { DESKTOP, expect, PHONE, test } from './fixtures.js';

test('the studio creates an event with its code, QR code and links; a phone joins by code', async ({ newPage, expectedErrors }) => {
  expectedErrors.push(/status of 403/); // the wrong token, tried on purpose
  const studio = await newPage(DESKTOP);
  await studio.goto('/studio');
  await studio.getByLabel('Jeton administrateur').fill('wrong-token-000000');
  await studio.getByRole('button', { name: 'Se connecter' }).click();
  await expect(studio.getByRole('alert').first()).toHaveText('Ce jeton n’est pas valide.');
  await studio.getByLabel('Jeton administrateur').fill(E2E_ADMIN_TOKEN);
  await studio.getByRole('button', { name: 'Se connecter' }).click();

  await studio.getByLabel('Titre').fill('Lancement Aura EV — Paris');
  // A date already passed is allowed, with a word of warning.
  await studio.getByLabel('Date et heure de début').fill('2020-01-15T19:30');
  await expect(studio.getByText('Cette date est déjà passée')).toBeVisible();
  await studio.getByLabel('Date et heure de début').fill('2030-06-15T19:30');
  await expect(studio.getByText('Cette date est déjà passée')).toBeHidden();
  await studio.getByRole('button', { name: 'Créer le lancement' }).click();
  const created = studio.getByRole('status');
  await expect(created.getByText('Lancement créé')).toBeVisible();
  await expect(studio.getByLabel('Date et heure de début')).toHaveValue(''); // the next event starts from a clean form
  const code = (await created.getByTestId('event-code').textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
  await expect(created.getByTestId('qr')).toBeVisible();
  await expect(created.getByText(`/e/${code}`)).toBeVisible();
  await expect(created.getByText(/\/host\/.+#key=/)).toBeVisible();
  await expect(created.getByText(/\/dealer\/.+#key=/)).toBeVisible();
  const card = studio.getByRole('listitem').filter({ hasText: 'Lancement Aura EV — Paris' });
  await expect(card).toBeVisible();
  // The event's links and QR code, behind a labelled button, open right under it.
  const details = card.getByRole('button', { name: 'Liens et QR code' });
  await details.click();
  await expect(details).toHaveAttribute('aria-expanded', 'true');
  await expect(card.getByTestId('event-code')).toHaveText(code);
  const button = (await details.boundingBox())!;
  const panel = (await card.locator('.event-details').boundingBox())!;
  expect(panel.y - (button.y + button.height)).toBeGreaterThanOrEqual(0);
  expect(panel.y - (button.y + button.height)).toBeLessThan(80);
  await studio.screenshot({ path: 'test-results/studio.png', fullPage: true });

  const phone = await newPage(PHONE);
  await phone.goto('/');
  await phone.getByLabel('Code de l’événement').fill('ZZZ');
  await phone.getByRole('button', { name: 'Rejoindre' }).click();
  await expect(phone.getByRole('alert')).toHaveText('Un code compte 6 caractères (lettres et chiffres).');
  await phone.getByLabel('Code de l’événement').fill(code.toLowerCase());
  await phone.getByRole('button', { name: 'Rejoindre' }).click();
  await expect(phone).toHaveURL(new RegExp(`/e/${code}$`));
  await expect(phone.getByRole('heading', { name: 'Lancement Aura EV — Paris' })).toBeVisible();
  await phone.getByRole('button', { name: 'Entrer' }).click();
  await expect(phone.getByRole('heading', { name: 'Le lancement commence bientôt' })).toBeVisible();
  await expect(phone.getByText(/juin 2030/)).toBeVisible();
  await phone.screenshot({ path: 'test-results/viewer-waiting.png' });
});

test('the viewer page switches to English', async ({ newPage, createEvent }) => {
  const ev = await createEvent();
  const page = await newPage(PHONE);
  await page.goto(`/e/${ev.code}`);
  await page.getByRole('button', { name: /English/ }).click();
  await expect(page.getByRole('button', { name: 'Enter' })).toBeVisible();
});

test('a launch set to English in the studio opens in English in a French browser, until the viewer picks French', async ({ newPage, request }) => {
  const res = await request.post('/api/events', { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` }, data: { title: 'Aura EV — international press', locale: 'en' } });
  expect(res.status()).toBe(201);
  const ev = (await res.json()) as { code: string };
  const page = await newPage(PHONE); // a French phone (fr-FR)
  const loads: string[] = [];
  page.on('request', (r) => void (new URL(r.url()).pathname === `/api/events/${ev.code}` && loads.push(r.url())));
  await page.goto(`/e/${ev.code}`);
  await expect(page.getByRole('button', { name: 'Enter' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(loads, 'the switch to the event’s language does not load the event again').toHaveLength(1);
  // The viewer's own choice wins, and is kept on reload.
  await page.getByRole('button', { name: /Français/ }).click();
  await expect(page.getByRole('button', { name: 'Entrer' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Entrer' })).toBeVisible();
});

test('a launch past its start date says it is about to start, then that it has not started, not "soon"', async ({ newPage, createEvent }) => {
  const justLate = await createEvent({ title: 'Lancement en retard', startsAt: new Date(Date.now() - 5 * 60_000).toISOString() });
  const phone = await newPage(PHONE);
  await phone.goto(`/e/${justLate.code}`);
  await phone.getByRole('button', { name: 'Continuer sans prénom' }).click();
  await expect(phone.getByRole('heading', { name: 'Le lancement commence bientôt' })).toBeVisible();
  await expect(phone.getByText('Le présentateur va démarrer d’un instant à l’autre.')).toBeVisible();

  // An hour late: no countdown at zero, no promise; the planned date and what to do.
  const hourLate = await createEvent({ title: 'Lancement reporté', startsAt: new Date(Date.now() - 60 * 60_000).toISOString() });
  await phone.goto(`/e/${hourLate.code}`);
  await phone.getByRole('button', { name: 'Continuer sans prénom' }).click();
  await expect(phone.getByRole('heading', { name: 'Le lancement n’a pas encore commencé' })).toBeVisible();
  await expect(phone.getByText(/^Prévu le .+ à \d\d:\d\d$/)).toBeVisible();
  await expect(phone.getByText('Restez sur cette page : le direct s’affichera ici automatiquement.')).toBeVisible();
  await expect(phone.getByText('Le présentateur va démarrer d’un instant à l’autre.')).toBeHidden();
  await expect(phone.getByRole('heading', { name: 'Le lancement commence bientôt' })).toBeHidden();
});
