// agenda_close.test.mjs — closing an animation collective (agenda.md §4, §8) in Chromium
// with axe-core at 1366 and 390 px: "Clore" with its émargement (with JavaScript: the
// tri-state "Tout sélectionner"; without: a plain list of boxes), the attendance stored
// and the AC Close, the refusals over HTTP, the sign-in sheet (its content, its order, the
// 404 of other types), and Pilotage's counter and tab "AC app CEJ".
// Each test inserts its AC in the test database with the sqlite3 CLI (already started,
// which the form does not make: agenda_ac.test.mjs tests the form), as a counselor of the structure would have created it, and adds
// its own beneficiaries, so each can run alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startStack, launchBrowser, visit, counselorPage, httpClient, COUNSELOR_PASSWORD } from './harness.mjs';

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
const SOPHIE = 'sophie.durand@cej-demo.fr';   // another Mission Locale
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const HOUR = 3600 * 1000;

const sql = (q) => stack.sql(q);
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;

async function login(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: COUNSELOR_PASSWORD });
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

/** Adds dossier @dossier to @c's portfolio and names the beneficiary @first @last. */
async function beneficiary(c, dossier, first, last) {
  const csrf = c.csrfFrom(await (await c.get('/portefeuille/ajouter')).text());
  const r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier, dispositif: 'CEJ' });
  assert.equal(r.status, 303, `dossier ${dossier}`);
  const id = /([0-9a-f-]{36})$/.exec(decodeURIComponent(c.cookie('cej_flash') || ''))[1];
  sql(`UPDATE beneficiary SET first_name = ${quote(first)}, last_name = ${quote(last)} WHERE id = '${id}'`);
  return { id, name: `${first} ${last.toLocaleUpperCase('fr')}` };
}

/** Inserts an atelier of @email's structure starting at @startsAt (ms), with @registrants. */
function insertAc(email, { title, startsAt, registrants = [], closedAt = null, address = '12 rue de Siam, Brest' }) {
  const [cid, first, last, sid] = sql(`SELECT id, first_name, last_name, structure_id FROM counselor WHERE email = ${quote(email)}`).split('|');
  const id = randomUUID();
  const now = Date.now();
  sql(`INSERT INTO event(id, kind, type, title, description, modality, starts_at, duration_min, ends_at,
         address, organism, presence, creator_id, creator_first_name, creator_last_name, structure_id,
         closed_at, created_at, updated_at)
       VALUES ('${id}', 'ac', 'ATELIER', ${quote(title)}, '', 'ML', ${startsAt}, 90, ${startsAt + 90 * 60000},
         ${quote(address)}, '', 1, '${cid}', ${quote(first)}, ${quote(last)}, '${sid}', ${closedAt ?? 'NULL'},
         ${now - 7 * 24 * HOUR}, ${now - 7 * 24 * HOUR});` +
      registrants.map((b) => `INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('${id}', '${b.id}', ${now});`).join(''));
  return id;
}

const presentOf = (ac, b) => sql(`SELECT coalesce(CAST(present AS TEXT), 'NULL') FROM event_participant WHERE event_id = '${ac}' AND beneficiary_id = '${b.id}'`);
const closedAt = (ac) => sql(`SELECT coalesce(CAST(closed_at AS TEXT), 'NULL') FROM event WHERE id = '${ac}'`);

/** No horizontal scroll at the page's width. */
async function fits(page, label) {
  const extra = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(extra <= 0, `${label}: ${extra} px too wide`);
}

/** Opens @url at 390 then 1366 px: axe and no horizontal scroll at both. Leaves it at 1366. */
async function bothWidths(page, url, label) {
  for (const [name, viewport] of [['390', PHONE], ['1366', LAPTOP]]) {
    await page.setViewportSize(viewport);
    await page.goto(stack.baseUrl + url);
    // A counselor's first page on a phone opens the welcome of the mobile space: dismissed.
    const welcome = page.locator('#bienvenue-mobile');
    if (await welcome.isVisible()) {
      await page.getByRole('button', { name: 'Terminer', exact: true }).click();
      await page.waitForURL((u) => u.pathname + u.search === url);   // back to the page as asked
    }
    await fits(page, `${label} at ${name}`);
    await visit(page, `${label}-${name}`);
  }
}

