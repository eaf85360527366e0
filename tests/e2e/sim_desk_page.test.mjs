// sim_desk_page.test.mjs — the simulator's desk page (/_admin/guichet, issue 13 point 1) in
// Chromium without JavaScript, as a tester at the "i-milo desk" uses it: opened once with
// the admin token (then a cookie), a session created (a refusal first, shown next to its
// form), dossier 100001 registered, marked ACHIEVED, unregistered; a rendez-vous created for
// dossier 100002 and its statut changed. Each change is checked on the page ("Événement …
// émis"), in the simulator's data and in its feed (GET /_admin/events with the header).
// A cross-site form cannot act: no cookie 401, a wrong hidden token 403, nothing changed.
// axe-core at 1366 and 390 px, no horizontal scroll at 390 px (axe runs in a context with
// JavaScript, which it needs: the page has no script, so it is the same page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, SIM_ADMIN_TOKEN } from './harness.mjs';

let stack, browser, context, page;

const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const DAY = 24 * 3600 * 1000;
// A day inside the default period (today → +30 days), as the browser's date field wants it.
const inTenDays = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
const NAME = 'Atelier du guichet e2e <b>';

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  context = await browser.newContext({ javaScriptEnabled: false, viewport: LAPTOP });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// Opens the page in a fresh context with JavaScript (for axe) at @viewport, runs axe and takes
// the screenshot; returns [scrollWidth, clientWidth].
async function axeAt(viewport, label) {
  const ctx = await browser.newContext({ viewport });
  const p = await ctx.newPage();
  await p.goto(`${stack.simUrl}/_admin/guichet?jeton=${SIM_ADMIN_TOKEN}`);
  await p.goto(`${stack.simUrl}/_admin/guichet?dossier=100002`);
  assert.equal(await p.locator('h1').textContent(), 'Guichet i-milo');
  await visit(p, label);
  const widths = await p.evaluate(() => [document.documentElement.scrollWidth,
    document.documentElement.clientWidth]);
  await ctx.close();
  return widths;
}

async function events() {
  const r = await stack.simAdmin('GET', '/_admin/events');
  assert.equal(r.status, 200);
  return r.body;
}

// Submits with @button and returns the page's outcome text (role=status or role=alert).
async function submit(button) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
  return (await page.locator('[role=status], [role=alert]').first().textContent()).trim();
}

test('the page without the token is a 401; with it, a cookie and the page', async () => {
  const bare = await page.goto(`${stack.simUrl}/_admin/guichet`);
  assert.equal(bare.status(), 401);
  assert.match(await page.locator('h1').textContent(), /Jeton d'administration requis/);
  const wrong = await page.goto(`${stack.simUrl}/_admin/guichet?jeton=mauvais`);
  assert.equal(wrong.status(), 401);

  const res = await page.goto(`${stack.simUrl}/_admin/guichet?jeton=${SIM_ADMIN_TOKEN}`);
  assert.equal(res.status(), 200);
  assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
  const [cookie] = await context.cookies(stack.simUrl + '/_admin/guichet');
  assert.equal(cookie.name, 'sim_guichet');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.locator('h1').textContent(), 'Guichet i-milo');
  assert.match(await page.locator('caption').first().textContent(), /Sessions de Brest \(29019S00\)/);
  // The seed's open Brest session (+7 days) is listed with its places.
  assert.ok(await page.locator('#session-1007').count() === 1);
});

