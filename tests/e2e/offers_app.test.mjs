// offers_app.test.mjs — the young person's "Offres" tab in Chromium (youth-app.md §8,
// offers.md §2–§7, §10 #6, #7, #10, #11), axe-core and the 390 px width on every new page:
// search → save → "Suivi des offres"; the detail, "As-tu postulé ?" and the share to the
// counselor (his conversation shows it); the favourites' API (409 on a duplicate, 403 to
// the counselor when the beneficiary does not share them); a vanished favourite shown
// from its snapshot; the week's "Les offres" indicators on the fiche; Accueil's "Mon suivi
// des offres" and the search home's last 3 searches (a cookie; tampered values too).
// The stack imports the communes and a small demo catalogue (Finistère) once: ~1 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary, csrfFrom,
  waitForMails,
} from './harness.mjs';

const CAMILLE = 'camille.martin@cej-demo.fr';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

let stack, browser, referent, young, other, A, B;
const sql = (q) => stack.sql(q);

/** Opens @url on a new page of @page's context at both widths: 200, axe, no overflow. */
async function check(page, url, label, status = 200) {
  for (const [name, viewport] of [['390', PHONE], ['1366', LAPTOP]]) {
    const p = await page.context().newPage();
    await p.setViewportSize(viewport);
    const res = await p.goto(stack.baseUrl + url);
    assert.equal(res.status(), status, `${label} at ${name}`);
    await p.screenshot({ path: `/tmp/offers-app-${label}-${name}.png`, fullPage: true });
    const extra = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const wide = await p.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 3).map((e) => e.tagName + '.' + e.className).join(' '));
    assert.ok(extra <= 0, `${label} at ${name}: ${extra} px too wide (${wide})`);
    await visit(p, `${label}-${name}`);
    await p.close();
  }
}

/** Active Emploi offers of the Finistère, as the catalogue holds them. */
function emploiOffers(n) {
  return sql(`SELECT id, title FROM offer WHERE type = 'EMPLOI' AND active = 1 AND dept_code = '29' ORDER BY id LIMIT ${n}`)
    .split('\n').map((l) => { const [id, title] = l.split('|'); return { id, title }; });
}

/** The API with the session of @page: X-CSRF-Token from one of its pages. */
async function api(page, method, path, body) {
  // The share page carries a form, hence the token, and records no event.
  const [o] = emploiOffers(1);
  const html = await (await page.context().request.get(`${stack.baseUrl}/app/offres/emploi/${o.id}/partager`)).text();
  const token = csrfFrom(html);
  return page.context().request.fetch(`${stack.baseUrl}${path}`, {
    method, headers: { 'X-CSRF-Token': token ?? '', Origin: stack.baseUrl, 'Content-Type': 'application/json' },
    data: body ? JSON.stringify(body) : undefined,
  });
}

