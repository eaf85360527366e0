// sync.test.mjs — situations and the date de fin du CEJ from i-milo: refreshed on demand
// from the fiche and every night by the job queue; when i-milo cannot be read, the fiche
// keeps the last known values and says so; a dossier no longer justified flags the
// account "à archiver".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, httpClient, waitFor } from './harness.mjs';

let stack, c, id;

async function clock(offsetMs) {
  const r = await fetch(stack.baseUrl + '/_test/horloge', {
    method: 'POST', body: JSON.stringify({ offset_ms: offsetMs }),
  });
  assert.equal(r.status, 200);
}

async function fiche() {
  const r = await c.get(`/beneficiaires/${id}`);
  assert.equal(r.status, 200);
  return r.text();
}

// A fresh session: shifting the clock by a day also ends the idle session.
async function login() {
  c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email: 'camille.martin@cej-demo.fr', password: 'Conseiller1!' });
  assert.equal(r.status, 303);
}

before(async () => {
  stack = await startStack();
  await login();
  let html = await (await c.get('/portefeuille/ajouter')).text();
  let r;
  const csrf = c.csrfFrom(html);
  r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100004', dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  html = await (await c.get('/portefeuille')).text();
  id = /href="\/beneficiaires\/([0-9a-f-]{36})"/.exec(html)[1];
});

after(async () => {
  await stack?.stop();
});

test('the fiche refreshes situations from i-milo on demand', async () => {
  const situations = [{ etat: 'EN_COURS', categorieSituation: 'Formation', dateFin: null }];
  let r = await stack.simAdmin('PATCH', '/_admin/dossiers/100004', { situations, dateFinPrevue: '2027-06-30' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const csrf = c.csrfFrom(await fiche());
  r = await c.form(`/beneficiaires/${id}/actualiser`, { _csrf: csrf });
  assert.equal(r.status, 303);
  const html = await fiche();
  assert.match(html, /Les informations du dossier i-milo ont été mises à jour\./);
  assert.match(html, /Date de fin du CEJ : 30\/06\/2027/);
  assert.match(html, /<p class="fr-tag">Formation<\/p>/);
});

test('when i-milo is down the fiche keeps the last known values and says so', async () => {
  // Known values first (a successful refresh), so that the test runs alone.
  let r = await stack.simAdmin('PATCH', '/_admin/dossiers/100004', { dateFinPrevue: '2027-06-30' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await c.form(`/beneficiaires/${id}/actualiser`, { _csrf: c.csrfFrom(await fiche()) });
  assert.equal(r.status, 303);
  assert.match(await fiche(), /Date de fin du CEJ : 30\/06\/2027/);
  r = await stack.simAdmin('POST', '/_admin/faults', { match: { path: '/sue/dossiers/*' }, status: 503 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const csrf = c.csrfFrom(await fiche());
  r = await c.form(`/beneficiaires/${id}/actualiser`, { _csrf: csrf });
  assert.equal(r.status, 303);
  const html = await fiche();
  assert.match(html, /i-milo ne répond pas pour le moment\. Les dernières informations connues sont affichées\./);
  assert.match(html, /i-milo n’a pas pu être joint \(Aujourd’hui à \d\dh\d\d\) : les informations affichées sont les dernières connues\./);
  assert.match(html, /Date de fin du CEJ : 30\/06\/2027/);
  await stack.simAdmin('DELETE', '/_admin/faults');
});

test('the nightly job flags a dossier no longer justified, and a later success clears it', async () => {
  let r = await stack.simAdmin('PATCH', '/_admin/dossiers/100004', { justified: false });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // A day later the 22:00 job has run, and the per-beneficiary reads after it.
  await clock(24 * 3600 * 1000);
  await login();
  let html = await waitFor(async () => {
    const h = await fiche();
    return h.includes('La récupération des informations de ce bénéficiaire depuis i-milo a échoué.') && h;
  }, { timeoutMs: 10000, intervalMs: 100, what: 'the nightly job to flag the dossier on the fiche' });
  assert.match(html, /La récupération des informations de ce bénéficiaire depuis i-milo a échoué\./);
  assert.match(html, /Veuillez vérifier si ce compte doit être archivé\./);

  r = await stack.simAdmin('PATCH', '/_admin/dossiers/100004', { justified: true });
  assert.equal(r.status, 200);
  await clock(2 * 24 * 3600 * 1000);
  await login();
  html = await waitFor(async () => {
    const h = await fiche();
    return !h.includes('La récupération des informations') && h;
  }, { timeoutMs: 10000, intervalMs: 100, what: 'a later nightly run to clear the flag on the fiche' });
  assert.doesNotMatch(html, /La récupération des informations de ce bénéficiaire depuis i-milo a échoué\./);
  await clock(0);
});
