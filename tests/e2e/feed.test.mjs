// feed.test.mjs — the i-milo event feed (spec/imilo.md §4, §8 scenarios 7–9; agenda.md §2.3)
// with the simulator's desk: a rendez-vous created at the i-milo desk reaches the young
// person's app ("Nouveau rendez-vous") and the counselor's pages read-only (the banner,
// "Non modifiable", 403 on edit and on a forged delete); moved ⇒ "Rendez-vous modifié";
// deleted ⇒ gone and "Rendez-vous supprimé"; an event delivered again (its ack failed) is
// applied once; the events of a beneficiary who never logged in are acked and ignored; a
// DOSSIER UPDATE refreshes the account (and a form cannot make an i-milo RDV); a desk
// registration to a session is told once with its J-7/J-1 (scenario 7), a desk refusal
// unregisters, and the echo of cej's own registration tells nothing more (scenario 8); E3
// failing 3 times ⇒ the dead letter on /support/flux-imilo (supervisors only), at 1366 and
// 390 px. The feed is polled every second here (CEJ_IMILO_FEED_INTERVAL_S=1), so a desk
// change reaches cej within a few seconds; the retries 5 and 10 minutes later are reached
// by moving the test clock (/_test/horloge).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary,
  waitFor, notificationCentre, parisDay, httpClient, COUNSELOR_PASSWORD,
} from './harness.mjs';

let stack, browser;

