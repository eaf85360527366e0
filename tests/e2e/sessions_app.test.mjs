// sessions_app.test.mjs — the young person and his Mission Locale's i-milo sessions
// (agenda.md §7, youth-app.md §7, §10 scenario 6; messaging.md SESSION_SHARE): Événements ›
// Ma Mission Locale lists the sessions made visible and his own with "Inscrit"; a session's
// page shows neither the deadline nor the places; "Faire une demande d'inscription" →
// "Partage d'événement" with the editable message → the SESSION_SHARE card the counselor
// opens the session page from; a session neither visible nor his is not found; i-milo
// failing keeps the rest of the list and says so; with SESSION_AUTO_REGISTRATION on (this
// stack) and a session's own switch, "M'inscrire pour participer" registers him in i-milo on
// his referent's behalf, or "Complet". Sessions are the simulator's seed
// (1001–1012 for Brest); their visibility and his registrations are cej's rows, written
// here with sqlite3 (sessions.test.mjs drives the counselor's switch).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary,
} from './harness.mjs';

const CAMILLE = 'camille.martin@cej-demo.fr';
let stack, browser, referent, young, A;

const sql = (q) => stack.sql(q);

/** Makes session @id visible to Camille's Mission Locale, as the switch does. */
function makeVisible(id) {
  sql(`INSERT INTO imilo_session(id, structure_id, visible, updated_at)
       SELECT '${id}', structure_id, 1, ${Date.now()} FROM counselor WHERE email = '${CAMILLE}'
       ON CONFLICT(id) DO UPDATE SET visible = 1`);
}

async function simSession(id) {
  const res = await stack.simAdmin('GET', `/_admin/sessions/${id}`);
  assert.equal(res.status, 200);
  return res.body;
}

