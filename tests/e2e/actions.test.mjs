// actions.test.mjs — the counselor's actions in a real browser, axe-core on every page:
// creation with each validation error and the date shortcuts, the fiche's Actions tab
// (filters, sort, empty states), the week block and its period selector, the Indicateurs
// tab, status change, edit, comment, deletion, read-only access, "En retard" once the
// clock passes the due time, and the portfolio's Actions column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, counselorPage, addBeneficiary, csrfFrom } from './harness.mjs';

let stack, browser, page, beneficiary;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await login('camille.martin@cej-demo.fr');
  beneficiary = await add(page, '100025');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const login = (email) => counselorPage(browser, stack, email);
const add = (page, number, dispositif) => addBeneficiary(page, stack, number, dispositif);

// Civil date in Paris, @days from today: {iso, fr, weekday, day}.
function parisDay(days = 0) {
  const d = new Date(Date.now() + days * 86400000);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'long',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return {
    iso: `${parts.year}-${parts.month}-${parts.day}`,
    fr: `${parts.day}/${parts.month}/${parts.year}`,
    weekday: parts.weekday,
    day: Number(parts.day),
  };
}

// Each test runs alone (--test-name-pattern): the actions the earlier tests leave behind
// (the first test's "Mettre à jour son CV", renamed "Appeler la boulangerie Kerouac" by the
// second, the third's "Contacter la mission locale") are made over HTTP when missing.
const CV = 'Mettre à jour son CV';
const KEROUAC = 'Appeler la boulangerie Kerouac';
const SECOND = 'Contacter la mission locale';

async function post(url, fields) {
  const csrf = csrfFrom(await (await page.request.get(`${stack.baseUrl}/beneficiaires/${beneficiary.id}/actions/nouvelle`)).text());
  const r = await page.request.post(stack.baseUrl + url, {
    data: new URLSearchParams([['_csrf', csrf], ...fields]).toString(), maxRedirects: 0,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.baseUrl },
  });
  assert.equal(r.status(), 303, `${url}: ${r.status()} ${await r.text()}`);
}

/** The beneficiary's actions listed in the fiche's Actions tab: title → id. */
async function actions() {
  const html = await (await page.request.get(`${stack.baseUrl}/beneficiaires/${beneficiary.id}?onglet=actions`)).text();
  const byTitle = {};
  for (const m of html.matchAll(/href="\/actions\/([0-9a-f-]{36})">Voir le détail<span class="fr-sr-only"> de l’action ([^<]*)</g)) byTitle[m[2]] = m[1];
  return byTitle;
}

const cvFields = (title, custom) => [['categorie', 'EMPLOI'], ['titre', title], ['titre_perso', custom],
  ['description', 'Version 2026'], ['statut', 'a_faire'], ['date_action', parisDay(1).iso]];

/** The first test's action (Emploi, to do tomorrow), under either of its titles; resolves to the titles. */
async function ensureCv() {
  const have = await actions();
  if (have[CV] || have[KEROUAC]) return have;
  await post(`/beneficiaires/${beneficiary.id}/actions/nouvelle`, cvFields(CV, ''));
  return actions();
}

/** The second test's rename of that action to KEROUAC (custom title); resolves to its id. */
async function ensureKerouac() {
  const have = await ensureCv();
  if (have[KEROUAC]) return have[KEROUAC];
  await post(`/actions/${have[CV]}/modifier`, cvFields('Autre', KEROUAC));
  return (await actions())[KEROUAC];
}

/** The third test's "Contacter la mission locale" (Santé, done 2 days ago), besides KEROUAC. */
async function ensureSecond() {
  await ensureKerouac();
  if ((await actions())[SECOND]) return;
  await post(`/beneficiaires/${beneficiary.id}/actions/nouvelle`, [['categorie', 'SANTE'], ['titre', SECOND],
    ['titre_perso', ''], ['description', ''], ['statut', 'terminee'], ['date_realisation', parisDay(-2).iso]]);
}

