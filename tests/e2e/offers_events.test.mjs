// offers_events.test.mjs — Événements › "Externes" in Chromium (youth-app.md §7, offers.md
// §9): the events of Mes Événements Emploi imported with `cej offers import --provider mee`
// (dated from today), searched by commune — "Trouve un événement" before any search, the
// commune required, Brest's events within 30 km and the remote ones, the type and modality
// filters, 10 per page by date —, one's detail (date, hours, place or "À distance",
// organiser, places left, "Je m’inscris" in a new tab) and "Partager l’événement à mon
// conseiller" (also without JavaScript): the JOB_EVENT_SHARE card in the counselor's
// conversation, counted in the fiche's "Les événements" of the week. Then /support/offres
// for a supervisor ("Non configuré" everywhere here).
// Every page at 390 and 1366 px, axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary, csrfFrom,
} from './harness.mjs';

const TZ = 'Europe/Paris';
const CAMILLE = 'camille.martin@cej-demo.fr';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

let stack, browser, referent, young, A;

// Civil day in Paris, @days from today: "yyyy-mm-dd".
function parisIso(days = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(Date.now() + days * 86400000));
}

/** A Mes Événements Emploi record (the provider's shape, tests/data/offers/mee.json). */
function mee(id, { titre, days, ville = 'Brest', codePostal = '29200', codeInsee = '29019',
  latitude = 48.390394, longitude = -4.486076, type = 'Forum', modalites = ['en physique'],
  places = 50, inscrits = 12 }) {
  return {
    id, titre, description: `Présentation de ${titre}.`, dateEvenement: parisIso(days),
    heureDebut: '09:30:00', heureFin: '12:00:00', timezone: TZ, ville, codePostal, codeInsee,
    latitude, longitude, type, modalites, nombrePlaceTotalPresentiel: places,
    nombrePlaceTotalDistance: 0, nombreInscritPresentiel: inscrits, nombreInscritDistance: 0,
    urlDetailEvenement: `https://mesevenementsemploi.francetravail.fr/evenement/${id}`,
    libelleOrganisateurPrincipal: 'France Travail Brest', codesRome: ['D1106'],
  };
}

