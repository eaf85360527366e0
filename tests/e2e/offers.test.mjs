// offers.test.mjs — the counselor's "Offres" pages (offers.md §1–§4, §10 scenarios 1–5):
// the search on the real communes referential with offers imported at known distances
// from Brest's centre, the département, the offer number, "plus de 1000" and page 101,
// the detail pages, Service civique's domain and start date, the share to two beneficiaries (each chat, counselor's and app's, holds
// the card with the default text), the search without JavaScript, axe at 1366 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startStack, launchBrowser, counselorPage, addBeneficiary, activateBeneficiary, visit,
  httpClient,
} from './harness.mjs';

let stack, browser, counselor;
const people = [];
const BREST = { lat: 48.40844, lon: -4.49959 };   // data/geo/communes.csv, 29019
const KM_PER_DEG_LAT = 6371.0088 * Math.PI / 180;

/** A France Travail record (offers.md §8.2) of @id titled @title at @lat,@lon. */
function ftOffer(id, title, { lat, lon, postal, commune, label, alternance = false, days = 1 }) {
  const d = new Date(Date.now() - days * 86400000).toISOString();
  return {
    id, intitule: title, description: `Description de l'offre ${id}.\nDeuxième ligne.`,
    dateCreation: d, dateActualisation: d,
    lieuTravail: { libelle: label, latitude: lat, longitude: lon, codePostal: postal, commune },
    romeCode: 'D1214', romeLibelle: 'Vente en habillement', appellationlibelle: title,
    entreprise: { nom: 'Boutique Océane', description: 'Une boutique du centre.', url: 'https://exemple.fr', entrepriseAdaptee: true },
    typeContrat: 'CDI', typeContratLibelle: 'Contrat à durée indéterminée',
    natureContrat: alternance ? 'E2' : 'E1', alternance,
    experienceExige: 'D', experienceLibelle: 'Débutant accepté',
    competences: [{ libelle: 'Accueillir les clients', exigence: 'E' }, { libelle: 'Encaisser', exigence: 'S' }],
    qualitesProfessionnelles: [{ libelle: 'Sens du service' }],
    permis: [{ libelle: 'B - Véhicule léger', exigence: 'E' }],
    salaire: { libelle: 'Mensuel de 1900 Euros' },
    dureeTravailLibelle: '35H Horaires normaux', dureeTravailLibelleConverti: 'Temps plein',
    accessibleTH: true, origineOffre: { origine: '1', urlOrigine: 'https://exemple.fr/offre' },
  };
}