before(async () => {
  stack = await startStack();
  for (const args of [['offers', 'communes', 'import', 'data/geo/departements.csv', 'data/geo/communes.csv'],
                      ['offers', 'demo', '--seed', '42', '--per-type', '40', '--departements', '29']]) {
    const r = await stack.cli(...args);
    assert.equal(r.code, 0, args.join(' '));
  }
  browser = await launchBrowser();
  referent = await counselorPage(browser, stack, CAMILLE);
  A = await addBeneficiary(referent, stack, '100031');
  young = await activateBeneficiary(browser, stack, A);
  B = await addBeneficiary(referent, stack, '100007');
  other = await activateBeneficiary(browser, stack, B);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('search, save from the results, then Suivi des offres', async () => {
  await young.goto(`${stack.baseUrl}/app/accueil`);
  await young.getByRole('link', { name: 'Offres', exact: true }).first().click();
  await young.waitForURL(/\/app\/offres$/);
  assert.equal(await young.getByRole('link', { name: 'Mes alertes' }).getAttribute('href'), '/app/offres/alertes');
  await young.getByRole('link', { name: 'Offres d’emploi' }).click();
  await young.getByLabel(/Lieu de travail/).fill('Brest');
  await young.getByRole('button', { name: 'Rechercher' }).click();
  await young.getByRole('heading', { name: /^Liste des résultats \(\d+ offres?\)$/ }).waitFor();
  const alert = await young.getByRole('link', { name: 'Créer une alerte' }).getAttribute('href');
  assert.match(alert, /^\/app\/offres\/alertes\/nouvelle\?type=emploi&lieu=29019/);
  assert.doesNotMatch(alert, /page=/);

  const first = young.locator('li[id^=offre-]').first();
  const title = (await first.locator('h3').innerText()).trim();
  await first.getByRole('button', { name: `Enregistrer : ${title}` }).click();
  await young.getByText('Offre enregistrée').first().waitFor();
  await young.locator('li[id^=offre-]', { hasText: title }).first().getByRole('button', { name: `Enregistrée : ${title}` }).waitFor();
  await check(young, '/app/offres', 'home');
  await check(young, new URL(young.url()).pathname + new URL(young.url()).search, 'results');

  await young.getByRole('link', { name: 'Suivi des offres' }).click();
  await young.getByText('1 favori', { exact: true }).waitFor();
  await young.getByText('0 postulée', { exact: true }).waitFor();
  await young.getByRole('link', { name: title }).waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = '${A.id}' AND code = 'FAVORI_AJOUTE'`), '1');
  await check(young, '/app/offres/suivi', 'suivi');
  // A filter with nothing of its type: the empty state.
  await young.goto(`${stack.baseUrl}/app/offres/suivi?type=immersion`);
  await young.getByText('Suis tes offres d’emploi ici').waitFor();
  assert.equal(await young.getByRole('link', { name: 'Lancer une recherche' }).getAttribute('href'), '/app/offres');
});

test('"Afficher plus d’offres" shows the next 10 without JavaScript; an empty search says so', async () => {
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.context().addCookies(await young.context().cookies());
  await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi&lieu=29&recherche=1`);
  assert.equal(await plain.locator('li[id^=offre-]').count(), 10);
  await plain.getByRole('link', { name: 'Afficher plus d’offres' }).click();
  await plain.waitForURL(/page=2#offre-11$/);
  assert.ok(await plain.locator('li[id^=offre-]').count() > 10);
  await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi&motscles=astronaute&recherche=1`);
  await plain.getByText('Pour le moment, aucune offre ne correspond à tes critères.').waitFor();
  await plain.getByText('Essaie d’élargir ta recherche en modifiant tes critères ou crée une alerte.').waitFor();
  await plain.context().close();
  // With htmx: the next 10 are appended on the same page and the first new card has the focus.
  await young.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi&lieu=29&recherche=1`);
  const url = young.url();
  await young.getByRole('link', { name: 'Afficher plus d’offres' }).click();
  await young.locator('li#offre-11').waitFor();
  assert.equal(young.url(), url);
  assert.equal(await young.locator('li[id^=offre-]').count(), 20);
  assert.equal(await young.evaluate(() => document.activeElement.id), 'offre-11');
  await check(young, '/app/offres/recherche?type=immersion', 'form-immersion');
});

test('"Lieu de travail": suggestions as one types, a name resolved without JavaScript, "Paris" asks which', async () => {
  // With htmx: typing fills the field's <datalist> from /app/offres/lieux (départements first).
  await young.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi`);
  await young.getByLabel('Lieu de travail').pressSequentially('finis');
  await young.locator('#lieux option[value="Finistère (29)"]').waitFor({ state: 'attached' });
  // Without JavaScript: a typed name is resolved on the server, the results are its.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.context().addCookies(await young.context().cookies());
  await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi`);
  await plain.getByLabel('Lieu de travail').fill('Finistère');
  await plain.getByRole('button', { name: 'Rechercher' }).click();
  await plain.getByRole('heading', { name: /Liste des résultats/ }).waitFor();
  assert.equal(await plain.getByLabel('Lieu de travail').inputValue(), 'Finistère (29)');
  // A name that fits several places: the young person chooses, and the choice searches.
  await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi&lieu=Paris&recherche=1`);
  await plain.getByRole('heading', { name: 'Précise le lieu' }).waitFor();
  const choices = plain.locator('#preciser a');
  const labels = await choices.allTextContents();
  assert.ok(labels.length >= 2 && labels.includes('Paris (75)'), labels.join(', '));
  await choices.filter({ hasText: 'Paris (75)' }).first().click();
  await plain.getByRole('heading', { name: /Liste des résultats/ }).waitFor();
  assert.match(plain.url(), /lieu=75&/);
  // Nothing fits: the field's message.
  const res = await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi&lieu=Zzyzx&recherche=1`);
  assert.equal(res.status(), 400);
  await plain.getByText('Aucune commune ni aucun département ne correspond à ce lieu : choisis un lieu dans la liste.').waitFor();
  await plain.context().close();
  await check(young, '/app/offres/recherche?type=emploi&lieu=Paris&recherche=1', 'preciser-lieu');
});

