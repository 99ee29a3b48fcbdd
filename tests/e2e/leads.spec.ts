import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import { io } from 'socket.io-client';
import { CONTACT_UNDO_MS } from '../../client/features/dealer/leads.view.js';
import { CONSENT_TEXT_VERSION } from '../../shared/lead.js';
import { boxesOverlap, DESKTOP, drag, expect, PHONE, presenter, test } from './fixtures.js';

const DEALERS_CSV = [
  'id;nom;adresse;code postal;ville;latitude;longitude;email;téléphone',
  'lyon-1;Garage du Rhône;12 quai Perrache;69002;Lyon;45,7490;4,8260;contact@garage-rhone.fr;04 78 00 00 00',
  'paris-1;Auto Bastille;3 rue de la Roquette;75011;Paris;48,8553;2,3713;ventes@auto-bastille.fr;01 43 00 00 00',
].join('\r\n');

test('a viewer on a phone books a test drive from the live CTA; the dealer sees it arrive and downloads it for Excel', async ({ newPage, createEvent, request }) => {
  test.setTimeout(150_000); // two pages render WebGL in software on two cores
  const ev = await createEvent();
  const imported = await request.put(`/api/events/${ev.id}/directory`, { headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'text/csv' }, data: DEALERS_CSV });
  expect(imported.status()).toBe(200);

  // The event's dealer page is open before the lead exists: it must appear without a reload.
  const dealer = await newPage({ ...DESKTOP, acceptDownloads: true });
  await dealer.goto(ev.links.dealer);
  await expect(dealer.getByRole('heading', { name: 'Demandes reçues' })).toBeVisible();
  await expect(dealer.getByTestId('lead')).toHaveCount(0);

  const host = await newPage(DESKTOP);
  await host.goto(ev.links.host);
  await host.getByRole('button', { name: 'Démarrer le direct' }).click();
  await expect(host.getByTestId('status')).toHaveText('En direct');

  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByLabel('Votre prénom (facultatif)').fill('Camille');
  await viewer.getByRole('button', { name: 'Entrer' }).click();
  await expect(viewer.getByTestId('status')).toHaveText('En direct');

  // The presenter pushes the test-drive call to action: it slides up on the phone.
  await host.getByRole('button', { name: 'Essai', exact: true }).click();
  const cta = viewer.getByTestId('lead-cta');
  await expect(cta).toContainText('Réservez votre essai');
  const book = cta.getByRole('button', { name: 'Réserver un essai' });
  await expect(book).toBeInViewport();
  await viewer.screenshot({ path: 'test-results/leads-viewer-cta.png' });
  // Turning the car on one's own, the card steps aside: "follow the presenter" is free to tap
  // (the card once covered it), the "interested" button stays; following again brings it back.
  await drag(viewer, '[data-testid=stage] canvas', -160);
  const follow = viewer.getByRole('button', { name: 'Suivre le présentateur' });
  await expect(follow).toBeVisible();
  await expect(cta).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Je suis intéressé·e' })).toBeVisible();
  await follow.click({ trial: true }); // nothing on top of it takes the tap
  await follow.click();
  await expect(cta).toContainText('Réservez votre essai');
  // The questions sheet the viewer opens is not covered by it either.
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await expect(viewer.getByRole('dialog', { name: 'Questions au présentateur' })).toBeVisible();
  await expect(cta).toBeHidden();
  await viewer.getByRole('dialog', { name: 'Questions au présentateur' }).getByRole('button', { name: 'Fermer' }).click();
  await expect(cta).toBeVisible();
  await book.click();

  const form = viewer.getByRole('dialog');
  await expect(form.getByRole('heading', { name: 'Réserver un essai' })).toBeVisible();
  await expect(form.getByLabel('Prénom')).toHaveValue('Camille');
  // A bad email and a missing consent are answered next to their fields, nothing is sent.
  await form.getByLabel('Nom', { exact: true }).fill('Durand');
  await form.getByLabel('E-mail').fill('camille.durand@');
  await form.getByRole('button', { name: 'Réserver mon essai' }).click();
  await expect(form.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('E-mail').fill('camille.durand@exemple.fr');
  await form.getByLabel(/^Téléphone/).fill('06 12 34 56 78');
  // "No preference" says who gets the request: the brand without a postcode, the nearest dealer with one.
  await expect(form.getByText('La marque transmet votre demande à l’une de ses concessions')).toBeVisible();
  await form.getByLabel(/^Code postal/).fill('69003');
  await expect(form.getByText('Garage du Rhône')).toBeVisible();
  await expect(form.getByText('La concession la plus proche de votre code postal')).toBeVisible();
  await form.getByLabel(/J’accepte que l’organisateur/).check();
  await form.getByRole('button', { name: 'Réserver mon essai' }).click();

  // "Sent" only once the server has acknowledged: routed to the nearest dealer to 69003.
  const done = viewer.getByTestId('lead-done');
  await expect(viewer.getByRole('heading', { name: 'Votre demande a bien été envoyée' })).toBeVisible();
  await expect(done).toContainText('Envoyée ✓ · Garage du Rhône');
  await expect(done).toContainText('Garage du Rhône vous recontactera très vite.');
  await viewer.screenshot({ path: 'test-results/leads-viewer-sent.png' });

  const row = dealer.getByTestId('lead').filter({ hasText: 'Camille Durand' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('06 12 34 56 78');
  await expect(row).toContainText('Garage du Rhône');
  await expect(dealer.getByText('1 nouvelle demande')).toBeVisible();
  await dealer.screenshot({ path: 'test-results/leads-dealer.png' });

  // Back on the launch, the card says it is done instead of offering the same request again.
  await viewer.getByRole('button', { name: 'Retour au lancement' }).click();
  await expect(cta).toContainText('Demande envoyée ✓');
  await expect(cta.getByRole('button', { name: 'Réserver un essai' })).toHaveCount(0);

  // The French-Excel CSV: semicolons, BOM, French labels.
  const [download] = await Promise.all([dealer.waitForEvent('download'), dealer.getByRole('button', { name: 'CSV (Excel)' }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^demandes-${ev.code}-\\d{4}-\\d{2}-\\d{2}-excel\\.csv$`));
  const bytes = fs.readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(bytes.toString('utf8'), { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(1);
  // French headers and words, the phone as a dealer dials it, the date as JJ/MM/AAAA.
  expect(rows[0]).toMatchObject({ Demande: 'Essai', Prénom: 'Camille', Nom: 'Durand', 'E-mail': 'camille.durand@exemple.fr', Téléphone: '06 12 34 56 78', 'Code postal': '="69003"', 'Code concession': 'lyon-1', Concession: 'Garage du Rhône', Attribution: 'La plus proche', 'Accepte les offres': 'non', Origine: 'Direct' });
  expect(rows[0]!['Reçue le']).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);

  // A reload of the viewer sends nothing again.
  await viewer.reload();
  await expect(viewer.getByTestId('status')).toHaveText('En direct');
  const listed = await request.get(`/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${ev.dealerKey}` } });
  expect(((await listed.json()) as { leads: unknown[] }).leads).toHaveLength(1);

  // The launch ends with the call to action still open: it leaves the viewer's closing card,
  // and the dealer's badge follows without a reload.
  await host.getByRole('button', { name: 'Terminer le lancement' }).click();
  await host.getByRole('dialog').getByRole('button', { name: 'Terminer le lancement' }).click();
  await expect(viewer.getByTestId('status')).toHaveText('Terminé');
  await expect(viewer.getByTestId('lead-cta')).toHaveCount(0);
  await expect(dealer.getByTestId('status')).toHaveText('Terminé');
  // The closing card offers the requests again, the test drive booked above as sent.
  const closing = viewer.getByRole('dialog', { name: 'Le lancement est terminé' });
  await expect(closing.getByRole('button', { name: /^Essai/ })).toContainText('Envoyée ✓');
  await expect(closing.getByRole('button', { name: /^Brochure/ })).not.toContainText('Envoyée');

  // On the dealer's phone every figure's label stays readable: at most two lines.
  await dealer.setViewportSize(PHONE.viewport);
  const labels = dealer.getByRole('region', { name: 'En résumé' }).locator('.stat-label');
  await expect(labels).toHaveCount(3);
  for (const label of await labels.all()) {
    const lines = await label.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
    expect(lines).toBeLessThanOrEqual(2);
  }
});

test('on a desktop the call to action sits beside the event\'s title, never over it', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Mégane É-Tech 2027 — soirée des concessionnaires' });
  const host = await presenter(baseURL!, ev);
  await host.emit('event:start', {});
  const viewer = await newPage({ ...DESKTOP, viewport: { width: 1440, height: 900 } });
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  await expect(viewer.getByTestId('status')).toHaveText('En direct');
  await host.emit('cta:open', { kind: 'test_drive' });
  const cta = viewer.getByTestId('lead-cta');
  await expect(cta).toBeVisible();
  // The card slides up: measure once it is in place.
  await expect.poll(async () => (await cta.boundingBox())?.y).toBeLessThan(900 - 100);
  await viewer.waitForTimeout(600);
  const title = (await viewer.locator('.stage-title').boundingBox())!;
  const card = (await cta.boundingBox())!;
  expect(boxesOverlap(title, card), `title ${JSON.stringify(title)}, card ${JSON.stringify(card)}`).toBe(false);
  await viewer.screenshot({ path: 'test-results/leads-viewer-cta-desktop.png' });
  host.close();
});


test('a dealer can take back a "contacted" tapped by mistake for a few seconds; past that, or leaving the page, it is recorded', async ({ newPage, createEvent, baseURL, request }) => {
  test.setTimeout(60_000);
  const ev = await createEvent();
  const host = await presenter(baseURL!, ev);
  await host.emit('event:start', {});
  host.close();
  const viewer = io(baseURL!, { auth: { code: ev.code, role: 'viewer', viewerId: 'undo-contact-viewer' }, transports: ['websocket'], reconnection: false });
  for (const [firstName, email] of [['Inès', 'ines.martin@exemple.fr'], ['Hugo', 'hugo.bernard@exemple.fr']]) {
    const lead = { id: crypto.randomUUID(), type: 'brochure', firstName, lastName: 'Martin', email, postcode: '69003', consent: { contact: true, textVersion: CONSENT_TEXT_VERSION } };
    expect(await viewer.timeout(5_000).emitWithAck('lead:submit', lead)).toMatchObject({ ok: true });
  }
  viewer.disconnect();
  const contacted = async () => {
    const res = await request.get(`/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${ev.dealerKey}` } });
    return ((await res.json()) as { leads: { email: string; contactedAt: string | null }[] }).leads.filter((l) => l.contactedAt).map((l) => l.email);
  };

  const dealer = await newPage(PHONE);
  await dealer.goto(ev.links.dealer);
  const ines = dealer.getByTestId('lead').filter({ hasText: 'Inès Martin' });
  await ines.getByRole('button', { name: 'Marquer comme contacté' }).click();
  const undo = ines.getByRole('button', { name: 'Annuler' });
  await expect(undo).toBeFocused();
  await ines.screenshot({ path: 'test-results/dealer-contact-undo.png' });
  await undo.click();
  await expect(ines.getByRole('button', { name: 'Marquer comme contacté' })).toBeFocused();
  // Past the window: nothing was recorded.
  await dealer.waitForTimeout(CONTACT_UNDO_MS + 1_000);
  expect(await contacted()).toEqual([]);

  // Left alone, the mark is recorded when the window ends.
  await ines.getByRole('button', { name: 'Marquer comme contacté' }).click();
  await expect(ines.getByText(/^✓ Contacté .* \(après /)).toBeVisible({ timeout: CONTACT_UNDO_MS + 5_000 });
  expect(await contacted()).toEqual(['ines.martin@exemple.fr']);

  // Leaving the page with the window open still records it.
  const hugo = dealer.getByTestId('lead').filter({ hasText: 'Hugo Martin' });
  await hugo.getByRole('button', { name: 'Marquer comme contacté' }).click();
  await expect(hugo.getByRole('button', { name: 'Annuler' })).toBeVisible();
  await dealer.goto('about:blank');
  await expect.poll(contacted, { timeout: 5_000 }).toEqual(expect.arrayContaining(['ines.martin@exemple.fr', 'hugo.bernard@exemple.fr']));
});

test('a lead no dealer was given is given to one from the inbox, and says so', async ({ newPage, createEvent, baseURL, request }) => {
  const ev = await createEvent();
  const imported = await request.put(`/api/events/${ev.id}/directory`, { headers: { authorization: `Bearer ${ev.hostKey}`, 'content-type': 'text/csv' }, data: DEALERS_CSV });
  expect(imported.status()).toBe(200);
  const host = await presenter(baseURL!, ev);
  await host.emit('event:start', {});
  host.close();
  // Sent through the API without a postcode or a dealer: nobody's.
  const viewer = io(baseURL!, { auth: { code: ev.code, role: 'viewer', viewerId: 'assign-viewer-001' }, transports: ['websocket'], reconnection: false });
  const lead = { id: crypto.randomUUID(), type: 'quote', firstName: 'Léa', lastName: 'Roux', email: 'lea.roux@exemple.fr', consent: { contact: true, textVersion: CONSENT_TEXT_VERSION } };
  expect(await viewer.timeout(5_000).emitWithAck('lead:submit', lead)).toMatchObject({ ok: true, data: { dealerId: null } });
  viewer.disconnect();

  const dealer = await newPage(DESKTOP);
  await dealer.goto(ev.links.dealer);
  const row = dealer.getByTestId('lead').filter({ hasText: 'Léa Roux' });
  await expect(row).toContainText('Non attribuée');
  await row.screenshot({ path: 'test-results/dealer-unassigned.png' });
  await row.getByRole('button', { name: 'Attribuer' }).click();
  await expect(row.getByRole('alert').filter({ hasText: 'concession' })).toHaveText('Choisissez d’abord une concession.');
  await row.getByLabel('Attribuer à une concession').selectOption({ label: 'Auto Bastille' });
  await row.getByRole('button', { name: 'Attribuer' }).click();
  await expect(row).toContainText('Auto Bastille');
  await expect(row).toContainText('attribuée par la marque');
  await expect(row.getByLabel('Attribuer à une concession')).toHaveCount(0);
  await row.screenshot({ path: 'test-results/dealer-assigned.png' });
  // Paris's own inbox has it now.
  const dealers = (await (await request.get(`/api/events/${ev.id}/directory`, { headers: { authorization: `Bearer ${ev.hostKey}` } })).json()) as { dealers: { id: string; key: string }[] };
  const parisKey = dealers.dealers.find((d) => d.id === 'paris-1')!.key;
  const own = (await (await request.get(`/api/events/${ev.id}/leads`, { headers: { authorization: `Bearer ${parisKey}` } })).json()) as { leads: { email: string }[] };
  expect(own.leads.map((l) => l.email)).toEqual(['lea.roux@exemple.fr']);
});
