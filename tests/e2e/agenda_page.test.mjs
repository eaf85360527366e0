// agenda_page.test.mjs — the /agenda page (agenda.md §3) in Chromium, axe-core on every
// state: the side menu's entry, the tabs and the periods as links without JavaScript, "Mon
// agenda" (my rendez-vous and my beneficiaries' animations collectives, grouped by day and
// half-day, with their columns and links) and "Agenda Mission Locale" (the AC of my
// structure only: Inscrits and the red "Complet", the three statuses, the search and the
// "Statuts" filter as a GET form without JavaScript), each tab's empty state, and the demo
// week of `cej seed --demo` (a stack of its own).
// AC are stored here with sqlite3, as the form stores them, at any start the test needs
// (agenda_ac.test.mjs tests the form). Each test makes its own data in its own period, so each can run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const CAMILLE = 'camille.martin@cej-demo.fr';
const YANN = 'yann.le-goff@cej-demo.fr';
const SOPHIE = 'sophie.durand@cej-demo.fr';
const MAEL = 'mael.payet@cej-demo.fr';


// The page's label of the day @days from today: "Aujourd’hui", "Demain", "Mercredi 11 octobre".
function dayLabel(days) {
  if (days === 0) return 'Aujourd’hui';
  if (days === 1) return 'Demain';
  const s = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long' })
    .format(new Date(Date.now() + days * 86400000));
  return s[0].toUpperCase() + s.slice(1);
}

// The instant (ms) of @hhmm on the Paris day @days from today.
function parisInstant(days, hhmm) {
  const { iso } = parisDay(days);
  const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  for (const off of ['+01:00', '+02:00']) {
    const t = Date.parse(`${iso}T${hhmm}:00${off}`);
    if (fmt.format(t) === `${iso} ${hhmm}`) return t;
  }
  throw new Error(`no instant for ${iso} ${hhmm} in Paris`);
}

const counselorRow = (email) => sql(`SELECT id || '|' || structure_id || '|' || first_name || '|' || last_name FROM counselor WHERE email = ${q(email)}`).split('|');

/** Stores an AC of @email's structure as the AC form would, with @registrants (ids). */
function storeAc(email, { title, type = 'ATELIER', days, start, duration = 60, max = null, closed = false, registrants = [] }) {
  const [cid, sid, first, last] = counselorRow(email);
  const id = randomUUID();
  const at = parisInstant(days, start);
  const now = Date.now();
  sql(`INSERT INTO event(id, kind, type, title, description, modality, starts_at, duration_min, ends_at, presence, max_participants, creator_id, creator_first_name, creator_last_name, structure_id, closed_at, created_at, updated_at)
       VALUES (${q(id)}, 'ac', ${q(type)}, ${q(title)}, '', 'ML', ${at}, ${duration}, ${at + duration * 60000}, 1, ${max ?? 'NULL'}, ${q(cid)}, ${q(first)}, ${q(last)}, ${q(sid)}, ${closed ? now : 'NULL'}, ${now}, ${now});`);
  for (const b of registrants)
    sql(`INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES (${q(id)}, ${q(b)}, ${now});`);
  return id;
}

/** A counselor's HTTP client, logged in. */
async function client(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: COUNSELOR_PASSWORD });
  assert.equal(r.status, 303);
  return c;
}

/** Creates a RDV through the form over HTTP; resolves to its id. */
async function createRdv(c, fields) {
  const html = await (await c.get('/agenda/rendez-vous/nouveau')).text();
  const r = await c.form('/agenda/rendez-vous/nouveau', [['_csrf', c.csrfFrom(html)], ...fields]);
  assert.equal(r.status, 303, `RDV ${JSON.stringify(fields)}`);
  return /([0-9a-f-]{36})$/.exec(r.headers.get('location'))[1];
}