/** Opens @url on a new page of @page's context at both widths: 200, no overflow, axe. */
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
  browser = await launchBrowser();
  // The communes referential (the search resolves the commune typed) and the events.
  const geo = path.resolve('data/geo');
  let r = await stack.cli('offers', 'communes', 'import', path.join(geo, 'departements.csv'), path.join(geo, 'communes.csv'));
  assert.equal(r.code, 0, 'communes imported');
  const content = [
    mee('7001', { titre: 'Forum de l’alternance de Brest', days: 3 }),
    mee('7002', { titre: 'Job dating restauration', days: 5, type: 'Job dating', ville: 'Guipavas', codePostal: '29490', codeInsee: '29075', latitude: 48.434497, longitude: -4.398997 }),
    mee('7003', { titre: 'Salon en ligne des métiers du numérique', days: 6, type: 'Salon en ligne', modalites: ['à distance'], ville: null, codePostal: null, codeInsee: null, latitude: null, longitude: null, places: 200, inscrits: 199 }),
    mee('7004', { titre: 'Forum emploi de Quimper', days: 4, ville: 'Quimper', codePostal: '29000', codeInsee: '29232', latitude: 47.997542, longitude: -4.097899 }),
    mee('7005', { titre: 'Forum dans deux mois', days: 60 }),
    // 11 workshops in Brest, to see the second page.
    ...Array.from({ length: 11 }, (_, i) => mee(`71${String(i).padStart(2, '0')}`, { titre: `Atelier CV n°${i + 1}`, days: 10 + i, type: 'Atelier' })),
  ];
  const file = path.join(stack.tmp, 'mee.json');
  await fsp.writeFile(file, JSON.stringify({ totalElements: content.length, totalPages: 1, size: 100, number: 0, content }));
  r = await stack.cli('offers', 'import', '--provider', 'mee', file);
  assert.equal(r.code, 0, 'events imported');
  referent = await counselorPage(browser, stack, CAMILLE);
  A = await addBeneficiary(referent, stack, '100031');          // ML du Pays de Brest
  young = await activateBeneficiary(browser, stack, A);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('Externes: before any search, then Brest by date with the filters and 10 per page', async () => {
  // The tabs of Événements.
  await young.goto(`${stack.baseUrl}/app/evenements`);
  await young.getByRole('link', { name: 'Externes' }).click();
  await young.waitForURL(`${stack.baseUrl}/app/evenements/externes`);
  const main = young.locator('.cej-app');
  assert.match(await main.innerText(), /Trouve un événement\s+Commence ta recherche en remplissant les champs ci-dessus\./);
  assert.equal(await young.getByRole('link', { name: 'Externes' }).getAttribute('aria-current'), 'page');
  assert.equal(await young.locator('#du').inputValue(), parisIso(0), 'from today');
  assert.equal(await young.locator('#au').inputValue(), parisIso(30), 'to +30 days');
  await check(young, '/app/evenements/externes', 'app-evenements-externes');

  // The commune is required (the server says so too, without the browser's check).
  const res = await young.goto(`${stack.baseUrl}/app/evenements/externes?commune=`);
  assert.equal(res.status(), 400);
  await young.getByText('Indique une commune pour chercher des événements.').waitFor();

  // Brest: its events and Guipavas' (within 30 km), the remote one; not Quimper (60 km),
  // not the one in two months. By date, 10 per page.
  await young.goto(`${stack.baseUrl}/app/evenements/externes`);
  await young.locator('#commune').fill('Brest');
  await young.getByRole('button', { name: 'Rechercher' }).click();
  await young.getByRole('heading', { name: /14 événements autour de Brest \(29200\)/ }).waitFor();
  let titles = await main.locator('li.cej-block a').allInnerTexts();
  assert.equal(titles.length, 10);
  assert.deepEqual(titles.slice(0, 4), ['Forum de l’alternance de Brest', 'Job dating restauration',
    'Salon en ligne des métiers du numérique', 'Atelier CV n°1']);
  assert.ok(!titles.includes('Forum emploi de Quimper'));
  const first = main.locator('li.cej-block').first();
  assert.match(await first.innerText(), /De 09h30 à 12h00/);
  assert.match(await first.innerText(), /Brest \(29200\)/);
  assert.match(await main.locator('li.cej-block', { hasText: 'Salon en ligne' }).innerText(), /À distance/);
  assert.match(await main.innerText(), /Page 1 sur 2/);
  await check(young, new URL(young.url()).pathname + new URL(young.url()).search, 'app-evenements-externes-resultats');
  await young.getByRole('link', { name: 'Page suivante' }).click();
  await young.getByText('Page 2 sur 2').waitFor();
  titles = await main.locator('li.cej-block a').allInnerTexts();
  assert.deepEqual(titles, ['Atelier CV n°8', 'Atelier CV n°9', 'Atelier CV n°10', 'Atelier CV n°11']);

  // Type and modality.
  await young.goto(`${stack.baseUrl}/app/evenements/externes?commune=Brest&type=Job+dating`);
  assert.deepEqual(await main.locator('li.cej-block a').allInnerTexts(), ['Job dating restauration']);
  await young.goto(`${stack.baseUrl}/app/evenements/externes?commune=Brest&modalite=distance`);
  assert.deepEqual(await main.locator('li.cej-block a').allInnerTexts(), ['Salon en ligne des métiers du numérique']);
  // Dates: two months ahead.
  await young.goto(`${stack.baseUrl}/app/evenements/externes?commune=Brest&du=${parisIso(55)}&au=${parisIso(65)}`);
  assert.deepEqual(await main.locator('li.cej-block a').allInnerTexts(), ['Forum dans deux mois']);
  // An unknown commune.
  const unknown = await young.goto(`${stack.baseUrl}/app/evenements/externes?commune=Zzzyx`);
  assert.equal(unknown.status(), 400);
  await young.getByText(/Commune introuvable/).waitFor();
});

