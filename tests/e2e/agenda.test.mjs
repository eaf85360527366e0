// agenda.test.mjs — the counselor's rendez-vous from the fiche (agenda.md §2, §2.1, §6), in
// Chromium with axe-core on every page: the form and its errors, creation with its flash,
// the fiche's "Rendez-vous" tab, the detail and its history, the edit (with the
// confirmation a colleague gets), the deletion — with JavaScript and without. Then the
// acceptance scenarios of §10 that this slice covers, over plain HTTP: 1 (the forced
// presence; the notification and the J-1 job come with the notifications slice), 2 (the
// date window) and 3 (AUTRE without or with a too long précision).
// Each test creates its own beneficiary and rendez-vous, so each can run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, httpClient, COUNSELOR_PASSWORD, parisDay,
} from './harness.mjs';

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


// The same day @years later (29/02 → 28/02), as the server's window counts: {iso, fr}.
function yearsFrom(iso, years) {
  let [y, m, d] = iso.split('-').map(Number);
  y += years;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  d = Math.min(d, last);
  const pad = (n) => String(n).padStart(2, '0');
  return { iso: `${y}-${pad(m)}-${pad(d)}`, fr: `${pad(d)}/${pad(m)}/${y}` };
}

function plusDays(iso, days) {
  const t = new Date(`${iso}T12:00:00Z`).getTime() + days * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Opens the form from @who's fiche with the button, as a counselor does. */
async function openForm(page, who) {
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}`);
  await page.getByRole('link', { name: 'Créer un rendez-vous' }).click();
  await page.waitForURL(/\/agenda\/rendez-vous\/nouveau\?beneficiaire=/);
}

/** Fills the required fields (the beneficiary is preselected) and creates the RDV. */
async function createRdv(page, who, { type = 'ENTRETIEN_INDIVIDUEL_CONSEILLER', days = 3, start = '10:00', duration = '00:45', title } = {}) {
  await openForm(page, who);
  await page.locator('#type').selectOption(type);
  if (title) await page.locator('#titre').fill(title);
  await page.locator('#modalite').selectOption('TELEPHONE');
  await page.locator('#date').fill(parisDay(days).iso);
  await page.locator('#heure').fill(start);
  await page.locator('#duree').fill(duration);
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText('Le rendez-vous a bien été créé').waitFor();
  const href = await page.getByRole('link', { name: 'Voir le détail du rendez-vous', exact: true }).getAttribute('href');
  return /([0-9a-f-]{36})$/.exec(href)[1];
}

test('creation from the fiche: errors, then the flash, the tab and the detail', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100001');
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}?onglet=rendez-vous`);
  await page.getByText(`Aucun rendez-vous ou atelier pour ${who.first}.`).waitFor();
  assert.ok(await page.getByRole('link', { name: 'Rendez-vous (0)' }).isVisible());
  await visit(page, 'rdv01-onglet-vide');

  await openForm(page, who);
  await page.getByText('Tous les champs avec * sont obligatoires').waitFor();
  assert.ok(await page.getByRole('checkbox', { name: who.row }).isChecked(), 'the beneficiary of the fiche is preselected');
  // The counselor is always there for an individual interview (the default type).
  const presence = page.locator('#presence');
  assert.ok(await presence.isChecked() && await presence.isDisabled());
  await page.locator('#type').selectOption('VISITE');
  assert.ok(!(await presence.isDisabled()));
  await page.locator('#type').selectOption('ENTRETIEN_INDIVIDUEL_CONSEILLER');
  assert.ok(await presence.isChecked() && await presence.isDisabled());
  await visit(page, 'rdv02-formulaire');

  // Nothing but the type: date, start and duration are missing.
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText('Le formulaire contient 3 erreur(s).').waitFor();
  for (const text of [
    'Le champ “Date” est vide. Renseignez une date.',
    'Le champ “Heure de début” est vide. Renseignez une heure de début.',
    'Le champ “Durée” est vide. Renseignez une durée.',
  ]) assert.ok(await page.getByRole('link', { name: text }).isVisible(), text);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'erreurs');
  await visit(page, 'rdv03-formulaire-erreurs');

  // No beneficiary, and a duration out of 00:01..23:59.
  await page.locator('label', { hasText: who.row }).click();
  await page.locator('#date').fill(parisDay(3).iso);
  await page.locator('#heure').fill('10:00');
  await page.locator('#duree').fill('00:00');
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText('Le formulaire contient 2 erreur(s).').waitFor();
  assert.ok(await page.getByRole('link', { name: 'Aucun bénéficiaire n’est renseigné. Veuillez sélectionner au moins un bénéficiaire.' }).isVisible());
  assert.ok(await page.getByRole('link', { name: 'Le champ “Durée” est invalide. La durée attendue est comprise entre 00:01 et 23:59.' }).isVisible());
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE beneficiary_id = '${who.id}'`), '0');

  // Valid: the flash links to the detail; the fiche shows the tab.
  const id = await createRdv(page, who, { title: 'Point CV' });
  assert.match(page.url(), new RegExp(`/beneficiaires/${who.id}\\?onglet=rendez-vous#rendez-vous$`));
  assert.ok(await page.getByRole('link', { name: 'Rendez-vous (1)' }).isVisible());
  const row = page.locator('#rendez-vous tbody tr');
  assert.equal(await row.count(), 1);
  const cells = await row.first().locator('td').allInnerTexts();
  assert.match(cells[0], new RegExp(`${parisDay(3).fr}\\s+10h00 - 45 min`));
  assert.match(cells[1], /Point CV\s+Par téléphone/);
  assert.equal(cells[2], 'vous');
  await visit(page, 'rdv04-onglet');

  await page.getByRole('link', { name: 'Voir le détail du rendez-vous', exact: true }).click();
  await page.waitForURL(new RegExp(`/agenda/rendez-vous/${id}$`));
  await page.getByText('Créé(e) par : Camille Martin').waitFor();
  assert.ok(await page.getByText('10h00 - 45 min (Fin à 10h45)').isVisible());
  assert.ok(await page.getByText('Aucune modification.').isVisible());
  await visit(page, 'rdv05-detail');
  await page.context().close();
});