/** A browser page without JavaScript, logged in as @email. */
async function noScriptPage(email) {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(stack.baseUrl + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(COUNSELOR_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/portefeuille$/);
  return page;
}

/**
 * The table's rows as arrays of their cells' texts (screen-reader texts included), without
 * the rows of the simulator's i-milo sessions (sessions_agenda.test.mjs tests those).
 */
function rows(page) {
  return page.$$eval('.cej-agenda tbody tr', (trs) => trs.map((tr) =>
    [...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim()))
    .filter((r) => !/ i-milo$/.test(r[2] || '')));
}

/**
 * Opens each of @urls as @email, with JavaScript, at 1366 px and at 390 px: axe-core finds
 * no violation, and the page is never wider than the screen (the tables scroll inside their
 * DSFR wrapper). axe cannot run in the pages without JavaScript of the tests above.
 */
async function checkPages(email, urls) {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const page = await counselorPage(browser, stack, email);
    await page.setViewportSize(viewport);
    for (const url of urls) {
      await page.goto(stack.baseUrl + url);
      await visit(page, `agenda-${viewport.width}-${url.replace(/[^a-z0-9]+/gi, '-')}`);
      const extra = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(extra, 0, `${url} at ${viewport.width} px is ${extra} px too wide`);
    }
    await page.context().close();
  }
}

const period = (from, to) => `Période : du ${parisDay(from).fr} au ${parisDay(to).fr}`;

test('the side menu leads to the agenda; periods and tabs are links that work without JavaScript', async () => {
  const page = await noScriptPage(CAMILLE);
  const menu = page.locator('nav').getByRole('link', { name: 'Agenda', exact: true });
  await menu.click();
  await page.waitForURL(/\/agenda$/);
  assert.equal(await page.locator('nav').getByRole('link', { name: 'Agenda', exact: true }).getAttribute('aria-current'), 'page');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Agenda');
  assert.equal(await page.getByRole('link', { name: 'Agenda Mission Locale' }).getAttribute('aria-current'), 'page');
  assert.equal(await page.getByRole('link', { name: 'Mon agenda' }).getAttribute('aria-current'), null);
  assert.equal(await page.getByRole('link', { name: 'Créer un rendez-vous' }).getAttribute('href'), '/agenda/rendez-vous/nouveau');
  assert.equal(await page.getByRole('link', { name: 'Créer une animation collective' }).getAttribute('href'), '/agenda/animations-collectives/nouveau');
  await page.getByText(period(0, 6)).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Période en cours' }).getAttribute('aria-current'), 'true');
  await page.getByRole('link', { name: 'Période suivante' }).click();
  await page.waitForURL(new RegExp(`onglet=mission-locale&debut=${parisDay(7).iso}$`));
  await page.getByText(period(7, 13)).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Période en cours' }).getAttribute('aria-current'), null);
  // The other tab keeps the period.
  await page.getByRole('link', { name: 'Mon agenda' }).click();
  await page.waitForURL(new RegExp(`onglet=conseiller&debut=${parisDay(7).iso}$`));
  await page.getByText(period(7, 13)).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Mon agenda' }).getAttribute('aria-current'), 'page');
  await page.getByRole('link', { name: 'Période précédente' }).click();
  await page.getByRole('link', { name: 'Période précédente' }).click();
  await page.waitForURL(new RegExp(`onglet=conseiller&debut=${parisDay(-7).iso}$`));
  await page.getByText(period(-7, -1)).waitFor();
  await page.getByRole('link', { name: 'Période en cours' }).click();
  await page.waitForURL(/\/agenda\?onglet=conseiller$/);
  await page.getByText(period(0, 6)).waitFor();

  // A date that does not exist (or is out of reach) shows the current period.
  for (const bad of ['2025-02-30', 'demain', '1900-01-01']) {
    const res = await page.goto(`${stack.baseUrl}/agenda?onglet=conseiller&debut=${bad}`);
    assert.equal(res.status(), 200, bad);
    await page.getByText(period(0, 6)).waitFor();
  }
  await page.context().close();
  await checkPages(CAMILLE, ['/agenda', `/agenda?onglet=conseiller&debut=${parisDay(-7).iso}`]);
});

