// record_agenda.test.mjs — the fiche's "Agenda" tab and the week's events counter
// (beneficiaries.md §6, §7; agenda.md §6): a rendez-vous and an action of the chosen week,
// grouped by day, the period selector keeping the tab (with JavaScript and without), the
// "Actions en retard (n) Voir" line, "Les événements — N Cette semaine" on the fiche and on
// the Indicateurs page, and a colleague's read-only fiche. axe on every page.
// Each test adds its own beneficiary, so each can run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, csrfFrom, parisDay as parisDate,
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

const CAMILLE = 'camille.martin@cej-demo.fr';
const YANN = 'yann.le-goff@cej-demo.fr';

// "Lundi 9 octobre" of "yyyy-mm-dd".
function dayTitle(iso) {
  const s = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' })
    .format(new Date(`${iso}T12:00:00Z`));
  return s.charAt(0).toUpperCase() + s.slice(1);
}
// The Monday of the week of "yyyy-mm-dd".
function monday(iso) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** POSTs @fields (with the page's CSRF token) as the browser's form would. */
async function post(page, formUrl, url, fields) {
  const csrf = csrfFrom(await (await page.request.get(stack.baseUrl + formUrl)).text());
  const r = await page.request.post(stack.baseUrl + url, {
    data: new URLSearchParams([['_csrf', csrf], ...fields]).toString(), maxRedirects: 0,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.baseUrl },
  });
  assert.equal(r.status(), 303, `${url}: ${r.status()} ${await r.text()}`);
}

/** A rendez-vous for @who on @iso at @start ("Point CV"), and an action due that day. */
async function fillWeek(page, who, iso) {
  await post(page, `/agenda/rendez-vous/nouveau?beneficiaire=${who.id}`, '/agenda/rendez-vous/nouveau', [
    ['type', 'ENTRETIEN_INDIVIDUEL_CONSEILLER'], ['titre', 'Point CV'], ['description', ''],
    ['beneficiaires', who.id], ['modalite', 'TELEPHONE'], ['date', iso], ['heure', '14:30'],
    ['duree', '00:45'], ['adresse', ''], ['organisme', ''], ['presence', 'oui']]);
  await post(page, `/beneficiaires/${who.id}/actions/nouvelle`, `/beneficiaires/${who.id}/actions/nouvelle`, [
    ['categorie', 'EMPLOI'], ['titre', 'Mettre à jour son CV'], ['titre_perso', ''], ['description', ''],
    ['statut', 'a_faire'], ['date_action', iso]]);
}

test('the Agenda tab lists the week by day; the period selector keeps it, with and without JavaScript', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100013');
  const day = parisDay(8);            // next week or the one after: never today's week alone
  await fillWeek(page, who, day);
  const mon = monday(day);

  // Today's week: the RDV is not in it (8 days ahead), the tab says so.
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}`);
  const tabs = page.getByRole('navigation', { name: 'Suivi du bénéficiaire' });
  await tabs.getByRole('link', { name: 'Agenda', exact: true }).click();
  await page.waitForURL(/onglet=agenda/);
  const tab = page.locator('#agenda');
  await tab.getByRole('heading', { name: 'Semaine en cours' }).waitFor();
  assert.equal(await tabs.getByRole('link', { name: 'Agenda', exact: true }).getAttribute('aria-current'), 'page');
  await visit(page, 'fa01-agenda-semaine-en-cours');

  // The week of the RDV, as ?debut= gives it: its day, its hour, its links.
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}?onglet=agenda&debut=${mon}`);
  await tab.getByRole('heading', { name: dayTitle(day) }).waitFor();
  const rdv = tab.getByRole('link', { name: 'Rendez-vous : Point CV' });
  assert.match(await rdv.getAttribute('href'), /^\/agenda\/rendez-vous\/[0-9a-f-]{36}$/);
  // A screen reader hears the kind before the label (sr-only).
  const norm = (t) => t.replace(/\s+/g, ' ').trim();
  assert.equal(norm(await tab.locator('li').filter({ hasText: 'Point CV' }).innerText()), '14h30 - Rendez-vous : Point CV');
  const action = tab.getByRole('link', { name: 'Action : Mettre à jour son CV' });
  assert.match(await action.getAttribute('href'), /^\/actions\/[0-9a-f-]{36}$/);
  // The action has no hour; it comes before the afternoon RDV of its day.
  const lines = await tab.locator('.cej-agenda-day li').allInnerTexts();
  assert.deepEqual(lines.map(norm), ['Action : Mettre à jour son CV', '14h30 - Rendez-vous : Point CV']);
  // The week block counts the event.
  const events = page.locator('.cej-tile--events');
  assert.equal((await events.innerText()).replace(/\s+/g, ' ').trim(), '1 Cette semaine');
  await visit(page, 'fa02-agenda-semaine-du-rdv');

  // "Semaine précédente" with JavaScript: both blocks change in place, the tab stays open.
  await page.getByRole('link', { name: 'Semaine précédente' }).click();
  await page.waitForURL(new RegExp(`onglet=agenda&debut=`));
  await tab.getByText('Aucune action ni aucun rendez-vous sur cette semaine.').waitFor();
  assert.equal((await events.innerText()).replace(/\s+/g, ' ').trim(), '0 Cette semaine');

  // Without JavaScript the links load the page with the same tab.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.goto(stack.baseUrl + '/connexion');
  await plain.getByLabel('Adresse e-mail').fill(CAMILLE);
  await plain.getByLabel('Mot de passe', { exact: true }).fill('Conseiller1!');
  await plain.getByRole('button', { name: 'Se connecter' }).click();
  await plain.waitForURL(/\/portefeuille$/);
  await plain.goto(`${stack.baseUrl}/beneficiaires/${who.id}?onglet=agenda&debut=${mon}`);
  await plain.getByRole('link', { name: 'Semaine suivante' }).click();
  await plain.waitForURL(/onglet=agenda&debut=/);
  await plain.locator('#agenda').getByText('Aucune action ni aucun rendez-vous sur cette semaine.').waitFor();
  await plain.getByRole('link', { name: 'Semaine précédente' }).click();
  await plain.locator('#agenda').getByRole('link', { name: 'Rendez-vous : Point CV' }).waitFor();
  await plain.context().close();
  await page.context().close();
});

