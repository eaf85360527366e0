// sessions.test.mjs — the i-milo session page of a counselor (agenda.md §5.2–§5.5, §10
// scenarios 7–10; imilo.md §7) against the simulator: the blocks and alerts, the staged
// registrations with their remaining places, the unregister dialog, the i-milo write order
// and what the simulator received and holds (/_admin/requests, /_admin/sessions/{id}),
// the local copy, notifications and reminders of what i-milo accepted, a partial failure,
// i-milo down at "Enregistrer" and at closing, closing with the émargement, the sign-in
// sheet, the visibility saved while i-milo is down; axe-core and no horizontal scroll at 390
// and 1366 px. Each test creates its own sessions at the simulator's desk (the admin API),
// as a counselor would see them appear from i-milo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startStack, launchBrowser, visit, counselorPage, httpClient, COUNSELOR_PASSWORD, parisDay } from './harness.mjs';

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
const SOPHIE = 'sophie.durand@cej-demo.fr';   // Paris: another Mission Locale
const BREST = '29019S00';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const MSG = {
  places: 'Il n\'y a plus assez de places disponibles pour cette session.',
  deadline: 'Les inscriptions ne sont plus possibles car la date limite est atteinte.',
  partial: 'Certaines modifications n\'ont pas pu être enregistrées dans i-milo. Vérifiez la liste des inscrits puis réessayez.',
  down: 'i-milo ne répond pas pour le moment. Aucune modification n\'a été enregistrée. Réessayez dans quelques minutes.',
  motive: 'Veuillez sélectionner un type de refus',
  toClose: 'Cet événement est passé et doit être clos.',
};

const sql = (q) => stack.sql(q);
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;
const text = (html) => html.replace(/<[^>]*>/g, ' ').replace(/&#39;|&#x27;/g, '\'').replace(/&amp;/g, '&')
  .replace(/&quot;/g, '"').replace(/\s+/g, ' ');

/** "yyyy-MM-dd HH:mm:ss" in Paris of instant @ms: i-milo's naive local time (Brest). */
function local(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

async function login(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: COUNSELOR_PASSWORD });
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

/** Adds dossier @dossier to @c's portfolio; its name as i-milo has it ("Prénom NOM"). */
async function beneficiary(c, dossier) {
  const csrf = c.csrfFrom(await (await c.get('/portefeuille/ajouter')).text());
  const r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier, dispositif: 'CEJ' });
  assert.equal(r.status, 303, `dossier ${dossier}`);
  const id = /([0-9a-f-]{36})$/.exec(decodeURIComponent(c.cookie('cej_flash') || ''))[1];
  const [first, last] = sql(`SELECT first_name, last_name FROM beneficiary WHERE id = '${id}'`).split('|');
  return { id, dossier: String(dossier), first, last, name: `${first} ${last.toLocaleUpperCase('fr')}` };
}