test('Mon agenda: my rendez-vous and my beneficiaries’ AC, by day then Matin / Après-midi, with their columns', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const A = await addBeneficiary(page, stack, '100001');
  const B = await addBeneficiary(page, stack, '100004');
  const c = await client(CAMILLE);
  const d = (n) => parisDay(n).iso;
  const r1 = await createRdv(c, [['type', 'ENTRETIEN_INDIVIDUEL_CONSEILLER'], ['modalite', 'TELEPHONE'], ['date', d(21)], ['heure', '10:00'], ['duree', '00:45'], ['beneficiaires', A.id]]);
  const r2 = await createRdv(c, [['type', 'ACTIVITES_EXTERIEURES'], ['titre', 'Forum de l’alternance'], ['date', d(21)], ['heure', '14:30'], ['duree', '01:30'], ['beneficiaires', A.id], ['beneficiaires', B.id]]);
  const r3 = await createRdv(c, [['type', 'VISITE'], ['modalite', 'ML'], ['date', d(22)], ['heure', '09:00'], ['duree', '01:00'], ['beneficiaires', B.id]]);
  // Yann's AC: one where A is registered (listed, not created by me), one without mine.
  const ac = storeAc(YANN, { title: 'Atelier CV', days: 23, start: '11:00', duration: 120, registrants: [A.id] });
  storeAc(YANN, { title: 'Atelier sans les miens', days: 23, start: '15:00' });

  await page.goto(`${stack.baseUrl}/agenda?onglet=conseiller&debut=${d(21)}`);
  await page.getByText(period(21, 27)).waitFor();
  const heads = await page.$$eval('.cej-agenda thead th', (ths) => ths.map((t) => t.textContent.trim()));
  assert.deepEqual(heads, ['Horaires', 'Bénéficiaire', 'Type', 'Modalité', 'Créé par vous', 'Détail']);
  const got = await rows(page);
  const detail = (title, hours) => `Détail de l’événement ${title}, ${hours}`;
  assert.deepEqual(got, [
    [dayLabel(21)],
    ['Matin'],
    ['10h00 - 45 min', A.row, 'Entretien individuel conseiller', 'Par téléphone', 'oui', detail('Entretien individuel conseiller Par téléphone', '10h00 - 45 min')],
    ['Après-midi'],
    ['14h30 - 90 min', 'Bénéficiaires multiples', 'Activités extérieures', '--non renseignée', 'oui', detail('Forum de l’alternance', '14h30 - 90 min')],
    [dayLabel(22)],
    ['Matin'],
    ['09h00 - 60 min', B.row, 'Visite', 'En présentiel : Mission Locale', 'oui', detail('Visite En présentiel : Mission Locale', '09h00 - 60 min')],
    [dayLabel(23)],
    ['Matin'],
    ['11h00 - 120 min', A.row, 'Atelier', 'En présentiel : Mission Locale', 'non', detail('Atelier CV', '11h00 - 120 min')],
  ]);
  // "Créé par vous": a check mark for the eye, "oui"/"non" for screen readers.
  assert.equal(await page.locator('.cej-agenda tbody .fr-icon-check-line').count(), 3);
  const links = await page.$$eval('.cej-agenda tbody a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, [`/agenda/rendez-vous/${r1}`, `/agenda/rendez-vous/${r2}`, `/agenda/rendez-vous/${r3}`, `/agenda/animations-collectives/${ac}`]);
  await page.getByRole('link', { name: detail('Forum de l’alternance', '14h30 - 90 min') }).click();
  await page.waitForURL(new RegExp(`/agenda/rendez-vous/${r2}$`));
  await page.getByRole('heading', { name: 'Forum de l’alternance' }).waitFor();

  // Today and tomorrow are named so, in the current period.
  await createRdv(c, [['type', 'ENTRETIEN_INDIVIDUEL_CONSEILLER'], ['date', d(1)], ['heure', '15:00'], ['duree', '00:30'], ['beneficiaires', B.id]]);
  await page.goto(`${stack.baseUrl}/agenda?onglet=conseiller`);
  const current = await rows(page);
  const tomorrow = current.findIndex((r) => r[0] === 'Demain');
  assert.ok(tomorrow >= 0, JSON.stringify(current));
  assert.deepEqual(current.slice(tomorrow + 1).find((r) => r.length > 1 && r[1] === B.row)?.slice(0, 3), ['15h00 - 30 min', B.row, 'Entretien individuel conseiller']);

  // Another counselor's agenda is empty: the spec's sentence.
  const mael = await client(MAEL);
  const html = await (await mael.get('/agenda?onglet=conseiller')).text();
  assert.match(html, /Vous n’avez aucun événement dans votre agenda sur cette période\./);
  assert.doesNotMatch(html, /<table/);
  await page.context().close();
  await checkPages(CAMILLE, [`/agenda?onglet=conseiller&debut=${d(21)}`]);
  await checkPages(MAEL, ['/agenda?onglet=conseiller']);
});