test('Service civique: "Domaine" and "Date de début" behind "Filtres", which counts them', async () => {
  // The demo's most common domain in the Finistère, and a start 30 days ahead.
  const [label] = sql(`SELECT domain FROM offer WHERE type = 'SERVICE_CIVIQUE' AND active = 1 AND dept_code = '29'
    GROUP BY domain ORDER BY count(*) DESC, domain LIMIT 1`).split('\n');
  const iso = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  // The demo starts missions at midnight in Paris: 3 h before midnight UTC is that day's.
  const from = Date.parse(`${iso}T00:00:00Z`) - 3 * 3600000;
  const want = Number(sql(`SELECT count(*) FROM offer WHERE type = 'SERVICE_CIVIQUE' AND active = 1 AND dept_code = '29'
    AND domain = '${label}' AND start_date >= ${from}`));
  await young.goto(`${stack.baseUrl}/app/offres/recherche?type=service-civique`);
  await young.getByLabel(/Localisation/).fill('Finistère (29)');
  const filters = young.locator('summary', { hasText: 'Filtres' });
  assert.equal((await filters.textContent()).trim(), 'Filtres');
  await filters.click();
  await young.getByLabel('Domaine').selectOption({ label });
  await young.getByText('À partir de', { exact: true }).click();
  await young.getByLabel(/Date de début au plus tôt/).fill(iso);
  await young.getByRole('button', { name: 'Rechercher' }).click();
  await young.getByRole('heading', { name: /^Liste des résultats/ }).waitFor();
  assert.equal((await young.locator('summary', { hasText: 'Filtres' }).textContent()).trim(), 'Filtres (2)');
  const heading = await young.getByRole('heading', { name: /^Liste des résultats/ }).textContent();
  assert.equal(heading, want ? `Liste des résultats (${want} offre${want > 1 ? 's' : ''})` : 'Liste des résultats (0 offre)');
  for (const card of await young.locator('li[id^=offre-]').allTextContents()) assert.ok(card.includes(label), card);
  // "Créer une alerte" keeps them (the radio is the form's only).
  const alert = new URL(await young.getByRole('link', { name: 'Créer une alerte' }).getAttribute('href'), stack.baseUrl);
  assert.equal(alert.searchParams.get('debut'), iso);
  assert.ok(alert.searchParams.get('domaine'));
  assert.equal(alert.searchParams.get('quand'), null);
  await check(young, new URL(young.url()).pathname + new URL(young.url()).search, 'results-civique');
  // "Dès que possible" leaves the date out: one filter left.
  await young.locator('summary', { hasText: 'Filtres' }).click();
  await young.getByText('Dès que possible', { exact: true }).click();
  await young.getByRole('button', { name: 'Rechercher' }).click();
  await young.waitForURL(/quand=des-que-possible/);
  assert.equal((await young.locator('summary', { hasText: 'Filtres' }).textContent()).trim(), 'Filtres (1)');
  // An unknown domain is refused with its message.
  const res = await young.goto(`${stack.baseUrl}/app/offres/recherche?type=service-civique&domaine=ecologie&recherche=1`);
  assert.equal(res.status(), 400);
  await young.getByText('Le domaine est invalide : choisissez un domaine dans la liste.').waitFor();
});

test('the detail records OFFRE_CONSULTEE; "Oui, j’ai postulé" dates the application', async () => {
  const [o] = emploiOffers(1).slice(-1);
  const before = Number(sql(`SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = '${A.id}' AND code = 'OFFRE_CONSULTEE'`));
  await young.goto(`${stack.baseUrl}/app/offres/emploi/${o.id}`);
  await young.getByRole('heading', { level: 1, name: o.title }).waitFor();
  await young.getByText(`Offre n°${o.id}`).waitFor();
  assert.equal(Number(sql(`SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = '${A.id}' AND code = 'OFFRE_CONSULTEE'`)), before + 1);
  const apply = young.getByRole('link', { name: 'Je postule' });
  if (await apply.count()) {
    assert.equal(await apply.getAttribute('target'), '_blank');
    assert.equal(await apply.getAttribute('rel'), 'noopener');
    await young.getByRole('link', { name: 'J’ai postulé ?' }).click();
  } else {
    await young.goto(`${stack.baseUrl}/app/offres/emploi/${o.id}?postule=1`);
  }
  await young.getByRole('heading', { name: 'As-tu postulé à cette offre ?' }).waitFor();
  await check(young, `/app/offres/emploi/${o.id}?postule=1`, 'detail');
  await young.getByRole('button', { name: 'Oui, j’ai postulé' }).click();
  await young.getByText('Offre postulée').waitFor();
  await young.getByText('👏 Bravo pour ton engagement !', { exact: false }).waitFor();
  await young.goto(`${stack.baseUrl}/app/offres/suivi?type=emploi`);
  const card = young.locator('li', { has: young.getByRole('link', { name: o.title }) });
  await card.getByText('Candidature envoyée').waitFor();
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris' }).format(new Date());
  await card.getByText(`Postulé le ${day}`).waitFor();
  await young.getByText('1 postulée', { exact: true }).waitFor();
});

