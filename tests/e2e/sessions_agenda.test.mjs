// sessions_agenda.test.mjs — the i-milo sessions on the /agenda page (agenda.md §3, §5.5;
// spec/imilo.md §3.3, §7, §8 scenario 6): "Agenda Mission Locale" merges the sessions S1
// gives for the counselor's structure with its animations collectives (title, type,
// visibility, registrants, the status algorithm); "Mon agenda" shows the sessions where one
// of my beneficiaries takes part; i-milo failing keeps cej's rows and says so with
// "Réessayer". The sessions are the simulator's seed (docs/imilo-sim.md): 1001–1012 for
// Brest, relative to today.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, parisDay,
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

const CAMILLE = 'camille.martin@cej-demo.fr';

/** The table's rows as arrays of their cells' texts (screen-reader texts included). */
function rows(page) {
  return page.$$eval('.cej-agenda tbody tr', (trs) => trs.map((tr) =>
    [...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
}

/** The simulator's session @id: {session, offre}. */
async function simSession(id) {
  const res = await stack.simAdmin('GET', `/_admin/sessions/${id}`);
  assert.equal(res.status, 200, `session ${id}`);
  return res.body;
}

const titleOf = ({ session, offre }) => `${offre.nom} – ${session.nom}`;
const typeOf = ({ offre }) => (offre.type === 'WORKSHOP' ? 'Atelier i-milo' : 'info coll i-milo');

test('Agenda Mission Locale lists the structure’s sessions with their type, visibility, places and status', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  await page.goto(`${stack.baseUrl}/agenda?onglet=mission-locale`);
  const shown = await rows(page);
  // 1004: full, in 2 days; 1006: unlimited, in 5 days.
  const full = await simSession(1004), open = await simSession(1006);
  const fullRow = shown.find((r) => r[1] === titleOf(full));
  assert.ok(fullRow, `no row for ${titleOf(full)} in ${JSON.stringify(shown)}`);
  assert.equal(fullRow[2], typeOf(full));
  assert.match(fullRow[3], /Non/, 'no cej row: not visible');
  assert.match(fullRow[4], /2 inscrits \/ 2 Complet/);
  assert.match(fullRow[5], /^À venir/);
  const openRow = shown.find((r) => r[1] === titleOf(open));
  assert.ok(openRow);
  assert.equal(openRow[4], '1 inscrit', 'unlimited: no maximum');
  const link = page.getByRole('link', { name: `À venir : voir la session ${titleOf(full)}` });
  assert.equal(await link.getAttribute('href'), '/agenda/sessions/1004');
  // The session's day and half-day: in 2 days, 10:00.
  assert.ok(shown.some((r) => r[0] === 'Matin'));
  // The visibility select of the row, labelled for screen readers.
  assert.equal(await page.getByLabel(`Visible par les bénéficiaires : ${titleOf(full)}`).inputValue(), '0');
  await page.context().close();
});

test('past sessions: À clore while a registrant is Inscrit, Close when every registrant is marked', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  await page.goto(`${stack.baseUrl}/agenda?onglet=mission-locale&debut=${parisDay(-7).iso}`);
  const shown = await rows(page);
  const marked = await simSession(1002), running = await simSession(1003);
  assert.match(shown.find((r) => r[1] === titleOf(marked))[5], /^Close/);
  assert.match(shown.find((r) => r[1] === titleOf(running))[5], /^À clore/);
  // The search and the "Statuts" filter apply to sessions as to AC.
  await page.goto(`${stack.baseUrl}/agenda?onglet=mission-locale&debut=${parisDay(-7).iso}&statut=a-clore`);
  const toClose = await rows(page);
  assert.ok(toClose.some((r) => r[1] === titleOf(running)));
  assert.ok(!toClose.some((r) => r[1] === titleOf(marked)));
  await page.context().close();
});

test('Mon agenda shows the sessions where one of my beneficiaries is registered', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  // 1004's registrants are dossiers 100007 and 100010 (the seed's rule).
  const young = await addBeneficiary(page, stack, '100007');
  await page.goto(`${stack.baseUrl}/agenda?onglet=conseiller`);
  const full = await simSession(1004);
  const mine = (await rows(page)).filter((r) => r[2] === typeOf(full) && r[1] === young.row);
  assert.ok(mine.length >= 1, `1004 for ${young.row} in ${JSON.stringify(await rows(page))}`);
  const link = page.locator('.cej-agenda a[href="/agenda/sessions/1004"]');
  assert.equal(await link.count(), 1);
  await page.context().close();
});

