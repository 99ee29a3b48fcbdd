import type { Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { DESKTOP, expect, PHONE, presenter, test } from './fixtures.js';

const XSS = '<img src=x onerror=alert(1)>';

async function ask(viewer: Page, text: string) {
  await viewer.getByLabel('Votre question').fill(text);
  await viewer.getByRole('button', { name: 'Envoyer' }).click();
}

test('a viewer asks, the presenter approves and answers, votes and reactions reach everybody', async ({ newPage, createEvent }) => {
  test.setTimeout(150_000); // two pages render WebGL in software on two cores
  const ev = await createEvent();
  const host = await newPage(DESKTOP);
  await host.goto(ev.links.host);
  await host.getByRole('button', { name: 'Démarrer le direct' }).click();
  await expect(host.getByTestId('status')).toHaveText('En direct');

  const viewer = await newPage(PHONE);
  const dialogs: string[] = [];
  for (const page of [host, viewer]) page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByLabel('Votre prénom (facultatif)').fill('Camille');
  await viewer.getByRole('button', { name: 'Entrer' }).click();
  await expect(viewer.getByTestId('status')).toHaveText('En direct');

  // The viewer asks: the question shows at once, marked as waiting for the presenter.
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await ask(viewer, 'Quelle autonomie sur autoroute ?');
  const mine = viewer.getByTestId('question').filter({ hasText: 'Quelle autonomie sur autoroute ?' });
  await expect(mine.getByText('En attente de modération')).toBeVisible();
  await expect(viewer.getByText('Merci ! Votre question sera publiée après relecture.')).toBeVisible();

  // The presenter sees it pending, approves it, then puts it on screen from the keyboard.
  await expect(host.getByTestId('pending-count')).toHaveText('1');
  await host.getByRole('tab', { name: /Questions/ }).click();
  const pending = host.getByTestId('mod-question').filter({ hasText: 'Quelle autonomie sur autoroute ?' });
  await expect(pending.getByText('Camille')).toBeVisible();
  await pending.getByRole('button', { name: 'Approuver' }).click();
  await expect(mine.getByText('En attente de modération')).toBeHidden();
  // The notice under the form follows: published now, no longer "after review".
  await expect(viewer.getByText('Merci ! Votre question est publiée.')).toBeVisible();
  await expect(viewer.getByText('Merci ! Votre question sera publiée après relecture.')).toBeHidden();
  // The emptied queue says so and leads to where the question went.
  await expect(host.getByText('Aucune question en attente : tout est traité.')).toBeVisible();
  await expect(host.getByRole('button', { name: 'Voir les questions visibles (1)' })).toBeVisible();
  await host.keyboard.press('2');
  await expect(host.getByRole('tab', { name: /Visibles/ })).toHaveAttribute('aria-selected', 'true');
  await host.getByRole('tab', { name: /En attente/ }).click();
  await host.getByRole('button', { name: 'Voir les questions visibles (1)' }).click();
  await expect(host.getByRole('tab', { name: /Visibles/ })).toHaveAttribute('aria-selected', 'true');
  await host.keyboard.press('p');

  for (const page of [viewer, host]) {
    const banner = page.getByTestId('now-answering');
    await expect(banner).toContainText('Réponse en cours');
    await expect(banner).toContainText('Quelle autonomie sur autoroute ?');
  }

  // Markup in a question is shown as the characters typed, never run.
  await ask(viewer, XSS);
  const xssItem = viewer.getByTestId('question').filter({ hasText: XSS });
  await expect(xssItem.getByText(XSS, { exact: true })).toBeVisible();
  await host.getByRole('tab', { name: /En attente/ }).click();
  await host.getByTestId('mod-question').filter({ hasText: XSS }).getByRole('button', { name: 'Approuver' }).click();
  await expect(xssItem.getByText('En attente de modération')).toBeHidden();
  await expect(xssItem.getByText(XSS, { exact: true })).toBeVisible();
  await expect(viewer.locator('.sheet img')).toHaveCount(0);
  await viewer.screenshot({ path: 'test-results/qa-viewer-sheet.png' });

  // A vote toggles: the count and the pressed state follow, and survive a reload.
  const vote = xssItem.getByRole('button', { name: /Soutenir cette question/ });
  await expect(vote).toHaveAttribute('aria-pressed', 'false');
  await expect(vote).toHaveText('0');
  await vote.click();
  await expect(vote).toHaveAttribute('aria-pressed', 'true');
  await expect(vote).toHaveText('1');
  await host.getByRole('tab', { name: /Visibles/ }).click();
  await expect(host.getByTestId('mod-question').filter({ hasText: XSS })).toContainText('▲ 1');
  await viewer.reload();
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await expect(vote).toHaveAttribute('aria-pressed', 'true');
  await vote.click();
  await expect(vote).toHaveAttribute('aria-pressed', 'false');
  await expect(vote).toHaveText('0');

  // A reaction bursts over the stage on the viewer's screen and the presenter's.
  await viewer.getByRole('button', { name: 'Fermer' }).click();
  await viewer.getByRole('button', { name: 'Réagir : 🔥' }).click();
  await expect(viewer.getByTestId('reaction-burst').first()).toBeVisible();
  await expect(host.getByTestId('reaction-burst').first()).toBeVisible();
  await viewer.screenshot({ path: 'test-results/qa-viewer.png' });
  await host.screenshot({ path: 'test-results/qa-host.png' });

  expect(dialogs).toEqual([]);
});

test('a question being typed survives closing the questions sheet and a reload', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const setup = await presenter(baseURL!, ev);
  await setup.emit('event:start', {});
  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  await expect(viewer.getByTestId('status')).toHaveText('En direct');
  const sheet = viewer.getByRole('dialog', { name: 'Questions au présentateur' });
  const box = sheet.getByLabel('Votre question');
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await box.fill('Quelle garantie sur la batterie');
  await sheet.getByRole('button', { name: 'Fermer' }).click();
  await expect(sheet).toBeHidden();
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await expect(box).toHaveValue('Quelle garantie sur la batterie');
  await viewer.reload();
  const nameStep = viewer.getByRole('button', { name: 'Continuer sans prénom' });
  await expect(viewer.getByTestId('status').or(nameStep)).toBeVisible();
  if (await nameStep.isVisible()) await nameStep.click();
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await expect(box).toHaveValue('Quelle garantie sur la batterie');
  // Sent, it is gone from the box for good.
  await box.fill('Quelle garantie sur la batterie ?');
  await sheet.getByRole('button', { name: 'Envoyer' }).click();
  await expect(sheet.getByTestId('question').filter({ hasText: 'Quelle garantie sur la batterie ?' })).toBeVisible();
  await expect(box).toHaveValue('');
  await sheet.getByRole('button', { name: 'Fermer' }).click();
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  await expect(box).toHaveValue('');
  setup.close();
});