async function openForm() {
  await page.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}`);
  await page.getByRole('link', { name: 'Créer une action' }).first().click();
  await page.waitForURL(/\/actions\/nouvelle$/);
}

test('creation: errors, "Autre", date shortcuts, saved page', async () => {
  await openForm();
  await page.getByText('Tous les champs avec * sont obligatoires').waitFor();
  await visit(page, 'a01-formulaire');

  // Empty form: "À faire" without a date.
  await page.locator('label[for=statut-a-faire]').click();
  await page.getByRole('button', { name: 'Créer l’action' }).click();
  await page.getByText('Le formulaire contient 3 erreur(s).').waitFor();
  for (const text of [
    'Le champ “Catégorie” est vide. Renseignez une catégorie.',
    'Le champ “Titre de l’action” est vide. Renseignez un titre.',
    'Le champ “Date de l’action” est vide. Renseignez une date de l’action.',
  ]) assert.ok(await page.getByRole('link', { name: text }).isVisible(), text);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'erreurs');
  await visit(page, 'a02-formulaire-erreurs');

  // Scenario 4: "Autre" with no custom title; nothing saved.
  await page.getByLabel('Catégorie').selectOption('EMPLOI');
  await page.getByLabel('Titre de l’action').selectOption('Autre');
  await page.locator('label[for=statut-a-faire]').click();
  await page.getByRole('button', { name: /^Demain/ }).click();
  await page.getByRole('button', { name: 'Créer l’action' }).click();
  await page.getByText('Le champ “Titre personnalisé” est vide. Renseignez un titre personnalisé.').first().waitFor();

  // Out of the window.
  await page.getByLabel('Titre de l’action').selectOption('Mettre à jour son CV');
  await page.locator('label[for=statut-a-faire]').click();
  await page.getByLabel('Date de l’action').fill('2099-01-01');
  await page.getByRole('button', { name: 'Créer l’action' }).click();
  await page.getByText(/Le champ “Date de l’action” est invalide\. La date attendue est comprise entre le \d\d\/\d\d\/\d{4} et le \d\d\/\d\d\/\d{4}\./).first().waitFor();

  // Scenario 1: "Mettre à jour son CV", Emploi, À faire, "Demain (…)".
  const tomorrow = parisDay(1);
  await page.getByLabel('Titre de l’action').selectOption('Mettre à jour son CV');
  await page.locator('label[for=statut-a-faire]').click();
  const shortcut = page.getByRole('button', { name: `Demain (${tomorrow.weekday} ${tomorrow.day})` });
  await shortcut.click();
  assert.equal(await page.getByLabel('Date de l’action').inputValue(), tomorrow.iso);
  await page.getByLabel('Description').fill('Version 2026');
  await page.getByText('12/250').waitFor();
  await page.getByRole('button', { name: 'Créer l’action' }).click();
  await page.getByRole('heading', { name: 'Action enregistrée !' }).waitFor();
  await visit(page, 'a03-enregistree');
  await page.getByRole('link', { name: 'Consulter la liste des actions' }).click();
  await page.getByRole('link', { name: 'Voir le détail de l’action Mettre à jour son CV' }).waitFor();
  const row = page.locator('tr', { hasText: 'Mettre à jour son CV' });
  assert.match(await row.textContent(), /À faire/);
  assert.match(await row.textContent(), new RegExp(tomorrow.fr));
  await page.getByRole('link', { name: 'Actions (1)' }).waitFor();
  // Week block: one created this week.
  assert.match(await page.locator('#semaine').textContent(), /1\s+Créée\b/);
  await visit(page, 'a04-fiche-actions');
});

test('detail: status, edit with a custom title, comment, deletion rules', async () => {
  await ensureCv();
  await page.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}?onglet=actions`);
  await page.getByRole('link', { name: 'Voir le détail de l’action Mettre à jour son CV' }).click();
  await page.getByRole('heading', { name: 'Mettre à jour son CV' }).waitFor();
  await page.getByText('Créée par Camille MARTIN le', { exact: false }).waitFor({ state: 'attached' });
  await visit(page, 'a05-detail');

  // Status radios save on change: done → "À qualifier" for a CEJ beneficiary.
  await page.locator('label[for=statut-terminee]').click();
  await page.getByText('Le statut de l’action a été mis à jour.').waitFor();
  assert.match(await page.locator('.cej-status').textContent(), /À qualifier/);
  await page.locator('label[for=statut-a-faire]').click();
  await page.getByText('Le statut de l’action a été mis à jour.').waitFor();
  assert.match(await page.locator('.cej-status').textContent(), /À faire/);

  // Edit with a custom title; reopened, the form shows "Autre" and the title.
  await page.getByRole('link', { name: 'Modifier l’action' }).click();
  await page.getByLabel('Titre de l’action').selectOption('Autre');
  await page.getByLabel('Ajoutez un titre personnalisé').fill('Appeler la boulangerie Kerouac');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.getByText('L’action a été modifiée.').waitFor();
  await page.getByRole('heading', { name: 'Appeler la boulangerie Kerouac' }).waitFor();
  await page.getByRole('link', { name: 'Modifier l’action' }).click();
  assert.equal(await page.getByLabel('Titre de l’action').inputValue(), 'Autre');
  assert.equal(await page.getByLabel('Ajoutez un titre personnalisé').inputValue(), 'Appeler la boulangerie Kerouac');
  await visit(page, 'a06-modifier');
  await page.getByRole('link', { name: 'Annuler' }).click();

  // An uncommented counselor action may be deleted: the page is offered.
  assert.ok(await page.getByRole('link', { name: 'Supprimer l’action' }).isVisible());
  // A comment, then deletion is refused.
  await page.getByText('Commentaire', { exact: true }).click();
  assert.equal(await page.getByLabel('Demander plus d’information au bénéficiaire sur l’action').inputValue(),
    'Pouvez-vous compléter la description de cette action s’il vous plaît ?');
  await page.getByRole('button', { name: 'Envoyer au bénéficiaire' }).click();
  await page.getByText('Votre message a bien été envoyé, retrouvez-le dans votre conversation avec le bénéficiaire.').waitFor();
  await page.locator('.cej-comments', { hasText: 'Pouvez-vous compléter la description de cette action s’il vous plaît ?' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Supprimer l’action' }).count(), 0);
  const url = page.url();
  const res = await page.request.get(url + '/supprimer');
  assert.equal(res.status(), 400);
  assert.match(await res.text(), /Vous ne pouvez pas supprimer une action terminée, qualifiée ou commentée\./);
});

