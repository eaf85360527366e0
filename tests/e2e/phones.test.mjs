// phones.test.mjs — every page of both spaces on a 390 px phone and a 1366 px laptop: no
// page is wider than the screen (document.documentElement.scrollWidth), and axe-core finds
// no violation. The pages are the GET routes `cej routes` prints, each opened with real ids
// (a route that is neither walked nor listed in NOT_PAGES fails the test, so the walk grows
// with the application), plus the states that change the layout (a sheet opened, the
// fiche's other tabs). Then what a phone user noticed: the conversation list is not covered
// by "Message multi-destinataires", and the date shortcuts of the action form.
//
// CEJ_E2E_SHOTS=<folder> keeps a full-page screenshot of each page at each width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  startStack, launchBrowser, checkA11y, httpClient, waitForMails, extractLink, COUNSELOR_PASSWORD,
  YOUNG_PASSWORD, importOffers,
} from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

// GET routes that are not pages: streams, files, fragments swapped into a page, JSON.
const NOT_PAGES = new Set([
  '/healthz', '/metrics', '/static/{hash}/{path*}', '/', '/evenements', '/app/evenements-direct',
  '/manifest.webmanifest', '/messagerie/colonne', '/conversations/{id}/fil', '/app/messages/fil',
  '/messagerie/non-lus', '/pieces-jointes/{id}', '/app/pieces-jointes/{id}', '/_test/files-vides',
  // A mail's HTML part, shown inside the demo mailbox's sandboxed frame (the page that
  // frames it, /demo/courriels/{id}, is walked; demo_mailbox.test.mjs checks the frame).
  '/demo/courriels/{id}/contenu',
  // A mail's attachment (invitation.ics), a file to download.
  '/demo/courriels/{id}/pieces-jointes/{n}',
  // The suggestions of "Lieu de travail", options swapped into the search's <datalist>.
  '/offres/lieux', '/app/offres/lieux',
  // The favourites in the JSON API.
  '/api/v1/beneficiaires/{id}/favoris',
  // A saved search opened: a redirect to its results (walked below as /app/offres/recherche).
  '/app/offres/alertes/{id}',
]);

let stack, browser, ids, sessions;

async function counselor(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: COUNSELOR_PASSWORD });
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

async function addBeneficiary(c, dossier, dispositif) {
  const csrf = c.csrfFrom(await (await c.get('/portefeuille/ajouter')).text());
  const r = await c.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier, dispositif });
  assert.equal(r.status, 303);
  const flash = decodeURIComponent(c.cookie('cej_flash') || '');
  const id = /([0-9a-f-]{36})$/.exec(flash)[1];
  const email = (await stack.simAdmin('GET', `/_admin/dossiers/${dossier}`)).body.mail;
  return { id, email };
}

async function activationToken(email) {
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  return extractLink(mails.filter((x) => x.to.includes(email)).pop().text, '/app/activation/').split('/').pop();
}

