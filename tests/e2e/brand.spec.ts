import fs from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import type { EventBrand } from '../../shared/brand.js';
import type { EventCreated } from '../../shared/event.js';
import { E2E_ADMIN_TOKEN } from '../../playwright.config.js';
import { DESKTOP, expect, goLive, PHONE, test } from './fixtures.js';

const SHOTS = '/tmp/shots-brand';
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 48">
  <path d="M6 40 L22 8 L38 40 Z" fill="#e4002b"/><text x="50" y="34" font-family="sans-serif" font-size="28" font-weight="700" fill="#ffffff">AURA</text>
  <script>document.title = 'pwned'</script></svg>`;

async function brand(request: APIRequestContext, event: EventCreated, patch: Partial<EventBrand>): Promise<EventBrand> {
  const res = await request.patch(`/api/events/${event.id}/brand`, { headers: { authorization: `Bearer ${event.hostKey}` }, data: patch });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { brand: EventBrand }).brand;
}

async function logo(request: APIRequestContext, event: EventCreated): Promise<string> {
  const res = await request.put(`/api/events/${event.id}/brand/logo`, { headers: { authorization: `Bearer ${event.hostKey}`, 'content-type': 'image/svg+xml' }, data: LOGO_SVG });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { brand: EventBrand }).brand.logoUrl!;
}

/** The computed background of the page's main button: what a person sees as "the brand colour". */
const primaryColour = (page: Page) => page.locator('.btn-primary').first().evaluate((el) => getComputedStyle(el).backgroundColor);

test('a branded viewer page uses the brand accent and logo, and follows a change live', async ({ newPage, createEvent, request }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const event = await createEvent({ title: 'Lancement Aura EV', startsAt: '2026-12-01T18:00:00Z' });
  await brand(request, event, { name: 'Aura Motors', accent: '#e4002b', background: '#0a1a3a' });
  const logoUrl = await logo(request, event);

  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${event.code}`);
  // The name step (brand from GET /api/events/:code).
  const mark = viewer.getByRole('img', { name: 'Aura Motors' });
  await expect(mark).toBeVisible();
  await expect(mark).toHaveAttribute('src', logoUrl);
  expect(await mark.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect.poll(() => primaryColour(viewer)).toBe('rgb(228, 0, 43)');
  expect(await viewer.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(10, 26, 58)');
  // The sanitised SVG never ran its script, even loaded as the page's own image.
  expect(await viewer.title()).not.toBe('pwned');
  await viewer.screenshot({ path: `${SHOTS}/e2e-viewer-name.png` });

  // The live view (brand from the socket's state), then a change from the studio, without reload.
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  await expect(viewer.getByTestId('status')).toBeVisible(); // the socket's state has arrived
  await expect(viewer.locator('.topbar').getByRole('img', { name: 'Aura Motors' })).toBeVisible();
  await brand(request, event, { accent: '#ffd400' });
  await expect.poll(() => viewer.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent'))).toBe('#ffd400');
  // A light accent gets dark ink for its buttons' text.
  expect(await viewer.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent-ink'))).toBe('#0b0d12');
  await viewer.screenshot({ path: `${SHOTS}/e2e-viewer-live.png` });

  // Back to Vitrine's look: the variables go, the Vitrine logo is back.
  await brand(request, event, { name: null, logoUrl: null, accent: null, background: null });
  await expect(viewer.locator('.topbar .logo')).toHaveText('Vitrine');
  await expect.poll(() => viewer.evaluate(() => document.documentElement.style.getPropertyValue('--accent'))).toBe('');
});

test('on a 390 px phone, live, a long brand name keeps its place in the top bar beside the live badge and the count', async ({ newPage, createEvent, request, baseURL }) => {
  const event = await createEvent({ title: 'Lancement Aura EV' });
  await brand(request, event, { name: 'Maison Lumière Automobiles', accent: '#0b1f5c' });
  await goLive(baseURL!, event);
  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${event.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  await expect(viewer.getByTestId('status')).toBeVisible();
  const name = viewer.locator('.topbar .brand-name');
  await expect(name).toHaveText('Maison Lumière Automobiles');
  // Cut with an ellipsis if it must be, never squeezed to nothing (it was 0 px wide).
  expect((await name.boundingBox())!.width).toBeGreaterThanOrEqual(60);
  // The count, a figure on a phone, still reads in full to a screen reader; nothing overflows.
  await expect(viewer.locator('.topbar .viewers-pill')).toContainText('1 spectateur');
  expect(await viewer.locator('.topbar').evaluate((bar) => bar.scrollWidth <= bar.clientWidth)).toBe(true);
  await viewer.locator('.topbar').screenshot({ path: 'test-results/brand-topbar-390.png' });
});

test('the QR poster prints as exactly one A4 page with the brand, the code and the link', async ({ newPage, createEvent, request }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const event = await createEvent({ title: 'Lancement Aura EV', startsAt: '2026-12-01T18:00:00Z' });
  await brand(request, event, { name: 'Aura Motors', accent: '#e4002b', background: '#0a1a3a' });
  await logo(request, event);

  const page = await newPage(DESKTOP);
  await page.goto(`/e/${event.code.toLowerCase()}/poster`);
  const poster = page.getByTestId('poster');
  await expect(poster.getByRole('heading', { name: 'Lancement Aura EV' })).toBeVisible();
  await expect(poster.getByRole('img', { name: 'Aura Motors' })).toBeVisible();
  await expect(poster.getByText('Scannez pour suivre le lancement en direct')).toBeVisible();
  await expect(poster.getByTestId('poster-code')).toHaveText(event.code);
  await expect(poster.getByText(event.links.viewer.replace(/^https?:\/\//, ''))).toBeVisible();
  // French date, in the page's time zone: the weekday and month spelled out.
  await expect(poster.getByText(/^(Lundi|Mardi|Mercredi) (1er|2) décembre 2026 à \d\d:\d\d$/)).toBeVisible();
  const qr = poster.getByRole('img', { name: new RegExp(`QR code.*${event.code}`) });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  // The sheet is drawn in the brand's colours (a gradient from its background).
  expect(await poster.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain('rgb(10, 26, 58)');
  await expect(page).toHaveTitle('Affiche — Lancement Aura EV');
  await page.screenshot({ path: `${SHOTS}/e2e-poster-screen.png`, fullPage: true });

  // In print the toolbar goes; the PDF is one A4 page (595 × 842 pt).
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('poster-print')).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/e2e-poster-print.png`, fullPage: true });
  const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
  fs.writeFileSync(`${SHOTS}/e2e-poster.pdf`, pdf, 'latin1');
  expect(pdf.match(/\/Type\s*\/Page(?!s)/g), 'PDF pages').toHaveLength(1);
  const [w, h] = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf)!.slice(1).map(Number);
  expect(Math.round(w!)).toBe(596);
  expect(Math.round(h!)).toBe(843);
});

test('the studio brand panel saves colours, warns on low contrast and takes an SVG logo', async ({ newPage, createEvent, expectedErrors }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // The browser logs the refused logo upload (400) on purpose.
  expectedErrors.push(/status of 400/);
  const event = await createEvent({ title: 'Lancement Studio Brand' });
  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const panel = studio.locator('.event-card').filter({ hasText: event.code }).locator('.brand-panel');
  await panel.getByRole('button', { name: 'Personnaliser' }).click();

  await panel.getByLabel('Nom de la marque').fill('Aura Motors');
  await panel.getByLabel('Couleur d’accent, code hexadécimal').fill('#1a2a4a');
  await panel.getByLabel('Couleur de fond, code hexadécimal').fill('#0a1a3a');
  await expect(panel.getByTestId('brand-contrast')).toContainText('Contraste faible');
  await panel.getByLabel('Couleur d’accent, code hexadécimal').fill('#e4002b');
  await expect(panel.getByTestId('brand-contrast')).toContainText('Contraste accent / fond');
  await panel.getByLabel('Couleur de fond, code hexadécimal').fill('#12');
  await expect(panel.getByText('Saisissez une couleur au format #rrggbb')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Enregistrer' })).toBeDisabled();
  await panel.getByLabel('Couleur de fond, code hexadécimal').fill('#0a1a3a');
  await panel.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(panel.getByTestId('brand-notice')).toContainText('Enregistré');

  await panel.getByTestId('brand-logo-file').setInputFiles({ name: 'broken.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg><g></svg>') });
  await expect(panel.getByTestId('brand-logo-error')).toContainText('Cette image ne peut pas servir de logo');
  await panel.getByTestId('brand-logo-file').setInputFiles({ name: 'aura.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO_SVG) });
  await expect(panel.getByTestId('brand-logo-preview')).toBeVisible();
  await expect(panel.getByTestId('brand-preview').getByRole('img', { name: 'Aura Motors' })).toBeVisible();
  await panel.screenshot({ path: `${SHOTS}/e2e-studio-panel.png` });

  // What the studio saved is what every page gets.
  const pub = (await (await studio.request.get(`/api/events/${event.code}`)).json()) as { brand: EventBrand };
  expect(pub.brand).toMatchObject({ name: 'Aura Motors', accent: '#e4002b', background: '#0a1a3a', logoUrl: expect.stringMatching(/^\/media\/.+\.svg$/) });
  await expect(panel.getByTestId('poster-link')).toHaveAttribute('href', `/e/${event.code}/poster`);
});

test('the studio picks the reactions; a viewer on a 320 px phone gets them live, all six in view', async ({ newPage, createEvent, baseURL }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const event = await createEvent({ title: 'Lancement Réactions' });
  await goLive(baseURL!, event);
  const viewer = await newPage({ ...PHONE, viewport: { width: 320, height: 640 } });
  await viewer.goto(`/e/${event.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  const bar = viewer.getByRole('group', { name: 'Réactions' });
  await expect(bar.getByRole('button')).toHaveCount(5);

  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const panel = studio.locator('.event-card').filter({ hasText: event.code }).locator('.brand-panel');
  await panel.getByRole('button', { name: 'Personnaliser' }).click();
  const field = panel.getByTestId('brand-reactions');
  await field.getByRole('button', { name: 'Retirer 😮' }).click();
  await field.getByRole('button', { name: 'Ajouter 🚗' }).click();
  // Typed: not an emoji, twice the same, then a flag with Enter.
  const other = field.getByLabel('Autre emoji');
  await other.fill('ok');
  await other.press('Enter');
  await expect(panel.getByTestId('brand-reactions-error')).toHaveText('Saisissez un seul emoji, par exemple 🚗.');
  await other.fill('🔥');
  await other.press('Enter');
  await expect(panel.getByTestId('brand-reactions-error')).toHaveText('🔥 est déjà dans la liste.');
  await other.fill('🇫🇷');
  await other.press('Enter');
  await expect(panel.getByTestId('brand-reactions-error')).toBeEmpty();
  await expect(field.getByRole('list', { name: 'Réactions choisies' })).toHaveText(/❤️×👏×🔥×⚡×🚗×🇫🇷×/);
  // Six is the most a phone's bar holds: the palette is then disabled.
  await expect(field.getByRole('button', { name: 'Ajouter 🔋' })).toBeDisabled();
  await expect(panel.getByTestId('brand-preview-reactions')).toHaveText('❤️👏🔥⚡🚗🇫🇷');
  await panel.screenshot({ path: `${SHOTS}/e2e-studio-reactions.png` });
  await panel.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(panel.getByTestId('brand-notice')).toContainText('Enregistré');

  // The open phone follows without a reload; every button lies inside the 320 px screen.
  await expect(bar.getByRole('button')).toHaveCount(6);
  await expect(bar.getByRole('button', { name: 'Réagir : 😮' })).toHaveCount(0);
  await bar.getByRole('button', { name: 'Réagir : 🚗' }).click();
  await expect(viewer.getByTestId('reaction-burst').first()).toBeVisible();
  for (const button of await bar.getByRole('button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    expect(box.width).toBeGreaterThanOrEqual(30);
  }
  // The Q&A button keeps its name for a screen reader though its label is hidden at this width.
  await expect(viewer.locator('.qa-open')).toBeVisible();
  await expect(viewer.locator('.qa-open')).toHaveAccessibleName(/^Questions/);
  await viewer.screenshot({ path: `${SHOTS}/e2e-viewer-reactions-320.png` });

  // Back to the default set from the studio.
  await panel.getByRole('button', { name: 'Réactions par défaut' }).click();
  await panel.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(bar.getByRole('button')).toHaveCount(5);
  await expect(bar.getByRole('button', { name: 'Réagir : 😮' })).toBeVisible();
});

test('the privacy page wears the brand, names it as the organiser and links the contact for exercising rights', async ({ newPage, createEvent, request }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const event = await createEvent({ title: 'Lancement Aura EV', startsAt: '2026-12-01T18:00:00Z' });
  await brand(request, event, { name: 'Aura Motors', accent: '#e4002b' });
  const page = await newPage(PHONE);
  // No contact yet: the default notice names the brand, and no contact line is shown.
  await page.goto(`/e/${event.code}/privacy`);
  await expect(page.getByText('Aura Motors, qui organise ce lancement')).toBeVisible();
  await expect(page.locator('.topbar').getByText('Aura Motors')).toBeVisible();
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent'))).toBe('#e4002b');
  await expect(page.locator('.privacy-contact')).toHaveCount(0);

  // The studio's form: a wrong contact is refused in words, an e-mail address is kept.
  const studio = await newPage(DESKTOP);
  await studio.goto(`/studio#token=${E2E_ADMIN_TOKEN}`);
  const card = studio.locator('.event-card').filter({ hasText: event.code });
  await card.getByRole('button', { name: 'Concessionnaires et confidentialité' }).click();
  const form = card.locator('.privacy-form');
  const contact = form.getByLabel('Contact pour exercer ses droits');
  await contact.fill('dpo chez aura');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(form.getByRole('alert')).toHaveText('Le contact est une adresse e-mail (dpo@marque.fr) ou une adresse https://.');
  await contact.fill('dpo@aura-motors.fr');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(form.getByText('Paramètres enregistrés.')).toBeVisible();

  await page.reload();
  const link = page.getByRole('link', { name: 'dpo@aura-motors.fr' });
  await expect(link).toHaveAttribute('href', 'mailto:dpo@aura-motors.fr');
  await expect(page.locator('.privacy-contact')).toContainText('Pour exercer vos droits');
  await page.screenshot({ path: `${SHOTS}/e2e-privacy.png`, fullPage: true });
});