test('Agenda Mission Locale: my structure’s AC, Inscrits and “Complet”, statuses, search and Statuts filter without JavaScript', async () => {
  const setup = await counselorPage(browser, stack, CAMILLE);
  const C = await addBeneficiary(setup, stack, '100007');
  const D = await addBeneficiary(setup, stack, '100010');
  await setup.context().close();
  const full = storeAc(YANN, { title: 'Préparer son entretien d’embauche', days: 35, start: '09:30', duration: 120, max: 2, registrants: [C.id, D.id] });
  const open = storeAc(CAMILLE, { title: 'Découvrir le service civique', type: 'INFORMATION_COLLECTIVE', days: 36, start: '14:00', duration: 90, registrants: [C.id] });
  storeAc(SOPHIE, { title: 'Un atelier à Paris', days: 35, start: '10:00' });   // another Mission Locale
  const c = await client(CAMILLE);
  await createRdv(c, [['type', 'VISITE'], ['date', parisDay(35).iso], ['heure', '11:00'], ['duree', '00:30'], ['beneficiaires', C.id]]);
  // Last fortnight: one to close, one closed.
  const toClose = storeAc(YANN, { title: 'Simulation d’entretien', days: -10, start: '14:00', registrants: [C.id] });
  const closed = storeAc(CAMILLE, { title: 'Atelier budget', days: -9, start: '10:00', closed: true, registrants: [D.id] });

  const page = await noScriptPage(CAMILLE);
  await page.goto(`${stack.baseUrl}/agenda?debut=${parisDay(35).iso}`);
  await page.getByText(period(35, 41)).waitFor();
  const heads = await page.$$eval('.cej-agenda thead th', (ths) => ths.map((t) => t.textContent.trim()));
  assert.deepEqual(heads, ['Horaires', 'Titre', 'Type', 'Visible', 'Inscrits', 'Statut']);
  const status = (s, title) => `${s} : voir l’animation collective ${title} ›`;
  assert.deepEqual(await rows(page), [
    [dayLabel(35)],
    ['Matin'],
    ['09h30 - 120 min', 'Préparer son entretien d’embauche', 'Atelier', 'Oui', '2 inscrits / 2 Complet', status('À venir', 'Préparer son entretien d’embauche')],
    [dayLabel(36)],
    ['Après-midi'],
    ['14h00 - 90 min', 'Découvrir le service civique', 'Information collective', 'Oui', '1 inscrit', status('À venir', 'Découvrir le service civique')],
  ]);
  assert.equal(await page.locator('.cej-agenda .fr-badge--error').textContent(), 'Complet');
  assert.deepEqual(await page.$$eval('.cej-agenda tbody a:not([href^="/agenda/sessions/"])', (as) => as.map((a) => a.getAttribute('href'))),
    [`/agenda/animations-collectives/${full}`, `/agenda/animations-collectives/${open}`]);

  // The search: every token, accents and case aside, in the period shown.
  const search = page.getByLabel('Rechercher un atelier ou une information collective');
  await search.fill('prepa EMBAUCHE');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/q=prepa/);
  assert.ok(page.url().includes(`debut=${parisDay(35).iso}`), page.url());
  assert.deepEqual((await rows(page)).filter((r) => r.length > 1).map((r) => r[1]), ['Préparer son entretien d’embauche']);
  await page.getByLabel('Rechercher un atelier ou une information collective').fill('embauche plongée');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByText('Aucun événement ne correspond à votre recherche sur la période sélectionnée.').waitFor();
  assert.equal(await page.getByLabel('Rechercher un atelier ou une information collective').inputValue(), 'embauche plongée');
  await page.getByRole('link', { name: 'Réinitialiser' }).click();
  await page.waitForURL(new RegExp(`/agenda\\?onglet=mission-locale&debut=${parisDay(35).iso}$`));
  assert.equal((await rows(page)).filter((r) => r.length > 1).length, 2);

  // The fortnight before: "À clore" and "Close"; the Statuts filter keeps what is checked,
  // and the period links keep the filter.
  await page.goto(`${stack.baseUrl}/agenda?onglet=mission-locale&debut=${parisDay(-14).iso}`);
  assert.deepEqual((await rows(page)).filter((r) => r.length > 1).map((r) => [r[1], r[5]]), [
    ['Simulation d’entretien', status('À clore', 'Simulation d’entretien')],
    ['Atelier budget', status('Close', 'Atelier budget')],
  ]);
  await page.locator('label[for=statut-close]').click();
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/statut=close/);
  assert.deepEqual((await rows(page)).filter((r) => r.length > 1).map((r) => r[1]), ['Atelier budget']);
  assert.ok(await page.getByLabel('Close', { exact: true }).isChecked());
  assert.match(await page.getByRole('link', { name: 'Période suivante' }).getAttribute('href'), /statut=close/);
  await page.locator('label[for=statut-a-clore]').click();
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/statut=a-clore/);
  assert.deepEqual(await page.$$eval('.cej-agenda tbody a:not([href^="/agenda/sessions/"])', (as) => as.map((a) => a.getAttribute('href'))),
    [`/agenda/animations-collectives/${toClose}`, `/agenda/animations-collectives/${closed}`]);

  // A period without AC in the structure: the spec's sentence, no search.
  const far = parisDay(600).iso;
  await page.goto(`${stack.baseUrl}/agenda?debut=${far}`);
  await page.getByText('Il n’y a pas d’animation collective sur cette période dans votre Mission Locale.').waitFor();
  assert.equal(await page.getByLabel('Rechercher un atelier ou une information collective').count(), 0);
  // Sophie (Paris) sees her AC only.
  const sophie = await client(SOPHIE);
  const html = await (await sophie.get(`/agenda?debut=${parisDay(35).iso}`)).text();
  assert.match(html, /Un atelier à Paris/);
  assert.doesNotMatch(html, /embauche/);
  await page.context().close();
  const d35 = parisDay(35).iso;
  await checkPages(CAMILLE, [`/agenda?debut=${d35}`, `/agenda?debut=${d35}&q=embauche+plong%C3%A9e`,
    `/agenda?debut=${parisDay(-14).iso}&statut=close`, `/agenda?debut=${far}`]);
});