test('"Actions en retard (n) Voir" leads to the late actions; the Indicateurs count the week\'s events', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100016');
  const day = parisDay(2);
  await fillWeek(page, who, day);
  await post(page, `/beneficiaires/${who.id}/actions/nouvelle`, `/beneficiaires/${who.id}/actions/nouvelle`, [
    ['categorie', 'EMPLOI'], ['titre', 'Mettre à jour son CV'], ['titre_perso', ''], ['description', ''],
    ['statut', 'a_faire'], ['date_action', parisDay(-3)]]);

  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}?onglet=agenda&debut=${monday(day)}`);
  await page.locator('#agenda').getByText('Actions en retard (1)').waitFor();
  await page.locator('#agenda').getByRole('link', { name: 'Voir les actions en retard' }).click();
  await page.waitForURL(/onglet=actions&statut=en_retard/);

  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}/informations?onglet=indicateurs&debut=${monday(day)}`);
  await page.getByRole('heading', { name: 'Les événements' }).waitFor();
  assert.equal((await page.locator('.cej-tile--events').innerText()).replace(/\s+/g, ' ').trim(), '1 Cette semaine');
  await visit(page, 'fa03-indicateurs-evenements');
  await page.context().close();
});

test('a colleague reads the Agenda tab of a fiche outside his portfolio', async () => {
  const camille = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(camille, stack, '100019');
  const day = parisDay(1);
  await fillWeek(camille, who, day);
  await camille.context().close();

  const yann = await counselorPage(browser, stack, YANN);
  const res = await yann.goto(`${stack.baseUrl}/beneficiaires/${who.id}?onglet=agenda&debut=${monday(day)}`);
  assert.equal(res.status(), 200);
  await yann.getByText('Vous êtes en lecture seule').waitFor();
  await yann.locator('#agenda').getByRole('link', { name: 'Rendez-vous : Point CV' }).waitFor();
  await visit(yann, 'fa04-agenda-lecture-seule');
  await yann.context().close();
});

test('the Rendez-vous tab lists the coming rendez-vous first, then the past ones', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100022');
  const rdv = (title, iso) => post(page, `/agenda/rendez-vous/nouveau?beneficiaire=${who.id}`, '/agenda/rendez-vous/nouveau', [
    ['type', 'ENTRETIEN_INDIVIDUEL_CONSEILLER'], ['titre', title], ['description', ''],
    ['beneficiaires', who.id], ['modalite', 'TELEPHONE'], ['date', iso], ['heure', '09:00'],
    ['duree', '00:30'], ['adresse', ''], ['organisme', ''], ['presence', 'oui']]);
  await rdv('Bilan du mois dernier', parisDay(-30));
  await rdv('Point de la semaine passée', parisDay(-7));
  await rdv('Préparer l’entretien', parisDay(5));
  await rdv('Point CV', parisDay(2));

  // The count is on the tab bar of every tab; the rows only in the tab.
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}`);
  const tabs = page.getByRole('navigation', { name: 'Suivi du bénéficiaire' });
  await tabs.getByRole('link', { name: 'Rendez-vous (4)' }).click();
  await page.waitForURL(/onglet=rendez-vous/);
  const titles = await page.locator('#rendez-vous tbody tr td:nth-child(2) p.fr-text--bold').allTextContents();
  assert.deepEqual(titles, ['Point CV', 'Préparer l’entretien', 'Point de la semaine passée', 'Bilan du mois dernier']);
  await visit(page, 'fa05-rendez-vous-a-venir-puis-passes');
  await page.context().close();
});