test('a vote does not move the list under the viewer’s finger: it re-sorts once they stop tapping', async ({ newPage, createEvent, baseURL }) => {
  const ev = await createEvent({ title: 'Lancement Aura EV' });
  const setup = await presenter(baseURL!, ev);
  await setup.emit('event:start', {});
  await setup.emit('qa:mode', { mode: 'open' });
  const asker = io(baseURL!, { auth: { code: ev.code, role: 'viewer', viewerId: 'hold-asker' }, transports: ['websocket'], reconnection: false });
  for (const text of ['Quelle autonomie en hiver ?', 'Quel prix pour la version longue autonomie ?']) {
    expect(await asker.timeout(5_000).emitWithAck('question:ask', { id: crypto.randomUUID(), text })).toMatchObject({ ok: true });
  }
  const viewer = await newPage(PHONE);
  await viewer.goto(`/e/${ev.code}`);
  await viewer.getByRole('button', { name: 'Continuer sans prénom' }).click();
  await viewer.getByRole('button', { name: /^Questions/ }).click();
  const cards = viewer.getByRole('dialog', { name: 'Questions au présentateur' }).getByTestId('question');
  await expect(cards).toHaveCount(2);
  const second = cards.nth(1);
  const voted = (await second.textContent())!.includes('Quel prix') ? 'Quel prix pour la version longue autonomie ?' : 'Quelle autonomie en hiver ?';
  await second.getByRole('button', { pressed: false }).click();
  await expect(second.getByRole('button', { pressed: true })).toBeVisible();
  // Counted at once, but still second: a tap at the top now still hits the question that was there.
  await expect(cards.nth(1)).toContainText(voted);
  await expect(cards.first()).not.toContainText(voted);
  // Once the taps stop, the most voted comes first.
  await expect(cards.first()).toContainText(voted, { timeout: 6_000 });
  asker.disconnect();
  setup.close();
});