before(async () => {
  stack = await startStack({ extraEnv: { CEJ_SESSION_AUTO_REGISTRATION: 'true' } });
  browser = await launchBrowser();
  referent = await counselorPage(browser, stack, CAMILLE);
  A = await addBeneficiary(referent, stack, '100031');          // ML du Pays de Brest
  young = await activateBeneficiary(browser, stack, A);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// First: nothing of the structure's sessions has been read yet (they are kept 20 s).
test('i-milo failing: Ma Mission Locale still opens and says some events could not be loaded', async () => {
  makeVisible('1007');
  const fault = await stack.simAdmin('POST', '/_admin/faults', { match: { path: '/operateurs/sessions' }, status: 503 });
  await young.goto(`${stack.baseUrl}/app/evenements`);
  const alert = young.getByRole('alert');
  await alert.getByText('Certains événements de ta Mission Locale n’ont pas pu être chargés. Réessaie dans quelques instants.').waitFor();
  assert.equal(await alert.getByRole('link', { name: 'Réessayer' }).getAttribute('href'), '/app/evenements');
  await stack.simAdmin('DELETE', `/_admin/faults/${fault.body.id}`);
});

test('Ma Mission Locale lists the visible sessions; the page shows neither deadline nor places', async () => {
  makeVisible('1007');
  const open = await simSession(1007), hidden = await simSession(1006);
  await young.goto(`${stack.baseUrl}/app/evenements`);
  const card = young.locator('.cej-event-card, li', { hasText: open.session.nom }).first();
  await card.waitFor();
  assert.equal(await young.getByText(hidden.session.nom).count(), 0, 'not made visible: not listed');
  await young.getByRole('link', { name: new RegExp(open.session.nom) }).first().click();
  await young.waitForURL(/\/app\/evenements\/sessions\/1007$/);
  const text = await young.locator('main').innerText();
  assert.match(text, new RegExp(open.offre.nom));
  assert.doesNotMatch(text, /place/i, 'no places left (agenda.md §7)');
  assert.doesNotMatch(text, /limite|inscription avant/i, 'no deadline');
  assert.doesNotMatch(text, /Tu es inscrit/);

  // A session neither visible nor his: not found, whatever i-milo holds.
  const res = await young.goto(`${stack.baseUrl}/app/evenements/sessions/1006`);
  assert.equal(res.status(), 404);
  await young.getByText('Cet événement n’est pas ou plus proposé par ta Mission Locale.').waitFor();
  assert.equal((await young.goto(`${stack.baseUrl}/app/evenements/sessions/abc`)).status(), 404);
});

test('"Faire une demande d’inscription": the editable message reaches the counselor as a session card', async () => {
  makeVisible('1007');
  const open = await simSession(1007);
  await young.goto(`${stack.baseUrl}/app/evenements/sessions/1007`);
  await young.getByRole('link', { name: 'Faire une demande d’inscription' }).click();
  await young.waitForURL(/\/app\/evenements\/sessions\/1007\/demande$/);
  await young.getByRole('heading', { name: 'Partage d’événement' }).waitFor();
  const box = young.getByLabel('Message à ton conseiller');
  assert.equal(await box.inputValue(), 'Bonjour, pouvez-vous m’inscrire à cet événement ?');
  await box.fill('Bonjour, pouvez-vous m’inscrire à cet événement ? Je suis libre ce jour-là.');
  await young.getByRole('button', { name: 'Envoyer' }).click();
  await young.waitForURL(/\/demande\/envoyee$/);
  await young.getByRole('heading', { name: 'Demande d’inscription' }).waitFor();
  await young.getByText('Ta demande d’inscription à l’événement a été envoyée à ton conseiller').waitFor();
  assert.equal(await young.getByRole('link', { name: 'Consulter d’autres événements' }).getAttribute('href'), '/app/evenements');

  await referent.goto(`${stack.baseUrl}/conversations/${A.id}`);
  const bubble = referent.locator('.cej-bubble', { hasText: 'Je suis libre ce jour-là.' });
  await bubble.waitFor();
  assert.match(await bubble.innerText(), new RegExp(`Titre de la session : ${open.offre.nom} – ${open.session.nom}`));
  assert.equal(await bubble.getByRole('link', { name: /Voir les détails de la session/ }).getAttribute('href'), '/agenda/sessions/1007');
  await visit(referent, 'conversation-demande-session');

  // An empty message is refused on the form, kept as typed.
  await young.goto(`${stack.baseUrl}/app/evenements/sessions/1007/demande`);
  await young.getByLabel('Message à ton conseiller').fill('   ');
  await young.getByRole('button', { name: 'Envoyer' }).click();
  await young.locator('.fr-error-text').waitFor();
});

test('a session he is registered to: "Inscrit" in the list and on its page', async () => {
  const s = await simSession(1008);
  const start = Date.now() + 10 * 86400000;
  sql(`INSERT INTO session_registration(instance_id, session_id, beneficiary_id, statut, session_name, starts_at, ends_at, updated_at)
       VALUES ('90001', '1008', '${A.id}', 'ONGOING', '${s.session.nom.replace(/'/g, "''")}', ${start}, ${start + 7200000}, ${Date.now()})`);
  await young.goto(`${stack.baseUrl}/app/evenements/sessions/1008`);
  await young.getByText('Tu es inscrit à cet événement.').waitFor();
  await young.getByText('En cas d’imprévu, préviens ton conseiller.').waitFor();
  assert.equal(await young.getByRole('link', { name: 'Faire une demande d’inscription' }).count(), 0);
  await young.goto(`${stack.baseUrl}/app/evenements`);
  const item = young.locator('li', { hasText: s.session.nom }).first();
  assert.match(await item.innerText(), /Inscrit/i);
});

test('the session pages pass axe-core and fit a phone', async () => {
  makeVisible('1007');
  for (const viewport of [{ width: 390, height: 844 }, { width: 1366, height: 768 }]) {
    const p = await young.context().newPage();
    await p.setViewportSize(viewport);
    for (const url of ['/app/evenements', '/app/evenements/sessions/1007', '/app/evenements/sessions/1007/demande',
      '/app/evenements/sessions/1007/demande/envoyee']) {
      const res = await p.goto(stack.baseUrl + url);
      assert.equal(res.status(), 200, url);
      await visit(p, `session-app-${url.replace(/[^a-z0-9]+/g, '-')}-${viewport.width}`);
      const extra = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(extra <= 0, `${url} at ${viewport.width}: ${extra} px too wide`);
    }
    await p.close();
  }
});

/** Opens self-registration on session @id, as the counselor's second switch does. */
function openSelfRegistration(id) {
  sql(`INSERT INTO imilo_session(id, structure_id, visible, auto_registration, updated_at)
       SELECT '${id}', structure_id, 1, 1, ${Date.now()} FROM counselor WHERE email = '${CAMILLE}'
       ON CONFLICT(id) DO UPDATE SET visible = 1, auto_registration = 1`);
}

test('self-registration: the places, "M’inscrire pour participer", i-milo on the referent’s behalf, the confirmation', async () => {
  openSelfRegistration('1010');   // +21 days, 15 places, 2 registered
  const s = await simSession(1010);
  await young.goto(`${stack.baseUrl}/app/evenements/sessions/1010`);
  await young.getByText('13 places restantes').waitFor();
  await young.getByRole('button', { name: 'M’inscrire pour participer' }).click();
  await young.waitForURL(/\/app\/evenements\/sessions\/1010\/inscription\/confirmee$/);
  await young.getByText(`Ton inscription à l’événement ${s.session.nom} est confirmée`).waitFor();
  await young.getByText('Bravo pour ton engagement !').waitFor();
  await visit(young, 'session-app-inscription-confirmee');
  // i-milo holds it, written with the referent's identity.
  const after = await simSession(1010);
  assert.ok(after.session.instances.some((i) => String(i.idDossier) === '100031' && i.statut === 'ONGOING'));
  const calls = (await stack.simAdmin('GET', '/_admin/requests')).body
    .filter((c) => c.method === 'POST' && c.path === '/operateurs/dossiers/100031/instances-session');
  assert.equal(calls.length, 1);
  assert.equal(calls[0].body, '"1010"');
  // He is told, once; his page says he is registered; his counselor sees it in the conversation.
  await young.goto(`${stack.baseUrl}/app/notifications`);
  await young.getByText('Inscription confirmée').first().waitFor();
  assert.equal(await young.getByText('Inscription confirmée').count(), 1);
  await young.goto(`${stack.baseUrl}/app/evenements/sessions/1010`);
  await young.getByText('Tu es inscrit à cet événement.').waitFor();
  await referent.goto(`${stack.baseUrl}/conversations/${A.id}`);
  const bubble = referent.locator('.cej-bubble', { hasText: 'Votre bénéficiaire s’est inscrit à l’événement suivant' });
  await bubble.waitFor();
  assert.equal(await bubble.getByRole('link', { name: /Voir les détails de la session/ }).getAttribute('href'), '/agenda/sessions/1010');
  await visit(young, 'session-app-inscrit');
});

test('self-registration on a full session: "Complet", and the request with its own words', async () => {
  openSelfRegistration('1011');   // +28 days, full (one place, taken)
  await young.goto(`${stack.baseUrl}/app/evenements/sessions/1011`);
  await young.getByText('Complet', { exact: true }).waitFor();
  assert.equal(await young.getByRole('button', { name: 'M’inscrire pour participer' }).count(), 0);
  await young.getByRole('link', { name: 'Faire une demande d’inscription' }).click();
  assert.equal(await young.getByLabel('Message à ton conseiller').inputValue(), 'Bonjour, cet événement est complet mais je suis intéressé');
  // A forged registration: the spec's message, nothing in i-milo.
  const res = await young.context().request.post(`${stack.baseUrl}/app/evenements/sessions/1011/inscription`, {
    form: { _csrf: await young.locator('input[name=_csrf]').first().inputValue() },
  });
  assert.equal(res.status(), 409);
  assert.match(await res.text(), /Il n’y a plus de place disponible pour cet événement\./);
});