test('closing with the émargement: the attendance is stored and the AC is Close', async () => {
  const c = await login(CAMILLE);
  const people = [await beneficiary(c, '100011', 'Lina', 'Bernard'),
    await beneficiary(c, '100012', 'Hugo', 'Caron'), await beneficiary(c, '100013', 'Inès', 'Diallo')];
  const ac = insertAc(CAMILLE, { title: 'Atelier CV et lettre de motivation', startsAt: Date.now() - 2 * HOUR, registrants: people });
  const page = await counselorPage(browser, stack, CAMILLE);
  await bothWidths(page, `/agenda/animations-collectives/${ac}/clore`, 'ac-clore');
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Clore' }).isVisible());
  assert.ok(await page.getByText('Émarger la présence des bénéficiaires').isVisible());
  assert.ok(await page.getByText('Atelier CV et lettre de motivation').isVisible());

  // "Tout sélectionner": all, then one less (indeterminate), then none.
  const all = page.getByLabel('Tout sélectionner');
  const boxes = people.map((p) => page.getByLabel(p.name, { exact: true }));
  await all.check({ force: true });
  for (const b of boxes) assert.ok(await b.isChecked());
  await boxes[1].uncheck({ force: true });
  assert.ok(await all.evaluate((el) => el.indeterminate && !el.checked), 'some checked: indeterminate');
  await boxes[0].uncheck({ force: true });
  await boxes[2].uncheck({ force: true });
  assert.ok(await all.evaluate((el) => !el.indeterminate && !el.checked), 'none checked');
  await boxes[2].check({ force: true });
  await boxes[0].check({ force: true });
  assert.ok(await all.evaluate((el) => el.indeterminate), 'two of three');
  assert.equal(await page.getByRole('link', { name: 'Annuler la clôture' }).getAttribute('href'),
    `/agenda/animations-collectives/${ac}`);

  await page.getByRole('button', { name: 'Clore', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/animations-collectives/${ac}`);
  assert.equal(presentOf(ac, people[0]), '1');
  assert.equal(presentOf(ac, people[1]), '0', 'unchecked: absent');
  assert.equal(presentOf(ac, people[2]), '1');
  assert.notEqual(closedAt(ac), 'NULL');
  assert.equal(sql(`SELECT author_first_name FROM event_history WHERE event_id = '${ac}'`), 'Camille');

  // Closed: the page is refused, and so is a second close.
  const again = await c.get(`/agenda/animations-collectives/${ac}/clore`);
  assert.equal(again.status, 400);
  assert.match(await again.text(), /Seul un événement passé et non clos peut être clos\./);
  const csrf = c.csrfFrom(await (await c.get('/pilotage')).text());
  const r = await c.form(`/agenda/animations-collectives/${ac}/clore`, [['_csrf', csrf], ['presents', people[1].id]]);
  assert.equal(r.status, 400);
  assert.equal(presentOf(ac, people[1]), '0', 'the first attendance stays');
  await page.context().close();
});

test('without JavaScript the émargement is a plain list of boxes, and the flash follows', async () => {
  const c = await login(CAMILLE);
  const people = [await beneficiary(c, '100014', 'Noé', 'Fabre'), await beneficiary(c, '100015', 'Zoé', 'Gautier')];
  const ac = insertAc(CAMILLE, { title: 'Information collective service civique', startsAt: Date.now() - HOUR, registrants: people });
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies([...c.jar].map(([name, value]) => ({ name, value, url: stack.baseUrl })));
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/agenda/animations-collectives/${ac}/clore`);
  assert.ok(!(await page.getByLabel('Tout sélectionner').isVisible()), 'the tri-state box needs the script');
  await page.getByLabel(people[1].name, { exact: true }).check({ force: true });
  await page.getByRole('button', { name: 'Clore', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/animations-collectives/${ac}`);
  assert.equal(presentOf(ac, people[0]), '0');
  assert.equal(presentOf(ac, people[1]), '1');
  // The redirect carries the flash "Cet événement a bien été clos" to the AC's detail.
  const csrf = c.csrfFrom(await (await c.get('/pilotage')).text());
  const ac2 = insertAc(CAMILLE, { title: 'Atelier numérique', startsAt: Date.now() - HOUR, registrants: people });
  const r = await c.form(`/agenda/animations-collectives/${ac2}/clore`, { _csrf: csrf });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/agenda/animations-collectives/${ac2}`);
  assert.match(decodeURIComponent(c.cookie('cej_flash') || ''), /^ac-close/);
  assert.equal(presentOf(ac2, people[0]), '0', 'nobody checked: everyone absent');
  await context.close();
});

async function checkPage(page, label) {
  await fits(page, label);
  await visit(page, label);
}

test('closing is refused to whoever may not, and before the AC starts', async () => {
  const c = await login(CAMILLE);
  const who = await beneficiary(c, '100016', 'Malo', 'Henry');
  const soon = insertAc(CAMILLE, { title: 'Atelier à venir', startsAt: Date.now() + 2 * HOUR, registrants: [who] });
  const past = insertAc(CAMILLE, { title: 'Atelier passé', startsAt: Date.now() - HOUR, registrants: [who] });
  let r = await c.get(`/agenda/animations-collectives/${soon}/clore`);
  assert.equal(r.status, 400, 'À venir');
  const csrf = c.csrfFrom(await (await c.get('/pilotage')).text());
  r = await c.form(`/agenda/animations-collectives/${soon}/clore`, { _csrf: csrf, presents: who.id });
  assert.equal(r.status, 400);
  assert.equal(closedAt(soon), 'NULL');
  // A box for someone not registered is forged: 400, nothing stored.
  const other = await beneficiary(c, '100017', 'Jade', 'Izard');
  r = await c.form(`/agenda/animations-collectives/${past}/clore`, [['_csrf', csrf], ['presents', who.id], ['presents', other.id]]);
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Ce bénéficiaire n’est pas inscrit à cet événement\./);
  assert.equal(presentOf(past, who), 'NULL');
  // Another Mission Locale does not see it.
  const stranger = await login(SOPHIE);
  assert.equal((await stranger.get(`/agenda/animations-collectives/${past}/clore`)).status, 404);
  assert.equal(closedAt(past), 'NULL');
});

test('the sign-in sheet: the AC, its registrants by name and 5 blank rows, printable', async () => {
  const c = await login(CAMILLE);
  // Byte order would put "Émery" after "Zola": the sheet sorts as a reader does.
  const people = [await beneficiary(c, '100018', 'Adam', 'Zola'), await beneficiary(c, '100019', 'Lucie', 'Émery'),
    await beneficiary(c, '100020', 'Marc', 'Dupont')];
  const start = Date.now() + 3 * 24 * HOUR;
  const ac = insertAc(CAMILLE, { title: 'Atelier simulation d’entretien', startsAt: start, registrants: people, address: 'Antenne de Morlaix' });
  const ml = sql(`SELECT s.name FROM counselor c JOIN structure s ON s.id = c.structure_id WHERE c.email = ${quote(CAMILLE)}`);
  const page = await counselorPage(browser, stack, CAMILLE);
  await bothWidths(page, `/emargement/${ac}?type=ac`, 'emargement');
  assert.equal(await page.title(), `Feuille d’émargement — ${ml}`);
  assert.ok(await page.getByRole('heading', { level: 1, name: `Feuille d’émargement — ${ml}` }).isVisible());
  assert.ok(await page.getByRole('heading', { name: 'Atelier simulation d’entretien' }).isVisible());
  const facts = await page.locator('.cej-sheet__facts').innerText();
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(start));
  for (const text of ['Atelier', day, 'Antenne de Morlaix']) assert.ok(facts.includes(text), `${text} in ${facts}`);
  assert.equal(await page.locator('.fr-sidemenu, header.fr-header, footer').count(), 0, 'chrome-less');
  const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
  assert.deepEqual(rows, [
    ['1', 'Marc DUPONT', ''], ['2', 'Lucie ÉMERY', ''], ['3', 'Adam ZOLA', ''],
    ['', '', ''], ['', '', ''], ['', '', ''], ['', '', ''], ['', '', ''],
  ]);
  assert.deepEqual(await page.locator('thead th').allInnerTexts(), ['N°', 'Prénom NOM', 'Signature']);
  // A4 when printed, and the "Imprimer" button (a script's) not on paper.
  assert.ok(await page.getByRole('button', { name: 'Imprimer' }).isVisible());
  const a4 = await page.evaluate(() => [...document.styleSheets].some((s) => {
    try { return [...s.cssRules].some((r) => r.type === CSSRule.PAGE_RULE && /size: *a4/i.test(r.cssText)); } catch { return false; }
  }));
  assert.ok(a4, '@page { size: A4 }');
  await page.emulateMedia({ media: 'print' });
  assert.ok(!(await page.getByRole('button', { name: 'Imprimer' }).isVisible()), 'not printed');
  await page.emulateMedia({ media: 'screen' });
  await page.context().close();

  // Without JavaScript no button that cannot print.
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies([...c.jar].map(([name, value]) => ({ name, value, url: stack.baseUrl })));
  const bare = await context.newPage();
  await bare.goto(`${stack.baseUrl}/emargement/${ac}?type=ac`);
  assert.equal(await bare.getByRole('button', { name: 'Imprimer' }).count(), 0);
  await context.close();

  // Sessions come with their own slice; a RDV has no sheet; another structure sees nothing.
  assert.equal((await c.get(`/emargement/${ac}?type=session`)).status, 404);
  assert.equal((await c.get(`/emargement/${ac}`)).status, 404);
  assert.equal((await (await login(SOPHIE)).get(`/emargement/${ac}?type=ac`)).status, 404);
});