async function post(c, formPage, url, fields) {
  const csrf = c.csrfFrom(await (await c.get(formPage)).text());
  const r = await c.form(url, Array.isArray(fields) ? [['_csrf', csrf], ...fields] : { _csrf: csrf, ...fields });
  assert.ok([200, 201, 303].includes(r.status), `POST ${url}: ${r.status}`);
  return r;
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  assert.equal((await stack.cli('offers', 'import', '--provider', 'mee', 'tests/data/offers/mee.json')).code, 0);
  // Immersion establishments (the app's "Contacter l'entreprise" page).
  assert.equal((await stack.cli('offers', 'import', '--provider', 'immersion', 'tests/data/offers/immersion.json')).code, 0);
  const referent = await counselor('camille.martin@cej-demo.fr');
  const A = await addBeneficiary(referent, '100031', 'CEJ');
  const P = await addBeneficiary(referent, '100034', 'PACEA'); // never activated
  // A activates the account and logs in.
  const token = await activationToken(A.email);
  const young = httpClient(stack.baseUrl);
  await post(young, `/app/activation/${token}`, `/app/activation/${token}`, { password: YOUNG_PASSWORD, confirmation: YOUNG_PASSWORD });
  await post(young, '/app/connexion', '/app/connexion', { email: A.email, password: YOUNG_PASSWORD });
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  let r = await post(referent, `/beneficiaires/${A.id}/actions/nouvelle`, `/beneficiaires/${A.id}/actions/nouvelle`, {
    categorie: 'EMPLOI', titre: 'Mettre à jour son CV', statut: 'a_faire', date_action: tomorrow,
  });
  const ACT = /\/actions\/([0-9a-f-]{36})\/enregistree$/.exec(r.headers.get('location'))[1];
  r = await post(referent, `/beneficiaires/${A.id}/actions/nouvelle`, `/beneficiaires/${A.id}/actions/nouvelle`, {
    categorie: 'EMPLOI', titre: 'Consulter les offres d’emploi', statut: 'terminee', date_realisation: yesterday,
  });
  const QUAL = /\/actions\/([0-9a-f-]{36})\/enregistree$/.exec(r.headers.get('location'))[1];
  r = await post(young, '/app/actions/nouvelle', '/app/actions/nouvelle', {
    etape: 'vide', aller: 'creer', categorie: 'EMPLOI', titre: '1',
    statut: 'en_cours', quand: 'aujourdhui', rappel: '0',
  });
  const APP = /\/app\/actions\/([0-9a-f-]{36})\/creee$/.exec(r.headers.get('location'))[1];
  // Messages both ways, a list of A and P, and a message to the list.
  await post(young, '/app/messages', '/app/messages', { message: 'Bonjour, j’ai une question sur mon CV.' });
  await post(referent, `/conversations/${A.id}`, `/conversations/${A.id}`, { message: 'Bonjour, je vous écoute.' });
  const MSG = /\/app\/messages\/([0-9a-f-]{36})\/modifier/.exec(await (await young.get('/app/messages')).text())[1];
  await post(referent, '/listes/nouvelle', '/listes/nouvelle', [['titre', 'Liste du parcours'], ['beneficiaires', A.id], ['beneficiaires', P.id]]);
  const LIST = /\/listes\/([0-9a-f-]{36})\/modifier/.exec(await (await referent.get('/listes')).text())[1];
  await post(referent, '/messagerie/multi-destinataires', '/messagerie/multi-destinataires', { listes: LIST, message: 'Bonjour à la liste' });
  const BC = /\/messages\/([0-9a-f-]{36})"/.exec(await (await referent.get(`/listes/${LIST}/messages`)).text())[1];
  // A rendez-vous of A: the agenda's pages and the fiche's Rendez-vous tab.
  const inTwoDays = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
  r = await post(referent, `/agenda/rendez-vous/nouveau?beneficiaire=${A.id}`, '/agenda/rendez-vous/nouveau', [
    ['type', 'AUTRE'], ['preciser', 'Point sur le projet professionnel'], ['modalite', 'VISIO'],
    ['date', inTwoDays], ['heure', '10:00'], ['duree', '00:45'], ['beneficiaires', A.id], ['retour', A.id],
  ]);
  const RDV = /([0-9a-f-]{36})$/.exec(decodeURIComponent(referent.cookie('cej_flash') || ''))[1];
  // An animation collective with A, at most 12: its pages and "Inscrire à une animation
  // collective".
  await post(referent, '/agenda/animations-collectives/nouveau', '/agenda/animations-collectives/nouveau', [
    ['type', 'ATELIER'], ['titre', 'Atelier CV et lettre de motivation'], ['modalite', 'ML'],
    ['date', inTwoDays], ['heure', '14:00'], ['duree', '02:00'], ['limite', 'oui'], ['maximum', '12'],
    ['beneficiaires', A.id],
  ]);
  const AC = /([0-9a-f-]{36})$/.exec(decodeURIComponent(referent.cookie('cej_flash') || ''))[1];
  // A past atelier of A's Mission Locale with A registered (the AC forms are another
  // slice's): its closing page and sign-in sheet, and Pilotage's tab of the AC to close.
  const ACP = randomUUID();
  stack.sql(`INSERT INTO event(id, kind,
      type, title, starts_at, duration_min, ends_at, address, presence, creator_id, creator_first_name,
      creator_last_name, structure_id, created_at, updated_at)
    SELECT '${ACP}', 'ac', 'INFORMATION_COLLECTIVE', 'Information collective sur le service civique',
      ${Date.now() - 3600 * 1000}, 90, ${Date.now() + 1800 * 1000}, '12 rue de Siam, 29200 Brest', 1, id,
      first_name, last_name, structure_id, ${Date.now()}, ${Date.now()} FROM counselor
    WHERE email = 'camille.martin@cej-demo.fr';
    INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('${ACP}', '${A.id}', ${Date.now()});
    INSERT INTO imilo_session(id, structure_id, visible, updated_at)
      SELECT '1007', structure_id, 1, ${Date.now()} FROM counselor WHERE email = 'camille.martin@cej-demo.fr';
    INSERT INTO session_registration(instance_id, session_id, beneficiary_id, statut, session_name,
      starts_at, ends_at, updated_at) VALUES ('90001', '1008', '${A.id}', 'ONGOING', 'Session', ${Date.now() + 864000000},
      ${Date.now() + 871200000}, ${Date.now()});`);
  // An i-milo rendez-vous of A as the event feed copies it (feed.test.mjs goes through the
  // simulator's desk), and a dead letter of the feed for the support page.
  const RDVI = randomUUID();
  stack.sql(`INSERT INTO event(id, kind,
      type, title, starts_at, duration_min, ends_at, address, presence, creator_first_name,
      creator_last_name, structure_id, created_at, updated_at, imilo_id)
    SELECT '${RDVI}', 'rdv', 'RENDEZ_VOUS_MILO', 'Point sur le projet professionnel',
      ${Date.now() + 3 * 86400000}, 45, ${Date.now() + 3 * 86400000 + 2700000}, '12 rue de Siam, 29200 Brest', 1,
      'Système d’information', 'MILO', structure_id, ${Date.now()}, ${Date.now()}, '7777'
    FROM beneficiary WHERE id = '${A.id}';
    INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES ('${RDVI}', '${A.id}', ${Date.now()});
    INSERT INTO job(id, kind, key, payload, run_at, attempts, created_at, updated_at, failed_at, last_error)
    VALUES ('${randomUUID()}', 'imilo-event', 'imilo-event:0193e5f0-7a1b-7c2d-8e3f-405162738495',
      '{"id":"0193e5f0-7a1b-7c2d-8e3f-405162738495","dossier":"100031","type":"RDV","action":"UPDATE","idType":"7031","date":"2026-03-02T09:15:00+01:00"}',
      ${Date.now()}, 3, ${Date.now()}, ${Date.now()}, ${Date.now()}, 'E3 : i-milo ne répond pas (HTTP 503)');`);
  // An offer of the catalogue, shared with A: the Offres pages and the offer's card in both
  // threads.
  await importOffers(stack, 'france-travail', [{ id: '123ABCD', intitule: 'Vendeur (H/F)', typeContrat: 'CDI',
    typeContratLibelle: 'Contrat à durée indéterminée', entreprise: { nom: 'Boutique Océane' },
    description: 'Accueil et conseil des clients.', competences: [{ libelle: 'Encaisser', exigence: 'E' }],
    lieuTravail: { libelle: '29 - Brest', latitude: 48.40844, longitude: -4.49959, codePostal: '29200', commune: '29019' } }]);
  await post(referent, '/offres/emploi/123ABCD/partager', '/offres/emploi/123ABCD/partager', { beneficiaires: A.id, message: '' });
  // A saved search of A (Mes alertes, its deletion page) and a favourite (Suivi des offres).
  const ALERT_URL = '/app/offres/alertes/nouvelle?type=emploi&motscles=vendeur&lieu=29019';
  await post(young, ALERT_URL, ALERT_URL, { nom: 'Vendeur à Brest' });
  const SAVED = stack.sql(`SELECT id FROM offer_saved_search WHERE beneficiary_id = '${A.id}'`);
  await post(young, '/app/offres/emploi/123ABCD', '/app/offres/emploi/123ABCD/enregistrer', {});
  const MAIL = /\/demo\/courriels\/([^"?#]+)"/.exec(await (await httpClient(stack.baseUrl).get('/demo/courriels')).text())[1];
  ids = { SAVED, A: A.id, P: P.id, ACT, QUAL, APP, MSG, LIST, BC, MAIL, RDV, RDVI, AC, ACP, token: await activationToken(P.email) };
  sessions = { counselor: referent, beneficiary: young, supervisor: await counselor('yann.le-goff@cej-demo.fr') };
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The pages to walk: [who, url, label, prepare?]. @who is counselor, beneficiary or public. */
function pages() {
  const { A, P, ACT, QUAL, APP, MSG, LIST, BC, MAIL, RDV, RDVI, AC, ACP, token } = ids;
  const openSheet = (summary) => async (page) => { await page.locator('summary', { hasText: summary }).click(); };
  return [
    ['public', '/connexion', 'connexion'],
    ['public', '/app', 'app'],
    ['public', '/app/pas-de-compte', 'app-pas-de-compte'],
    ['public', '/app/connexion', 'app-connexion'],
    ['public', `/app/activation/${token}`, 'app-activation'],
    ['public', '/app/mot-de-passe-oublie', 'app-mot-de-passe-oublie'],
    ['public', '/demo/courriels', 'demo-courriels'],
    ['public', `/demo/courriels/${MAIL}`, 'demo-courriel'],
    ['counselor', '/portefeuille', 'portefeuille'],
    ['counselor', '/portefeuille/ajouter', 'portefeuille-ajouter'],
    ['counselor', '/etablissement', 'etablissement'],
    ['counselor', `/beneficiaires/${A}`, 'fiche'],
    ['counselor', `/beneficiaires/${P}`, 'fiche-pacea'],
    ['counselor', `/beneficiaires/${A}/informations`, 'fiche-informations'],
    ['counselor', `/beneficiaires/${A}/informations?onglet=indicateurs`, 'fiche-indicateurs'],
    ['counselor', `/beneficiaires/${A}/informations?onglet=historique`, 'fiche-historique'],
    ['counselor', `/beneficiaires/${A}/supprimer`, 'fiche-supprimer'],
    ['counselor', '/messagerie', 'messagerie'],
    ['counselor', `/conversations/${A}`, 'conversation'],
    ['counselor', `/conversations/${A}/recherche?q=CV`, 'conversation-recherche'],
    ['counselor', '/messagerie/multi-destinataires', 'multi-destinataires'],
    ['counselor', '/listes', 'listes'],
    ['counselor', '/listes/nouvelle', 'listes-nouvelle'],
    ['counselor', '/listes/messages', 'listes-messages'],
    ['counselor', `/listes/${LIST}/modifier`, 'liste-modifier'],
    ['counselor', `/listes/${LIST}/supprimer`, 'liste-supprimer'],
    ['counselor', `/listes/${LIST}/messages`, 'liste-messages'],
    ['counselor', `/listes/${LIST}/messages/${BC}`, 'liste-message'],
    ['counselor', '/messagerie/message-important', 'message-important'],
    ['counselor', '/aide', 'aide'],
    ['counselor', '/raccourci', 'raccourci'],
    ['counselor', '/profil', 'profil'],
    ['counselor', `/beneficiaires/${A}/actions/nouvelle`, 'action-nouvelle'],
    ['counselor', `/actions/${ACT}`, 'action'],
    ['counselor', `/actions/${ACT}/enregistree`, 'action-enregistree'],
    ['counselor', `/actions/${ACT}/modifier`, 'action-modifier'],
    ['counselor', `/actions/${ACT}/supprimer`, 'action-supprimer'],
    ['counselor', `/actions/${QUAL}/qualifier`, 'action-qualifier'],
    ['counselor', '/pilotage', 'pilotage'],
    ['counselor', '/offres', 'offres'],
    ['counselor', '/offres?type=emploi', 'offres-criteres'],
    ['counselor', '/offres?type=emploi&recherche=1', 'offres-resultats'],
    ['counselor', '/offres/emploi/123ABCD', 'offre'],
    ['counselor', '/offres/emploi/123ABCD/partager', 'offre-partager'],
    ['counselor', '/offres/criteres/partager?type=emploi&motscles=vendeur&lieu=29019', 'offres-criteres-partager'],
    ['counselor', `/beneficiaires/${A}?onglet=rendez-vous`, 'fiche-rendez-vous'],
    ['counselor', '/agenda', 'agenda-mission-locale'],
    ['counselor', '/agenda?onglet=conseiller', 'agenda-conseiller'],
    ['counselor', `/agenda/rendez-vous/nouveau?beneficiaire=${A}`, 'rendez-vous-nouveau'],
    ['counselor', `/agenda/rendez-vous/${RDV}`, 'rendez-vous'],
    ['counselor', `/agenda/rendez-vous/${RDV}/modifier`, 'rendez-vous-modifier'],
    ['counselor', `/agenda/rendez-vous/${RDV}/supprimer`, 'rendez-vous-supprimer'],
    ['counselor', `/agenda/rendez-vous/${RDVI}`, 'rendez-vous-imilo'],
    ['supervisor', '/support/flux-imilo', 'support-flux-imilo'],
    ['supervisor', '/support/offres', 'support-offres'],
    ['counselor', '/agenda/animations-collectives/nouveau', 'animation-nouvelle'],
    ['counselor', `/agenda/animations-collectives/inscrire?beneficiaire=${P}`, 'animation-inscrire'],
    ['counselor', `/agenda/animations-collectives/${AC}`, 'animation'],
    ['counselor', `/agenda/animations-collectives/${AC}/modifier`, 'animation-modifier'],
    ['counselor', `/agenda/animations-collectives/${AC}/modifier?beneficiaire=${P}`, 'animation-modifier-fiche'],
    ['counselor', `/agenda/animations-collectives/${AC}/supprimer`, 'animation-supprimer'],
    ['counselor', `/agenda/animations-collectives/${ACP}/clore`, 'ac-clore'],
    ['counselor', `/emargement/${ACP}?type=ac`, 'emargement'],
    // i-milo sessions of the simulator's seed (docs/imilo-sim.md): Brest's 1007 is open,
    // 1001 started with Inscrit registrants (À clore).
    ['counselor', '/agenda/sessions/1007', 'session'],
    ['counselor', '/agenda/sessions/1001', 'session-a-clore'],
    ['counselor', '/agenda/sessions/1001/clore', 'session-clore'],
    ['counselor', '/pilotage?onglet=animations', 'pilotage-animations'],
    ['counselor', '/pilotage?onglet=sessions', 'pilotage-sessions'],
    ['beneficiary', '/app/accueil', 'app-accueil'],
    ['beneficiary', '/app/profil', 'app-profil'],
    ['beneficiary', '/app/profil/notifications', 'app-profil-notifications'],
    ['beneficiary', '/app/suppression-compte', 'app-suppression-compte'],
    // The Offres tab: search home, form, results, Suivi des offres, an offer and its forms,
    // an Immersion's contact form, Mes alertes and an alert's creation and deletion.
    ['beneficiary', '/app/offres', 'app-offres'],
    ['beneficiary', '/app/offres/recherche?type=emploi', 'app-offres-criteres'],
    ['beneficiary', '/app/offres/recherche?type=emploi&motscles=vendeur&recherche=1', 'app-offres-resultats'],
    ['beneficiary', '/app/offres/suivi', 'app-offres-suivi'],
    ['beneficiary', '/app/offres/emploi/123ABCD', 'app-offre'],
    ['beneficiary', '/app/offres/emploi/123ABCD/partager', 'app-offre-partager'],
    ['beneficiary', '/app/offres/immersion/44306184100047-11573/contact', 'app-offre-contact'],
    ['beneficiary', '/app/offres/alertes', 'app-alertes'],
    ['beneficiary', '/app/offres/alertes/nouvelle?type=emploi&motscles=vendeur&lieu=29019', 'app-alerte-nouvelle'],
    ['beneficiary', `/app/offres/alertes/${ids.SAVED}/supprimer`, 'app-alerte-supprimer'],
    ['beneficiary', '/app/suivi', 'app-suivi'],
    ['beneficiary', '/app/actions/nouvelle', 'app-action-nouvelle'],
    ['beneficiary', `/app/actions/${APP}`, 'app-action'],
    ['beneficiary', `/app/actions/${APP}`, 'app-action-terminer', openSheet('Terminer mon action')],
    ['beneficiary', `/app/actions/${APP}`, 'app-action-editer', openSheet('Éditer l’action')],
    ['beneficiary', `/app/actions/${ACT}`, 'app-action-conseiller'],
    ['beneficiary', `/app/actions/${APP}/creee`, 'app-action-creee'],
    ['beneficiary', `/app/actions/${APP}/modifier`, 'app-action-modifier'],
    ['beneficiary', `/app/actions/${APP}/supprimer`, 'app-action-supprimer'],
    ['beneficiary', '/app/notifications', 'app-notifications'],
    ['beneficiary', '/app/messages', 'app-messages'],
    ['beneficiary', `/app/messages/${MSG}/modifier`, 'app-message-modifier'],
    ['beneficiary', `/app/messages/${MSG}/supprimer`, 'app-message-supprimer'],
    ['beneficiary', `/app/rendez-vous/${RDV}`, 'app-rendez-vous'],
    ['beneficiary', `/app/rendez-vous/${RDVI}`, 'app-rendez-vous-imilo'],
    ['beneficiary', '/app/evenements', 'app-evenements'],
    ['beneficiary', `/app/evenements/animations/${AC}`, 'app-evenement'],
    // The simulator's session 1007 of Brest, made visible above.
    ['beneficiary', '/app/evenements/sessions/1007', 'app-session'],
    ['beneficiary', '/app/evenements/sessions/1007/demande', 'app-session-demande'],
    ['beneficiary', '/app/evenements/sessions/1007/demande/envoyee', 'app-session-demande-envoyee'],
    ['beneficiary', '/app/evenements/sessions/1008/inscription/confirmee', 'app-session-inscription-confirmee'],
    // Événements › Externes: the form, and an event of tests/data/offers/mee.json (imported above).
    ['beneficiary', '/app/evenements/externes', 'app-evenements-externes'],
    ['beneficiary', '/app/evenements/externes/101234', 'app-evenement-externe'],
  ];
}

/** A browser context at @viewport holding @who's session (none for the public). */
async function contextFor(who, viewport, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const c = sessions[who];
  if (c) await context.addCookies([...c.jar].map(([name, value]) => ({ name, value, url: stack.baseUrl })));
  return context;
}

/** The page's width beyond the viewport, in CSS pixels (0: it fits), and what sticks out. */
async function overflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const extra = root.scrollWidth - root.clientWidth;
    if (extra <= 0) return { extra: 0, culprits: [] };
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > root.clientWidth + 0.5) {
        const parentOut = el.parentElement && el.parentElement.getBoundingClientRect().right > root.clientWidth + 0.5;
        if (!parentOut) culprits.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(r.right)})`);
      }
    }
    return { extra, culprits: culprits.slice(0, 5) };
  });
}

async function shot(page, label) {
  const dir = process.env.CEJ_E2E_SHOTS;
  if (!dir) return;
  await fsp.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${label}.png`), fullPage: true });
}

