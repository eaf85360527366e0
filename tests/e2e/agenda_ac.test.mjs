// agenda_ac.test.mjs — animations collectives (agenda.md §2, §2.1, §4) and the event form's
// picker, in Chromium with axe-core on every page: the creation with its picker (search as
// one types, chips, "Sélectionner tous mes destinataires", the structure's search, the
// outsiders' flag), the maximum of participants and its refusal, the flash and the detail;
// "Inscrire à une animation collective" from the fiche (the upcoming AC, "Complet", the
// edit page with the beneficiary checked, the fiche's tab); the breadcrumb from a fiche;
// the question before leaving a changed form; the same without JavaScript. Then scenario 5
// and the structure rule over plain HTTP (forged requests).
// Each test creates its own beneficiaries and animations, so each can run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, httpClient, COUNSELOR_PASSWORD, parisDay as parisDate,
} from './harness.mjs';

// The civil day in Paris @days from today: "aaaa-mm-jj".
const parisDay = (days = 0) => parisDate(days).iso;

let stack, browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const sql = (q) => stack.sql(q);
const CAMILLE = 'camille.martin@cej-demo.fr';
const YANN = 'yann.le-goff@cej-demo.fr';
const SOPHIE = 'sophie.durand@cej-demo.fr';
const LEAVE = 'Souhaitez-vous quitter la création de l’événement ? Les informations saisies seront perdues.';


async function counselorClient(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: COUNSELOR_PASSWORD });
  assert.equal(r.status, 303);
  return c;
}

async function addByHttp(c, dossier) {
  const csrf = c.csrfFrom(await (await c.get('/portefeuille/ajouter')).text());
  const r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier, dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  return /([0-9a-f-]{36})$/.exec(decodeURIComponent(c.cookie('cej_flash') || ''))[1];
}

/** Posts the AC form (@fields: [name, value] pairs added to a valid AC in 3 days). */
async function postAc(c, url, fields = []) {
  const csrf = c.csrfFrom(await (await c.get('/agenda/animations-collectives/nouveau')).text());
  return c.form(url, [['_csrf', csrf], ['date', parisDay(3)], ['heure', '14:00'], ['duree', '02:00'], ...fields]);
}

async function createAc(c, title, fields = []) {
  const r = await postAc(c, '/agenda/animations-collectives/nouveau', [['type', 'ATELIER'], ['titre', title], ...fields]);
  assert.equal(r.status, 303);
  return /\/agenda\/animations-collectives\/([0-9a-f-]{36})$/.exec(r.headers.get('location'))[1];
}

// A beneficiary's row and checkbox in the picker (by id: a chip "Retirer NOM Prénom" has
// the name too).
const pickRow = (page, who) => page.locator('[data-cej-pick]', { has: page.locator(`#beneficiaire-${who.id || who}`) });
const box = (page, who) => page.locator(`#beneficiaire-${who.id || who}`);
const tick = (page, who) => page.locator(`label[for=beneficiaire-${who.id || who}]`).click();

