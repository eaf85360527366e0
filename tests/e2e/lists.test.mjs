// lists.test.mjs — listes de diffusion and the multi-recipient message in Chromium, axe-core
// on every page (messaging.md §8, §9): the empty listing, the form and its errors, a list
// of two beneficiaries created then edited, the sort; a message to the list plus one extra
// beneficiary, de-duplicated into one individual message per conversation; the list's
// history with "Non lu par …" then "Lu par …" once the beneficiary opened Messages; other
// counselors (404 on the list, 403 on a send outside their portfolio); deletion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, httpClient, waitForMails, extractLink, counselorPage, addBeneficiary, csrfFrom,
} from './harness.mjs';

let stack, browser, page, b1, b2, b3, listId;

const sql = (q) => stack.sql(q);
const name = (b) => `${b.first} ${b.last.toUpperCase()}`;
const TEXT = 'Atelier pâtisserie jeudi à 14h : https://exemple.fr/atelier';

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await login('camille.martin@cej-demo.fr');
  b1 = await add(page, '100013');
  b2 = await add(page, '100016');
  b3 = await add(page, '100019');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const login = (email) => counselorPage(browser, stack, email);
const add = (page, number) => addBeneficiary(page, stack, number);

// Beneficiary @b activates the account and logs in over plain HTTP.
async function young(b) {
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(b.email)));
  const link = extractLink(mails.find((x) => x.to.includes(b.email)).text, '/app/activation/');
  const token = link.split('/').pop();
  const c = httpClient(stack.baseUrl);
  let html = await (await c.get(`/app/activation/${token}`)).text();
  let r = await c.form(`/app/activation/${token}`, { _csrf: c.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await c.get('/app/connexion')).text();
  r = await c.form('/app/connexion', { _csrf: c.csrfFrom(html), email: b.email, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  return c;
}

const pick = (p, prefix, id) => p.locator(`label[for="${prefix}-${id}"]`).click();

// Each test runs alone (--test-name-pattern): what it needs from the earlier ones (the
// lists, a message sent to one) it makes itself over HTTP when missing.

/** Camille's lists by title → id, read from /listes. */
async function lists() {
  const html = await (await page.request.get(`${stack.baseUrl}/listes`)).text();
  const byTitle = {};
  for (const m of html.matchAll(/href="\/listes\/([0-9a-f-]{36})\/modifier"[^>]*>([^<]*)/g)) byTitle[m[2].trim()] = m[1];
  return byTitle;
}

async function post(url, fields) {
  const csrf = csrfFrom(await (await page.request.get(`${stack.baseUrl}${url}`)).text());
  const body = new URLSearchParams([['_csrf', csrf], ...fields]).toString();
  const r = await page.request.post(`${stack.baseUrl}${url}`, {
    data: body, headers: { Origin: stack.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' }, maxRedirects: 0,
  });
  assert.equal(r.status(), 303, `${url}: ${r.status()}`);
}

/** The first test's end state: "Pâtissiers" (b1, b2) and "Apprentis" (b3); resolves to Pâtissiers' id. */
async function ensureLists() {
  let have = await lists();
  if (!have['Pâtissiers']) await post('/listes/nouvelle', [['titre', 'Pâtissiers'], ['beneficiaires', b1.id], ['beneficiaires', b2.id]]);
  if (!have['Apprentis']) await post('/listes/nouvelle', [['titre', 'Apprentis'], ['beneficiaires', b3.id]]);
  have = await lists();
  return have['Pâtissiers'];
}

/** A message to Pâtissiers, sent when there is none yet (the second test's). */
async function ensureBroadcast() {
  const id = await ensureLists();
  if (sql('SELECT count(*) FROM message WHERE broadcast_id IS NOT NULL') === '0')
    await post('/messagerie/multi-destinataires', [['listes', id], ['message', TEXT]]);
  return id;
}

test('lists: empty state, errors, creation, edit and sort', async () => {
  await page.goto(`${stack.baseUrl}/messagerie`);
  await page.getByRole('link', { name: 'Voir mes listes de diffusion' }).click();
  await page.waitForURL(/\/listes$/);
  await page.getByRole('heading', { name: 'Mes listes de diffusion' }).waitFor();
  await page.getByText('Vous n’avez pas encore de liste de diffusion.').waitFor();
  await visit(page, 'l01-listes-vide');

  await page.getByRole('link', { name: 'Créer une liste' }).click();
  await page.getByRole('heading', { name: 'Créer une liste de diffusion' }).waitFor();
  await page.getByText('Tous les champs sont obligatoires').waitFor();
  await page.getByText('Exemple : Ma liste de pâtissier').waitFor();
  await visit(page, 'l02-liste-nouvelle');

  // Nothing filled: both errors, in the summary and at their fields.
  await page.getByRole('button', { name: 'Créer la liste' }).click();
  await page.getByText('Le formulaire contient 2 erreur(s).').waitFor();
  assert.equal(await page.locator('#titre-erreur').textContent(), 'Le champ “Titre” est vide. Renseignez un titre.');
  assert.equal(await page.locator('#beneficiaires-erreur').textContent(),
    'Le champ “Bénéficiaires” est vide. Sélectionnez au moins un bénéficiaire.');
  await visit(page, 'l03-liste-erreurs');

  // Over 100 characters (the field stops at 100; the server checks too).
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
  const long = await page.request.post(`${stack.baseUrl}/listes/nouvelle`, {
    form: { _csrf: csrf, titre: 'x'.repeat(101), beneficiaires: b1.id }, headers: { Origin: stack.baseUrl },
  });
  assert.equal(long.status(), 400);
  assert.match(await long.text(), /ne doit pas dépasser 100 caractères/);

  await page.getByLabel('Titre').fill('Ma liste de pâtissier');
  await pick(page, 'b', b1.id);
  await pick(page, 'b', b2.id);
  await page.getByRole('button', { name: 'Créer la liste' }).click();
  await page.waitForURL(/\/listes$/);
  await page.getByText('La liste a bien été créée').waitFor();
  const row = page.locator('#table-listes tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await row.first().textContent(), /Ma liste de pâtissier[\s\S]*2/);
  await visit(page, 'l04-listes');

  // Edit: the members are checked; rename.
  await page.getByRole('link', { name: /Ma liste de pâtissier/ }).click();
  await page.getByRole('heading', { name: 'Modifier la liste de diffusion' }).waitFor();
  listId = page.url().split('/').at(-2);
  assert.equal(await page.getByLabel('Titre').inputValue(), 'Ma liste de pâtissier');
  assert.equal(await page.locator(`#b-${b1.id}`).isChecked(), true);
  assert.equal(await page.locator(`#b-${b2.id}`).isChecked(), true);
  assert.equal(await page.locator(`#b-${b3.id}`).isChecked(), false);
  await page.getByRole('link', { name: 'Supprimer' }).waitFor();
  await visit(page, 'l05-liste-modifier');
  await page.getByLabel('Titre').fill('Pâtissiers');
  await page.getByRole('button', { name: 'Modifier la liste' }).click();
  await page.waitForURL(/\/listes$/);
  await page.getByText('La liste a bien été modifiée').waitFor();

  // A second list; sort by name, then by number of recipients (largest first).
  await page.getByRole('link', { name: 'Créer une liste' }).click();
  await page.getByLabel('Titre').fill('Apprentis');
  await pick(page, 'b', b3.id);
  await page.getByRole('button', { name: 'Créer la liste' }).click();
  await page.getByText('La liste a bien été créée').waitFor();
  const titles = async () => (await page.locator('#table-listes tbody tr td:first-child a').allTextContents())
    .map((t) => t.replace(' (modifier la liste)', ''));
  assert.deepEqual(await titles(), ['Apprentis', 'Pâtissiers']);
  await page.getByRole('link', { name: /Nombre de destinataires/ }).click();
  assert.deepEqual(await titles(), ['Pâtissiers', 'Apprentis']);
  assert.equal(await page.locator('th[aria-sort=descending]').textContent(), 'Nombre de destinataires, trier');
  await page.getByRole('link', { name: /Nombre de destinataires/ }).click();
  assert.deepEqual(await titles(), ['Apprentis', 'Pâtissiers']);
});

test('multi-recipient: errors, a list plus one beneficiary, each once, history and receipts', async () => {
  listId = await ensureLists();
  await page.goto(`${stack.baseUrl}/messagerie`);
  await page.getByRole('link', { name: 'Message multi-destinataires' }).click();
  await page.waitForURL(/\/messagerie\/multi-destinataires$/);
  await page.getByRole('heading', { name: 'Message multi-destinataires' }).waitFor();
  await page.getByText('Attention à ne pas partager de données personnelles ou sensibles.').waitFor();
  await page.getByText('Sélectionner tous mes destinataires').waitFor();
  await visit(page, 'l06-multi');

  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Le formulaire contient 2 erreur(s).').waitFor();
  assert.equal(await page.locator('#destinataires-erreur').textContent(),
    'Le champ “Destinataires” est vide. Sélectionnez au moins un destinataire.');
  assert.equal(await page.locator('#message-erreur').textContent(), 'Le champ “Message” est vide. Renseignez un message.');
  assert.equal(await page.locator('#destinataires-compte').textContent(), 'Destinataires (0)');
  await visit(page, 'l07-multi-erreurs');

  // The list (b1, b2), b1 again and b3: three unique recipients, counted on the server.
  await pick(page, 'l', listId);
  await pick(page, 'b', b1.id);
  await pick(page, 'b', b3.id);
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Le formulaire contient 1 erreur(s).').waitFor();
  assert.equal(await page.locator('#destinataires-compte').textContent(), 'Destinataires (3)');
  assert.equal(await page.locator(`#l-${listId}`).isChecked(), true);
  assert.equal(await page.locator(`#b-${b1.id}`).isChecked(), true);
  await page.getByLabel('Message', { exact: true }).fill(TEXT);
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.waitForURL(/\/messagerie$/);
  await page.getByText('Votre message multi-destinataires a été envoyé en tant que message individuel à chacun des bénéficiaires').waitFor();

  // One individual message per conversation, all sharing one broadcast id.
  assert.equal(sql('SELECT count(*) FROM message WHERE broadcast_id IS NOT NULL'), '3');
  assert.equal(sql('SELECT count(DISTINCT broadcast_id) FROM message WHERE broadcast_id IS NOT NULL'), '1');
  for (const b of [b1, b2, b3]) {
    await page.goto(`${stack.baseUrl}/conversations/${b.id}`);
    await page.locator('.cej-bubble--mine', { hasText: 'Atelier pâtisserie jeudi à 14h' }).waitFor();
    assert.equal(await page.locator('.cej-bubble--mine').count(), 1);
  }

  // The history of the list: the message, then its detail with read receipts.
  await page.goto(`${stack.baseUrl}/listes`);
  await page.getByRole('link', { name: 'Voir les messages envoyés à mes listes de diffusion' }).click();
  await page.getByRole('heading', { name: 'Messages envoyés à mes listes de diffusion' }).waitFor();
  assert.match(await page.locator('.cej-lists-history').textContent(), /Apprentis[\s\S]*Aucun message envoyé[\s\S]*Pâtissiers[\s\S]*1 message envoyé[\s\S]*Dernier envoi : Aujourd’hui à \d\dh\d\d/);
  await visit(page, 'l08-historique');
  await page.getByRole('link', { name: 'Pâtissiers' }).click();
  await page.getByRole('heading', { name: 'Messages envoyés à la liste Pâtissiers' }).waitFor();
  await page.getByText('Aujourd’hui', { exact: true }).waitFor();
  const msg = page.locator('.cej-list-message');
  assert.match(await msg.textContent(), /Envoyé à 3 bénéficiaires/);
  assert.equal(await msg.getByRole('link', { name: /exemple\.fr/ }).getAttribute('href'), 'https://exemple.fr/atelier');
  await visit(page, 'l09-messages-liste');
  await page.getByRole('link', { name: /Voir le détail du message/ }).click();
  await page.getByRole('heading', { name: 'Détail du message' }).waitFor();
  await page.getByText('Seuls les bénéficiaires actuellement dans votre portefeuille sont listés ci-dessous.').waitFor();
  const detail = page.url();
  const receipts = async () => page.locator('.cej-receipts li').allTextContents();
  for (const b of [b1, b2, b3]) assert.ok((await receipts()).includes(`Non lu par ${name(b)}`), name(b));
  await visit(page, 'l10-detail');

  // b1 opens the Messages screen: read.
  const c = await young(b1);
  const res = await c.get('/app/messages');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Atelier pâtisserie jeudi à 14h/);
  await page.goto(detail);
  const after = await receipts();
  assert.ok(after.includes(`Lu par ${name(b1)}`), after.join(' | '));
  assert.ok(after.includes(`Non lu par ${name(b2)}`));
  assert.ok(after.includes(`Non lu par ${name(b3)}`));
  await page.getByRole('link', { name: 'Retour aux messages de ma liste' }).click();
  await page.waitForURL(new RegExp(`/listes/${listId}/messages$`));
});

test('other counselors: the list is invisible (404), a send outside one’s portfolio is 403', async () => {
  listId = await ensureLists();
  const sent = sql('SELECT count(*) FROM message WHERE broadcast_id IS NOT NULL');
  const colleague = await login('yann.le-goff@cej-demo.fr');
  for (const p of [`/listes/${listId}/modifier`, `/listes/${listId}/messages`, `/listes/${listId}/supprimer`]) {
    const r = await colleague.request.get(stack.baseUrl + p);
    assert.equal(r.status(), 404, p);
  }
  await colleague.goto(`${stack.baseUrl}/messagerie/multi-destinataires`);
  const csrf = await colleague.locator('input[name=_csrf]').first().getAttribute('value');
  for (const form of [{ beneficiaires: b1.id }, { listes: listId }]) {
    const r = await colleague.request.post(`${stack.baseUrl}/messagerie/multi-destinataires`, {
      form: { _csrf: csrf, message: 'Bonjour', ...form }, headers: { Origin: stack.baseUrl },
    });
    assert.equal(r.status(), 403, JSON.stringify(form));
  }
  const post = await colleague.request.post(`${stack.baseUrl}/listes/nouvelle`, {
    form: { _csrf: csrf, titre: 'Chez Camille', beneficiaires: b1.id }, headers: { Origin: stack.baseUrl },
  });
  assert.equal(post.status(), 403);
  assert.equal(sql('SELECT count(*) FROM message WHERE broadcast_id IS NOT NULL'), sent, 'nothing sent');
});

test('deletion: confirmation, flash, the messages stay in the conversations', async () => {
  listId = await ensureBroadcast();
  await page.goto(`${stack.baseUrl}/listes/${listId}/modifier`);
  await page.getByRole('link', { name: 'Supprimer' }).click();
  await page.getByRole('heading', { name: 'Souhaitez-vous supprimer la liste Pâtissiers ?' }).waitFor();
  await page.getByText('L’historique des messages envoyés ne sera plus accessible.').waitFor();
  await visit(page, 'l11-supprimer');
  await page.getByRole('button', { name: 'Supprimer la liste' }).click();
  await page.waitForURL(/\/listes$/);
  await page.getByText('La liste a bien été supprimée').waitFor();
  assert.deepEqual(await page.locator('#table-listes tbody tr td:first-child a').allTextContents(),
    ['Apprentis (modifier la liste)']);
  assert.equal((await page.request.get(`${stack.baseUrl}/listes/${listId}/messages`)).status(), 404);
  await page.goto(`${stack.baseUrl}/conversations/${b2.id}`);
  await page.locator('.cej-bubble--mine', { hasText: 'Atelier pâtisserie jeudi à 14h' }).waitFor();
});