test('Pilotage: "Les animations — À clore" and the tab "AC app CEJ", oldest first', async () => {
  // Sophie's Mission Locale: no other test of this file puts an AC there.
  const page = await counselorPage(browser, stack, SOPHIE);
  await page.goto(`${stack.baseUrl}/pilotage?onglet=animations`);
  const tile = page.locator('.cej-tile', { hasText: 'Les animations' });
  const count = Number((await tile.locator('.cej-tile__n').innerText()).trim());
  if (count === 0) {
    assert.ok(await page.getByText('Vous n’avez pas d’animation collective à clore.').isVisible());
    await checkPage(page, 'pilotage-ac-vide');
  }
  const stamp = randomUUID().slice(0, 8);
  const older = insertAc(SOPHIE, { title: `Atelier ancien ${stamp}`, startsAt: Date.now() - 50 * 24 * HOUR });
  const newer = insertAc(SOPHIE, { title: `Atelier récent ${stamp}`, startsAt: Date.now() - HOUR });
  insertAc(SOPHIE, { title: `Atelier à venir ${stamp}`, startsAt: Date.now() + HOUR });
  insertAc(SOPHIE, { title: `Atelier clos ${stamp}`, startsAt: Date.now() - 2 * HOUR, closedAt: Date.now() - HOUR });
  insertAc(CAMILLE, { title: `Atelier d’ailleurs ${stamp}`, startsAt: Date.now() - HOUR });
  // Registrants of Sophie's structure for the newer one.
  const sid = sql(`SELECT structure_id FROM counselor WHERE email = ${quote(SOPHIE)}`);
  const someone = sql(`SELECT id FROM beneficiary WHERE structure_id = '${sid}' AND deleted_at IS NULL LIMIT 2`).split('\n').filter(Boolean);
  for (const id of someone)
    sql(`INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('${newer}', '${id}', ${Date.now()})`);

  await bothWidths(page, '/pilotage?onglet=animations', 'pilotage-ac');
  assert.equal(Number((await tile.locator('.cej-tile__n').innerText()).trim()), count + 2);
  assert.ok(await page.getByRole('link', { name: new RegExp(`^AC app CEJ ${count + 2}`) }).isVisible());
  const mine = await page.locator('#table-animations tbody tr', { hasText: stamp }).evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
  const day = (t) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(t));
  assert.deepEqual(mine.map(([d, t, n]) => [d, t.replace(' : clore', ''), n]), [
    [day(Date.now() - 50 * 24 * HOUR), `Atelier ancien ${stamp}`, '0'],
    [day(Date.now() - HOUR), `Atelier récent ${stamp}`, String(someone.length)],
  ], 'oldest first; neither upcoming, closed nor another structure\'s');
  assert.deepEqual(await page.locator('#table-animations thead th').allInnerTexts(), ['Date', 'Titre', 'Participants']);
  // Each row leads to its closing page.
  await page.getByRole('link', { name: `Atelier ancien ${stamp}` }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/animations-collectives/${older}/clore`);
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Clore' }).isVisible());
  await page.getByRole('button', { name: 'Clore', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/animations-collectives/${older}`);
  await page.goto(`${stack.baseUrl}/pilotage?onglet=animations`);
  assert.equal(Number((await tile.locator('.cej-tile__n').innerText()).trim()), count + 1, 'closed: no longer to close');
  await page.context().close();
});
