// offers_alerts.test.mjs — saved searches, the counselor's suggestions and the alerts in
// Chromium (offers.md §4, §6; youth-app.md §5 "Mes alertes", §8; notifications.md #14–15),
// axe-core and the 390 px width on every new page: the young person creates an alert from a
// results URL (default name "{mots clés} - {lieu}", the empty name refused), finds it in Mes
// alertes and on Accueil, opens its results, deletes it; the counselor shares criteria to two
// beneficiaries — one accepts (a saved search), the other refuses; criteria that may not be
// shared are refused; the 11:00 job (test clock) tells of a Service civique mission that
// entered the catalogue (§10 scenario 8), once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary,
  notificationCentre, waitFor,
} from './harness.mjs';

const CAMILLE = 'camille.martin@cej-demo.fr';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const SEARCH = 'type=emploi&motscles=vendeur&lieu=29019';

let stack, browser, referent, youngA, youngB, A, B;

const sql = (q) => stack.sql(q);

/** Opens @url on a new page of @page's context at both widths: 200, axe, no overflow. */
async function check(page, url, label) {
  for (const [name, viewport] of [['390', PHONE], ['1366', LAPTOP]]) {
    const p = await page.context().newPage();
    await p.setViewportSize(viewport);
    const res = await p.goto(stack.baseUrl + url);
    assert.equal(res.status(), 200, `${label} at ${name}`);
    const extra = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(extra <= 0, `${label} at ${name}: ${extra} px too wide`);
    await visit(p, `${label}-${name}`);
    await p.close();
  }
}