/** A SIRET (14 digits, Luhn-valid) starting with @prefix. */
function luhnSiret(prefix) {
  for (let i = 0; i < 1000000; i++) {
    const s = prefix + String(i).padStart(14 - prefix.length, '0');
    let sum = 0;
    for (let k = 0; k < 14; k++) {
      let d = Number(s[13 - k]);
      if (k % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('no SIRET');
}

before(async () => {
  stack = await startStack();
  let r = await stack.cli('offers', 'communes', 'import', 'data/geo/departements.csv', 'data/geo/communes.csv');
  assert.equal(r.code, 0, 'communes import');
  const north = (km) => BREST.lat + km / KM_PER_DEG_LAT;
  const offers = [
    ftOffer('123ABCD', 'Vendeur (H/F)', { lat: north(9.5), lon: BREST.lon, postal: '29860', label: '29 - Plabennec' }),
    ftOffer('124ABCD', 'Vendeur (H/F)', { lat: north(11), lon: BREST.lon, postal: '29860', label: '29 - Plabennec' }),
    ftOffer('125ABCD', 'Vendeur en alternance (H/F)', { lat: BREST.lat, lon: BREST.lon, postal: '29200', commune: '29019', label: '29 - Brest', alternance: true }),
    ftOffer('126ABCD', 'Vendeur (H/F)', { lat: 48.8566, lon: 2.3522, postal: '75001', commune: '75056', label: '75 - Paris' }),
  ];
  // 2,345 matches of "agent" in Quimper (scenario 4).
  for (let i = 0; i < 2345; i++)
    offers.push(ftOffer(String(9000000 + i), 'Agent d’accueil (H/F)', { lat: 47.9960, lon: -4.1024, postal: '29000', commune: '29232', label: '29 - Quimper', days: 2 }));
  const file = path.join(stack.tmp, 'offres.json');
  fs.writeFileSync(file, JSON.stringify({ resultats: offers }));
  r = await stack.cli('offers', 'import', '--provider', 'france-travail', file);
  assert.equal(r.code, 0, 'offers import');
  // A mission of Service civique and an immersion establishment in Brest (§8.2 formats).
  const day = 86400000;
  const sc = path.join(stack.tmp, 'engagement.json');
  fs.writeFileSync(sc, JSON.stringify({ total: 1, hits: [{
    id: 'sc-brest-1', title: 'Accompagner les personnes âgées', description: 'Une mission auprès des aînés.',
    domain: 'Solidarité - insertion', organizationName: 'Association Bretonne', organizationFullAddress: '1 rue de Siam 29200 Brest',
    city: 'Brest', postalCode: '29200', departmentCode: '29', location: { lat: BREST.lat, lon: BREST.lon },
    startAt: new Date(Date.now() + 10 * day).toISOString(), endAt: new Date(Date.now() + 200 * day).toISOString(),
    applicationUrl: 'https://exemple.fr/mission', createdAt: new Date(Date.now() - day).toISOString(),
    updatedAt: new Date(Date.now() - day).toISOString(), publisherName: 'Service Civique',
  },
  // Quimper's missions, for the domain and the start date: API Engagement's codes or labels.
  ...[['sc-quimper-sante-10', 'sante', 10], ['sc-quimper-sante-40', 'Santé', 40], ['sc-quimper-sport-40', 'sport', 40]]
    .map(([id, domain, start]) => ({
      id, title: `Mission ${id}`, description: 'Une mission à Quimper.', domain, organizationName: 'Association Quimpéroise',
      city: 'Quimper', postalCode: '29000', departmentCode: '29', location: { lat: 47.9960, lon: -4.1024 },
      startAt: new Date(Date.now() + start * day).toISOString(), endAt: new Date(Date.now() + 300 * day).toISOString(),
      applicationUrl: 'https://exemple.fr/mission', createdAt: new Date(Date.now() - start * 1000).toISOString(),
      updatedAt: new Date(Date.now() - day).toISOString(), publisherName: 'Service Civique',
    })),
  ] }));
  r = await stack.cli('offers', 'import', '--provider', 'engagement', sc);
  assert.equal(r.code, 0, 'engagement import');
  const im = path.join(stack.tmp, 'immersion.json');
  fs.writeFileSync(im, JSON.stringify([{
    rome: 'D1214', romeLabel: 'Vente en habillement', appellations: [{ appellationCode: '12345', appellationLabel: 'Vendeur en boutique' }],
    naf: '4771Z', nafLabel: 'Commerce de détail d’habillement', siret: luhnSiret('12345678'), name: 'Boutique du Port',
    voluntaryToImmersion: true, position: { lat: BREST.lat, lon: BREST.lon },
    address: { streetNumberAndAddress: '2 quai de la Douane', postcode: '29200', departmentCode: '29', city: 'Brest' },
    contactMode: 'PHONE', numberOfEmployeeRange: '3-5',
  }]));
  r = await stack.cli('offers', 'import', '--provider', 'immersion', im);
  assert.equal(r.code, 0, 'immersion import');
  browser = await launchBrowser();
  counselor = await counselorPage(browser, stack, 'camille.martin@cej-demo.fr');
  for (const n of ['100031', '100034']) people.push(await addBeneficiary(counselor, stack, n));
});

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

const url = (p) => stack.baseUrl + p;
const cardTitles = (page) => page.locator('.cej-offre h3').allTextContents();

test('scenario 1: "vendeurs" at Brest (29200) without touching the distance finds the offer at 9.5 km, not the one at 11 km', async () => {
  const page = counselor;
  await page.goto(url('/offres'));
  await visit(page, 'offres-etape-1');
  await page.locator('label[for=type-emploi]').click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Mots clés (Métier, code ROME)').fill('vendeurs');
  // The autocomplete: départements first, then communes by population.
  const sugg = await (await page.request.get(url('/offres/lieux?q=bres'))).text();
  assert.match(sugg, /<option value="Brest \(29200\)">/);
  const fini = await page.request.get(url('/offres/lieux?q=fini'));
  assert.match((await fini.text()).trim(), /^<option value="Finistère \(29\)">/);
  await page.getByLabel(/Lieu de travail/).fill('Brest (29200)');
  await visit(page, 'offres-etape-2');
  await page.getByRole('button', { name: 'Rechercher' }).last().click();
  await page.getByRole('heading', { name: /Liste des résultats/ }).waitFor();
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (1 offre)');
  const u = new URL(page.url());
  assert.equal(u.searchParams.get('lieu'), '29019');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'resultats');
  const card = page.locator('.cej-offre').first();
  assert.match(await card.textContent(), /Offre n°123ABCD/);
  assert.match(await card.textContent(), /À 9,5 km/);
  assert.deepEqual(await page.locator('.cej-offres-recap .fr-tag').allTextContents(),
    ['Offre d\'emploi', 'vendeurs', 'Brest (29200)', '10 km']);
  // Keywords + place: the criteria may be suggested.
  const share = page.getByRole('link', { name: 'Partager les critères' });
  assert.equal(await share.getAttribute('href'), '/offres/criteres/partager?type=emploi&motscles=vendeurs&lieu=29019&distance=10');
  await visit(page, 'offres-resultats');
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(page, 'offres-resultats-390');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 390 px');
  await page.setViewportSize({ width: 1366, height: 900 });
  // 12 km: the one at 11 km comes in.
  await page.goto(url('/offres?type=emploi&motscles=vendeurs&lieu=29019&distance=12'));
  assert.deepEqual((await cardTitles(page)).sort(), ['Vendeur (H/F)', 'Vendeur (H/F)']);
  assert.match(await page.locator('summary', { hasText: 'Voir plus de critères' }).textContent(), /1 filtre sélectionné/);
});

test('scenario 2: the département Finistère (29) hides the distance and returns only its offers', async () => {
  const page = counselor;
  await page.goto(url('/offres?type=emploi&motscles=vendeur&lieu=Finist%C3%A8re%20(29)&recherche=1'));
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (2 offres)');
  assert.equal(await page.locator('#distance').count(), 0, 'no distance with a département');
  const places = await page.locator('.cej-offre').allTextContents();
  for (const p of places) assert.match(p, /\(29860\)/);
  assert.equal(new URL(await page.getByRole('link', { name: 'Partager les critères' }).getAttribute('href'), stack.baseUrl).searchParams.get('lieu'), '29');
  // The same with a commune: the distance is there.
  await page.goto(url('/offres?type=emploi&lieu=29019&modifier=1'));
  assert.equal(await page.locator('#distance').count(), 1);
  // An ambiguous name asks which place ("Précisez le lieu").
  await page.goto(url('/offres?type=emploi&lieu=Paris&recherche=1'));
  await page.getByRole('heading', { name: 'Précisez le lieu' }).waitFor();
  await visit(page, 'offres-preciser');
});

test('scenario 3: the number 123ABCD finds that offer; "12AB" is refused beside the field (400)', async () => {
  const page = counselor;
  await page.goto(url('/offres?type=emploi'));
  await page.getByText('Recherche avec un numéro d’offre France Travail').click();
  assert.ok(await page.getByLabel(/Numéro d’offre/).isVisible());
  assert.ok(!(await page.getByLabel('Mots clés (Métier, code ROME)').isVisible()));
  await page.getByLabel(/Numéro d’offre/).fill('123abcd');
  await page.getByRole('button', { name: 'Rechercher' }).first().click();
  await page.getByRole('heading', { name: /Liste des résultats/ }).waitFor();
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (1 offre)');
  assert.match(await page.locator('.cej-offre').textContent(), /Offre n°123ABCD/);
  // A number search is not a suggestion: the button is there, disabled.
  const off = page.getByRole('link', { name: 'Partager les critères' });
  assert.equal(await off.getAttribute('aria-disabled'), 'true');
  assert.equal(await off.getAttribute('href'), null);
  const res = await page.goto(url('/offres?type=emploi&numero=12AB'));
  assert.equal(res.status(), 400);
  assert.equal((await page.locator('#numero-erreur').textContent()).trim(), 'Le numéro d\'offre est invalide. Exemple : 123ABCD.');
  assert.equal(await page.locator('#numero').getAttribute('aria-invalid'), 'true');
  await visit(page, 'offres-numero-invalide');
});

test('scenario 4: 2,345 matches read "plus de 1000", the pager goes to 100 pages, page 101 answers 400', async () => {
  const page = counselor;
  await page.goto(url('/offres?type=emploi&motscles=agent&lieu=29&recherche=1'));
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (plus de 1000 offres)');
  assert.equal(await page.locator('.cej-offre').count(), 10);
  const pager = page.getByRole('navigation', { name: 'Pagination' });
  assert.match(await pager.getByRole('link', { name: 'Dernière page' }).getAttribute('href'), /page=100#resultats$/);
  await pager.getByRole('link', { name: 'Page suivante' }).click();
  await page.waitForURL(/page=2/);
  assert.equal(await pager.locator('[aria-current=page]').textContent(), '2');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'resultats');
  await page.goto(url('/offres?type=emploi&motscles=agent&lieu=29&page=100'));
  assert.equal(await page.locator('.cej-offre').count(), 10);
  const res = await page.goto(url('/offres?type=emploi&motscles=agent&lieu=29&page=101'));
  assert.equal(res.status(), 400);
  assert.match(await page.locator('main, body').first().textContent(), /Cette page n'existe pas/);
  // Nothing found.
  await page.goto(url('/offres?type=immersion&motscles=astronaute&lieu=29019'));
  await page.getByText('Pour le moment, aucune offre ne correspond à vos critères.').waitFor();
});

test('the detail pages: Emploi/Alternance with their profile, an unknown or mistyped offer is gone (404)', async () => {
  const page = counselor;
  await page.goto(url('/offres/emploi/123ABCD'));
  const text = await page.locator('main, body').first().textContent();
  for (const s of ['Offre n°123ABCD', 'Actualisée le', 'Détail de l’offre', 'Profil souhaité', 'Savoirs et savoir-faire',
    'Accueillir les clients', 'Obligatoire', 'Entreprise adaptée', 'Entreprise handi-bienveillante', 'Source : France Travail'])
    assert.ok(text.includes(s), `detail shows ${s}`);
  await visit(page, 'offre-emploi');
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(page, 'offre-emploi-390');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await page.setViewportSize({ width: 1366, height: 900 });
  for (const p of ['/offres/alternance/123ABCD', '/offres/emploi/INCONNU', '/offres/stage/123ABCD']) {
    const res = await page.goto(url(p));
    assert.equal(res.status(), 404, p);
    await page.getByText('Cette offre n\'existe plus ou est momentanément suspendue').waitFor();
  }
  await visit(page, 'offre-inconnue');
  stack.sql("UPDATE offer SET active = 0 WHERE id = '124ABCD'");
  assert.equal((await page.goto(url('/offres/emploi/124ABCD'))).status(), 404);
});

test('the detail pages of a Service civique mission and of an immersion', async () => {
  const page = counselor;
  await page.goto(url('/offres?type=service-civique&lieu=29019&recherche=1'));
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (1 offre)');
  assert.match(await page.locator('.cej-offre').textContent(), /Solidarité - insertion · Dès le/);
  await page.getByRole('link', { name: /Voir le détail/ }).click();
  await page.waitForURL(/\/offres\/service-civique\/sc-brest-1$/);
  let text = await page.locator('#contenu').textContent();
  for (const s of ['Accompagner les personnes âgées', 'Mission', 'Une mission auprès des aînés.', 'Organisation',
    'Association Bretonne', 'Domaine : Solidarité - insertion', 'Dès le', 'Jusqu’au'])
    assert.ok(text.includes(s), `Service civique shows ${s}`);
  await visit(page, 'offre-service-civique');
  await page.goto(url('/offres?type=immersion&motscles=vendeur&lieu=29019'));
  const card = page.locator('.cej-offre');
  assert.match(await card.textContent(), /Vendeur en boutique/);
  assert.match(await card.textContent(), /Entreprise accueillante/);
  await card.getByRole('link', { name: /Voir le détail/ }).click();
  await page.waitForURL(/\/offres\/immersion\/\d{14}-12345$/);
  text = await page.locator('#contenu').textContent();
  for (const s of ['Vendeur en boutique', 'Boutique du Port', 'Commerce de détail d’habillement', '2 quai de la Douane',
    'Mise en relation par téléphone', 'Entreprise accueillante'])
    assert.ok(text.includes(s), `Immersion shows ${s}`);
  assert.match(await page.getByRole('link', { name: 'Localiser l’entreprise' }).getAttribute('href'), /^https:\/\/www\.openstreetmap\.org\//);
  await visit(page, 'offre-immersion');
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(page, 'offre-immersion-390');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await page.setViewportSize({ width: 1366, height: 900 });
});

test('Service civique: "Domaine" and "Date de début" behind "Voir plus de critères", counted, shown as chips, in the URL', async () => {
  const page = counselor;
  const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  const fr = (iso) => iso.split('-').reverse().join('/');
  await page.goto(url('/offres?type=service-civique'));
  await page.getByLabel(/Localisation/).fill('Quimper (29000)');
  await page.locator('summary', { hasText: 'Voir plus de critères' }).click();
  assert.ok(await page.getByLabel('Dès que possible').isChecked(), '"Dès que possible" by default');
  assert.ok(!(await page.getByLabel(/Date de début au plus tôt/).isVisible()), 'the date shows with "À partir de" only');
  const options = await page.locator('#domaine option').allTextContents();
  assert.deepEqual(options, ['Tous les domaines', 'Environnement', 'Solidarité - insertion', 'Prévention - protection', 'Santé',
    'Culture - loisirs', 'Éducation', 'Emploi', 'Sport', 'Humanitaire', 'Animaux', 'Vivre-ensemble', 'Autre']);
  await page.getByLabel('Domaine').selectOption({ label: 'Santé' });
  await visit(page, 'offres-civique-criteres');
  await page.getByRole('button', { name: 'Rechercher' }).last().click();
  await page.getByRole('heading', { name: /Liste des résultats/ }).waitFor();
  // "Dès que possible": both health missions, the provider's code and its label alike.
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (2 offres)');
  for (const card of await page.locator('.cej-offre').allTextContents()) assert.match(card, /Santé · Dès le/);
  let u = new URL(page.url());
  assert.equal(u.searchParams.get('domaine'), 'sante');
  assert.equal(u.searchParams.get('lieu'), '29232');
  assert.match(await page.locator('summary', { hasText: 'Voir plus de critères' }).textContent(), /1 filtre sélectionné/);
  // "À partir de" in 20 days: the mission starting in 40 only.
  await page.locator('summary', { hasText: 'Modifier les critères' }).click();
  await page.getByText('À partir de', { exact: true }).click();
  await page.getByLabel(/Date de début au plus tôt/).fill(inDays(20));
  await page.getByRole('button', { name: 'Rechercher' }).last().click();
  await page.waitForURL(/debut=/);
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (1 offre)');
  assert.match(await page.locator('.cej-offre h3').textContent(), /sc-quimper-sante-40/);
  u = new URL(page.url());
  assert.equal(u.searchParams.get('debut'), inDays(20));
  assert.deepEqual(await page.locator('.cej-offres-recap .fr-tag').allTextContents(),
    ['Service civique', 'Quimper (29000)', '10 km', 'Santé', `À partir du ${fr(inDays(20))}`]);
  assert.match(await page.locator('summary', { hasText: 'Voir plus de critères' }).textContent(), /2 filtres sélectionnés/);
  const share = await page.getByRole('link', { name: 'Partager les critères' }).getAttribute('href');
  assert.equal(share, `/offres/criteres/partager?type=service-civique&lieu=29232&distance=10&domaine=sante&debut=${inDays(20)}`);
  await visit(page, 'offres-civique-resultats');
  // The share's recap says them too.
  await page.goto(url(share));
  const recap = await page.locator('#contenu').textContent();
  for (const s of ['Domaine', 'Santé', 'Date de début', `À partir du ${fr(inDays(20))}`]) assert.ok(recap.includes(s), `share recap: ${s}`);
  // A shared link typed as jj/mm/aaaa works the same; refusals stand beside their field.
  await page.goto(url(`/offres?type=service-civique&lieu=29232&domaine=sport&debut=${fr(inDays(20))}`));
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (1 offre)');
  let res = await page.goto(url('/offres?type=service-civique&lieu=29232&domaine=ecologie'));
  assert.equal(res.status(), 400);
  assert.equal((await page.locator('#domaine-erreur').textContent()).trim(), 'Le domaine est invalide : choisissez un domaine dans la liste.');
  assert.equal(await page.locator('#domaine').getAttribute('aria-invalid'), 'true');
  await visit(page, 'offres-civique-domaine-invalide');
  res = await page.goto(url('/offres?type=service-civique&lieu=29232&quand=a-partir-de&debut=31/02/2025'));
  assert.equal(res.status(), 400);
  assert.equal((await page.locator('#debut-erreur').textContent()).trim(), 'La date de début est invalide : renseignez une date au format jj/mm/aaaa.');
  assert.ok(await page.getByLabel(/Date de début au plus tôt/).isVisible(), 'the details open on the error');
  await visit(page, 'offres-civique-date-invalide');
  // With a place typed by name the refusal is not lost on the way to the URL with its code.
  res = await page.goto(url('/offres?type=service-civique&lieu=Quimper&quand=a-partir-de&debut=&recherche=1'));
  assert.equal(res.status(), 400);
  assert.equal((await page.locator('#debut-erreur').textContent()).trim(), 'Renseignez la date de début au format jj/mm/aaaa.');
});

test('scenario 5: an Alternance offer shared to 2 beneficiaries with an empty message: each chat holds the card with the default text', async () => {
  const page = counselor;
  await page.goto(url('/offres/alternance/125ABCD'));
  await page.getByRole('link', { name: /^Partager/ }).click();
  await page.getByRole('heading', { name: 'Partager une offre' }).waitFor();
  assert.equal(await page.getByLabel(/^Message/).inputValue(), 'Bonjour, je vous partage une offre d\'alternance qui pourrait vous intéresser.');
  await visit(page, 'offre-partager');
  // None chosen: refused beside the field.
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('#beneficiaires-erreur').waitFor();
  assert.equal((await page.locator('#beneficiaires-erreur').textContent()).trim(), 'Sélectionnez au moins un bénéficiaire.');
  await visit(page, 'offre-partager-erreur');
  for (const p of people) await page.locator(`label[for="b-${p.id}"]`).click();
  await page.getByLabel(/^Message/).fill('');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.waitForURL(/\/offres\/alternance\/125ABCD$/);
  await page.getByText('L\'offre a bien été partagée').waitFor();
  for (const p of people) {
    await page.goto(url(`/conversations/${p.id}`));
    const bubble = page.locator('.cej-bubble', { hasText: 'Vendeur en alternance (H/F)' });
    assert.equal(await bubble.count(), 1, `one card in ${p.row}'s thread`);
    const t = await bubble.textContent();
    assert.match(t, /Bonjour, je vous partage une offre d'alternance qui pourrait vous intéresser\./);
    assert.match(t, /Alternance/);
    assert.match(t, /Boutique Océane/);
    assert.equal(await bubble.getByRole('link', { name: /Voir l’offre/ }).getAttribute('href'), '/offres/alternance/125ABCD');
  }
  const stored = stack.sql("SELECT count(*) FROM message WHERE kind = 'OFFER_SHARE'");
  assert.equal(stored.trim(), '2');
  // The young person's thread: the same card, linked to the app's page of the offer.
  const young = await activateBeneficiary(browser, stack, people[0]);
  await young.goto(url('/app/messages'));
  const card = young.locator('.cej-msg__card', { hasText: 'Vendeur en alternance (H/F)' });
  await card.waitFor();
  assert.match(await card.textContent(), /Alternance/);
  assert.equal(await card.getByRole('link', { name: 'Voir l’offre' }).getAttribute('href'), '/app/offres/alternance/125ABCD');
  await young.context().close();
});

test('sharing with a beneficiary outside the portfolio is refused (403) and sends nothing', async () => {
  const colleague = await counselorPage(browser, stack, 'yann.le-goff@cej-demo.fr');
  await colleague.goto(url('/offres/emploi/123ABCD/partager'));
  const csrf = await colleague.locator('#contenu input[name=_csrf]').getAttribute('value');
  const res = await colleague.request.post(url('/offres/emploi/123ABCD/partager'), {
    form: { _csrf: csrf, beneficiaires: people[0].id, message: '' },
    headers: { Origin: stack.baseUrl },
  });
  assert.equal(res.status(), 403);
  assert.equal(stack.sql("SELECT count(*) FROM message WHERE kind = 'OFFER_SHARE'").trim(), '2');
  await colleague.context().close();
});

test('without JavaScript: a typed place name is resolved on the server and the search works', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(url('/connexion'));
  await page.getByLabel('Adresse e-mail').fill('camille.martin@cej-demo.fr');
  await page.getByLabel('Mot de passe', { exact: true }).fill('Conseiller1!');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/portefeuille$/);
  await page.getByRole('link', { name: 'Offres' }).first().click();
  await page.locator('label[for=type-emploi]').click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Mots clés (Métier, code ROME)').fill('vendeur');
  await page.getByLabel(/Lieu de travail/).fill('brest');
  await page.locator('#form-criteres').getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('heading', { name: /Liste des résultats/ }).waitFor();
  // 124ABCD (11 km) is out, and inactive since the detail pages' test.
  assert.equal(await page.getByRole('heading', { name: /Liste des résultats/ }).textContent(), 'Liste des résultats (1 offre)');
  assert.deepEqual(await page.locator('.cej-offres-recap .fr-tag').allTextContents(),
    ['Offre d\'emploi', 'vendeur', 'Brest (29200)', '10 km']);
  await ctx.close();
});

test('the pages are for logged-in counselors: the anonymous is sent to log in', async () => {
  const c = httpClient(stack.baseUrl);
  const r = await c.get('/offres');
  assert.equal(r.status, 303);
});