test('creation with JavaScript: the picker, the maximum, the flash and the detail', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const A = await addBeneficiary(page, stack, '100001');
  const B = await addBeneficiary(page, stack, '100004');
  const yann = await counselorPage(browser, stack, YANN);
  const C = await addBeneficiary(yann, stack, '100007');   // same Mission Locale, not Camille's
  await yann.context().close();

  await page.goto(`${stack.baseUrl}/agenda/animations-collectives/nouveau`);
  await page.getByRole('heading', { level: 1, name: 'Créer une animation collective' }).waitFor();
  assert.deepEqual(await page.locator('#type option').allInnerTexts(), ['Atelier', 'Information collective']);
  assert.ok(await page.getByRole('link', { name: 'Agenda' }).first().isVisible(), 'the breadcrumb');
  assert.ok(!(await page.locator('#maximum').isVisible()), 'the maximum shows with its switch');
  const legend = page.locator('#beneficiaires-legende');
  assert.equal(await legend.innerText(), 'Bénéficiaires (0)');
  await visit(page, 'ac01-formulaire');

  // The title is required for an AC.
  await page.getByRole('button', { name: 'Créer l’animation collective' }).click();
  await page.getByText('Le formulaire contient 4 erreur(s).').waitFor();
  assert.ok(await page.getByRole('link', { name: 'Le champ “Titre” est vide. Renseignez un titre.' }).isVisible());
  await visit(page, 'ac02-erreurs');

  await page.locator('#titre').fill('Atelier CV');
  await page.locator('#date').fill(parisDay(3));
  await page.locator('#heure').fill('14:00');
  await page.locator('#duree').fill('02:00');
  // Search as one types: accents and case do not matter.
  const search = page.getByLabel('Rechercher un bénéficiaire');
  await search.fill(A.last.toLowerCase());
  assert.ok(await pickRow(page, A).isVisible());
  assert.ok(!(await pickRow(page, B).isVisible()));
  await search.press('Enter');   // filters; sends nothing
  assert.match(page.url(), /\/agenda\/animations-collectives\/nouveau$/);
  assert.equal(await page.locator('#titre').inputValue(), 'Atelier CV');
  await tick(page, A);
  assert.equal(await legend.innerText(), 'Bénéficiaires (1)');
  assert.ok(await page.getByRole('button', { name: `Retirer ${A.row}` }).isVisible(), 'a chip');
  await search.fill('');
  await page.getByRole('button', { name: 'Sélectionner tous mes destinataires' }).click();
  assert.ok(await box(page, B).isChecked());
  assert.equal(await legend.innerText(), 'Bénéficiaires (2)');
  await visit(page, 'ac03-selection');
  await page.getByRole('button', { name: `Retirer ${B.row}` }).click();
  assert.ok(!(await box(page, B).isChecked()));
  assert.equal(await legend.innerText(), 'Bénéficiaires (1)');

  // C is not in the list (Camille's portfolio) until the structure is searched.
  assert.equal(await pickRow(page, C).count(), 0);
  await search.fill(C.last);
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await pickRow(page, C).waitFor();
  assert.match(await pickRow(page, C).innerText(), /Ce bénéficiaire n’est pas dans votre portefeuille/);
  assert.equal(await page.locator('#titre').inputValue(), 'Atelier CV', 'the typed fields stay');
  assert.ok(await box(page, A).isChecked(), 'the chosen ones stay');
  assert.equal(sql("SELECT count(*) FROM event WHERE title = 'Atelier CV'"), '0', 'a search stores nothing');
  await tick(page, C);
  assert.equal(await legend.innerText(), 'Bénéficiaires (2)');
  await visit(page, 'ac04-recherche-structure');

  // At most 1 with 2 registrants: refused, then 2.
  await page.locator('label[for=limite]').click();
  await page.locator('#maximum').fill('1');
  await page.getByRole('button', { name: 'Créer l’animation collective' }).click();
  await page.getByText('Le formulaire contient 1 erreur(s).').waitFor();
  assert.ok(await page.getByRole('link', { name: 'Le nombre maximum de participants est dépassé.' }).isVisible());
  assert.equal(sql("SELECT count(*) FROM event WHERE title = 'Atelier CV'"), '0');
  await page.locator('#maximum').fill('2');
  await page.getByRole('button', { name: 'Créer l’animation collective' }).click();
  await page.getByText('L’animation collective a bien été créée').waitFor();
  await page.getByRole('link', { name: 'Voir le détail de l’animation collective', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Atelier CV' }).waitFor();
  assert.ok(await page.getByText('2 inscrits / 2').isVisible());
  assert.ok(await page.getByText('Complet', { exact: true }).isVisible());
  assert.ok(await page.getByText('À venir', { exact: true }).isVisible());
  assert.ok(await page.getByText('Créé(e) par : Camille Martin').isVisible());
  for (const who of [A, C]) assert.ok(await page.getByText(who.name, { exact: true }).isVisible(), who.name);
  await visit(page, 'ac05-detail');
  const id = /([0-9a-f-]{36})$/.exec(page.url())[1];
  assert.equal(sql(`SELECT kind || ' ' || type || ' ' || max_participants FROM event WHERE id = '${id}'`), 'ac ATELIER 2');
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE event_id = '${id}'`), '2');
  await page.context().close();
});

test('"Inscrire à une animation collective" from the fiche: the upcoming AC, "Complet", the edit with the beneficiary checked', async () => {
  const c = await counselorClient(CAMILLE);
  const E = await addByHttp(c, '100013');
  const full = await createAc(c, 'Atelier complet', [['limite', 'oui'], ['maximum', '1'], ['beneficiaires', E]]);
  const open = await createAc(c, 'Information collective ouverte', [['limite', 'oui'], ['maximum', '5']]);
  const page = await counselorPage(browser, stack, CAMILLE);
  const D = await addBeneficiary(page, stack, '100010');

  await page.getByRole('link', { name: 'Inscrire à une animation collective' }).click();
  await page.waitForURL(new RegExp(`/agenda/animations-collectives/inscrire\\?beneficiaire=${D.id}$`));
  const crumbs = page.locator('.fr-breadcrumb');
  assert.ok(await crumbs.getByRole('link', { name: `${D.first} ${D.last}` }).isVisible(), 'the fiche in the breadcrumb');
  const fullRow = page.locator('tr', { hasText: 'Atelier complet' });
  const openRow = page.locator('tr', { hasText: 'Information collective ouverte' });
  assert.match(await fullRow.innerText(), /1 inscrit \/ 1\s+Complet/i);
  assert.equal(await fullRow.getByRole('link').count(), 0, 'a full AC cannot be chosen');
  assert.match(await openRow.innerText(), /0 inscrit \/ 5/);
  await visit(page, 'ac06-inscrire');

  await openRow.getByRole('link', { name: 'Choisir l’animation collective Information collective ouverte' }).click();
  await page.waitForURL(new RegExp(`/agenda/animations-collectives/${open}/modifier\\?beneficiaire=${D.id}$`));
  assert.ok(await box(page, D).isChecked(), 'the beneficiary is preselected');
  assert.equal(await page.locator('#beneficiaires-legende').innerText(), 'Bénéficiaires (1)');
  assert.ok(await crumbs.getByRole('link', { name: `${D.first} ${D.last}` }).isVisible());
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE event_id = '${open}'`), '0', 'nothing stored yet');
  await visit(page, 'ac07-modifier-depuis-fiche');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.getByText('L’animation collective a bien été modifiée').waitFor();
  assert.match(page.url(), new RegExp(`/beneficiaires/${D.id}\\?onglet=rendez-vous`));
  const tabLink = page.getByRole('link', { name: 'Voir le détail de l’animation collective Information collective ouverte' });
  assert.equal(await tabLink.getAttribute('href'), `/agenda/animations-collectives/${open}`);
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE event_id = '${open}' AND beneficiary_id = '${D.id}'`), '1');
  await visit(page, 'ac08-onglet');

  // Registered now: the list says so.
  await page.goto(`${stack.baseUrl}/agenda/animations-collectives/inscrire?beneficiaire=${D.id}`);
  assert.match(await page.locator('tr', { hasText: 'Information collective ouverte' }).innerText(), /Déjà inscrit/i);
  assert.ok(full);
  await page.context().close();
});

test('a colleague edits the AC after a confirmation and deletes it', async () => {
  const camille = await counselorClient(CAMILLE);
  const A = await addByHttp(camille, '100016');
  const id = await createAc(camille, 'Atelier mobilité', [['beneficiaires', A]]);
  const page = await counselorPage(browser, stack, YANN);
  await page.goto(`${stack.baseUrl}/agenda/animations-collectives/${id}`);
  await page.getByRole('link', { name: 'Modifier' }).click();
  await page.getByText('Type : Atelier').waitFor();
  // Camille's beneficiary: flagged, and Yann may remove them (any counselor of the structure).
  const row = pickRow(page, A);
  assert.match(await row.innerText(), /Ce bénéficiaire n’est pas dans votre portefeuille/);
  await page.locator('#heure').fill('15:00');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.getByText('Les bénéficiaires seront notifiés sur l’application CEJ.').waitFor();
  await page.getByRole('heading', { name: 'Modifier l’animation collective « Atelier mobilité » ?' }).waitFor();
  await visit(page, 'ac09-confirmer');
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByText('L’animation collective a bien été modifiée').waitFor();
  assert.ok(await page.getByText('15h00 - 2h (Fin à 17h00)').isVisible());
  assert.match(await page.locator('#historique li').first().innerText(), /Yann Le Goff$/);
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE event_id = '${id}'`), '1', 'the registrant stays');

  await page.getByRole('link', { name: 'Supprimer' }).click();
  await page.getByRole('heading', { name: 'Souhaitez-vous supprimer l’événement : Atelier mobilité ?' }).waitFor();
  await visit(page, 'ac10-supprimer');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/agenda/animations-collectives/${id}/supprimer`)),
    page.getByRole('button', { name: 'Confirmer' }).click(),
  ]);
  assert.equal(response.status(), 303);
  assert.equal(response.headers().location, '/agenda?onglet=mission-locale');
  assert.equal(sql(`SELECT count(*) FROM event WHERE id = '${id}'`), '0');
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE event_id = '${id}'`), '0');
  await page.context().close();
});