test('deletion of an uncommented action, empty states, filters and sort', async () => {
  await ensureKerouac();
  await openForm();
  await page.getByLabel('Catégorie').selectOption('SANTE');
  await page.getByLabel('Titre de l’action').selectOption('Contacter la mission locale');
  await page.getByLabel('Date de réalisation').fill(parisDay(-2).iso);
  await page.getByRole('button', { name: 'Créer l’action' }).click();
  await page.getByRole('heading', { name: 'Action enregistrée !' }).waitFor();
  await page.getByRole('link', { name: 'Voir le détail de l’action' }).click();
  // Done at creation → "À qualifier"; done actions cannot be deleted.
  assert.match(await page.locator('.cej-status').textContent(), /À qualifier/);
  assert.equal(await page.getByRole('link', { name: 'Supprimer l’action' }).count(), 0);

  // Filters.
  await page.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}?onglet=actions`);
  await page.locator('summary', { hasText: 'Statut' }).click();
  await page.locator('label[for=filtre-statut-a_qualifier]').click();
  await page.getByRole('button', { name: 'Valider' }).first().click();
  await page.waitForURL(/statut=a_qualifier/);
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.match(await page.locator('tbody').textContent(), /Contacter la mission locale/);
  assert.ok(await page.getByRole('checkbox', { name: 'Sélectionner Contacter la mission locale' }).count() === 1);
  await page.getByText('Sélectionnez au moins un élément ci-dessous pour commencer à qualifier').waitFor();
  await visit(page, 'a07-filtre-a-qualifier');
  await page.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}?onglet=actions&statut=annulee`);
  await page.getByText('Aucun résultat.').waitFor();
  await page.getByRole('link', { name: 'Réinitialiser les filtres' }).click();
  assert.equal(await page.locator('tbody tr').count(), 2);
  // Sort: antichronological by default (the action due tomorrow first), toggles.
  assert.match(await page.locator('tbody tr').first().textContent(), /Kerouac/);
  await page.getByRole('link', { name: /Date de l’action/ }).click();
  assert.match(await page.locator('tbody tr').first().textContent(), /Contacter la mission locale/);

  // A third, uncommented, to do: deleted through "Supprimer l’action ?".
  await openForm();
  await page.getByLabel('Catégorie').selectOption('LOGEMENT');
  await page.getByLabel('Titre de l’action').selectOption('Identifier des entreprises');
  await page.locator('label[for=statut-a-faire]').click();
  await page.getByLabel('Date de l’action').fill(parisDay(20).iso);
  await page.getByRole('button', { name: 'Créer l’action' }).click();
  await page.getByRole('link', { name: 'Voir le détail de l’action' }).click();
  await page.getByRole('link', { name: 'Supprimer l’action' }).click();
  await page.getByRole('heading', { name: 'Supprimer l’action ?' }).waitFor();
  await page.getByText('Votre choix est définitif. Vous ne pourrez plus la consulter ni la modifier.').waitFor();
  await visit(page, 'a08-supprimer');
  await page.getByRole('button', { name: 'Supprimer' }).click();
  await page.getByText('L’action a été supprimée.').waitFor();
  assert.equal(await page.locator('tbody tr', { hasText: 'Identifier des entreprises' }).count(), 0);
});