async function walk(viewport, name) {
  const { routes } = await servedRoutes();
  const list = pages();
  const walked = new Set(list.map(([, url]) => url));
  const patterns = routes.filter((r) => r.method === 'GET' && !NOT_PAGES.has(r.pattern)).map((r) => r.pattern);
  for (const p of patterns) {
    const re = new RegExp('^' + p.replace(/[.?]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/?]+') + '(\\?.*)?$');
    assert.ok([...walked].some((u) => re.test(u)), `GET ${p}: neither walked at ${name} nor listed in NOT_PAGES`);
  }

  const failures = [];
  const contexts = {};
  for (const [who, url, label, prepare] of list) {
    contexts[who] ??= await contextFor(who, viewport);
    const page = await contexts[who].newPage();
    const res = await page.goto(stack.baseUrl + url);
    if (res.status() >= 400) failures.push(`${url}: HTTP ${res.status()}`);
    // The counselor's first page on a phone opens the welcome of the mobile space: it is
    // checked there, then dismissed.
    const welcome = page.locator('#bienvenue-mobile');
    if (await welcome.isVisible()) {
      const o = await overflow(page);
      if (o.extra > 0) failures.push(`${label} (welcome) at ${name}: ${o.extra} px too wide: ${o.culprits.join(', ')}`);
      await checkA11y(page, `${label} (welcome) at ${name}`).catch((e) => failures.push(e.message));
      await shot(page, `${name}-welcome`);
      await page.getByRole('button', { name: 'Terminer', exact: true }).click();
      await page.waitForURL((u) => u.pathname === url.split('?')[0]);
    }
    if (prepare) await prepare(page);
    const o = await overflow(page);
    if (o.extra > 0) failures.push(`${label} at ${name}: ${o.extra} px too wide: ${o.culprits.join(', ')}`);
    await checkA11y(page, `${label} at ${name}`).catch((e) => failures.push(e.message));
    await shot(page, `${name}-${label}`);
    await page.close();
  }
  for (const c of Object.values(contexts)) await c.close();
  assert.deepEqual(failures, []);
}

/** GET and other routes the server serves, from `cej routes` (METHOD\tPATTERN\t…). */
async function servedRoutes() {
  const r = await stack.cli('routes');
  assert.equal(r.code, 0, 'cej routes');
  const routes = r.stdout.split('\n').filter((l) => l.includes('\t')).map((l) => {
    const [method, pattern] = l.split('\t');
    return { method, pattern };
  });
  assert.ok(routes.length > 0);
  return { routes };
}

// CEJ_E2E_WIDTHS=phone or laptop walks at one width only: tools/e2e-both.sh walks the phone
// on SQLite and the laptop on PostgreSQL (every page still opened on both engines, axe still
// at both widths, the walk's cost halved). Default: both.
const WIDTHS = (process.env.CEJ_E2E_WIDTHS || 'phone,laptop').split(',');
const walkedHere = (w) => WIDTHS.includes(w) ? {} : { skip: `CEJ_E2E_WIDTHS=${WIDTHS.join(',')}` };

test('no page is wider than a 390 px phone, and axe finds nothing there', walkedHere('phone'), async () => {
  await walk(PHONE, 'phone');
});

test('no page is wider than a 1366 px screen, and axe finds nothing there', walkedHere('laptop'), async () => {
  await walk(LAPTOP, 'laptop');
});

/** Lines a text takes on screen: the distinct tops of its line boxes. */
async function lines(locator) {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  });
}