test('a session created, 100001 registered, ACHIEVED, unregistered: each with its event', async () => {
  await page.goto(`${stack.simUrl}/_admin/guichet`);
  await page.selectOption('#ns-offre', '1');
  await page.fill('#ns-nom', NAME);
  await page.fill('#ns-debut', `${inTenDays}T14:00`);
  await page.fill('#ns-fin', `${inTenDays}T12:00`);
  await page.fill('#ns-places', '8');
  let said = await submit('Créer la session');
  assert.match(said, /dateHeureDebut doit précéder dateHeureFin/);
  // The refusal is shown inside its form, the values typed kept.
  assert.match(await page.locator('#form-nouvelle-session [role=alert]').textContent(),
    /dateHeureDebut doit précéder dateHeureFin/);
  assert.equal(await page.inputValue('#ns-nom'), NAME);

  await page.fill('#ns-fin', `${inTenDays}T16:00`);
  said = await submit('Créer la session');
  assert.match(said, /Session créée\. Aucun événement émis/);
  const heading = page.locator('h3', { hasText: NAME });
  const id = (await heading.getAttribute('id')).replace('session-', '');
  const created = await stack.simAdmin('GET', `/_admin/sessions/${id}`);
  assert.equal(created.body.session.nom, NAME);
  assert.equal(created.body.session.nbPlacesDisponibles, 8);
  assert.equal(created.body.session.dateHeureDebut, `${inTenDays} 14:00:00`);

  await page.fill(`#inscrire-${id}-dossier`, '100001');
  said = await submit(`Inscrire à la session ${id}`);
  assert.match(said, /Dossier inscrit\. Événement SESSION CREATE émis\./);
  let feed = await events();
  const registered = feed.at(-1);
  assert.deepEqual([registered.type, registered.action, registered.idDossier], ['SESSION', 'CREATE', 100001]);
  const instance = registered.idType;
  const row = page.locator(`#session-${id} + div tbody tr`, { hasText: '100001' });
  assert.match(await row.textContent(), /ONGOING/);

  await page.selectOption(`#inscription-${instance}-statut`, 'ACHIEVED');
  await page.fill(`#inscription-${instance}-date`, inTenDays);
  said = await submit(`Changer le statut du dossier 100001 à la session ${id}`);
  assert.match(said, /Statut de l'inscription changé\. Événement SESSION UPDATE émis\./);
  feed = await events();
  assert.deepEqual([feed.at(-1).type, feed.at(-1).action, feed.at(-1).idType], ['SESSION', 'UPDATE', instance]);
  const marked = await stack.simAdmin('GET', `/_admin/sessions/${id}`);
  const inst = JSON.stringify(marked.body);
  assert.match(inst, /ACHIEVED/);
  assert.match(inst, new RegExp(inTenDays));

  said = await submit(`Supprimer l'inscription du dossier 100001 à la session ${id}`);
  assert.match(said, /Inscription supprimée\. Événement SESSION DELETE émis\./);
  feed = await events();
  assert.deepEqual([feed.at(-1).type, feed.at(-1).action, feed.at(-1).idType], ['SESSION', 'DELETE', instance]);
  const after = await stack.simAdmin('GET', `/_admin/sessions/${id}`);
  assert.doesNotMatch(JSON.stringify(after.body), /100001/);
  // The feed on the page, newest first, says whether each event was acknowledged.
  const first = await page.locator('#flux ~ div tbody tr').first().textContent();
  assert.match(first, /SESSION\s*DELETE/);
  assert.match(first, /(oui|non)$/);
});

test('a rendez-vous created for 100002 and its statut changed, each with its event', async () => {
  await page.goto(`${stack.simUrl}/_admin/guichet`);
  await page.fill('#dossier', '100002');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Afficher ses rendez-vous' }).click()]);
  assert.match(await page.locator('#rdv ~ div caption').textContent(), /Rendez-vous du dossier 100002/);
  await page.fill('#nr-debut', `${inTenDays}T10:00`);
  await page.fill('#nr-fin', `${inTenDays}T11:00`);
  await page.fill('#nr-objet', 'Point sur la recherche de stage');
  await page.fill('#nr-conseiller', 'sophie.durand');
  await page.fill('#nr-type', 'Entretien individuel');
  await page.fill('#nr-lieu', 'Mission Locale de Paris');
  let said = await submit('Créer le rendez-vous');
  assert.match(said, /Rendez-vous créé\. Événement RDV CREATE émis\./);
  let feed = await events();
  const created = feed.at(-1);
  assert.deepEqual([created.type, created.action, created.idDossier], ['RDV', 'CREATE', 100002]);
  const rdv = created.idType;
  assert.match(await page.locator('#rdv ~ div tbody').textContent(), /Point sur la recherche de stage/);

  await page.selectOption(`#rdv-${rdv}-statut`, 'Présent');
  said = await submit(`Modifier le rendez-vous ${rdv}`);
  assert.match(said, /Rendez-vous modifié\. Événement RDV UPDATE émis\./);
  feed = await events();
  assert.deepEqual([feed.at(-1).type, feed.at(-1).action, feed.at(-1).idType], ['RDV', 'UPDATE', rdv]);
  const list = await stack.simAdmin('GET', '/_admin/dossiers/100002/rdv');
  const mine = list.body.find((x) => x.id === rdv);
  assert.equal(mine.statut, 'Présent');
  assert.equal(mine.dateHeureDebut, `${inTenDays} 10:00:00`);
});

test('a form from elsewhere cannot act: no cookie 401, a wrong hidden token 403', async () => {
  const before = (await events()).length;
  const instancesBefore = (await stack.simAdmin('GET', '/_admin/sessions/1007')).body.session.instances;
  const form = new URLSearchParams({ jeton: SIM_ADMIN_TOKEN, idDossier: '100004', statut: 'ONGOING' });
  const url = `${stack.simUrl}/_admin/guichet/sessions/1007/inscriptions`;
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const noCookie = await fetch(url, { method: 'POST', headers, body: form, redirect: 'manual' });
  assert.equal(noCookie.status, 401);
  const cookie = `sim_guichet=${SIM_ADMIN_TOKEN}`;
  form.set('jeton', 'devine');
  const wrong = await fetch(url, { method: 'POST', headers: { ...headers, Cookie: cookie }, body: form, redirect: 'manual' });
  assert.equal(wrong.status, 403);
  form.delete('jeton');
  const none = await fetch(url, { method: 'POST', headers: { ...headers, Cookie: cookie }, body: form, redirect: 'manual' });
  assert.equal(none.status, 403);
  assert.equal((await events()).length, before, 'no event written');
  const session = await stack.simAdmin('GET', '/_admin/sessions/1007');
  assert.deepEqual(session.body.session.instances, instancesBefore);
  // The API's header path is unchanged, and the page accepts the header too.
  const page2 = await fetch(`${stack.simUrl}/_admin/guichet`, { headers: { 'X-Admin-Token': SIM_ADMIN_TOKEN } });
  assert.equal(page2.status, 200);
});

test('axe at 1366 and 390 px: no violation; no horizontal scroll at 390 px', async () => {
  await axeAt(LAPTOP, 'sim-guichet-1366');
  const [scroll, width] = await axeAt(PHONE, 'sim-guichet-390');
  assert.ok(scroll <= width, `scrollWidth ${scroll} > ${width}`);
});