test('share to the counselor: the message and its card reach his conversation', async () => {
  const [o] = emploiOffers(3).slice(1, 2);
  await young.goto(`${stack.baseUrl}/app/offres/emploi/${o.id}`);
  await young.getByRole('link', { name: 'Partager l’offre à mon conseiller' }).click();
  await young.getByRole('heading', { name: 'Partage de l’offre' }).waitFor();
  assert.equal(await young.getByLabel('Message destiné à ton conseiller').inputValue(),
    'Bonjour, je vous partage une offre d’emploi afin d’avoir votre avis');
  await check(young, `/app/offres/emploi/${o.id}/partager`, 'share');
  await young.getByRole('button', { name: 'Envoyer' }).click();
  await young.getByText('L’offre a été partagée à ton conseiller sur la messagerie de l’application').waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM offer_event WHERE beneficiary_id = '${A.id}' AND code = 'OFFRE_PARTAGEE'`), '1');
  const payload = JSON.parse(sql(`SELECT m.payload FROM message m JOIN conversation c ON c.id = m.conversation_id
    WHERE c.beneficiary_id = '${A.id}' AND m.kind = 'OFFER_SHARE'`));
  assert.deepEqual({ type: payload.type, id: payload.id, title: payload.title }, { type: 'EMPLOI', id: o.id, title: o.title });
  await referent.goto(`${stack.baseUrl}/conversations/${A.id}`);
  await referent.locator('.cej-bubble', { hasText: 'Bonjour, je vous partage une offre d’emploi afin d’avoir votre avis' }).waitFor();
});

test('scenario 6: the API saves an offer once, 409 on the second call', async () => {
  const [o] = emploiOffers(5).slice(3, 4);
  const first = await api(young, 'POST', '/api/v1/favoris', { offerId: o.id });
  assert.equal(first.status(), 201);
  assert.equal((await first.json()).offerId, o.id);
  const second = await api(young, 'POST', '/api/v1/favoris', { offerId: o.id });
  assert.equal(second.status(), 409);
  assert.equal(sql(`SELECT COUNT(*) FROM offer_favorite WHERE beneficiary_id = '${A.id}' AND offer_id = '${o.id}'`), '1');
  // The UI stays "Enregistrée".
  await young.goto(`${stack.baseUrl}/app/offres/emploi/${o.id}`);
  await young.getByRole('button', { name: 'Enregistrée' }).waitFor();
  const mine = await api(young, 'GET', `/api/v1/beneficiaires/${A.id}/favoris`);
  assert.equal(mine.status(), 200);
  assert.ok((await mine.json()).some((f) => f.offerId === o.id));
  // Another beneficiary's favourites do not exist for him.
  assert.equal((await api(other, 'GET', `/api/v1/beneficiaires/${A.id}/favoris`)).status(), 404);
});

test('scenario 7: without "Partager mes offres suivies" the counselor sees no favourite, the API says 403', async () => {
  sql(`UPDATE beneficiary SET pref_share_favorites = 0 WHERE id = '${A.id}'`);
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}?onglet=favoris`);
  await referent.getByText(`${A.first} ne partage pas ses favoris.`).waitFor();
  const denied = await referent.context().request.get(`${stack.baseUrl}/api/v1/beneficiaires/${A.id}/favoris`);
  assert.equal(denied.status(), 403);
  sql(`UPDATE beneficiary SET pref_share_favorites = 1 WHERE id = '${A.id}'`);
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}?onglet=favoris`);
  const n = Number(sql(`SELECT COUNT(*) FROM offer_favorite WHERE beneficiary_id = '${A.id}'`));
  await referent.getByRole('link', { name: `Favoris (${n})` }).waitFor();
  const table = referent.getByRole('table');
  for (const h of ['Type et n°', 'Titre', 'Entreprise', 'Statut']) await table.getByRole('columnheader', { name: h }).waitFor();
  await table.getByText(/^Postulée le \d\d\/\d\d\/\d{4}$/).first().waitFor();
  await table.getByText('Enregistrée').first().waitFor();
  const allowed = await referent.context().request.get(`${stack.baseUrl}/api/v1/beneficiaires/${A.id}/favoris`);
  assert.equal(allowed.status(), 200);
  assert.equal((await allowed.json()).length, n);
  await visit(referent, 'fiche-favoris');
});

test('scenario 10: a vanished favourite shows from its snapshot and can be removed', async () => {
  const [o] = emploiOffers(8).slice(6, 7);
  assert.equal((await api(young, 'POST', '/api/v1/favoris', { offerId: o.id })).status(), 201);
  sql(`UPDATE offer SET active = 0 WHERE id = '${o.id}'`);
  const res = await young.goto(`${stack.baseUrl}/app/offres/emploi/${o.id}`);
  assert.equal(res.status(), 404);
  await young.getByText('Cette offre n’existe plus ou est momentanément suspendue').waitFor();
  await young.getByRole('heading', { name: o.title }).waitFor();
  await check(young, `/app/offres/emploi/${o.id}`, 'gone', 404);
  await young.goto(`${stack.baseUrl}/app/offres/suivi`);
  const card = young.locator('li', { hasText: o.title });
  await card.getByText('Cette offre n’existe plus ou est momentanément suspendue').waitFor();
  await card.getByRole('button', { name: 'Supprimer des offres suivies' }).click();
  await young.getByText('L’offre a été supprimée de tes offres suivies.').waitFor();
  assert.equal(await young.locator('li', { hasText: o.title }).count(), 0);
});

test('Accueil: "Mon suivi des offres" shows the last 3 favourites, newest first; hidden without any', async () => {
  // None: no block. (The young person of the other tests: scenario 11 counts the other's
  // events of the week.)
  sql(`DELETE FROM offer_favorite WHERE beneficiary_id = '${A.id}'`);
  await young.goto(`${stack.baseUrl}/app/accueil`);
  await young.getByRole('heading', { name: 'Mes alertes' }).waitFor();
  assert.equal(await young.getByRole('heading', { name: 'Mon suivi des offres' }).count(), 0);
  // Four saved, one minute apart: the last three, the most recent first.
  const offers = emploiOffers(16).slice(12, 16);
  for (const [i, o] of offers.entries()) {
    assert.equal((await api(young, 'POST', '/api/v1/favoris', { offerId: o.id })).status(), 201);
    sql(`UPDATE offer_favorite SET created_at = ${Date.now() - (10 - i) * 60000} WHERE beneficiary_id = '${A.id}' AND offer_id = '${o.id}'`);
  }
  // The newest but one leaves the catalogue: its card leads to its snapshot in Suivi des offres.
  const gone = offers[2];
  sql(`UPDATE offer SET active = 0 WHERE id = '${gone.id}'`);
  try {
    await young.goto(`${stack.baseUrl}/app/accueil`);
    const block = young.locator('section', { has: young.getByRole('heading', { name: 'Mon suivi des offres' }) });
    const links = block.locator('li a');
    assert.deepEqual(await links.allInnerTexts(), [offers[3].title, offers[2].title, offers[1].title]);
    assert.equal(await links.nth(0).getAttribute('href'), `/app/offres/emploi/${offers[3].id}`);
    assert.equal(await links.nth(1).getAttribute('href'), `/app/offres/suivi#favori-${gone.id}`);
    await block.locator('li', { hasText: gone.title }).getByText('Cette offre n’existe plus ou est momentanément suspendue').waitFor();
    assert.equal(await block.getByRole('link', { name: 'Voir mon suivi des offres' }).getAttribute('href'), '/app/offres/suivi');
    await check(young, '/app/accueil', 'accueil-suivi');
    await links.nth(1).click();
    await young.waitForURL(`${stack.baseUrl}/app/offres/suivi#favori-${gone.id}`);
    await young.locator(`li[id="favori-${gone.id}"]`).getByText('Cette offre n’existe plus ou est momentanément suspendue').waitFor();
    await young.goto(`${stack.baseUrl}/app/accueil`);
    await young.getByRole('link', { name: offers[3].title }).click();
    await young.getByRole('heading', { level: 1, name: offers[3].title }).waitFor();
  } finally {
    sql(`UPDATE offer SET active = 1 WHERE id = '${gone.id}'`);
  }
});