test('on a phone, "Message multi-destinataires" never covers a conversation of the list', async () => {
  const context = await contextFor('counselor', { width: 390, height: 500 });
  const page = await context.newPage();
  for (const url of ['/messagerie', '/portefeuille']) {
    await page.goto(stack.baseUrl + url);
    await page.locator('.cej-conv').first().waitFor();
    const overlaps = await page.evaluate(async () => {
      const button = [...document.querySelectorAll('a')].find((a) => a.textContent.trim() === 'Message multi-destinataires' && a.offsetParent);
      const found = [];
      const max = document.documentElement.scrollHeight - innerHeight;
      for (let y = 0; y <= max; y += 25) {
        window.scrollTo(0, y);
        await new Promise(requestAnimationFrame);
        const b = button.getBoundingClientRect();
        for (const tile of document.querySelectorAll('.cej-conv')) {
          const t = tile.getBoundingClientRect();
          if (b.left < t.right && t.left < b.right && b.top < t.bottom && t.top < b.bottom)
            found.push(`scrolled to ${y}: over ${tile.textContent.trim().split('\n')[0]}`);
        }
      }
      return found;
    });
    assert.deepEqual(overlaps, [], url);
    if (url === '/portefeuille')
      assert.ok(await page.getByRole('heading', { level: 1, name: 'Messagerie' }).isVisible(), 'the column is the phone page: its title is the h1');
  }
  // On a wide screen the column's title is an h2 again, under the page's h1.
  await page.setViewportSize(LAPTOP);
  await page.goto(stack.baseUrl + '/portefeuille');
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Portefeuille' }).isVisible());
  assert.ok(await page.getByRole('heading', { level: 2, name: 'Messagerie' }).isVisible());
  assert.equal(await page.getByRole('heading', { level: 1, name: 'Messagerie' }).count(), 0);
  await context.close();
});