test('edit, history with "Voir plus", and deletion with its confirmation', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100004');
  const id = await createRdv(page, who, { type: 'VISITE' });

  for (const duration of ['01:00', '01:30', '02:00']) {
    await page.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}`);
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByText('Type : Visite').waitFor();   // locked
    assert.ok(await page.getByText(/^Fin à \d\dh\d\d$/).isVisible(), 'the end of the stored times');
    await page.locator('#duree').fill(duration);
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText('Le rendez-vous a bien été modifié').waitFor();
  }
  assert.ok(await page.getByText('10h00 - 2h (Fin à 12h00)').isVisible());
  const history = page.locator('#historique li');
  assert.equal(await history.count(), 2, 'the 2 latest changes');
  assert.match(await history.first().innerText(), /Camille Martin$/);
  await page.getByRole('link', { name: 'Voir plus' }).click();
  await page.waitForURL(/historique=tout/);
  assert.equal(await page.locator('#historique li').count(), 3);
  await visit(page, 'rdv06-historique');

  await page.getByRole('link', { name: 'Supprimer' }).click();
  await page.getByRole('heading', { name: 'Souhaitez-vous supprimer l’événement : Visite Par téléphone ?' }).waitFor();
  await visit(page, 'rdv07-supprimer');
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByText('Le rendez-vous a bien été supprimé').waitFor();
  assert.match(page.url(), new RegExp(`/beneficiaires/${who.id}\\?onglet=rendez-vous`));
  assert.ok(await page.getByText(`Aucun rendez-vous ou atelier pour ${who.first}.`).isVisible());
  assert.equal(sql(`SELECT count(*) FROM event WHERE id = '${id}'`), '0');
  assert.equal(sql(`SELECT count(*) FROM event_history WHERE event_id = '${id}'`), '0');
  await page.context().close();
});

test('a counselor following a participant edits someone else\'s RDV after a confirmation', async () => {
  const camille = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(camille, stack, '100007');
  const id = await createRdv(camille, who, { type: 'PRESTATION', title: 'Atelier mobilité' });
  // Yann reads it (same Mission Locale) but may not change it…
  const yann = await counselorPage(browser, stack, YANN);
  await yann.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}`);
  await yann.getByText('Créé(e) par : Camille Martin').waitFor();
  assert.equal(await yann.getByRole('link', { name: 'Modifier' }).count(), 0);
  assert.equal((await yann.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}/modifier`)).status(), 403);
  // …until he follows the participant (a reassignment, here straight in the database).
  sql(`UPDATE beneficiary SET counselor_id = (SELECT id FROM counselor WHERE email = '${YANN}') WHERE id = '${who.id}'`);
  await yann.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}/modifier`);
  await yann.locator('#heure').fill('14:00');
  await yann.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await yann.getByText('Les bénéficiaires seront notifiés sur l’application CEJ.').waitFor();
  await visit(yann, 'rdv08-confirmer');
  assert.ok(await yann.locator('#heure').count() === 0, 'a page of its own, not the form');
  await yann.getByRole('button', { name: 'Confirmer' }).click();
  await yann.getByText('Le rendez-vous a bien été modifié').waitFor();
  assert.ok(await yann.getByText('14h00 - 45 min (Fin à 14h45)').isVisible());
  assert.match(await yann.locator('#historique li').first().innerText(), /Yann Le Goff$/);
  assert.equal(sql(`SELECT presence FROM event WHERE id = '${id}'`), '1');
  await camille.context().close();
  await yann.context().close();
});