test('the search home lists the last 3 searches kept on the device, without JavaScript; a tampered cookie breaks nothing', async () => {
  const host = new URL(stack.baseUrl).hostname;
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  // Each young person has a cookie of their own: "cej_recherches_" + 12 hex digits of
  // SHA-256(their id).
  const NAME = 'cej_recherches_' + createHash('sha256').update(A.id).digest('hex').slice(0, 12);
  await ctx.addCookies((await young.context().cookies()).filter((c) => !c.name.startsWith('cej_recherches')));
  const plain = await ctx.newPage();
  const home = await plain.goto(`${stack.baseUrl}/app/offres`);
  // No service worker here; the page itself is never cached, so the list is always current.
  assert.equal(home.headers()['cache-control'], 'no-store');
  assert.equal(await plain.getByRole('heading', { name: 'Mes dernières recherches' }).count(), 0);
  // Five searches, the first typed by name and run again last: it moves to the top, once.
  for (const q of ['type=emploi&motscles=vendeur&lieu=Brest', 'type=service-civique&lieu=29019&distance=10',
                   'type=alternance&lieu=29', 'type=immersion&motscles=boulanger&lieu=29019&distance=5',
                   'type=emploi&motscles=vendeur&lieu=29019']) {
    await plain.goto(`${stack.baseUrl}/app/offres/recherche?${q}&recherche=1`);
    await plain.getByRole('heading', { name: /^Liste des résultats/ }).waitFor();
  }
  // The form alone (no search run) and a refused search are not kept.
  await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi&motscles=jardinier`);
  const refused = await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=emploi&numero=12AB&recherche=1`);
  assert.equal(refused.status(), 400);
  const [cookie] = (await ctx.cookies(`${stack.baseUrl}/app/offres`)).filter((c) => c.name === NAME);
  assert.equal(cookie.path, '/app');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.ok(Math.abs(cookie.expires - (Date.now() / 1000 + 90 * 86400)) < 3600, 'kept 90 days');
  assert.equal((await ctx.cookies(`${stack.baseUrl}/offres`)).filter((c) => c.name === NAME).length, 0);

  await plain.goto(`${stack.baseUrl}/app/offres`);
  const block = plain.locator('section', { has: plain.getByRole('heading', { name: 'Mes dernières recherches' }) });
  const links = block.getByRole('link');
  assert.deepEqual(await links.allInnerTexts(), [
    'Offre d\'emploi · vendeur · Brest (29200) · 10 km',
    'Immersion · boulanger · Brest (29200) · 5 km',
    'Alternance · Finistère (29)',
  ]);
  assert.equal(await links.nth(0).getAttribute('href'), '/app/offres/recherche?type=emploi&motscles=vendeur&lieu=29019&recherche=1');
  await links.nth(2).click();
  await plain.waitForURL(/\/app\/offres\/recherche\?type=alternance&lieu=29&recherche=1$/);
  await plain.getByRole('heading', { name: /^Liste des résultats/ }).waitFor();
  // Run again from the list, it comes first.
  await plain.goto(`${stack.baseUrl}/app/offres`);
  assert.equal(await links.nth(0).innerText(), 'Alternance · Finistère (29)');
  await young.context().addCookies([cookie]);
  await check(young, '/app/offres', 'home-recherches');

  // Tampered: markup, an unknown type, junk. The page still answers, the valid entry is
  // listed with its keywords as text, nothing is injected.
  const value = 'type=emploi&motscles=%3Cscript%3Ealert%281%29%3C%2Fscript%3E|type=pirate|%%%|motscles=x&type=emploi';
  await ctx.addCookies([{ name: NAME, value, domain: host, path: '/app' }]);
  const res = await plain.goto(`${stack.baseUrl}/app/offres`);
  assert.equal(res.status(), 200);
  assert.deepEqual(await links.allInnerTexts(), ['Offre d\'emploi · <script>alert(1)</script>']);
  assert.equal(await plain.locator('.cej-app script').count(), 0);
  await ctx.addCookies([{ name: NAME, value: 'rien%20de%20bon', domain: host, path: '/app' }]);
  assert.equal((await plain.goto(`${stack.baseUrl}/app/offres`)).status(), 200);
  assert.equal(await plain.getByRole('heading', { name: 'Mes dernières recherches' }).count(), 0);
  // A search then starts the list again from what was valid.
  await plain.goto(`${stack.baseUrl}/app/offres/recherche?type=alternance&lieu=29&recherche=1`);
  await plain.goto(`${stack.baseUrl}/app/offres`);
  assert.deepEqual(await links.allInnerTexts(), ['Alternance · Finistère (29)']);
  // The same device, another young person logged in: their list, not the one before.
  await ctx.addCookies((await other.context().cookies()).filter((c) => !c.name.startsWith('cej_recherches')));
  await plain.goto(`${stack.baseUrl}/app/offres`);
  assert.equal(await plain.getByRole('heading', { name: 'Mes dernières recherches' }).count(), 0);
  await ctx.close();
});

