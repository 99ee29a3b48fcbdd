import type { BrowserContextOptions, Page } from '@playwright/test';
import { DESKTOP, expect, LYON_DEALER_CSV, PHONE, test, watchErrors } from './fixtures.js';


/** The dashboard and the report draw no 3D: pages without WebGL keep two cores free for the test. */
const NO_WEBGL = () => {
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    return /webgl/i.test(type) ? null : (getContext as (...a: unknown[]) => unknown).call(this, type, ...rest);
  } as typeof getContext;
};

test('the presenter watches the audience, questions, reactions and a lead arrive on the dashboard, then prints the report', async ({ newPage, createEvent, request, errors }) => {
  test.setTimeout(120_000);
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const imported = await request.put(`/api/events/${ev.id}/directory`, { headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'text/csv' }, data: LYON_DEALER_CSV });
  expect(imported.status()).toBe(200);
  const open = async (options: BrowserContextOptions) => {
    const page = await newPage(options);
    await page.context().addInitScript(NO_WEBGL);
    return page;
  };

  const host = await open(DESKTOP);
  await host.goto(ev.links.host);
  await host.getByRole('button', { name: 'Démarrer le direct' }).click();
  await expect(host.getByTestId('status')).toHaveText('En direct');
  await host.getByRole('tab', { name: 'Statistiques' }).click();
  const dash = host.getByTestId('dashboard');
  await expect(dash.getByTestId('dash-now')).toHaveText('0');
  await expect(dash.getByTestId('dash-leads')).toHaveText('0');

  // A viewer comes in: "now" follows the room at once, the peak and the chart the next report.
  const viewer = await open(PHONE);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByLabel('Votre prénom (facultatif)').fill('Camille');
  await viewer.getByRole('button', { name: 'Entrer' }).click();
  await expect(viewer.getByTestId('status')).toHaveText('En direct');
  await expect(dash.getByTestId('dash-now')).toHaveText('1');
  await expect(dash.getByTestId('dash-peak')).toHaveText('1');
  await expect(dash.getByTestId('dash-unique')).toHaveText('1');

  // A reaction, a question, another reaction (the page lets a viewer tap 10 times a second at most).
  await viewer.getByRole('button', { name: 'Réagir : 🔥' }).click();
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await viewer.getByLabel('Votre question').fill('Quelle autonomie en hiver ?');
  await viewer.getByRole('button', { name: 'Envoyer' }).click();
  await expect(viewer.getByText('Merci ! Votre question sera publiée après relecture.')).toBeVisible();
  await viewer.getByRole('button', { name: 'Fermer' }).click();
  await viewer.getByRole('button', { name: 'Réagir : 👏' }).click();
  await expect(dash.getByTestId('dash-reactions')).toHaveText('2');
  await expect(dash.getByTestId('dash-questions')).toHaveText('1');

  // A test drive booked from the call to action, routed to the dealer nearest to 69003.
  await host.getByRole('tab', { name: 'Présentation' }).click();
  await host.getByRole('button', { name: 'Essai', exact: true }).click();
  await host.getByRole('tab', { name: 'Statistiques' }).click();
  await viewer.getByTestId('lead-cta').getByRole('button', { name: 'Réserver un essai' }).click();
  const form = viewer.getByRole('dialog');
  await form.getByLabel('Nom', { exact: true }).fill('Durand');
  await form.getByLabel('E-mail').fill('camille.durand@exemple.fr');
  await form.getByLabel(/^Téléphone/).fill('06 12 34 56 78');
  await form.getByLabel(/^Code postal/).fill('69003');
  await expect(form.getByText('Garage du Rhône')).toBeVisible();
  await form.getByLabel(/J’accepte que l’organisateur/).check();
  await form.getByRole('button', { name: 'Réserver mon essai' }).click();
  await expect(viewer.getByRole('heading', { name: 'Votre demande a bien été envoyée' })).toBeVisible();

  await expect(dash.getByTestId('dash-leads')).toHaveText('1');
  await expect(dash.getByTestId('leads-by-type').locator('li').first()).toContainText(/Essai\s*1/);
  await expect(dash.locator('[data-testid="chart"] canvas').first()).toBeVisible();
  await host.screenshot({ path: 'test-results/report-dashboard-desktop.png' });

  // The full report opens in a new tab, with the same key.
  const [report] = await Promise.all([host.context().waitForEvent('page'), dash.getByTestId('report-link').click()]);
  watchErrors(report, errors, []);
  await checkReport(report);
  await report.screenshot({ path: 'test-results/report-desktop.png', fullPage: true });

  // On paper: no buttons, light background, the charts redrawn for an A4 page.
  await report.emulateMedia({ media: 'print' });
  await expect(report.getByTestId('report-print')).toBeHidden();
  expect(await report.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
  // PRINT_PLOT_WIDTH_PX (TimelineChart.tsx): the width of an A4 page's text less the chart's card.
  await expect.poll(() => report.locator('[data-testid="chart"] canvas').first().evaluate((c) => c.getBoundingClientRect().width)).toBe(650);
  // The page's text box on A4 with the report's margins (182 mm × 267 mm at 96 dpi): nothing sticks out.
  await report.setViewportSize({ width: 688, height: 1009 });
  expect(await report.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(688);
  await report.screenshot({ path: 'test-results/report-print.png', fullPage: true });

  // A phone reads it too.
  const phone = await open(PHONE);
  await phone.goto(report.url());
  await checkReport(phone);
  await phone.screenshot({ path: 'test-results/report-phone.png', fullPage: true });
});

async function checkReport(page: Page) {
  const doc = page.getByTestId('report');
  await expect(doc.getByRole('heading', { name: 'Lancement Aura EV', level: 1 })).toBeVisible();
  await expect(doc.getByTestId('report-unique')).toHaveText('1');
  await expect(doc.getByTestId('report-peak')).toHaveText('1');
  await expect(doc.getByTestId('report-questions')).toHaveText('1');
  await expect(doc.getByTestId('report-reactions')).toHaveText('2');
  await expect(doc.getByTestId('report-leads')).toHaveText('1');
  // One of each says so in the singular: "1 question posée", not "1 questions posées".
  const label = (testId: string) => doc.getByTestId(testId).locator('xpath=following-sibling::span[1]');
  await expect(label('report-unique')).toHaveText('spectateur unique');
  await expect(label('report-questions')).toHaveText('question posée');
  await expect(label('report-reactions')).toHaveText('réactions');
  await expect(label('report-leads')).toHaveText('demande reçue');
  await expect(doc.getByTestId('report-dealers').getByRole('row', { name: /Garage du Rhône/ })).toContainText('1');
  await expect(doc.getByTestId('report-ambassadors').getByRole('row', { name: /Camille/ })).toBeVisible();
  // Viewers, arrivals, reactions, questions, votes and leads per minute.
  await expect(doc.locator('[data-testid="chart"] canvas')).toHaveCount(6);
  await expect(page.getByRole('button', { name: 'Imprimer / PDF' })).toBeVisible();
}