test('without JavaScript: create, edit and delete from the fiche', async () => {
  const setup = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(setup, stack, '100010');
  await setup.context().close();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(CAMILLE);
  await page.getByLabel('Mot de passe', { exact: true }).fill(COUNSELOR_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/portefeuille$/);
  // "Préciser" shows without JavaScript; the server reads it for AUTRE only.
  await openForm(page, who);
  await page.locator('#type').selectOption('AUTRE');
  await page.locator('#preciser').fill('Bilan de fin de mois');
  await page.locator('#date').fill(parisDay(5).iso);
  await page.locator('#heure').fill('09:15');
  await page.locator('#duree').fill('00:30');
  await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
  await page.getByText('Le rendez-vous a bien été créé').waitFor();
  await page.getByRole('link', { name: 'Voir le détail du rendez-vous', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Bilan de fin de mois' }).waitFor();
  await page.getByRole('link', { name: 'Modifier' }).click();
  await page.locator('#preciser').fill('Bilan de fin de trimestre');
  await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
  await page.getByText('Le rendez-vous a bien été modifié').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Bilan de fin de trimestre' }).waitFor();
  await page.getByRole('link', { name: 'Supprimer' }).click();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByText('Le rendez-vous a bien été supprimé').waitFor();
  await page.getByText(`Aucun rendez-vous ou atelier pour ${who.first}.`).waitFor();
  await context.close();
});

// ---- §10 scenarios over HTTP (forged requests) ----

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

async function postRdv(c, fields) {
  const csrf = c.csrfFrom(await (await c.get('/agenda/rendez-vous/nouveau')).text());
  return c.form('/agenda/rendez-vous/nouveau', { _csrf: csrf, ...fields });
}

test('scenario 1: an individual interview is stored with the counselor present, whatever is posted', async () => {
  const c = await counselorClient(CAMILLE);
  const A = await addByHttp(c, '100013');
  // No "presence" field: a forged request asking for "absent".
  const r = await postRdv(c, { type: 'ENTRETIEN_INDIVIDUEL_CONSEILLER', date: parisDay(3).iso,
                               heure: '10:00', duree: '00:45', beneficiaires: A });
  assert.equal(r.status, 303);
  const id = /([0-9a-f-]{36})$/.exec(r.headers.get('location'))[1];
  assert.equal(sql(`SELECT presence FROM event WHERE id = '${id}'`), '1');
  // Another type keeps what was asked.
  const v = await postRdv(c, { type: 'VISITE', date: parisDay(3).iso, heure: '10:00', duree: '00:45', beneficiaires: A });
  const visit2 = /([0-9a-f-]{36})$/.exec(v.headers.get('location'))[1];
  assert.equal(sql(`SELECT presence FROM event WHERE id = '${visit2}'`), '0');
});

test('scenario 2: a date one day past today + 2 years is refused and nothing is stored', async () => {
  const c = await counselorClient(CAMILLE);
  const A = await addByHttp(c, '100016');
  const today = parisDay(0);
  const first = plusDays(yearsFrom(today.iso, -1).iso, -1);
  const last = yearsFrom(today.iso, 2);
  const message = `Le champ “Date” est invalide. La date attendue est comprise entre le ${first.split('-').reverse().join('/')} et le ${last.fr}.`;
  for (const date of [plusDays(last.iso, 1), plusDays(first, -1)]) {
    const r = await postRdv(c, { type: 'VISITE', date, heure: '10:00', duree: '00:45', beneficiaires: A });
    assert.equal(r.status, 400, date);
    assert.ok((await r.text()).includes(message), `${date}: ${message}`);
  }
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE beneficiary_id = '${A}'`), '0');
  // The edges are inside.
  for (const date of [last.iso, first])
    assert.equal((await postRdv(c, { type: 'VISITE', date, heure: '10:00', duree: '00:45', beneficiaires: A })).status, 303, date);
});

test('scenario 3: AUTRE without a précision or with 251 characters gets 400 and the field error', async () => {
  const c = await counselorClient(CAMILLE);
  const A = await addByHttp(c, '100019');
  const base = { type: 'AUTRE', date: parisDay(3).iso, heure: '10:00', duree: '00:45', beneficiaires: A };
  let r = await postRdv(c, base);
  assert.equal(r.status, 400);
  assert.ok((await r.text()).includes('Le champ “Préciser” est vide. Renseignez une précision.'));
  r = await postRdv(c, { ...base, preciser: 'é'.repeat(251) });
  assert.equal(r.status, 400);
  assert.ok((await r.text()).includes('Le champ “Préciser” ne doit pas dépasser 250 caractères.'));
  r = await postRdv(c, { ...base, preciser: 'é'.repeat(250) });
  assert.equal(r.status, 303);
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE beneficiary_id = '${A}'`), '1');
});

test('a beneficiary outside the portfolio cannot be added to a RDV', async () => {
  const camille = await counselorClient(CAMILLE);
  const A = await addByHttp(camille, '100021');
  const yann = await counselorClient(YANN);
  const r = await postRdv(yann, { type: 'VISITE', date: parisDay(3).iso, heure: '10:00', duree: '00:45', beneficiaires: A });
  assert.equal(r.status, 400);
  assert.ok((await r.text()).includes('Ce bénéficiaire n’est pas dans votre portefeuille.'));
  assert.equal(sql(`SELECT count(*) FROM event_participant WHERE beneficiary_id = '${A}'`), '0');
});