test('i-milo failing: the agenda keeps its own rows and offers to try again', async () => {
  const fault = await stack.simAdmin('POST', '/_admin/faults', {
    match: { path: '/operateurs/structures/*' }, status: 503,
  });
  assert.equal(fault.status, 201);
  const page = await counselorPage(browser, stack, CAMILLE);
  // A period no test read before: the sessions of a period are kept 20 s.
  const url = `${stack.baseUrl}/agenda?onglet=mission-locale&debut=${parisDay(21).iso}`;
  await page.goto(url);
  const alert = page.getByRole('alert');
  await alert.getByText('Les sessions i-milo n’ont pas pu être récupérées. Réessayez dans quelques instants.').waitFor();
  const retry = alert.getByRole('link', { name: 'Réessayer' });
  assert.equal(await retry.getAttribute('href'), `/agenda?onglet=mission-locale&debut=${parisDay(21).iso}`);
  await page.goto(`${stack.baseUrl}/agenda?onglet=conseiller&debut=${parisDay(21).iso}`);
  await page.getByText('Les sessions i-milo n’ont pas pu être récupérées.').waitFor();
  await stack.simAdmin('DELETE', `/_admin/faults/${fault.body.id}`);
  await page.goto(url);
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.ok((await rows(page)).some((r) => r[2] === 'Atelier i-milo' || r[2] === 'info coll i-milo'));
  await page.context().close();
});

test('the agenda with sessions passes axe-core and fits a phone', async () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const page = await counselorPage(browser, stack, CAMILLE);
    await page.setViewportSize(viewport);
    for (const tab of ['mission-locale', 'conseiller']) {
      await page.goto(`${stack.baseUrl}/agenda?onglet=${tab}`);
      await visit(page, `sessions-agenda-${tab}-${viewport.width}`);
      const extra = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(extra, 0, `${tab} at ${viewport.width} px is ${extra} px too wide`);
    }
    await page.context().close();
  }
});

test('Pilotage: the sessions i-milo to close, their tab, and the tile when i-milo fails', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const fault = await stack.simAdmin('POST', '/_admin/faults', {
    match: { path: '/operateurs/structures/*' }, status: 500,
  });
  await page.goto(`${stack.baseUrl}/pilotage`);
  const tile = page.locator('.cej-tile', { hasText: 'Sessions i-milo' });
  assert.equal((await tile.textContent()).replace(/\s+/g, ' ').trim(), 'Sessions i-milo Erreur Impossible de récupérer les sessions');
  await page.goto(`${stack.baseUrl}/pilotage?onglet=sessions`);
  await page.getByRole('alert').getByText('Erreur — Impossible de récupérer les sessions.').waitFor();
  await stack.simAdmin('DELETE', `/_admin/faults/${fault.body.id}`);

  await page.goto(`${stack.baseUrl}/pilotage`);
  // Brest's seed: 1001 (12 days ago, registrants Inscrit) and 1003 (started yesterday).
  assert.equal((await tile.textContent()).replace(/\s+/g, ' ').trim(), 'Sessions i-milo 2 À clore');
  await tile.getByRole('link').click();
  await page.waitForURL(/onglet=sessions$/);
  const first = await simSession(1001), second = await simSession(1003);
  const shown = await page.$$eval('#table-sessions tbody tr', (trs) => trs.map((tr) =>
    [...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
  assert.deepEqual(shown.map((r) => r[1]), [`${titleOf(first)} : clore`, `${titleOf(second)} : clore`]);
  assert.equal(shown[0][0], parisDay(-12).fr);
  assert.deepEqual(await page.$$eval('#table-sessions tbody a', (as) => as.map((a) => a.getAttribute('href'))),
    ['/agenda/sessions/1001', '/agenda/sessions/1003']);
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await visit(page, `pilotage-sessions-${viewport.width}`);
    const extra = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(extra, 0, `Pilotage at ${viewport.width} px is ${extra} px too wide`);
  }
  await page.context().close();
});

test('the visibility select of a session row saves at once and comes back to the agenda', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const url = `${stack.baseUrl}/agenda?onglet=mission-locale`;
  await page.goto(url);
  const open = await simSession(1006);
  const select = page.getByLabel(`Visible par les bénéficiaires : ${titleOf(open)}`);
  await select.selectOption('1');   // with JavaScript: submitted on change
  await page.waitForURL(url);
  await page.getByText('La visibilité de la session a bien été enregistrée.').waitFor();
  assert.equal(await page.getByLabel(`Visible par les bénéficiaires : ${titleOf(open)}`).inputValue(), '1');
  assert.match((await rows(page)).find((r) => r[1] === titleOf(open))[3], /Oui/);
  // Without JavaScript: the button beside the select.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.context().addCookies(await page.context().cookies());
  await plain.goto(url);
  await plain.getByLabel(`Visible par les bénéficiaires : ${titleOf(open)}`).selectOption('0');
  await plain.getByRole('button', { name: `Enregistrer la visibilité de ${titleOf(open)}` }).click();
  await plain.waitForURL(url);
  assert.equal(await plain.getByLabel(`Visible par les bénéficiaires : ${titleOf(open)}`).inputValue(), '0');
  await plain.context().close();
  await page.context().close();
});
