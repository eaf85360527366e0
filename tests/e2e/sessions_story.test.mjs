// sessions_story.test.mjs — issue 13's story of an i-milo session, end to end with the
// simulator, in the browsers of a counselor and two young people: the counselor makes a
// session visible; the young person asks to register from the app; the counselor registers
// him from the card's link; he sees "Inscrit" and is told once; a registration made at the
// i-milo desk reaches cej through the event feed (its events delivered again while acks
// fail, without a second notification); the counselor closes with one present and one
// absent, and i-milo holds ACHIEVED and REFUSAL_YOUNG "Absence". The feed is polled every
// second (CEJ_IMILO_FEED_INTERVAL_S=1); the closing comes once cej's test clock passed the
// session's start (the simulator keeps the real time: it refuses registrations after it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, counselorPage, addBeneficiary, activateBeneficiary, waitFor,
  notificationCentre, visit,
} from './harness.mjs';

const CAMILLE = 'camille.martin@cej-demo.fr';
const MINUTE = 60000;
let stack, browser;

before(async () => {
  stack = await startStack({ extraEnv: { CEJ_IMILO_FEED_INTERVAL_S: '1' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function sim(method, urlPath, body) {
  const r = await stack.simAdmin(method, urlPath, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${urlPath}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** "yyyy-MM-dd HH:mm:ss" in Paris of instant @ms: i-milo's naive local time (Brest). */
function local(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The registrants i-milo holds for @session: {dossier: {statut, commentaire, dateDebutReelle}}. */
async function held(session) {
  const s = await sim('GET', `/_admin/sessions/${session}`);
  return Object.fromEntries((s.session.instances || []).map((i) => [String(i.idDossier), i]));
}

const told = async (young, title) => (await notificationCentre(young, stack)).filter((n) => n.title === title);

test('a session from visibility to closing, through the app, the card, the desk and the feed', async () => {
  const counselor = await counselorPage(browser, stack, CAMILLE);
  const A = await addBeneficiary(counselor, stack, '100031');
  const B = await addBeneficiary(counselor, stack, '100034');
  const youngA = await activateBeneficiary(browser, stack, A);
  const youngB = await activateBeneficiary(browser, stack, B);
  // A session of Brest at the desk, starting in 20 minutes.
  const start = Date.now() + 20 * MINUTE;
  const created = await sim('POST', '/_admin/sessions', {
    structure: '29019S00', offreId: 1, nom: 'Atelier du récit', dateHeureDebut: local(start),
    dateHeureFin: local(start + 120 * MINUTE), nbPlaces: 5, lieu: '12 rue de Siam, Brest',
  });
  const id = String(created.session.id);

  // 1. The counselor makes it visible (the switch saves on change).
  await counselor.goto(`${stack.baseUrl}/agenda/sessions/${id}`);
  await counselor.locator('label[for=visible]').click();
  await counselor.getByText('La visibilité de la session a bien été enregistrée.').waitFor();

  // 2. A finds it in Ma Mission Locale and asks to register.
  await youngA.goto(`${stack.baseUrl}/app/evenements`);
  await youngA.getByRole('link', { name: /Atelier du récit/ }).first().click();
  await youngA.getByRole('link', { name: 'Faire une demande d’inscription' }).click();
  await youngA.getByRole('button', { name: 'Envoyer' }).click();
  await youngA.getByText('Ta demande d’inscription à l’événement a été envoyée à ton conseiller').waitFor();

  // 3. The counselor follows the card's link and registers him.
  await counselor.goto(`${stack.baseUrl}/conversations/${A.id}`);
  await counselor.locator('.cej-bubble', { hasText: 'Bonjour, pouvez-vous m’inscrire à cet événement ?' })
    .getByRole('link', { name: /Voir les détails de la session/ }).click();
  await counselor.waitForURL(new RegExp(`/agenda/sessions/${id}$`));
  await counselor.getByLabel('* Recherchez et ajoutez un ou plusieurs bénéficiaires').fill(A.last);
  await counselor.getByRole('button', { name: 'Rechercher' }).click();
  await counselor.getByRole('button', { name: `Ajouter ${A.row}` }).or(counselor.getByRole('button', { name: new RegExp(`Ajouter.*${A.last}`, 'i') })).first().click();
  await counselor.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await counselor.getByText('Les inscriptions ont bien été enregistrées dans i-milo.').waitFor();
  assert.equal((await held(id))['100031']?.statut, 'ONGOING', 'i-milo holds the registration');

  // 4. A sees "Inscrit" and is told once, even after the feed brought the echo.
  await youngA.goto(`${stack.baseUrl}/app/evenements/sessions/${id}`);
  await youngA.getByText('Tu es inscrit à cet événement.').waitFor();
  await waitFor(async () => (await sim('GET', '/_admin/events')).filter((e) => String(e.idDossier) === '100031')
    .every((e) => e.acquitte), { timeoutMs: 20_000, what: 'the echo of cej’s registration acked' });
  assert.equal((await told(youngA, 'Nouveau rendez-vous')).length, 1);

  // 5. The desk registers B while cej's acks fail: the feed gets the event several times.
  const ackFault = await sim('POST', '/_admin/faults', { match: { method: 'POST', path: '/operateurs/events/*/ack' }, status: 503 });
  await sim('POST', `/_admin/sessions/${id}/instances`, { idDossier: 100034 });
  await waitFor(async () => (await told(youngB, 'Nouveau rendez-vous')).length === 1,
    { timeoutMs: 20_000, what: 'B told of the desk registration' });
  await new Promise((r) => setTimeout(r, 3000));   // three more polls, each delivering it again
  await sim('DELETE', `/_admin/faults/${ackFault.id}`);
  await waitFor(async () => (await sim('GET', '/_admin/events')).every((e) => e.acquitte),
    { timeoutMs: 20_000, what: 'every event acked' });
  assert.equal((await told(youngB, 'Nouveau rendez-vous')).length, 1, 'delivered again, told once');

  // 6. The session started: the counselor closes it, A present, B absent.
  const clock = await fetch(`${stack.baseUrl}/_test/horloge`, { method: 'POST', body: JSON.stringify({ offset_ms: 30 * MINUTE }) });
  assert.equal(clock.status, 200);
  await counselor.goto(`${stack.baseUrl}/agenda/sessions/${id}`);
  await counselor.getByText('Cet événement est passé et doit être clos.').waitFor();
  await counselor.goto(`${stack.baseUrl}/agenda/sessions/${id}/clore`);
  const instances = await held(id);
  await counselor.locator(`#present-${instances['100031'].idInstanceSession}`).check({ force: true });
  await visit(counselor, 'session-story-clore');
  await counselor.getByRole('button', { name: 'Clore la session' }).click();
  await counselor.getByText('La session a bien été close.').waitFor();
  const after = await held(id);
  assert.equal(after['100031'].statut, 'ACHIEVED');
  assert.equal(after['100034'].statut, 'REFUSAL_YOUNG');
  const puts = (await sim('GET', '/_admin/requests')).filter((c) => c.method === 'PUT');
  assert.deepEqual(JSON.parse(puts.find((c) => c.path.includes('/100034/')).body),
    { statut: 'REFUSAL_YOUNG', commentaire: 'Absence' });
  assert.equal(JSON.parse(puts.find((c) => c.path.includes('/100031/')).body).statut, 'ACHIEVED');

  // 7. The feed brings the closing's echoes: nobody is told anything more.
  await waitFor(async () => (await sim('GET', '/_admin/events')).every((e) => e.acquitte),
    { timeoutMs: 20_000, what: 'the closing’s events acked' });
  await fetch(`${stack.baseUrl}/_test/horloge`, { method: 'POST', body: JSON.stringify({ offset_ms: 0 }) });
  for (const [young, n] of [[youngA, 1], [youngB, 1]])
    assert.equal((await told(young, 'Nouveau rendez-vous')).length, n);
  assert.equal((await told(youngB, 'Rendez-vous supprimé')).length, 0, 'absent from a past session: no news');
});