test('scenario 11: 3 offers viewed and 1 saved this week show on the fiche’s indicators', async () => {
  const offers = emploiOffers(12).slice(9, 12);
  for (const o of offers) {
    await other.goto(`${stack.baseUrl}/app/offres/emploi/${o.id}`);
    await other.getByRole('heading', { level: 1, name: o.title }).waitFor();
  }
  await other.getByRole('button', { name: 'Enregistrer' }).click();
  await other.getByText('Offre enregistrée').waitFor();
  await referent.goto(`${stack.baseUrl}/beneficiaires/${B.id}/informations?onglet=indicateurs`);
  const section = referent.locator('#semaine');
  await section.getByRole('heading', { name: 'Les offres' }).waitFor();
  const text = (await section.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /3 Offres consultées/);
  assert.match(text, /1 Favori ajouté/);
  assert.match(text, /0 Offre partagée/);
  assert.match(text, /0 Recherche sauvegardée/);
  await visit(referent, 'fiche-indicateurs-offres');
});

test('Immersion: "Contacter l’entreprise" mails the request once, then refuses for 7 days', async () => {
  const [id, metier, siret] = sql(`SELECT id, appellation_label, siret FROM offer WHERE type = 'IMMERSION' AND active = 1 ORDER BY id LIMIT 1`).split('|');
  await young.goto(`${stack.baseUrl}/app/offres/immersion/${id}`);
  await young.getByRole('heading', { level: 1, name: metier }).waitFor();
  await young.getByRole('link', { name: 'Contacter l’entreprise' }).click();
  await young.getByRole('heading', { name: 'Contacter l’entreprise' }).waitFor();
  await check(young, `/app/offres/immersion/${id}/contact`, 'contact');
  // A field at fault: the form again, the field's message under it.
  await young.getByLabel('Téléphone').fill('06');
  await young.getByLabel('Date de début d’immersion souhaitée').fill('2027-01-15');
  await young.getByRole('button', { name: 'Envoyer' }).click();
  await young.getByText('Renseigne un numéro de téléphone valide, par exemple 06 12 34 56 78').waitFor();
  await young.getByLabel('Téléphone').fill('06 12 34 56 78');
  await young.getByLabel(/^Message/).fill('Je voudrais découvrir le métier.');
  await young.getByRole('button', { name: 'Envoyer' }).click();
  await young.getByText('Ta demande a bien été envoyée à l’entreprise.').waitFor();
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(`entreprise-${siret}@immersion.example`)));
  const mail = mails.find((x) => x.to.includes(`entreprise-${siret}@immersion.example`));
  assert.match(mail.text, /Je voudrais découvrir le métier\./);
  assert.match(mail.text, /06 12 34 56 78/);
  assert.match(mail.text, /15\/01\/2027/);
  // Twice: the spec's refusal, nothing more sent.
  await young.goto(`${stack.baseUrl}/app/offres/immersion/${id}/contact`);
  await young.getByLabel('Téléphone').fill('06 12 34 56 78');
  await young.getByLabel('Date de début d’immersion souhaitée').fill('2027-01-15');
  await young.getByRole('button', { name: 'Envoyer' }).click();
  await young.getByText('Tu as déjà postulé à cette offre d’immersion, il faut un minimum de 7 jours pour pouvoir postuler à nouveau').waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM offer_immersion_contact WHERE beneficiary_id = '${A.id}'`), '1');
  await visit(young, 'contact-refused');
});