test('leaving a changed event form asks first; the breadcrumb names the fiche', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const A = await addBeneficiary(page, stack, '100019');
  await page.getByRole('link', { name: 'Créer un rendez-vous' }).click();
  await page.waitForURL(/\/agenda\/rendez-vous\/nouveau\?beneficiaire=/);
  const crumbs = await page.locator('.fr-breadcrumb li').allInnerTexts();
  assert.deepEqual(crumbs.map((s) => s.trim()), ['Portefeuille', `${A.first} ${A.last}`, 'Créer un rendez-vous']);
  assert.equal(await page.locator('.fr-breadcrumb').getByRole('link', { name: `${A.first} ${A.last}` }).getAttribute('href'), `/beneficiaires/${A.id}`);
  // Unchanged: Annuler leaves at once.
  await page.getByRole('link', { name: 'Annuler' }).click();
  await page.waitForURL(new RegExp(`/beneficiaires/${A.id}$`));
  await page.goBack();
  await page.locator('#titre').fill('Point CV');
  await page.getByRole('link', { name: 'Annuler' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(LEAVE).waitFor();
  await visit(page, 'ac11-quitter');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  assert.ok(!(await dialog.isVisible()));
  assert.match(page.url(), /\/agenda\/rendez-vous\/nouveau/);
  await page.locator('.fr-breadcrumb').getByRole('link', { name: 'Portefeuille' }).click();
  await dialog.getByRole('button', { name: 'Quitter la page' }).click();
  await page.waitForURL(/\/portefeuille$/);
  await page.context().close();
});

test('without JavaScript: the picker searches on the server, the maximum is a plain field', async () => {
  const setup = await counselorPage(browser, stack, CAMILLE);
  const A = await addBeneficiary(setup, stack, '100022');
  const B = await addBeneficiary(setup, stack, '100025');
  await setup.context().close();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(CAMILLE);
  await page.getByLabel('Mot de passe', { exact: true }).fill(COUNSELOR_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/portefeuille$/);

  await page.goto(`${stack.baseUrl}/agenda/rendez-vous/nouveau?beneficiaire=${A.id}`);
  await page.locator('#type').selectOption('VISITE');
  await page.locator('#titre').fill('Visite entreprise');
  await page.getByLabel('Rechercher un bénéficiaire').fill(B.last);
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await box(page, B).waitFor();
  assert.ok(await box(page, A).isChecked(), 'the checked one stays listed');
  assert.equal(await page.locator('#titre').inputValue(), 'Visite entreprise');
  assert.equal(await page.locator('#type').inputValue(), 'VISITE');
  assert.equal(await page.locator('.fr-breadcrumb li').count(), 3, 'still from the fiche');
  await page.getByLabel('Rechercher un bénéficiaire').fill('personne-de-ce-nom');
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  await page.getByText('Aucun bénéficiaire ne correspond à cette recherche.').waitFor({ state: 'attached' });
  assert.equal(await page.locator('[data-cej-pick]').count(), 1, 'only the checked one');
  await page.locator('#date').fill(parisDay(4));
  await page.locator('#heure').fill('09:00');
  await page.locator('#duree').fill('01:00');
  // Enter in a field sends the form's own submit, not "Rechercher".
  await page.locator('#duree').press('Enter');
  await page.getByText('Le rendez-vous a bien été créé').waitFor();

  await page.goto(`${stack.baseUrl}/agenda/animations-collectives/nouveau`);
  assert.ok(await page.locator('#maximum').isVisible(), 'no script hides it');
  await page.locator('#titre').fill('Information collective sans script');
  await page.locator('#type').selectOption('INFORMATION_COLLECTIVE');
  await tick(page, A);
  await page.locator('label[for=limite]').click();
  await page.locator('#maximum').fill('10');
  await page.locator('#date').fill(parisDay(5));
  await page.locator('#heure').fill('10:00');
  await page.locator('#duree').fill('01:30');
  await page.getByRole('button', { name: 'Créer l’animation collective' }).click();
  await page.getByText('L’animation collective a bien été créée').waitFor();
  await page.getByText('1 inscrit / 10').waitFor();
  assert.equal(sql("SELECT type || ' ' || max_participants FROM event WHERE title = 'Information collective sans script'"), 'INFORMATION_COLLECTIVE 10');
  await context.close();
});

// ---- Over HTTP (forged requests) ----

test('scenario 5: a third registrant of an AC of at most 2 gets 400 and nothing is stored', async () => {
  const c = await counselorClient(CAMILLE);
  const [A, B, C] = [await addByHttp(c, '100028'), await addByHttp(c, '100031'), await addByHttp(c, '100034')];
  const id = await createAc(c, 'Atelier à deux', [['limite', 'oui'], ['maximum', '2'], ['beneficiaires', A], ['beneficiaires', B]]);
  const r = await postAc(c, `/agenda/animations-collectives/${id}/modifier`, [
    ['titre', 'Atelier à deux'], ['limite', 'oui'], ['maximum', '2'], ['description', 'changée'],
    ['beneficiaires', A], ['beneficiaires', B], ['beneficiaires', C]]);
  assert.equal(r.status, 400);
  assert.ok((await r.text()).includes('Le nombre maximum de participants est dépassé.'));
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE event_id = '${id}'`), '2');
  assert.equal(sql(`SELECT description FROM event WHERE id = '${id}'`), '');
  assert.equal(sql(`SELECT count(*) FROM event_history WHERE event_id = '${id}'`), '0');
  // Without the switch a forged maximum is not read: no maximum.
  const r2 = await postAc(c, `/agenda/animations-collectives/${id}/modifier`, [
    ['titre', 'Atelier à deux'], ['maximum', '2'], ['beneficiaires', A], ['beneficiaires', B], ['beneficiaires', C]]);
  assert.equal(r2.status, 303);
  assert.equal(sql(`SELECT COALESCE(max_participants, 0) || ' ' || (SELECT count(*) FROM event_participant WHERE event_id = '${id}') FROM event WHERE id = '${id}'`), '0 3');
});

test('an AC takes only registrants of its structure; a RDV is not found at an AC address', async () => {
  const camille = await counselorClient(CAMILLE);
  const sophie = await counselorClient(SOPHIE);   // Mission Locale de Paris
  const P = await addByHttp(sophie, '100002');      // a dossier of Paris
  const r = await postAc(camille, '/agenda/animations-collectives/nouveau', [['type', 'ATELIER'], ['titre', 'Atelier Brest'], ['beneficiaires', P]]);
  assert.equal(r.status, 400);
  assert.ok((await r.text()).includes('Ce bénéficiaire n’appartient pas à votre Mission Locale.'));
  assert.equal(sql("SELECT count(*) FROM event WHERE title = 'Atelier Brest'"), '0');
  // The AC form makes AC only.
  const rdvType = await postAc(camille, '/agenda/animations-collectives/nouveau', [['type', 'VISITE'], ['titre', 'Pas une AC']]);
  assert.equal(rdvType.status, 400);
  assert.ok((await rdvType.text()).includes('Le champ “Type” est vide. Renseignez un type.'));
  const id = await createAc(camille, 'Atelier de Brest');
  assert.equal((await camille.get(`/agenda/rendez-vous/${id}`)).status, 404);
  assert.equal((await sophie.get(`/agenda/animations-collectives/${id}`)).status, 404, 'another Mission Locale');
  assert.equal((await camille.get(`/agenda/animations-collectives/inscrire?beneficiaire=${P}`)).status, 404);
  assert.equal((await camille.get(`/agenda/animations-collectives/${id}/modifier?beneficiaire=${P}`)).status, 200);
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE event_id = '${id}'`), '0');
});