before(async () => {
  stack = await startStack();
  // The communes referential, as `make run` imports it: the place's label ("Brest (29200)").
  const r = await stack.cli('offers', 'communes', 'import', 'data/geo/departements.csv', 'data/geo/communes.csv');
  assert.equal(r.code, 0);
  browser = await launchBrowser();
  referent = await counselorPage(browser, stack, CAMILLE);
  A = await addBeneficiary(referent, stack, '100031');
  B = await addBeneficiary(referent, stack, '100034');
  youngA = await activateBeneficiary(browser, stack, A);
  youngB = await activateBeneficiary(browser, stack, B);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('an alert is created from a results URL, listed, opened, shown on Accueil and deleted', async () => {
  await youngA.goto(`${stack.baseUrl}/app/accueil`);
  const home = youngA.locator('section', { has: youngA.getByRole('heading', { name: 'Mes alertes' }) });
  await home.getByText('Crée des alertes lors de tes recherches et reçois les offres qui te correspondent').waitFor();
  assert.equal(await home.getByRole('link', { name: 'Commencer une recherche' }).getAttribute('href'), '/app/offres');

  await check(youngA, `/app/offres/alertes/nouvelle?${SEARCH}`, 'alerte-nouvelle');
  await youngA.goto(`${stack.baseUrl}/app/offres/alertes/nouvelle?${SEARCH}`);
  await youngA.getByRole('heading', { name: 'Créer une alerte pour la recherche' }).waitFor();
  const name = youngA.getByLabel('Nom de la recherche');
  assert.equal(await name.inputValue(), 'vendeur - Brest (29200)');
  const recap = await youngA.locator('.cej-criteria').innerText();
  assert.match(recap, /Mots clés\s*:?\s*vendeur/);
  assert.match(recap, /Brest \(29200\)/);
  assert.match(recap, /10 km/);
  await youngA.getByText('Les filtres appliqués seront aussi enregistrés.').waitFor();

  await name.fill('   ');
  await youngA.getByRole('button', { name: 'Créer l’alerte' }).click();
  await youngA.getByText('Renseigne un nom pour ta recherche').waitFor();
  assert.equal(sql('SELECT count(*) FROM offer_saved_search'), '0');

  await youngA.getByLabel('Nom de la recherche').fill('Vendeur à Brest');
  await youngA.getByRole('button', { name: 'Créer l’alerte' }).click();
  await youngA.waitForURL(/\/app\/offres\/alertes$/);
  await youngA.getByText('Ta recherche a bien été enregistrée. Retrouve-la dans la section Mes alertes sur ta page d’accueil.').waitFor();
  await youngA.getByRole('heading', { name: 'Vendeur à Brest' }).waitFor();
  assert.equal(sql(`SELECT type || ' ' || source || ' ' || status FROM offer_saved_search`), 'EMPLOI BENEFICIAIRE accepted');
  const id = sql('SELECT id FROM offer_saved_search');
  await check(youngA, '/app/offres/alertes', 'mes-alertes');

  // The type filter keeps Emploi, not Service civique.
  await youngA.getByLabel('Type d’offre').selectOption('service-civique');
  await youngA.getByRole('button', { name: 'Filtrer' }).click();
  await youngA.getByText('Aucune alerte de ce type.').waitFor();
  await youngA.goto(`${stack.baseUrl}/app/offres/alertes?type=emploi`);
  await youngA.getByRole('heading', { name: 'Vendeur à Brest' }).waitFor();

  // Accueil: the alert and "Voir toutes mes alertes".
  await youngA.goto(`${stack.baseUrl}/app/accueil`);
  await home.getByRole('link', { name: 'Vendeur à Brest' }).waitFor();
  assert.equal(await home.getByRole('link', { name: 'Voir toutes mes alertes' }).getAttribute('href'), '/app/offres/alertes');
  await check(youngA, '/app/accueil', 'accueil-alertes');

  // "Voir les résultats": the search's results, last_searched_at recorded.
  await youngA.goto(`${stack.baseUrl}/app/offres/alertes`);
  const link = youngA.getByRole('link', { name: 'Voir les résultats de Vendeur à Brest' });
  assert.equal(await link.getAttribute('href'), `/app/offres/alertes/${id}`);
  const res = await youngA.request.get(`${stack.baseUrl}/app/offres/alertes/${id}`, { maxRedirects: 0 });
  assert.ok([302, 303].includes(res.status()), `status ${res.status()}`);
  assert.equal(res.headers().location, `/app/offres/recherche?${SEARCH}&distance=10&recherche=1`);
  assert.notEqual(sql(`SELECT coalesce(last_searched_at, 0) FROM offer_saved_search WHERE id = '${id}'`), '0');
  // Someone else's alert: not found.
  assert.equal((await youngB.request.get(`${stack.baseUrl}/app/offres/alertes/${id}`, { maxRedirects: 0 })).status(), 404);
  assert.equal((await youngB.goto(`${stack.baseUrl}/app/offres/alertes/${id}/supprimer`)).status(), 404);

  // Deletion, after its confirmation.
  await youngA.getByRole('link', { name: 'Supprimer l’alerte Vendeur à Brest' }).click();
  await youngA.getByRole('heading', { name: 'Souhaites-tu supprimer l’alerte ?' }).waitFor();
  await youngA.getByText('Tu n’auras plus accès à la page de résultats ni aux notifications.').waitFor();
  await check(youngA, `/app/offres/alertes/${id}/supprimer`, 'alerte-supprimer');
  await youngA.getByRole('button', { name: 'Supprimer l’alerte' }).click();
  await youngA.waitForURL(/\/app\/offres\/alertes$/);
  await youngA.getByText('Ton alerte a été supprimée avec succès.').waitFor();
  await youngA.getByText('Tu n’as pas encore d’alerte sauvegardée').waitFor();
  assert.equal(await youngA.getByRole('link', { name: 'Rechercher une offre' }).getAttribute('href'), '/app/offres');
  assert.equal(sql('SELECT count(*) FROM offer_saved_search'), '0');
  await check(youngA, '/app/offres/alertes', 'mes-alertes-vide');
});

test('the counselor shares criteria to two beneficiaries: one accepts, the other refuses', async () => {
  await check(referent, `/offres/criteres/partager?${SEARCH}`, 'partager-criteres');
  await referent.goto(`${stack.baseUrl}/offres/criteres/partager?${SEARCH}`);
  await referent.getByRole('heading', { name: 'Partager les critères de recherche' }).waitFor();
  // No one chosen: said beside the list.
  await referent.getByRole('button', { name: 'Partager' }).click();
  await referent.getByText('Sélectionnez au moins un bénéficiaire.').waitFor();
  // DSFR draws the box on the label: a user clicks it.
  await referent.locator('label', { hasText: A.row }).click();
  await referent.locator('label', { hasText: B.row }).click();
  const [resp] = await Promise.all([
    referent.waitForResponse((r) => r.request().method() === 'POST'),
    referent.getByRole('button', { name: 'Partager' }).click(),
  ]);
  assert.equal(resp.status(), 303);
  assert.equal(resp.headers().location, `/offres?${SEARCH}`, 'back to the results');
  // The results page (the counselor's search, another part of issue 15) shows the flash.
  await referent.waitForURL(/\/offres\?/);
  await referent.getByText('Les critères de recherche ont bien été partagés').waitFor();
  assert.equal(sql(`SELECT count(*) FROM offer_saved_search WHERE source = 'CONSEILLER' AND status = 'pending'`), '2');

  // A: told in the centre, then "Créer l'alerte".
  const centre = await notificationCentre(youngA, stack);
  assert.deepEqual(centre[0], { title: 'Nouvelle suggestion', body: 'Votre conseiller vous suggère une recherche',
                                href: '/app/offres/alertes' });
  await youngA.goto(`${stack.baseUrl}/app/offres/alertes`);
  await youngA.getByText('Votre conseiller vous suggère une recherche').waitFor();
  await check(youngA, '/app/offres/alertes', 'mes-alertes-suggestion');
  await youngA.getByRole('button', { name: 'Créer l’alerte vendeur - Brest (29200)' }).click();
  await youngA.waitForURL(/\/app\/offres\/alertes$/);
  await youngA.getByText('Ta recherche a bien été enregistrée. Retrouve-la dans la section Mes alertes sur ta page d’accueil.').waitFor();
  await youngA.getByRole('heading', { name: 'vendeur - Brest (29200)', level: 2 }).waitFor();
  assert.equal(await youngA.getByText('Votre conseiller vous suggère une recherche').count(), 0);

  // B refuses: nothing saved.
  await youngB.goto(`${stack.baseUrl}/app/offres/alertes`);
  await youngB.getByRole('button', { name: 'Refuser la suggestion vendeur - Brest (29200)' }).click();
  await youngB.waitForURL(/\/app\/offres\/alertes$/);
  await youngB.getByText('La suggestion de ton conseiller a été refusée.').waitFor();
  await youngB.getByText('Tu n’as pas encore d’alerte sauvegardée').waitFor();
  assert.equal(sql(`SELECT status FROM offer_saved_search WHERE beneficiary_id = '${A.id}'`), 'accepted');
  assert.equal(sql(`SELECT status FROM offer_saved_search WHERE beneficiary_id = '${B.id}'`), 'refused');
});

test('criteria without a place may not be shared', async () => {
  const res = await referent.goto(`${stack.baseUrl}/offres/criteres/partager?type=emploi&motscles=vendeur`);
  assert.equal(res.status(), 400);
  await referent.getByText(/Ces critères ne peuvent pas être partagés/).waitFor();
  await visit(referent, 'partager-criteres-refus');
});

// Last: it moves the server's clock.
test('scenario 8: a mission that entered the catalogue is told by the 11:00 job, once', async () => {
  await youngB.goto(`${stack.baseUrl}/app/offres/alertes/nouvelle?type=service-civique&lieu=29019`);
  await youngB.getByLabel('Nom de la recherche').fill('Missions à Brest');
  await youngB.getByRole('button', { name: 'Créer l’alerte' }).click();
  await youngB.waitForURL(/\/app\/offres\/alertes$/);
  const id = sql(`SELECT id FROM offer_saved_search WHERE name = 'Missions à Brest'`);
  const runAt = Number(sql(`SELECT run_at FROM job WHERE key = 'offers:alerts-11'`));
  assert.ok(runAt > Date.now(), 'planned ahead');
  const seen = Date.now() + 1000;
  sql(`INSERT INTO offer(id, provider, provider_id, type, title, commune_insee, dept_code,
       first_seen_at, last_seen_at, raw) VALUES ('sc-e2e', 'engagement', 'sc-e2e',
       'SERVICE_CIVIQUE', 'Aide aux devoirs', '29019', '29', ${seen}, ${seen}, '{}')`);
  try {
    await fetch(stack.baseUrl + '/_test/horloge', {
      method: 'POST', body: JSON.stringify({ offset_ms: runAt - Date.now() + 1000 }),
    });
    await waitFor(() => sql(`SELECT coalesce(last_alert_state, '') FROM offer_saved_search WHERE id = '${id}'`) === 'SUCCES',
                  { what: 'the alert job to run', timeoutMs: 15_000 });
  } finally {
    await fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: '{"offset_ms":0}' });
  }
  const centre = await notificationCentre(youngB, stack);
  assert.deepEqual(centre[0], { title: 'Missions à Brest', body: 'De nouveaux résultats sont disponibles',
                                href: `/app/offres/alertes/${id}` });
  assert.equal(sql(`SELECT count(*) FROM notification WHERE type = 'NEW_OFFERS'`), '1');
  // The job moved to tomorrow 11:00; the day's run is recorded, so a re-run sends nothing.
  assert.ok(Number(sql(`SELECT run_at FROM job WHERE key = 'offers:alerts-11'`)) > runAt);
});