test('week block: period selector, Indicateurs tab, portfolio column', async () => {
  await ensureSecond();
  await page.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}`);
  const heading = page.locator('#semaine-titre');
  assert.match(await heading.textContent(), /^Cette semaine du \d\d\/\d\d\/\d{4} au \d\d\/\d\d\/\d{4}$/);
  await page.getByRole('link', { name: 'Semaine précédente' }).click();
  await page.waitForFunction(() => document.querySelector('#semaine-titre').textContent.startsWith('Semaine du'));
  assert.match(await page.locator('#semaine-annonce').textContent(), /^Période affichée : Du /);
  assert.match(page.url(), /debut=\d{4}-\d\d-\d\d/);
  assert.match(await page.locator('#semaine').textContent(), /0\s+Créée\b/);
  await visit(page, 'a09-semaine-precedente');
  await page.getByRole('link', { name: 'Période en cours' }).click();
  await page.waitForFunction(() => document.querySelector('#semaine-titre').textContent.startsWith('Cette semaine'));
  // Without JavaScript the same links load the page.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.context().addCookies(await page.context().cookies());
  await plain.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}`);
  await plain.getByRole('link', { name: 'Semaine suivante' }).click();
  assert.match(await plain.locator('#semaine-titre').textContent(), /^Semaine du/);
  await plain.context().close();

  await page.getByRole('link', { name: 'Voir plus d’indicateurs' }).click();
  await page.getByRole('link', { name: 'Indicateurs' }).waitFor();
  const block = await page.locator('#semaine').textContent();
  assert.match(block, /2\s+Créées/);
  assert.match(block, /Échéance cette semaine/);
  assert.match(await page.locator('#semaine-titre').textContent(), /^Semaine du/);
  await visit(page, 'a10-indicateurs');

  await page.goto(`${stack.baseUrl}/portefeuille`);
  const row = page.locator('tr', { hasText: beneficiary.last.toUpperCase() });
  assert.equal((await row.locator('td').nth(3).textContent()).trim(), '1');
});

test('read-only colleague: no write, 403 on every write', async () => {
  await ensureKerouac();
  const colleague = await login('yann.le-goff@cej-demo.fr');
  await colleague.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}?onglet=actions`);
  await colleague.getByText('Vous êtes en lecture seule').waitFor();
  assert.equal(await colleague.getByRole('link', { name: 'Créer une action' }).count(), 0);
  assert.equal(await colleague.getByRole('checkbox').count(), 0);
  await colleague.getByRole('link', { name: /Voir le détail de l’action Appeler/ }).click();
  await colleague.getByText('Vous êtes en lecture seule').waitFor();
  assert.equal(await colleague.getByRole('link', { name: 'Modifier l’action' }).count(), 0);
  assert.ok(await colleague.getByRole('radio', { name: 'À faire' }).isDisabled());
  await visit(colleague, 'a11-detail-lecture-seule');
  const csrf = await colleague.locator('input[name=_csrf]').first().getAttribute('value').catch(() => null);
  const post = (path) => colleague.request.post(stack.baseUrl + path, {
    form: { _csrf: csrf || '', statut: 'terminee', categorie: 'EMPLOI', titre: 'Mettre à jour son CV', date_realisation: parisDay().iso },
    headers: { Origin: stack.baseUrl },
  });
  const actionPath = new URL(colleague.url()).pathname;
  assert.equal((await post(`/beneficiaires/${beneficiary.id}/actions/nouvelle`)).status(), 403);
  assert.equal((await post(`${actionPath}/statut`)).status(), 403);
  assert.equal((await post(`${actionPath}/modifier`)).status(), 403);
});

test('an action to do becomes "En retard" once its due time has passed', async () => {
  await ensureKerouac();
  // Two days later (the counselor session outlives it: idle limit is 4 h, so log in again).
  await fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: JSON.stringify({ offset_ms: 2 * 86400000 }) });
  try {
    const p = await login('camille.martin@cej-demo.fr');
    await p.goto(`${stack.baseUrl}/beneficiaires/${beneficiary.id}?onglet=actions&statut=en_retard`);
    assert.match(await p.locator('tbody').textContent(), /Kerouac/);
    assert.match(await p.locator('#semaine').textContent(), /1\s+En retard/);
  } finally {
    await fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: '{"offset_ms":0}' });
  }
});