before(async () => {
  stack = await startStack({ extraEnv: { CEJ_IMILO_FEED_INTERVAL_S: '1' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const sql = (q) => stack.sql(q);
const CAMILLE = 'camille.martin@cej-demo.fr';
const YANN = 'yann.le-goff@cej-demo.fr';   // supervisor, same Mission Locale
const centre = (young) => notificationCentre(young, stack);

async function sim(method, urlPath, body) {
  const r = await stack.simAdmin(method, urlPath, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${urlPath}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A rendez-vous created at the i-milo desk for @dossier, @days ahead at @hour (Paris). */
async function deskRdv(dossier, { days = 10, hour = '10:00', minutes = 45, ...more } = {}) {
  const day = parisDay(days).iso;
  const end = new Date(Date.parse(`${day}T${hour}:00Z`) + minutes * 60000).toISOString().slice(11, 16);
  return sim('POST', `/_admin/dossiers/${dossier}/rdv`, {
    dateHeureDebut: `${day} ${hour}:00`, dateHeureFin: `${day} ${end}:00`,
    objet: 'Point sur le projet professionnel', conseiller: 'Camille Martin', type: 'Entretien individuel',
    lieu: '12 rue de Siam, 29200 Brest', ...more,
  });
}

/** The simulator's events about RDV @rdvId, oldest first. */
async function eventsOf(rdvId) {
  const all = await sim('GET', '/_admin/events');
  return all.filter((e) => String(e.idType) === String(rdvId));
}

/** Waits until every event of RDV @rdvId is acked by cej, and returns them. */
async function ackedEvents(rdvId, count) {
  let events = [];
  await waitFor(async () => {
    events = await eventsOf(rdvId);
    return events.length === count && events.every((e) => e.acquitte === true);
  }, { timeoutMs: 20_000, what: `the ${count} event(s) of RDV ${rdvId} acked` });
  return events;
}

/** The local copy of i-milo RDV @rdvId once it exists: its event id. */
async function copyOf(rdvId) {
  let id = '';
  await waitFor(() => (id = sql(`SELECT id FROM event WHERE imilo_id = '${rdvId}'`)) !== '',
                { timeoutMs: 20_000, what: `the copy of RDV ${rdvId}` });
  return id;
}

async function forgedPost(page, url) {
  const html = await (await page.request.get(`${stack.baseUrl}/agenda?onglet=conseiller`)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)[1];
  return page.request.post(`${stack.baseUrl}${url}`, { form: { _csrf: csrf }, maxRedirects: 0 });
}

test('a desk rendez-vous reaches the app and the counselor read-only; moved, then deleted', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100001');
  const young = await activateBeneficiary(browser, stack, who);
  const rdv = await deskRdv('100001', { days: 10, hour: '10:00' });
  const id = await copyOf(rdv.id);
  await ackedEvents(rdv.id, 1);

  // The young person: "Nouveau rendez-vous", the detail page, Mon suivi.
  let list = await centre(young);
  assert.deepEqual(list, [{ title: 'Nouveau rendez-vous', body: 'Votre conseiller a programmé un nouveau rendez-vous',
                            href: `/app/rendez-vous/${id}` }]);
  await young.goto(`${stack.baseUrl}/app/rendez-vous/${id}`);
  await young.getByRole('heading', { name: 'Point sur le projet professionnel' }).waitFor();
  assert.match(await young.locator('main').textContent(), /12 rue de Siam, 29200 Brest/);
  assert.match(await young.locator('main').textContent(), /De 10h00 à 10h45 \(45 min\)/);
  await visit(young, 'feed01-app-rendez-vous-imilo');
  await young.goto(`${stack.baseUrl}/app/suivi`);
  assert.match(await young.locator('main').textContent(), /Point sur le projet professionnel/);
  assert.equal(sql(`SELECT count(*) FROM job WHERE key IN ('rdv:${id}:j7', 'rdv:${id}:j1')`), '2',
               'J-7 and J-1 are planned');

  // The counselor: the banner, "Non modifiable", no edit button; 403 on edit and delete.
  await page.goto(`${stack.baseUrl}/agenda/rendez-vous/${id}`);
  await page.getByText('Ce rendez-vous a été créé dans i-milo. Pour le modifier, rendez-vous sur i-milo.').waitFor();
  assert.equal(await page.getByText('Non modifiable').count(), 1);
  assert.match(await page.locator('main').textContent(), /Créé\(e\) par : Système d’information MILO/);
  assert.equal(await page.getByRole('link', { name: 'Modifier' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Supprimer' }).count(), 0);
  await visit(page, 'feed02-rendez-vous-imilo');
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(page, 'feed03-rendez-vous-imilo-390');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
  await page.setViewportSize({ width: 1366, height: 900 });
  assert.equal((await page.request.get(`${stack.baseUrl}/agenda/rendez-vous/${id}/modifier`)).status(), 403);
  assert.equal((await page.request.get(`${stack.baseUrl}/agenda/rendez-vous/${id}/supprimer`)).status(), 403);
  assert.equal((await forgedPost(page, `/agenda/rendez-vous/${id}/supprimer`)).status(), 403);
  assert.equal((await forgedPost(page, `/agenda/rendez-vous/${id}/modifier`)).status(), 403);
  // Closing is the AC's: its routes refuse the i-milo RDV too.
  assert.equal((await page.request.get(`${stack.baseUrl}/agenda/animations-collectives/${id}/clore`)).status(), 403);
  assert.equal((await forgedPost(page, `/agenda/animations-collectives/${id}/clore`)).status(), 403);
  assert.equal(sql(`SELECT count(*) FROM event WHERE id = '${id}'`), '1', 'still there');
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}?onglet=rendez-vous`);
  const row = page.locator('tr', { hasText: 'Point sur le projet professionnel' });
  assert.match(await row.textContent(), /Non modifiable/);
  await page.goto(`${stack.baseUrl}/agenda?onglet=conseiller&debut=${parisDay(10).iso}`);
  assert.match(await page.locator('tr', { hasText: 'Rendez-vous i-milo' }).first().textContent(), /Non modifiable/);

  // Moved at the desk: "Rendez-vous modifié", the copy and its J-1 follow.
  await sim('PATCH', `/_admin/rdv/${rdv.id}`, { dateHeureDebut: `${parisDay(12).iso} 14:00:00`,
                                                 dateHeureFin: `${parisDay(12).iso} 15:00:00` });
  await ackedEvents(rdv.id, 2);
  await waitFor(async () => (await centre(young)).length === 2, { timeoutMs: 20_000, what: 'Rendez-vous modifié' });
  list = await centre(young);
  assert.deepEqual(list[0], { title: 'Rendez-vous modifié', body: 'Votre rendez-vous a été modifié',
                              href: `/app/rendez-vous/${id}` });
  assert.equal(sql(`SELECT duration_min FROM event WHERE id = '${id}'`), '60');
  const start = Number(sql(`SELECT starts_at FROM event WHERE id = '${id}'`));
  assert.equal(Number(sql(`SELECT run_at FROM job WHERE key = 'rdv:${id}:j1'`)), start - 86400000);

  // Deleted at the desk: gone, "Rendez-vous supprimé" with its day, no reminder left.
  await sim('DELETE', `/_admin/rdv/${rdv.id}`);
  await ackedEvents(rdv.id, 3);
  await waitFor(() => sql(`SELECT count(*) FROM event WHERE id = '${id}'`) === '0',
                { timeoutMs: 20_000, what: 'the copy deleted' });
  list = await centre(young);
  assert.equal(list.length, 3);
  assert.deepEqual(list[0], { title: 'Rendez-vous supprimé', body: `Votre rendez-vous du ${parisDay(12).dm} est supprimé`,
                              href: '/app/suivi' });
  assert.equal(sql(`SELECT count(*) FROM job WHERE key LIKE 'rdv:${id}:%'`), '0');
  const gone = await young.goto(`${stack.baseUrl}/app/rendez-vous/${id}`);
  assert.equal(gone.status(), 404);
  await young.context().close();
  await page.context().close();
});

test('an event delivered again after a failed ack is applied once (scenario 9)', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100004');
  const young = await activateBeneficiary(browser, stack, who);
  const fault = await sim('POST', '/_admin/faults', { match: { method: 'POST', path: '/operateurs/events/*/ack' }, status: 503 });
  const since = new Date().toISOString();
  const rdv = await deskRdv('100004', { days: 9 });
  const id = await copyOf(rdv.id);
  // The feed reads the event again and again while its ack fails.
  await waitFor(async () => {
    const reqs = await sim('GET', `/_admin/requests?since=${encodeURIComponent(since)}`);
    const items = Array.isArray(reqs) ? reqs : reqs.requests || [];
    return items.filter((r) => /\/operateurs\/events\/[^/]+\/ack$/.test(r.path || r.url || '')).length >= 3;
  }, { timeoutMs: 20_000, what: 'three failed acks' });
  await sim('DELETE', `/_admin/faults/${fault.id}`);
  const [event] = await ackedEvents(rdv.id, 1);
  // Once: one copy, one notification, one remembered event, done.
  assert.equal(sql(`SELECT count(*) FROM event WHERE imilo_id = '${rdv.id}'`), '1');
  assert.equal(sql(`SELECT state FROM imilo_feed_event WHERE id = '${event.identifiant}'`), 'done');
  const list = await centre(young);
  assert.deepEqual(list, [{ title: 'Nouveau rendez-vous', body: 'Votre conseiller a programmé un nouveau rendez-vous',
                            href: `/app/rendez-vous/${id}` }]);
  await young.context().close();
  await page.context().close();
});

test('the events of a beneficiary who never logged in are acked and ignored', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  await addBeneficiary(page, stack, '100010');   // account created, never activated
  const rdv = await deskRdv('100010', { days: 5 });
  const [event] = await ackedEvents(rdv.id, 1);
  await waitFor(() => sql(`SELECT state FROM imilo_feed_event WHERE id = '${event.identifiant}'`) === 'done',
                { timeoutMs: 20_000, what: 'the event done' });
  assert.equal(sql(`SELECT count(*) FROM event WHERE imilo_id = '${rdv.id}'`), '0');
  assert.equal(sql(`SELECT count(*) FROM job WHERE key = 'imilo-event:${event.identifiant}'`), '0');
  // Nor anything for a dossier cej does not know.
  const stranger = await deskRdv('100013', { days: 5 });
  const [other] = await ackedEvents(stranger.id, 1);
  await waitFor(() => sql(`SELECT state FROM imilo_feed_event WHERE id = '${other.identifiant}'`) === 'done',
                { timeoutMs: 20_000, what: 'the unknown dossier\'s event done' });
  assert.equal(sql(`SELECT count(*) FROM event WHERE imilo_id = '${stranger.id}'`), '0');
  await page.context().close();
});

test('a DOSSIER UPDATE at the desk refreshes the account from D1, names and e-mail included', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100016');
  const young = await activateBeneficiary(browser, stack, who);
  await sim('PATCH', '/_admin/dossiers/100016', { dateFinPrevue: '2027-06-30', nomUsage: 'Kerjean',
    mail: 'nouvelle.adresse@exemple.fr',
    situations: [{ etat: 'EN_COURS', categorieSituation: 'Formation', dateFin: '2027-03-31' }] });
  const events = (await sim('GET', '/_admin/events')).filter((e) => String(e.idDossier) === '100016' && e.type === 'DOSSIER');
  assert.equal(events.length, 1);
  await waitFor(() => sql(`SELECT cej_end_date FROM beneficiary WHERE id = '${who.id}'`) === '2027-06-30',
                { timeoutMs: 20_000, what: 'the end date refreshed' });
  assert.equal(sql(`SELECT current_situation FROM beneficiary WHERE id = '${who.id}'`), 'Formation');
  // The names and the e-mail too (§4), and the search finds the new name.
  assert.equal(sql(`SELECT last_name || '|' || email FROM beneficiary WHERE id = '${who.id}'`),
               'Kerjean|nouvelle.adresse@exemple.fr');
  assert.match(sql(`SELECT search_folded FROM beneficiary WHERE id = '${who.id}'`), /^kerjean /);
  await waitFor(() => sql(`SELECT state FROM imilo_feed_event WHERE id = '${events[0].identifiant}'`) === 'done',
                { timeoutMs: 20_000, what: 'the event done' });
  await page.goto(`${stack.baseUrl}/beneficiaires/${who.id}`);
  assert.match(await page.locator('main').textContent(), /30\/06\/2027/);
  // A form cannot make an i-milo rendez-vous: the type is refused as missing.
  const html = await (await page.request.get(`${stack.baseUrl}/agenda/rendez-vous/nouveau?beneficiaire=${who.id}`)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)[1];
  const forged = await page.request.post(`${stack.baseUrl}/agenda/rendez-vous/nouveau`, { maxRedirects: 0, form: {
    _csrf: csrf, type: 'RENDEZ_VOUS_MILO', date: parisDay(3).iso, heure: '10:00', duree: '00:45', beneficiaires: who.id } });
  assert.equal(forged.status(), 400);
  assert.equal(sql(`SELECT count(*) FROM event WHERE type = 'RENDEZ_VOUS_MILO' AND imilo_id IS NULL`), '0');
  await young.context().close();
  await page.context().close();
});

/** A session of Brest at the desk, @days ahead at 14:00 (Paris) for 2 h: its id. */
async function deskSession(nom, days) {
  const day = parisDay(days).iso;
  const r = await sim('POST', '/_admin/sessions', { structure: '29019S00', offreId: 1, nom,
    dateHeureDebut: `${day} 14:00:00`, dateHeureFin: `${day} 16:00:00`, nbPlaces: null });
  return String(r.session.id);
}

test('scenarios 7 and 8: a desk registration is told once with its reminders; a refusal unregisters; cej\'s own registration is not told twice', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100031');
  const young = await activateBeneficiary(browser, stack, who);
  const session = await deskSession('Atelier du flux', 14);
  const dm = parisDay(14).dm;

  // Scenario 7: registered at the desk.
  const inst = await sim('POST', `/_admin/sessions/${session}/instances`, { idDossier: 100031 });
  await ackedEvents(inst.id, 1);
  await waitFor(async () => (await centre(young)).length === 1, { timeoutMs: 20_000, what: 'the young person told' });
  assert.deepEqual(await centre(young), [{ title: 'Nouveau rendez-vous',
    body: `Vous êtes inscrit à l'événement Atelier du flux du ${dm}`, href: `/app/evenements/sessions/${session}` }]);
  assert.equal(sql(`SELECT count(*) FROM job WHERE key IN ('instance-session:${inst.id}:j7', 'instance-session:${inst.id}:j1')`), '2');
  assert.equal(sql(`SELECT statut FROM session_registration WHERE instance_id = '${inst.id}'`), 'ONGOING');

  // Refused at the desk: "Rendez-vous supprimé", no reminder left.
  await sim('PATCH', `/_admin/instances/${inst.id}`, { statut: 'REFUSAL_YOUNG', commentaire: 'Absence' });
  await ackedEvents(inst.id, 2);
  await waitFor(async () => (await centre(young)).length === 2, { timeoutMs: 20_000, what: 'the refusal told' });
  assert.deepEqual((await centre(young))[0], { title: 'Rendez-vous supprimé',
    body: `Votre rendez-vous du ${dm} est supprimé`, href: '/app/evenements' });
  assert.equal(sql(`SELECT count(*) FROM job WHERE key LIKE 'instance-session:${inst.id}:%'`), '0');
  // Deleted at the desk afterwards: nothing more to tell, the local copy goes.
  await sim('DELETE', `/_admin/instances/${inst.id}`);
  await ackedEvents(inst.id, 3);
  await waitFor(() => sql(`SELECT count(*) FROM session_registration WHERE instance_id = '${inst.id}'`) === '0',
                { timeoutMs: 20_000, what: 'the local copy deleted' });
  assert.equal((await centre(young)).length, 2);

  // Scenario 8: cej registers a beneficiary itself (the session page's form); the feed's
  // echo CREATE is acked and tells nothing more.
  const other = await addBeneficiary(page, stack, '100034');
  const otherYoung = await activateBeneficiary(browser, stack, other);
  const c = httpClient(stack.baseUrl);
  let html = await (await c.get('/connexion')).text();
  assert.equal((await c.form('/connexion', { _csrf: c.csrfFrom(html), email: CAMILLE, password: COUNSELOR_PASSWORD })).status, 303);
  html = await (await c.get(`/agenda/sessions/${session}`)).text();
  const saved = await c.form(`/agenda/sessions/${session}/inscriptions`,
    [['_csrf', c.csrfFrom(html)], ['ajout', other.id], ['op', 'enregistrer']]);
  assert.equal(saved.status, 303);
  const mine = (await sim('GET', `/_admin/sessions/${session}`)).session.instances
    .find((i) => String(i.idDossier) === '100034');
  assert.ok(mine, 'registered in i-milo');
  const [echo] = await ackedEvents(mine.idInstanceSession, 1);
  assert.equal(echo.action, 'CREATE');
  await waitFor(() => sql(`SELECT state FROM imilo_feed_event WHERE id = '${echo.identifiant}'`) === 'done',
                { timeoutMs: 20_000, what: 'the echo applied' });
  assert.deepEqual(await centre(otherYoung), [{ title: 'Nouveau rendez-vous',
    body: `Vous êtes inscrit à l'événement Atelier du flux du ${dm}`, href: `/app/evenements/sessions/${session}` }]);
  await otherYoung.context().close();
  await young.context().close();
  await page.context().close();
});

test('E3 failing three times leaves a dead letter on /support/flux-imilo, for supervisors only', async () => {
  const page = await counselorPage(browser, stack, CAMILLE);
  const who = await addBeneficiary(page, stack, '100007');
  const young = await activateBeneficiary(browser, stack, who);
  const support = await counselorPage(browser, stack, YANN);
  await support.goto(`${stack.baseUrl}/support/flux-imilo`);
  await support.getByText('Aucun événement i-milo en échec').waitFor();
  await visit(support, 'feed04-support-vide');

  const fault = await sim('POST', '/_admin/faults', { match: { method: 'GET', path: '/operateurs/dossiers/*/rdv/*' }, status: 503 });
  const rdv = await deskRdv('100007', { days: 8 });
  const [event] = await ackedEvents(rdv.id, 1);
  const key = `imilo-event:${event.identifiant}`;
  const attempts = () => Number(sql(`SELECT attempts FROM job WHERE key = '${key}'`) || 0);
  await waitFor(() => attempts() === 1 && sql(`SELECT last_error FROM job WHERE key = '${key}'`) !== '',
                { timeoutMs: 20_000, what: 'the first attempt failed' });
  assert.match(sql(`SELECT last_error FROM job WHERE key = '${key}'`), /E3 : i-milo ne répond pas \(HTTP 503\)/);
  const clock = (offsetMs) => fetch(stack.baseUrl + '/_test/horloge', { method: 'POST', body: JSON.stringify({ offset_ms: offsetMs }) });
  try {
    // 5 minutes later the second attempt, 10 minutes after that the third: then dead.
    await clock(5 * 60000 + 2000);
    await waitFor(() => attempts() === 2, { timeoutMs: 20_000, what: 'the second attempt' });
    await clock(15 * 60000 + 4000);
    await waitFor(() => sql(`SELECT count(*) FROM job WHERE key = '${key}' AND failed_at IS NOT NULL`) === '1',
                  { timeoutMs: 20_000, what: 'the job dead' });
  } finally {
    await clock(0);
    await sim('DELETE', `/_admin/faults/${fault.id}`);
  }
  assert.equal(sql(`SELECT state FROM imilo_feed_event WHERE id = '${event.identifiant}'`), 'dead');
  assert.equal(sql(`SELECT count(*) FROM event WHERE imilo_id = '${rdv.id}'`), '0');
  assert.equal((await centre(young)).length, 0);

  await support.goto(`${stack.baseUrl}/support/flux-imilo`);
  const row = support.locator('#table-flux tbody tr');
  assert.equal(await row.count(), 1);
  const cells = (await row.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert.match(cells[0], /^\d{2}\/\d{2}\/\d{4} à \d{2}h\d{2}\s*Abandonné le \d{2}\/\d{2}\/\d{4}/);
  assert.deepEqual(cells.slice(1), ['100007', 'RDV', 'CREATE', String(rdv.id), '3',
                                    'E3 : i-milo ne répond pas (HTTP 503)']);
  await visit(support, 'feed05-support');
  await support.setViewportSize({ width: 390, height: 844 });
  await visit(support, 'feed06-support-390');
  assert.ok(await support.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
  // Camille is no supervisor.
  assert.equal((await page.request.get(`${stack.baseUrl}/support/flux-imilo`)).status(), 403);
  await young.context().close();
  await support.context().close();
  await page.context().close();
});