test('the demo (cej seed --demo): a newcomer finds a filled week in both tabs', async () => {
  const demo = await startStack({ demoData: true });
  try {
    const c = httpClient(demo.baseUrl);
    const login = await (await c.get('/connexion')).text();
    assert.equal((await c.form('/connexion', { _csrf: c.csrfFrom(login), email: CAMILLE, password: COUNSELOR_PASSWORD })).status, 303);
    const ml = await (await c.get('/agenda')).text();
    assert.match(ml, /Préparer son entretien d’embauche/);
    assert.match(ml, /3 inscrits \/ 3 <p class="fr-badge[^"]*fr-badge--error[^"]*">Complet<\/p>/);
    const mine = await (await c.get('/agenda?onglet=conseiller')).text();
    assert.match(mine, /Aujourd’hui/);
    assert.match(mine, /Bénéficiaires multiples/);
    assert.ok((mine.match(/href="\/agenda\/rendez-vous\//g) || []).length >= 5, 'rendez-vous this week');
    // The AC of yesterday waits to be closed, in the previous period.
    const before = await (await c.get(`/agenda?debut=${parisDay(-7).iso}`)).text();
    assert.match(before, /Simulation d’entretien avec des recruteurs/);
    assert.match(before, /À clore/);
  } finally {
    await demo.stop();
  }
});