/** A session of Brest at the desk, starting @startIn ms from now for 2 h. */
async function deskSession({ nom, startIn, places = 5, dateMax = null }) {
  const start = Date.now() + startIn;
  const r = await stack.simAdmin('POST', '/_admin/sessions', {
    structure: BREST, offreId: 1, nom, dateHeureDebut: local(start), dateHeureFin: local(start + 2 * HOUR),
    dateMaxInscription: dateMax, nbPlaces: places, animateur: 'Yann Le Goff', lieu: '12 rue de Siam, Brest',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return String(r.body.session.id);
}

async function deskRegister(session, dossier, statut) {
  const body = { idDossier: Number(dossier) };
  if (statut) body.statut = statut;
  if (statut === 'ACHIEVED') body.dateDebutReelle = parisDay(0).iso;
  const r = await stack.simAdmin('POST', `/_admin/sessions/${session}/instances`, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return String(r.body.id);
}

/** The registrants i-milo holds for @session: {dossier: {id, statut}}. */
async function held(session) {
  const r = await stack.simAdmin('GET', `/_admin/sessions/${session}`);
  assert.equal(r.status, 200);
  return Object.fromEntries((r.body.session.instances || [])
    .map((i) => [String(i.idDossier), { id: String(i.idInstanceSession), statut: i.statut }]));
}

async function journalSeq() {
  const j = (await stack.simAdmin('GET', '/_admin/requests')).body;
  return j.length ? Math.max(...j.map((e) => e.seq)) : 0;
}

/** The i-milo writes cej made since @seq, as "METHOD path". */
async function writesSince(seq) {
  const j = (await stack.simAdmin('GET', `/_admin/requests?since=${seq}`)).body;
  return j.filter((e) => e.method !== 'GET' && e.path.startsWith('/operateurs/'));
}

async function fault(match, extra = { status: 503 }) {
  const r = await stack.simAdmin('POST', '/_admin/faults', { match, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

const clearFaults = () => stack.simAdmin('DELETE', '/_admin/faults');

/** The session page's form: its csrf and the pending changes it carries. */
function formState(html) {
  const hidden = (name) => [...html.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]);
  return { csrf: /name="_csrf" value="([^"]+)"/.exec(html)[1], ajout: hidden('ajout'), modif: hidden('modif') };
}

/** Posts the registrations form of @session with the state of @html plus @fields. */
async function step(c, session, html, fields) {
  const s = formState(html);
  const pairs = [['_csrf', s.csrf], ...s.ajout.map((v) => ['ajout', v]), ...s.modif.map((v) => ['modif', v]),
    ...[...html.matchAll(/name="(commentaire-[^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    ...fields];
  const r = await c.form(`/agenda/sessions/${session}/inscriptions`, pairs);
  return { status: r.status, html: r.status === 303 ? null : await r.text(), location: r.headers.get('location') };
}

/** Opens @url at 390 then 1366 px: axe and no horizontal scroll at both. Leaves it at 1366. */
async function bothWidths(page, url, label) {
  for (const [name, viewport] of [['390', PHONE], ['1366', LAPTOP]]) {
    await page.setViewportSize(viewport);
    await page.goto(stack.baseUrl + url);
    const welcome = page.locator('#bienvenue-mobile');
    if (await welcome.isVisible()) {
      await page.getByRole('button', { name: 'Terminer', exact: true }).click();
      await page.waitForURL((u) => u.pathname + u.search === url);
    }
    const extra = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(extra <= 0, `${label} at ${name}: ${extra} px too wide`);
    await visit(page, `${label}-${name}`);
  }
}

test('scenario 7: one place, one staged ⇒ red "0 place restante", field disabled; Enregistrer registers in i-milo', async () => {
  const c = await login(CAMILLE);
  const a = await beneficiary(c, '100019');
  const session = await deskSession({ nom: 'Atelier CV — une place', startIn: 10 * DAY, places: 1 });
  const page = await counselorPage(browser, stack, CAMILLE);
  await bothWidths(page, `/agenda/sessions/${session}`, 'session');
  for (const t of ['Pour modifier la session, rendez-vous sur i-milo.', 'Informations offre', 'Informations session',
    'Gérez la visibilité', 'Gérez les inscriptions', 'Vous ne pouvez inscrire que les bénéficiaires appartenant à votre structure principale.',
    '1 place restante', 'Yann Le Goff', 'À venir'])
    assert.ok(await page.getByText(t, { exact: false }).first().isVisible(), t);
  assert.equal(await page.getByText(MSG.deadline).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Clore' }).count(), 0, 'not À clore');
  const start = parisDay(10).fr;
  assert.ok(await page.getByText(new RegExp(`${start} à \\d\\dh\\d\\d`)).first().isVisible(), 'Début "jj/mm/aaaa à HHhMM"');
  assert.ok(await page.getByText('--').first().isVisible(), 'missing values read "--"');

  // Search then add: staged, the counter turns red at 0 and the field is disabled. With
  // JavaScript each step swaps the block in place: the page never reloads.
  await page.evaluate(() => { window.cejSamePage = true; });
  await page.getByLabel('* Recherchez et ajoutez un ou plusieurs bénéficiaires').fill('zzzz');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByText('Aucun bénéficiaire ne correspond à cette recherche.').waitFor();
  await page.getByLabel('* Recherchez et ajoutez un ou plusieurs bénéficiaires').fill(a.last);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('button', { name: `Ajouter ${a.name}` }).click();
  const zero = page.getByText('0 place restante');
  await zero.waitFor();
  assert.ok(await zero.evaluate((el) => el.classList.contains('cej-text--error')), 'red');
  assert.ok(await page.getByLabel('* Recherchez et ajoutez un ou plusieurs bénéficiaires').isDisabled());
  assert.ok(await page.getByText('Inscription à enregistrer').isVisible());
  assert.equal(await page.evaluate(() => window.cejSamePage), true, 'edited in place, no reload');
  await visit(page, 'session-staged');
  assert.equal(Object.keys(await held(session)).length, 0, 'nothing sent before "Enregistrer"');

  const seq = await journalSeq();
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/sessions/${session}`);
  assert.ok(await page.getByText('Les inscriptions ont bien été enregistrées dans i-milo.').isVisible());
  const writes = await writesSince(seq);
  assert.equal(writes.length, 1);
  assert.equal(writes[0].method, 'POST');
  assert.equal(writes[0].path, `/operateurs/dossiers/${a.dossier}/instances-session`);
  assert.equal(writes[0].body, `"${session}"`);
  assert.match(writes[0].headers.Authorization, /^Bearer /, 'the counselor\'s bearer (masked by the journal)');
  assert.ok(writes[0].headers['X-Gravitee-Api-Key']);
  const inst = (await held(session))[a.dossier];
  assert.equal(inst.statut, 'ONGOING');
  assert.ok(await page.getByRole('row', { name: new RegExp(a.name) }).getByText('Inscrit').isVisible());
  // What i-milo accepted is copied, told and reminded.
  assert.equal(sql(`SELECT statut FROM session_registration WHERE instance_id = '${inst.id}'`), 'ONGOING');
  assert.equal(sql(`SELECT body FROM notification WHERE beneficiary_id = '${a.id}' AND type = 'SESSION_REGISTERED'`),
    `Vous êtes inscrit à l'événement Atelier CV — une place du ${parisDay(10).dm}`);
  assert.equal(sql(`SELECT count(*) FROM job WHERE key IN ('instance-session:${inst.id}:j7', 'instance-session:${inst.id}:j1')`), '2');

  // Full now: a forged add is refused with the message, and i-milo is not called.
  const b = await beneficiary(c, '100022');
  const html = await (await c.get(`/agenda/sessions/${session}`)).text();
  assert.match(html, /0 place restante/);
  const seq2 = await journalSeq();
  const forged = await step(c, session, html, [['op', `ajouter:${b.id}`]]);
  assert.equal(forged.status, 400);
  assert.match(text(forged.html), new RegExp(MSG.places.replace(/[.']/g, '.')));
  const forgedSave = await step(c, session, html, [['ajout', b.id], ['op', 'enregistrer']]);
  assert.equal(forgedSave.status, 400);
  assert.equal((await writesSince(seq2)).length, 0);
});

test('without JavaScript: search, add, unregister dialog and Enregistrer go through the server', async () => {
  const c = await login(CAMILLE);
  const a = await beneficiary(c, '100001');
  const session = await deskSession({ nom: 'Atelier sans script', startIn: 11 * DAY, places: 3 });
  const inst = await deskRegister(session, '100004');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(CAMILLE);
  await page.getByLabel('Mot de passe', { exact: true }).fill(COUNSELOR_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/portefeuille$/);
  await page.goto(`${stack.baseUrl}/agenda/sessions/${session}`);
  assert.ok(await page.getByText('2 places restantes').isVisible());
  await page.getByLabel('* Recherchez et ajoutez un ou plusieurs bénéficiaires').fill(a.first);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('button', { name: `Ajouter ${a.name}` }).click();
  assert.ok(await page.getByText('1 place restante').isVisible());
  const row = page.getByRole('row', { name: /Inscrit/ }).first();
  await row.getByRole('button', { name: /^Désinscrire/ }).click();
  await page.locator('label[for=motif-tiers]').click();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  assert.ok(await page.getByText('Refus tiers à enregistrer').isVisible());
  assert.ok(await page.getByText('2 places restantes').isVisible(), 'the refusal frees a place');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/sessions/${session}`);
  assert.ok(await page.getByText('Les inscriptions ont bien été enregistrées dans i-milo.').isVisible());
  const now = await held(session);
  assert.equal(now['100004'].statut, 'REFUSAL');
  assert.equal(now['100004'].id, inst);
  assert.equal(now[a.dossier].statut, 'ONGOING');
  await context.close();
});

test('scenario 8: dateMaxInscription yesterday ⇒ the deadline alert, a forged registration gets 400', async () => {
  const c = await login(CAMILLE);
  const b = await beneficiary(c, '100025');
  const session = await deskSession({ nom: 'Info coll — délai passé', startIn: 5 * DAY, dateMax: parisDay(-1).iso });
  const html = await (await c.get(`/agenda/sessions/${session}`)).text();
  assert.match(text(html), new RegExp(MSG.deadline));
  assert.match(html, /id="q"[^>]* disabled/, 'the add field is greyed');
  assert.match(text(html), new RegExp(`Date limite d’inscription ${parisDay(-1).fr}`));
  const seq = await journalSeq();
  for (const fields of [[['op', `ajouter:${b.id}`]], [['ajout', b.id], ['op', 'enregistrer']]]) {
    const r = await step(c, session, html, fields);
    assert.equal(r.status, 400, JSON.stringify(fields));
    assert.match(text(r.html), new RegExp(MSG.deadline));
  }
  assert.equal((await writesSince(seq)).length, 0, 'i-milo never asked');
  // A beneficiary of another Mission Locale cannot be added, even forged.
  const s = await login(SOPHIE);
  const paris = await beneficiary(s, '100002');
  const open = await deskSession({ nom: 'Ouverte', startIn: 6 * DAY });
  const page = await (await c.get(`/agenda/sessions/${open}`)).text();
  const r = await step(c, open, page, [['op', `ajouter:${paris.id}`]]);
  assert.equal(r.status, 400);
  assert.match(text(r.html), /Vous ne pouvez inscrire que les bénéficiaires appartenant à votre structure principale/);
  // And a session of another structure does not exist for Sophie.
  assert.equal((await s.get(`/agenda/sessions/${open}`)).status, 404);
  assert.equal((await c.get('/agenda/sessions/abc')).status, 404);
});

test('scenario 9: "Refus jeune" with a comment ⇒ PUT REFUSAL_YOUNG + comment, "Réinscrire", notified, reminders gone', async () => {
  const c = await login(CAMILLE);
  const b = await beneficiary(c, '100028');
  const session = await deskSession({ nom: 'Atelier entretien', startIn: 12 * DAY });
  // B registered from cej: the local copy, its reminders.
  let html = await (await c.get(`/agenda/sessions/${session}`)).text();
  let r = await step(c, session, html, [['op', `ajouter:${b.id}`]]);
  assert.equal(r.status, 200);
  r = await step(c, session, r.html, [['op', 'enregistrer']]);
  assert.equal(r.status, 303);
  const inst = (await held(session))[b.dossier].id;
  assert.equal(sql(`SELECT count(*) FROM job WHERE key LIKE 'instance-session:${inst}:%'`), '2');

  // The dialog, in the browser: no motive ⇒ the error; "Refus jeune" with its comment.
  const page = await counselorPage(browser, stack, CAMILLE);
  await page.goto(`${stack.baseUrl}/agenda/sessions/${session}`);
  await page.getByRole('button', { name: `Désinscrire ${b.name}` }).click();
  await page.getByText(`Vous souhaitez désinscrire ${b.name} de Atelier entretien`).waitFor();
  assert.ok(await page.locator('#motif-erreur-ajout').evaluate((el) => el === document.activeElement), 'the dialog takes the focus');
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByText(MSG.motive).waitFor();
  await page.locator('label[for=motif-jeune]').click();
  const comment = page.getByLabel('Veuillez préciser le motif de désinscription du bénéficiaire');
  assert.ok(await page.getByText('0 / 250').isVisible());
  await comment.fill('Il a trouvé un emploi');
  assert.ok(await page.getByText('21 / 250').isVisible(), 'the counter follows');
  for (const [name, viewport] of [['390', PHONE], ['1366', LAPTOP]]) {
    await page.setViewportSize(viewport);
    await visit(page, `session-dialog-${name}`);
  }
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByText('Refus jeune à enregistrer').waitFor();
  assert.equal((await held(session))[b.dossier].statut, 'ONGOING', 'staged only');
  const seq = await journalSeq();
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/sessions/${session}`);
  const writes = await writesSince(seq);
  assert.equal(writes.length, 1);
  assert.equal(writes[0].method, 'PUT');
  assert.equal(writes[0].path, `/operateurs/dossiers/${b.dossier}/instances-session/${inst}`);
  assert.deepEqual(JSON.parse(writes[0].body), { statut: 'REFUSAL_YOUNG', commentaire: 'Il a trouvé un emploi' });
  const row = page.getByRole('row', { name: new RegExp(b.name) });
  assert.ok(await row.getByText('Refus jeune').isVisible());
  assert.ok(await row.getByRole('button', { name: `Réinscrire ${b.name}` }).isVisible());
  assert.equal(sql(`SELECT body FROM notification WHERE beneficiary_id = '${b.id}' AND type = 'SESSION_UNREGISTERED'`),
    `Votre rendez-vous du ${parisDay(12).dm} est supprimé`);
  assert.equal(sql(`SELECT count(*) FROM job WHERE key LIKE 'instance-session:${inst}:%'`), '0', 'reminders removed');
  assert.equal(sql(`SELECT statut FROM session_registration WHERE instance_id = '${inst}'`), 'REFUSAL_YOUNG');

  // "Réinscrire" takes a place back: S6 ONGOING.
  html = await (await c.get(`/agenda/sessions/${session}`)).text();
  assert.match(html, /5 places restantes/);
  r = await step(c, session, html, [['op', `reinscrire:${inst}`]]);
  assert.match(r.html, /4 places restantes/);
  r = await step(c, session, r.html, [['op', 'enregistrer']]);
  assert.equal(r.status, 303);
  assert.equal((await held(session))[b.dossier].statut, 'ONGOING');
});

test('write order and a partial failure: S7 accepted, S5 faulted ⇒ the message, the deletion applied, nothing created', async () => {
  const c = await login(CAMILLE);
  const b = await beneficiary(c, '100031');
  const e = await beneficiary(c, '100034');
  const session = await deskSession({ nom: 'Atelier numérique', startIn: 9 * DAY });
  const inst = await deskRegister(session, b.dossier);
  let html = await (await c.get(`/agenda/sessions/${session}`)).text();
  let r = await step(c, session, html, [['op', `ajouter:${e.id}`]]);
  r = await step(c, session, r.html, [['op', `desinscrire:${inst}`]]);
  assert.match(text(r.html), new RegExp(`Vous souhaitez désinscrire ${b.name}`));
  r = await step(c, session, r.html, [['motif', 'erreur'], ['op', `confirmer:${inst}`]]);
  assert.match(text(r.html), /Désinscription à enregistrer/);
  await fault({ method: 'POST', path: '/operateurs/dossiers/*/instances-session' });
  try {
    const seq = await journalSeq();
    r = await step(c, session, r.html, [['op', 'enregistrer']]);
    assert.equal(r.status, 303);
    const writes = (await writesSince(seq)).map((w) => `${w.method} ${w.path}`);
    assert.deepEqual(writes, [`DELETE /operateurs/dossiers/${b.dossier}/instances-session/${inst}`,
      `POST /operateurs/dossiers/${e.dossier}/instances-session`], 'deletion first, then the creation that failed');
  } finally {
    await clearFaults();
  }
  html = await (await c.get(r.location)).text();
  assert.match(text(html), new RegExp(MSG.partial.replace(/[.']/g, '.')));
  assert.deepEqual(Object.keys(await held(session)), [], 'B deleted in i-milo, E never created');
  assert.equal(sql(`SELECT count(*) FROM session_registration WHERE session_id = '${session}'`), '0');
  assert.doesNotMatch(html, new RegExp(e.name), 'the reloaded list is i-milo\'s');
});

test('i-milo down at "Enregistrer": nothing recorded, the message, the inputs kept', async () => {
  const c = await login(CAMILLE);
  const b = await beneficiary(c, '100016');
  const session = await deskSession({ nom: 'Atelier budget', startIn: 8 * DAY });
  let r = await step(c, session, await (await c.get(`/agenda/sessions/${session}`)).text(), [['op', `ajouter:${b.id}`]]);
  await fault({ path: '/operateurs/dossiers/*/instances-session' });
  try {
    r = await step(c, session, r.html, [['op', 'enregistrer']]);
  } finally {
    await clearFaults();
  }
  assert.equal(r.status, 503);
  assert.match(text(r.html), new RegExp(MSG.down.replace(/[.']/g, '.')));
  assert.deepEqual(formState(r.html).ajout, [b.id], 'the staged registration is still in the form');
  assert.match(text(r.html), new RegExp(`${b.name} Inscription à enregistrer`));
  assert.deepEqual(Object.keys(await held(session)), []);
  assert.equal(sql(`SELECT count(*) FROM session_registration WHERE beneficiary_id = '${b.id}'`), '0');
  assert.equal(sql(`SELECT count(*) FROM notification WHERE beneficiary_id = '${b.id}' AND type LIKE 'SESSION_%'`), '0');
  // The retry, i-milo back: the same form registers.
  r = await step(c, session, r.html, [['op', 'enregistrer']]);
  assert.equal(r.status, 303);
  assert.equal((await held(session))[b.dossier].statut, 'ONGOING');
});

test('scenario 10: B, C Inscrit, D Refus tiers; B and D checked ⇒ B, D ACHIEVED, C REFUSAL_YOUNG "Absence", Close', async () => {
  const c = await login(CAMILLE);
  const session = await deskSession({ nom: 'Atelier passé', startIn: -3 * HOUR });
  const [B, C, D] = ['100007', '100010', '100013'];
  const ib = await deskRegister(session, B);
  const ic = await deskRegister(session, C);
  const id = await deskRegister(session, D, 'REFUSAL');
  const html = await (await c.get(`/agenda/sessions/${session}`)).text();
  assert.match(text(html), /À clore/);
  assert.match(text(html), new RegExp(MSG.toClose));
  assert.match(html, new RegExp(`href="/agenda/sessions/${session}/clore"`));

  const page = await counselorPage(browser, stack, CAMILLE);
  await bothWidths(page, `/agenda/sessions/${session}/clore`, 'session-clore');
  for (const t of ['Clôture de la session', 'Émarger la présence des bénéficiaires',
    'Vous devez valider la présence des bénéficiaires à la session en cochant dans la liste le nom des bénéficiaires',
    'La liste suivante se base sur les participants inscrits. Veuillez vous assurer de son exactitude.',
    'Seuls les bénéficiaires sélectionnés seront marqués comme présents.', 'Présence des bénéficiaires',
    'L\'émargement réalisé sur l\'application du CEJ génère un événement de type administratif sur i-milo mais le nombre d\'heures est bien comptabilisé.'])
    assert.ok(await page.getByText(t, { exact: false }).first().isVisible(), t);
  const all = page.getByLabel('Tout sélectionner');
  const box = (inst) => page.locator(`#present-${inst}`);
  assert.ok(!(await box(id).isChecked()) && !(await box(id).isDisabled()), 'Refus tiers: unchecked but checkable');
  await all.check({ force: true });
  for (const i of [ib, ic, id]) assert.ok(await box(i).isChecked());
  await box(ic).uncheck({ force: true });
  assert.ok(await all.evaluate((el) => el.indeterminate), 'tri-state');

  // The request must cover exactly the current Inscrit set.
  const form = await (await c.get(`/agenda/sessions/${session}/clore`)).text();
  const csrf = formState(form).csrf;
  const partialSet = await c.form(`/agenda/sessions/${session}/clore`, [['_csrf', csrf], ['inscrits', ib], ['presents', ib]]);
  assert.equal(partialSet.status, 400);
  assert.equal((await held(session))[B].statut, 'ONGOING', 'nothing sent');

  const seq = await journalSeq();
  await page.getByRole('button', { name: 'Clore la session' }).click();
  await page.waitForURL((u) => u.pathname === `/agenda/sessions/${session}`);
  assert.ok(await page.getByText('La session a bien été close.').isVisible());
  const now = await held(session);
  assert.equal(now[B].statut, 'ACHIEVED');
  assert.equal(now[D].statut, 'ACHIEVED');
  assert.equal(now[C].statut, 'REFUSAL_YOUNG');
  const day = local(Date.now() - 3 * HOUR).slice(0, 10);
  const puts = Object.fromEntries((await writesSince(seq)).map((w) => [w.path.split('/')[3], JSON.parse(w.body)]));
  assert.deepEqual(puts, {
    [B]: { statut: 'ACHIEVED', dateDebutReelle: day },
    [C]: { statut: 'REFUSAL_YOUNG', commentaire: 'Absence' },
    [D]: { statut: 'ACHIEVED', dateDebutReelle: day },
  }, 'what i-milo received: the session\'s day, "Absence"');
  assert.ok(await page.getByText('Close', { exact: true }).first().isVisible());
  assert.notEqual(sql(`SELECT coalesce(CAST(closed_at AS TEXT), 'NULL') FROM imilo_session WHERE id = '${session}'`), 'NULL');
  assert.equal((await c.get(`/agenda/sessions/${session}/clore`)).status, 400, 'no longer À clore');
});

test('i-milo down at closing: not closed, the message; the retry sends only the remainder', async () => {
  const c = await login(CAMILLE);
  const session = await deskSession({ nom: 'Atelier à clore', startIn: -2 * HOUR });
  const [B, C] = ['100001', '100004'];
  const ib = await deskRegister(session, B);
  const ic = await deskRegister(session, C);
  const form = await (await c.get(`/agenda/sessions/${session}/clore`)).text();
  const csrf = formState(form).csrf;
  const fields = [['_csrf', csrf], ['inscrits', ib], ['inscrits', ic], ['presents', ib], ['presents', ic]];
  // The first PUT goes, the second fails: nothing closed, B already Présent in i-milo.
  await fault({ method: 'PUT', path: `/operateurs/dossiers/${C}/instances-session/*` });
  let r;
  try {
    r = await c.form(`/agenda/sessions/${session}/clore`, fields);
  } finally {
    await clearFaults();
  }
  assert.equal(r.status, 502);
  assert.match(text(await r.text()), new RegExp(MSG.partial.replace(/[.']/g, '.')));
  assert.equal(sql(`SELECT coalesce((SELECT CAST(closed_at AS TEXT) FROM imilo_session WHERE id = '${session}'), 'NULL')`), 'NULL');
  assert.equal((await held(session))[B].statut, 'ACHIEVED');
  assert.equal((await held(session))[C].statut, 'ONGOING');
  // Everything down: the message, still not closed.
  await fault({ method: 'PUT', path: '/operateurs/dossiers/*/instances-session/*' });
  try {
    r = await c.form(`/agenda/sessions/${session}/clore`, [['_csrf', csrf], ['inscrits', ic], ['presents', ic]]);
  } finally {
    await clearFaults();
  }
  assert.equal(r.status, 503);
  assert.match(text(await r.text()), new RegExp(MSG.down.replace(/[.']/g, '.')));
  // The retry: only C is sent.
  const seq = await journalSeq();
  r = await c.form(`/agenda/sessions/${session}/clore`, [['_csrf', csrf], ['inscrits', ic], ['presents', ic], ['presents', ib]]);
  assert.equal(r.status, 303);
  const writes = await writesSince(seq);
  assert.deepEqual(writes.map((w) => w.path), [`/operateurs/dossiers/${C}/instances-session/${ic}`]);
  assert.notEqual(sql(`SELECT coalesce(CAST(closed_at AS TEXT), 'NULL') FROM imilo_session WHERE id = '${session}'`), 'NULL');
});

test('the sign-in sheet of a session: chrome-less, its Inscrit and Présent registrants by name', async () => {
  const c = await login(CAMILLE);
  const session = await deskSession({ nom: 'Atelier émargement', startIn: 2 * DAY });
  const names = {};
  for (const [d, statut] of [['100019', null], ['100022', 'REFUSAL'], ['100025', null]]) {
    await deskRegister(session, d, statut);
    const dossier = (await stack.simAdmin('GET', `/_admin/dossiers/${d}`)).body;
    names[d] = `${dossier.prenom} ${(dossier.nomUsage ?? dossier.nomNaissance).toLocaleUpperCase('fr')}`;
  }
  const r = await c.get(`/emargement/${session}?type=session`);
  assert.equal(r.status, 200);
  const html = text(await r.text());
  assert.match(html, /Feuille d’émargement/);
  assert.match(html, /Atelier émargement/);
  assert.ok(html.includes(names['100019']) && html.includes(names['100025']));
  assert.ok(!html.includes(names['100022']), 'a refusal does not sign');
  assert.match(html, /Retour à la session/);
  const page = await counselorPage(browser, stack, CAMILLE);
  await bothWidths(page, `/emargement/${session}?type=session`, 'session-emargement');
  assert.equal((await (await login(SOPHIE)).get(`/emargement/${session}?type=session`)).status, 404);
});

test('the agenda\'s inline select saves the visibility too (visible=1|0) and goes back to the agenda', async () => {
  const c = await login(CAMILLE);
  const session = await deskSession({ nom: 'Atelier depuis l’agenda', startIn: 3 * DAY });
  const csrf = formState(await (await c.get(`/agenda/sessions/${session}`)).text()).csrf;
  let r = await c.form(`/agenda/sessions/${session}/visibilite`, { _csrf: csrf, visible: '1', retour: '/agenda?onglet=mission-locale' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/agenda?onglet=mission-locale');
  assert.equal(sql(`SELECT visible FROM imilo_session WHERE id = '${session}'`), '1');
  r = await c.form(`/agenda/sessions/${session}/visibilite`, { _csrf: csrf, visible: '0', retour: '//exemple.fr/agenda' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/agenda/sessions/${session}`, 'never another site');
  assert.equal(sql(`SELECT visible FROM imilo_session WHERE id = '${session}'`), '0', '"0" is not visible');
});

test('the daily job closes the started sessions nobody is left to mark (§5.5 rule 4), and only those', async () => {
  const c = await login(CAMILLE);
  const marked = await deskSession({ nom: 'Tout émargé', startIn: -4 * HOUR });
  await deskRegister(marked, '100019', 'ACHIEVED');
  await deskRegister(marked, '100022', 'REFUSAL');
  const pending = await deskSession({ nom: 'Encore un inscrit', startIn: -4 * HOUR });
  await deskRegister(pending, '100025');
  const future = await deskSession({ nom: 'Pas commencée', startIn: 2 * DAY });
  // cej has a row for each (its visibility was saved once).
  for (const id of [marked, pending, future]) {
    const csrf = formState(await (await c.get(`/agenda/sessions/${id}`)).text()).csrf;
    assert.equal((await c.form(`/agenda/sessions/${id}/visibilite`, { _csrf: csrf, visible: '1' })).status, 303);
  }
  assert.match(text(await (await c.get(`/agenda/sessions/${marked}`)).text()), /Close/, 'shown Close already');
  const closedAt = (id) => sql(`SELECT coalesce(CAST(closed_at AS TEXT), 'NULL') FROM imilo_session WHERE id = '${id}'`);
  assert.equal(closedAt(marked), 'NULL');
  // Its time comes now (the runner looks every second).
  sql(`UPDATE job SET run_at = ${Date.now()} WHERE key = 'sessions:auto-close'`);
  const deadline = Date.now() + 15_000;
  while (closedAt(marked) === 'NULL' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.notEqual(closedAt(marked), 'NULL', 'closed by the job');
  assert.equal(closedAt(pending), 'NULL', 'an Inscrit is left: À clore');
  assert.equal(closedAt(future), 'NULL', 'not started');
  const next = () => Number(sql(`SELECT coalesce(max(run_at), 0) FROM job WHERE key = 'sessions:auto-close'`));
  // Its own wait: on a loaded machine the close itself may have used most of the first.
  const replanned = Date.now() + 15_000;
  while (next() <= Date.now() && Date.now() < replanned) await new Promise((r) => setTimeout(r, 200));
  // Its next night: the next 03:30 in Paris, within a day (less than an hour away when the
  // test runs between 02:30 and 03:30 there).
  const at = next();
  assert.ok(at > Date.now() && at <= Date.now() + DAY, `planned again within a day: ${new Date(at).toISOString()}`);
  const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
  assert.equal(paris.format(new Date(at)), '03:30', 'planned again for its next night');
});

test('SESSION_AUTO_REGISTRATION on: its switch forces and locks the visibility; off (default): no switch', async () => {
  const c = await login(CAMILLE);
  const session = await deskSession({ nom: 'Atelier sans autonomie', startIn: 6 * DAY });
  const html = await (await c.get(`/agenda/sessions/${session}`)).text();
  assert.doesNotMatch(html, /en autonomie/, 'the flag is off by default');
  // A forged switch changes nothing while the flag is off.
  const r = await c.form(`/agenda/sessions/${session}/visibilite`, { _csrf: formState(html).csrf, autonomie_champ: '1', autonomie: '1' });
  assert.equal(r.status, 303);
  assert.equal(sql(`SELECT CAST(visible AS TEXT) || CAST(auto_registration AS TEXT) FROM imilo_session WHERE id = '${session}'`), '00');
  const other = await startStack({ extraEnv: { CEJ_SESSION_AUTO_REGISTRATION: 'true' } });
  try {
    const o = httpClient(other.baseUrl);
    const login = await (await o.get('/connexion')).text();
    assert.equal((await o.form('/connexion', { _csrf: o.csrfFrom(login), email: CAMILLE, password: COUNSELOR_PASSWORD })).status, 303);
    let page = await (await o.get('/agenda/sessions/1007')).text();
    assert.match(text(page), /Les bénéficiaires peuvent s’inscrire en autonomie \(dans la limite du nombre maximum de participants\)/);
    const on = await o.form('/agenda/sessions/1007/visibilite', { _csrf: formState(page).csrf, autonomie_champ: '1', autonomie: '1' });
    assert.equal(on.status, 303);
    const row = other.sql("SELECT visible, auto_registration FROM imilo_session WHERE id = '1007'");
    assert.equal(row, '1|1', 'self-registration forces the session visible');
    page = await (await o.get('/agenda/sessions/1007')).text();
    assert.match(page, /id="visible"[^>]* checked[^>]* disabled/, 'and locks the switch');
    // The agenda's select cannot hide it, nor drop the self-registration it does not show.
    await o.form('/agenda/sessions/1007/visibilite', { _csrf: formState(page).csrf, visible: '0', retour: '/agenda?onglet=mission-locale' });
    assert.equal(other.sql("SELECT visible, auto_registration FROM imilo_session WHERE id = '1007'"), '1|1');
  } finally {
    await other.stop();
  }
});

// Last: its faults on the reads may open the client's circuit for the sessions family.
test('visibility is saved at once, also while i-milo is down (local data)', async () => {
  const c = await login(CAMILLE);
  const session = await deskSession({ nom: 'Atelier visible', startIn: 4 * DAY });
  let html = await (await c.get(`/agenda/sessions/${session}`)).text();
  assert.doesNotMatch(html, /id="visible"[^>]* checked/);
  let r = await c.form(`/agenda/sessions/${session}/visibilite`, { _csrf: formState(html).csrf, visible: '1' });
  assert.equal(r.status, 303);
  assert.equal(sql(`SELECT visible FROM imilo_session WHERE id = '${session}'`), '1');
  await fault({ method: 'GET', path: '/operateurs/sessions/*' });
  try {
    const down = await c.get(`/agenda/sessions/${session}`);
    assert.equal(down.status, 200, 'the page still renders');
    html = await down.text();
    assert.match(text(html), /Les informations de la session n’ont pas pu être récupérées depuis i-milo/);
    assert.match(html, /Réessayer/);
    assert.match(html, /id="visible"[^>]* checked/);
    r = await c.form(`/agenda/sessions/${session}/visibilite`, { _csrf: formState(html).csrf });
    assert.equal(r.status, 303);
    assert.equal(sql(`SELECT visible FROM imilo_session WHERE id = '${session}'`), '0', 'saved while i-milo is down');
    const page = await counselorPage(browser, stack, CAMILLE);
    await bothWidths(page, `/agenda/sessions/${session}`, 'session-imilo-down');
    // With JavaScript the switch saves on change.
    await page.locator('label[for=visible]').click();
    await page.waitForURL((u) => u.pathname === `/agenda/sessions/${session}`);
    assert.ok(await page.getByText('La visibilité de la session a bien été enregistrée.').isVisible());
    assert.equal(sql(`SELECT visible FROM imilo_session WHERE id = '${session}'`), '1');
  } finally {
    await clearFaults();
  }
});