test('"Terminer mon action": the date field only for "Choisir une date"', async () => {
  const context = await contextFor('beneficiary', PHONE);
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/app/actions/${ids.APP}`);
  await page.locator('summary', { hasText: 'Terminer mon action' }).click();
  const field = page.getByLabel('Date choisie');
  assert.equal(await field.isVisible(), false, 'nothing chosen yet');
  await page.locator('label[for=fin-aujourdhui]').click();
  assert.equal(await field.isVisible(), false, 'Aujourd’hui');
  await page.locator('label[for=fin-date]').click();
  assert.equal(await field.isVisible(), true, 'Choisir une date');
  const box = await field.boundingBox();
  assert.ok(box.x + box.width <= PHONE.width, `the field fits the phone (right edge ${box.x + box.width})`);
  await page.locator('label[for=fin-hier]').click();
  assert.equal(await field.isVisible(), false, 'Hier');
  await context.close();
});

// (No axe here: page.evaluate waits forever where JavaScript is off.)
test('the date shortcuts of the action form: hidden without JavaScript, working with it', { timeout: 120_000 }, async () => {
  const url = `${stack.baseUrl}/beneficiaires/${ids.A}/actions/nouvelle`;
  const shortcuts = ['Aujourd’hui', 'Demain', 'Semaine prochaine'];
  const bare = await contextFor('counselor', LAPTOP, { javaScriptEnabled: false });
  let page = await bare.newPage();
  await page.goto(url);
  const buttons = page.locator('[data-cej-date]');
  assert.equal(await buttons.count(), 3);
  for (let i = 0; i < 3; i++)
    assert.equal(await buttons.nth(i).isVisible(), false, `without JavaScript, shortcut ${i} does nothing: it must not show`);
  await bare.close();

  const context = await contextFor('counselor', LAPTOP);
  page = await context.newPage();
  await page.goto(url);
  await page.locator('label[for=statut-a-faire]').click(); // the shortcuts are those of "À faire"
  const labels = await page.locator('[data-cej-date]').allTextContents();
  assert.deepEqual(labels.map((l) => l.trim().split(' (')[0]), shortcuts);
  const first = page.locator('[data-cej-date]').first();
  assert.equal(await first.isVisible(), true);
  await first.click();
  assert.equal(await page.getByLabel(/Date de l’action/).inputValue(), await first.getAttribute('data-cej-date'));
  await context.close();
});

test('Messagerie: its three buttons show their names', async () => {
  for (const viewport of [PHONE, LAPTOP]) {
    const context = await contextFor('counselor', viewport);
    const page = await context.newPage();
    await page.goto(stack.baseUrl + '/messagerie');
    for (const name of ['Voir mes listes de diffusion', 'Configurer un message important',
      'Accéder à la messagerie depuis mon téléphone']) {
      const link = page.getByRole('link', { name, exact: true }).first();
      const shown = await link.evaluate((a) => {
        const range = document.createRange();
        range.selectNodeContents(a);
        const t = range.getBoundingClientRect();
        const box = a.getBoundingClientRect();
        // The whole text is painted inside the button (DSFR clips an icon button's text).
        return t.width > 0 && t.left >= box.left - 1 && t.right <= box.right + 1 && a.scrollWidth <= a.clientWidth + 1;
      });
      assert.ok(shown, `"${name}" is written on its button at ${viewport.width} px`);
    }
    await context.close();
  }
});

test('the fiche: way back to the actions, one period, one situation, the CEJ end date for the CEJ only', async () => {
  const context = await contextFor('counselor', LAPTOP);
  const page = await context.newPage();
  const fiche = `${stack.baseUrl}/beneficiaires/${ids.A}`;
  await page.goto(fiche);
  const week = page.locator('#semaine');
  const text = await week.innerText();
  assert.equal(text.match(/\d\d\/\d\d\/\d{4} au \d\d\/\d\d\/\d{4}/g).length, 1, `the period is written once: ${text}`);
  const tops = await Promise.all(['Semaine précédente', 'Semaine suivante', 'Période en cours'].map(async (name) =>
    Math.round((await week.getByRole('link', { name }).boundingBox()).y)));
  assert.equal(new Set(tops).size, 1, `the arrows and "Période en cours" on one line: ${tops}`);
  const situation = (await page.locator('.cej-heading .fr-tag').nth(1).textContent()).trim();
  assert.equal(await page.locator('.cej-with-messaging__main').getByText(situation, { exact: true }).count(), 1, `"${situation}" once`);
  assert.equal(await page.getByText('Date de fin du CEJ', { exact: false }).count(), 1);
  // Status tags on one line, beside the messaging column.
  const statuses = page.locator('.cej-status');
  assert.ok(await statuses.count() >= 2);
  for (let i = 0; i < await statuses.count(); i++)
    assert.equal(await lines(statuses.nth(i)), 1, `status "${await statuses.nth(i).textContent()}" on one line`);

  for (const tab of ['', '?onglet=historique', '?onglet=indicateurs']) {
    await page.goto(`${fiche}/informations${tab}`);
    await page.getByRole('link', { name: 'Fiche bénéficiaire', exact: true }).click();
    await page.waitForURL(fiche);
    await page.goto(`${fiche}/informations${tab}`);
    await page.getByRole('navigation', { name: 'Informations du bénéficiaire' }).getByRole('link', { name: 'Actions' }).click();
    await page.waitForURL(`${fiche}?onglet=actions#actions`);
    await page.getByRole('heading', { name: 'Actions', exact: true }).waitFor({ state: 'attached' });
  }

  // A PACEA beneficiary has no CEJ end date, on the fiche or its Informations.
  await page.goto(`${stack.baseUrl}/beneficiaires/${ids.P}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.getByText('Date de fin du CEJ', { exact: false }).count(), 0);
  await page.goto(`${stack.baseUrl}/beneficiaires/${ids.P}/informations`);
  assert.equal(await page.getByText('Date de fin du CEJ', { exact: false }).count(), 0);
  assert.equal(await page.getByText('Dispositif :', { exact: false }).count(), 1);

  // The portfolio's table fits beside the messaging column: every column in sight.
  await page.goto(`${stack.baseUrl}/portefeuille`);
  const header = page.getByRole('columnheader', { name: /Messages non lus par les bénéficiaires/ });
  const [th, table] = [await header.boundingBox(), await page.locator('#table-portefeuille').boundingBox()];
  assert.ok(th.x + th.width <= table.x + table.width + 1, `the last column is in sight (${th.x + th.width} > ${table.x + table.width})`);
  const scrolled = await page.locator('#table-portefeuille').evaluate((t) =>
    [t, ...t.querySelectorAll('*')].filter((e) => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1 &&
      getComputedStyle(e).overflowX !== 'visible').length);
  assert.equal(scrolled, 0, 'no horizontal scroll bar in the table');
  await context.close();
});