test('the detail, "Je m’inscris" in a new tab, and the share the counselor sees', async () => {
  await young.goto(`${stack.baseUrl}/app/evenements/externes?commune=Brest`);
  await young.getByRole('link', { name: 'Salon en ligne des métiers du numérique' }).click();
  await young.waitForURL(`${stack.baseUrl}/app/evenements/externes/7003`);
  let text = await young.locator('.cej-app').innerText();
  assert.match(text, /De 09h30 à 12h00/);
  assert.match(text, /À distance/);
  assert.match(text, /France Travail Brest/);
  assert.match(text, /1 place restante/);
  const register = young.getByRole('link', { name: /Je m’inscris/ });
  assert.equal(await register.getAttribute('href'), 'https://mesevenementsemploi.francetravail.fr/evenement/7003');
  assert.equal(await register.getAttribute('target'), '_blank');
  await check(young, '/app/evenements/externes/7003', 'app-evenement-externe');

  await young.goto(`${stack.baseUrl}/app/evenements/externes/7001`);
  text = await young.locator('.cej-app').innerText();
  assert.match(text, /Brest \(29200\)/);
  assert.match(text, /38 places restantes/);

  // Shared without JavaScript: a plain form and the confirmation.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.context().addCookies(await young.context().cookies());
  await plain.goto(`${stack.baseUrl}/app/evenements/externes/7001`);
  await plain.getByRole('button', { name: 'Partager l’événement à mon conseiller' }).click();
  await plain.waitForURL(`${stack.baseUrl}/app/evenements/externes/7001`);
  await plain.getByText('L’événement a été partagé à ton conseiller sur la messagerie de l’application').waitFor();
  await plain.context().close();
  assert.equal(stack.sql(`SELECT count(*) FROM message WHERE kind = 'JOB_EVENT_SHARE'`), '1');

  // The young person's conversation links to the app's page of the event.
  await young.goto(`${stack.baseUrl}/app/messages`);
  const bubble = young.locator('.cej-msg', { hasText: 'Forum de l’alternance de Brest' });
  assert.match(await bubble.innerText(), /Bonjour, je vous partage un événement afin d’avoir votre avis/);
  assert.equal(await bubble.getByRole('link', { name: 'Voir l’événement' }).getAttribute('href'), '/app/evenements/externes/7001');

  // The counselor sees the card: title, date, the provider's page in a new tab.
  await referent.goto(`${stack.baseUrl}/conversations/${A.id}`);
  const seen = referent.locator('.cej-bubble', { hasText: 'Forum de l’alternance de Brest' });
  await seen.waitFor();
  const shown = await seen.innerText();
  assert.match(shown, /Bonjour, je vous partage un événement afin d’avoir votre avis/);
  assert.match(shown, /Événement emploi/);
  assert.match(shown, /à 09h30/);
  const link = seen.getByRole('link', { name: /Voir l’événement/ });
  assert.equal(await link.getAttribute('href'), 'https://mesevenementsemploi.francetravail.fr/evenement/7001');
  assert.equal(await link.getAttribute('target'), '_blank');
  await visit(referent, 'conversation-evenement-externe-partage');

  // An unknown event: 404, nothing shared.
  const gone = await young.goto(`${stack.baseUrl}/app/evenements/externes/999999`);
  assert.equal(gone.status(), 404);
  const req = young.context().request;
  const csrf = csrfFrom(await (await req.get(`${stack.baseUrl}/app/evenements/externes/7001`)).text());
  const res = await req.post(`${stack.baseUrl}/app/evenements/externes/999999/partager`, {
    form: { _csrf: csrf }, maxRedirects: 0,
  });
  assert.equal(res.status(), 404);
  assert.equal(stack.sql(`SELECT count(*) FROM message WHERE kind = 'JOB_EVENT_SHARE'`), '1');
});

test('a shared external event counts in the fiche’s "Les événements" of the week it was shared', async () => {
  const req = young.context().request;
  const csrf = csrfFrom(await (await req.get(`${stack.baseUrl}/app/evenements/externes/7002`)).text());
  const res = await req.post(`${stack.baseUrl}/app/evenements/externes/7002/partager`, {
    form: { _csrf: csrf }, maxRedirects: 0,
  });
  assert.equal(res.status(), 303);
  // Every share of this file was made today, in this week; A has no rendez-vous.
  const n = Number(stack.sql(`SELECT count(*) FROM offer_event WHERE beneficiary_id = '${A.id}' AND code = 'EVENEMENT_PARTAGE'`));
  assert.ok(n >= 1);
  assert.equal(stack.sql(`SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id
    WHERE c.beneficiary_id = '${A.id}' AND m.kind = 'JOB_EVENT_SHARE'`), String(n));
  const tile = referent.locator('.cej-tile--events');
  const shown = async () => (await tile.innerText()).replace(/\s+/g, ' ').trim();
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}/informations?onglet=indicateurs`);
  await referent.getByRole('heading', { name: 'Les événements' }).waitFor();
  assert.equal(await shown(), `${n} Cette semaine`);
  await visit(referent, 'fiche-indicateurs-evenements-partages');
  // The fiche's own block, on the Actions tab and on the Agenda tab — where a share is no line.
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}`);
  assert.equal(await shown(), `${n} Cette semaine`);
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}?onglet=agenda`);
  assert.equal(await shown(), `${n} Cette semaine`);
  assert.equal(await referent.getByText('Job dating restauration').count(), 0);
  // Next week: none.
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}/informations?onglet=indicateurs&debut=${parisIso(7)}`);
  assert.equal(await shown(), '0 Cette semaine');
});

test('/support/offres: each provider "Non configuré" without credentials, supervisors only', async () => {
  const supervisor = await counselorPage(browser, stack, 'yann.le-goff@cej-demo.fr');
  const res = await supervisor.goto(`${stack.baseUrl}/support/offres`);
  if (res.status() === 403) return assert.fail('the demo supervisor must reach /support/offres');
  await supervisor.getByRole('heading', { level: 1, name: 'Synchronisation des offres' }).waitFor();
  for (const name of ['France Travail', 'API Engagement', 'Immersion Facilitée', 'Mes Événements Emploi']) {
    const card = supervisor.locator('section', { has: supervisor.getByRole('heading', { name }) });
    assert.match(await card.innerText(), /Non configuré/i);  // a DSFR badge: upper case
    assert.match(await card.innerText(), /Aucune synchronisation n’a encore eu lieu\./);
  }
  await check(supervisor, '/support/offres', 'support-offres');
  assert.equal((await referent.goto(`${stack.baseUrl}/support/offres`)).status(), 403);
  await supervisor.context().close();
});
