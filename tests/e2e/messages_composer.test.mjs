// messages_composer.test.mjs — the beneficiary's composer with JavaScript (youth-app.md §9,
// §14, §15; messaging.md §4): the draft kept on the device, "Envoi en cours" then "Envoyé"
// then "Lu", "L’envoi a échoué" with "Réessayer" when the network is lost or the answer
// never arrives — one message stored whatever the retries (the sending key) —, refusals
// under the field, "Copier", the plain form without JavaScript, and the device cleared at
// logout. axe-core on every state shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, waitForMails, extractLink, httpClient, csrfFrom, waitForStream,
} from './harness.mjs';

let stack, browser, young, referent, beneficiaryId;

const sql = (q) => stack.sql(q);
const messageCount = () => Number(sql(`SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.beneficiary_id = '${beneficiaryId}'`));
const KEY_ERROR = 'L’identifiant d’envoi du message est invalide. Recharge la page puis renvoie ton message.';

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  referent = httpClient(stack.baseUrl);
  let html = await (await referent.get('/connexion')).text();
  let r = await referent.form('/connexion', { _csrf: referent.csrfFrom(html), email: 'camille.martin@cej-demo.fr', password: 'Conseiller1!' });
  assert.equal(r.status, 303);
  html = await (await referent.get('/portefeuille/ajouter')).text();
  r = await referent.form('/portefeuille/ajouter/creer', { _csrf: referent.csrfFrom(html), dossier: '100031', dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  beneficiaryId = /([0-9a-f-]{36})$/.exec(decodeURIComponent(referent.cookie('cej_flash') || ''))[1];

  const email = (await stack.simAdmin('GET', '/_admin/dossiers/100031')).body.mail;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  const link = extractLink(mails.find((x) => x.to.includes(email)).text, '/app/activation/');
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
  young = await context.newPage();
  await young.goto(link.replace(/^https?:\/\/[^/]+/, stack.baseUrl));
  await young.getByLabel('Mot de passe', { exact: true }).fill('Jeune2026ok');
  await young.getByLabel('Confirmation du mot de passe').fill('Jeune2026ok');
  await young.getByRole('button', { name: 'Valider' }).click();
  await young.waitForURL(/\/app\/connexion$/);
  await young.getByLabel('Adresse e-mail').fill(email);
  await young.getByLabel('Mot de passe', { exact: true }).fill('Jeune2026ok');
  await young.getByRole('button', { name: 'Se connecter' }).click();
  await young.waitForURL(/\/app\/accueil$/);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const field = () => young.getByLabel('Ton message…');
const sendButton = () => young.getByRole('button', { name: 'Envoyer le message' });
// The page's own copies of messages not yet in the server's list, and the server's list.
const ownCopies = () => young.locator('#fil-envois .cej-msg');
const listed = () => young.locator('#fil .cej-msg--own');
const announced = (t) => young.locator('#messages-annonce').getByText(t, { exact: true }).waitFor();
const stored = () => JSON.parse(sql(`SELECT json_group_array(m.client_key) FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.beneficiary_id = '${beneficiaryId}'`));

// What the app keeps in localStorage (DSFR keeps its colour scheme there too).
const appKeys = () => young.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cej:')));

async function openMessages() {
  await young.goto(stack.baseUrl + '/app/messages');
  await young.evaluate(() => { window.cejNoReload = true; });
}

// Waits until the page's event stream is subscribed (the test endpoint counts deliveries).
function streamReady(ms = 10000) {
  return waitForStream(stack, `beneficiary:${beneficiaryId}`, ms);
}

// How many times the counselor's conversation shows @text.
async function counselorSees(text) {
  const html = await (await referent.get(`/conversations/${beneficiaryId}/fil`)).text();
  return html.split(text).length - 1;
}

async function counselorSays(message) {
  const csrf = referent.csrfFrom(await (await referent.get('/portefeuille')).text());
  const r = await referent.form(`/conversations/${beneficiaryId}`, { _csrf: csrf, message });
  assert.equal(r.status, 303);
}

// POSTs as the beneficiary outside the page (the browser's cookies and session token).
async function post(fields, headers = {}) {
  const req = young.context().request;
  const csrf = csrfFrom(await (await req.get(stack.baseUrl + '/app/messages')).text());
  return req.post(stack.baseUrl + '/app/messages', {
    form: { _csrf: csrf, ...fields }, headers: { origin: stack.baseUrl, ...headers }, maxRedirects: 0,
  });
}

test('the draft stays on the device, per account, until the message is sent', async () => {
  await openMessages();
  await field().fill('Bonjour, je voulais vous dire');
  await young.reload();
  assert.equal(await field().inputValue(), 'Bonjour, je voulais vous dire');
  assert.deepEqual(await appKeys(), [`cej:messages:${beneficiaryId}`], 'one entry, named after the account');
  await field().fill('Bonjour, je voulais vous dire que je serai là lundi');
  await young.goto(stack.baseUrl + '/app/suivi');
  await young.goto(stack.baseUrl + '/app/messages');
  assert.equal(await field().inputValue(), 'Bonjour, je voulais vous dire que je serai là lundi');
});

test('a message shows “Envoi en cours”, then the server’s “Envoyé”, then “Lu”', async () => {
  await openMessages();
  // The draft the first test leaves on the device, typed here when this test runs alone.
  if (await field().inputValue() === '') await field().fill('Bonjour, je voulais vous dire que je serai là lundi');
  await streamReady();
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await young.route('**/app/messages', async (route) => {
    if (route.request().method() === 'POST') await gate;
    await route.continue();
  });
  await sendButton().click();
  const copy = ownCopies().last();
  await copy.getByText('Envoi en cours').waitFor();
  assert.match(await copy.textContent(), /Mon message : Bonjour, je voulais vous dire que je serai là lundi/);
  assert.equal(await field().inputValue(), '', 'the field is ready for the next message');
  assert.equal(await sendButton().isEnabled(), true);
  await announced('Envoi en cours');
  await visit(young, 'mc01-envoi-en-cours');
  assert.equal(messageCount(), 0);
  release();
  await young.waitForFunction(() => document.querySelectorAll('#fil-envois .cej-msg').length === 0);
  const mine = listed().last();
  assert.match(await mine.locator('.cej-msg__meta').textContent(), /^\d\dh\d\d · Envoyé$/);
  assert.match(await mine.textContent(), /je serai là lundi/);
  await announced('Message envoyé');
  await young.unroute('**/app/messages');
  assert.equal(messageCount(), 1);
  assert.equal(await counselorSees('je serai là lundi'), 1);
  // Sent: nothing is left on the device, after a reload neither.
  assert.deepEqual(await young.evaluate((k) => JSON.parse(localStorage.getItem(k)), `cej:messages:${beneficiaryId}`),
    { brouillon: '', envois: [] });
  // The counselor opens the conversation: "Lu" on the open page.
  assert.equal((await referent.get(`/conversations/${beneficiaryId}`)).status, 200);
  await young.waitForFunction(() => /· Lu$/.test([...document.querySelectorAll('#fil .cej-msg--own .cej-msg__meta')].pop().textContent),
    null, { timeout: 2000 });
  assert.equal(await young.evaluate(() => window.cejNoReload), true, 'no reload');
  await young.reload();
  assert.equal(await field().inputValue(), '');
  assert.equal(await ownCopies().count(), 0);
});

test('offline: “L’envoi a échoué” with “Réessayer”, kept through a refresh, resent only on request, stored once', async () => {
  await openMessages();
  await streamReady();
  const before = messageCount();
  await young.context().setOffline(true);
  await field().fill('Je ne pourrai pas venir mardi');
  await sendButton().click();
  const copy = ownCopies().last();
  await copy.getByText('L’envoi a échoué').waitFor();
  await announced('L’envoi a échoué');
  assert.equal(await copy.getByRole('button', { name: 'Réessayer' }).count(), 1);
  assert.match(await copy.textContent(), /Mon message : Je ne pourrai pas venir mardi/);
  await visit(young, 'mc02-echec');

  // Back online: nothing is resent by itself. Every send the page makes from now on is
  // counted (instead of sleeping and hoping a resend would have shown by then): none
  // until "Réessayer" is clicked, through the reload too. The list, fetched again when
  // the counselor writes, keeps the failed message.
  let sends = 0;
  const countSends = (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/app/messages') sends++;
  };
  young.on('request', countSends);
  await young.context().setOffline(false);
  await counselorSays('As-tu reçu mon message ?');
  await young.locator('#fil').getByText('As-tu reçu mon message ?').waitFor({ timeout: 10000 });
  assert.equal(messageCount(), before + 1, 'only the counselor’s message');
  assert.equal(await copy.getByText('L’envoi a échoué').count(), 1);

  // A reload keeps it too (it waits on the device).
  await young.reload();
  const kept = ownCopies().last();
  await kept.getByText('L’envoi a échoué').waitFor();
  assert.match(await kept.textContent(), /Je ne pourrai pas venir mardi/);
  assert.equal(sends, 0, 'nothing resent by itself, online or after the reload');
  assert.equal(messageCount(), before + 1, 'still only the counselor’s message');
  await kept.getByRole('button', { name: 'Réessayer' }).click();
  await young.waitForFunction(() => document.querySelectorAll('#fil-envois .cej-msg').length === 0);
  young.off('request', countSends);
  assert.equal(sends, 1, 'sent once, on request');
  assert.match(await listed().last().textContent(), /Je ne pourrai pas venir mardi/);
  assert.match(await listed().last().locator('.cej-msg__meta').textContent(), / · Envoyé$/);
  assert.equal(messageCount(), before + 2);
  assert.equal(await counselorSees('Je ne pourrai pas venir mardi'), 1);
});

test('an answer lost on the way: “Réessayer” finds the message stored, no duplicate', async () => {
  await openMessages();
  await streamReady();
  const before = messageCount();
  // The server stores the message but the answer never reaches the page, nor the list
  // the event stream asks for.
  const lose = async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  };
  await young.route('**/app/messages', lose);
  await young.route('**/app/messages/fil', (route) => route.abort('internetdisconnected'));
  await field().fill('Mon numéro a changé');
  await sendButton().click();
  const copy = ownCopies().last();
  await copy.getByText('L’envoi a échoué').waitFor();
  assert.equal(messageCount(), before + 1);
  await young.unrouteAll();
  await copy.getByRole('button', { name: 'Réessayer' }).click();
  await young.waitForFunction(() => document.querySelectorAll('#fil-envois .cej-msg').length === 0);
  assert.equal(messageCount(), before + 1, 'the retry found the stored message');
  assert.equal(await counselorSees('Mon numéro a changé'), 1);
  assert.equal(await listed().filter({ hasText: 'Mon numéro a changé' }).count(), 1);

  // When the list arrives (event stream), the failed copy gives way to the stored message.
  await young.route('**/app/messages', lose);
  await field().fill('Et mon adresse aussi');
  await sendButton().click();
  await listed().filter({ hasText: 'Et mon adresse aussi' }).waitFor();
  await young.waitForFunction(() => document.querySelectorAll('#fil-envois .cej-msg').length === 0);
  await young.unrouteAll();
  assert.equal(messageCount(), before + 2);
});

test('a server error fails the send; a refused text goes back to the field with the spec’s message', async () => {
  await openMessages();
  await young.route('**/app/messages', (route) => (route.request().method() === 'POST'
    ? route.fulfill({ status: 503, contentType: 'text/html', body: '<p>Indisponible</p>' })
    : route.continue()));
  await field().fill('Une question sur le stage');
  await sendButton().click();
  await ownCopies().last().getByText('L’envoi a échoué').waitFor();
  await young.unroute('**/app/messages');
  await ownCopies().last().getByRole('button', { name: 'Réessayer' }).click();
  await young.waitForFunction(() => document.querySelectorAll('#fil-envois .cej-msg').length === 0);

  const before = messageCount();
  await field().fill('x'.repeat(5001));
  await sendButton().click();
  await young.getByText('Vous avez dépassé le nombre maximal de caractères. Retirez des caractères.').waitFor();
  assert.equal(await field().getAttribute('aria-invalid'), 'true');
  assert.equal(await field().getAttribute('aria-describedby'), 'message-erreur');
  assert.equal(await young.evaluate(() => document.activeElement.id), 'message', 'the focus is on the field in error');
  assert.equal((await field().inputValue()).length, 5001, 'the text is back in the field');
  assert.equal(await ownCopies().count(), 0);
  assert.equal(await young.evaluate(() => window.cejNoReload), true, 'no reload');
  await visit(young, 'mc03-trop-long');
  // An empty field is the plain form's: the page comes back with the message.
  await field().fill('   ');
  await sendButton().click();
  await young.getByText('Le champ “Message” est vide. Renseignez un message.').waitFor();
  assert.equal(messageCount(), before);
  // The next send clears the error.
  await field().fill('Finalement, tout va bien');
  await sendButton().click();
  await listed().filter({ hasText: 'Finalement, tout va bien' }).waitFor();
  assert.equal(await young.locator('#message-erreur').count(), 0);
  assert.equal(await field().getAttribute('aria-invalid'), null);
  assert.equal(messageCount(), before + 1);
});

test('over HTTP: one message per sending key, a malformed key is refused in French', async () => {
  const before = messageCount();
  const key = 'cle-de-test-0123456789';
  const json = { accept: 'application/json' };
  let r = await post({ message: 'Envoyé deux fois', cle_envoi: key }, json);
  assert.equal(r.status(), 201);
  const first = await r.json();
  assert.equal(first.cle_envoi, key);
  r = await post({ message: 'Envoyé deux fois', cle_envoi: key }, json);
  assert.equal(r.status(), 200);
  assert.equal((await r.json()).id, first.id);
  // The plain form too: a second POST with the key redirects without storing.
  r = await post({ message: 'Envoyé deux fois', cle_envoi: key });
  assert.equal(r.status(), 303);
  assert.equal(messageCount(), before + 1);
  assert.equal(stored().filter((k) => k === key).length, 1);

  for (const bad of ['court', 'x'.repeat(65), 'cle avec espaces 12345', 'clé-accentuée-0123456789', '']) {
    r = await post({ message: 'Bonjour', cle_envoi: bad }, json);
    assert.equal(r.status(), 400, bad);
    assert.deepEqual(await r.json(), { erreur: KEY_ERROR });
  }
  r = await post({ message: 'Bonjour', cle_envoi: 'court' });
  assert.equal(r.status(), 400);
  assert.match(await r.text(), new RegExp(KEY_ERROR));
  r = await post({ message: ' ', cle_envoi: 'cle-de-test-9876543210' }, json);
  assert.equal(r.status(), 400);
  assert.deepEqual(await r.json(), { erreur: 'Le champ “Message” est vide. Renseignez un message.' });
  assert.equal(messageCount(), before + 1);
});

test('“Copier” puts the message’s text in the clipboard and says “Message copié”', async () => {
  // Sent beforehand, so that no refresh of the list closes the menu meanwhile.
  const text = 'Mon CV est là : https://exemple.fr/cv?v=2, dites-moi.\nMerci';
  assert.equal((await post({ message: text })).status(), 303);
  await openMessages();
  const mine = listed().filter({ hasText: 'Mon CV est là' });
  await mine.locator('summary', { hasText: 'Paramètres du message' }).click();
  const copy = mine.getByRole('button', { name: 'Copier' });
  assert.equal(await copy.isVisible(), true);
  await visit(young, 'mc04-menu');
  await copy.click();
  await announced('Message copié');
  await mine.getByRole('button', { name: 'Message copié' }).waitFor();
  assert.equal(await young.evaluate(() => navigator.clipboard.readText()), text);
});

test('without JavaScript: no “Copier”, the plain form sends and redirects', async () => {
  assert.equal((await post({ message: 'Un message à moi' })).status(), 303);
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await young.context().storageState() });
  const page = await context.newPage();
  await page.goto(stack.baseUrl + '/app/messages');
  const own = page.locator('#fil .cej-msg--own').last();
  await own.locator('summary').click();
  assert.equal(await own.getByRole('button', { name: 'Copier' }).count(), 0);
  assert.equal(await own.getByRole('link', { name: 'Supprimer' }).count(), 1);
  const before = messageCount();
  await page.getByLabel('Ton message…').fill('Envoyé sans JavaScript');
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await page.waitForURL(/\/app\/messages#dernier$/);
  const sent = page.locator('#fil .cej-msg--own').last();
  assert.match(await sent.textContent(), /Envoyé sans JavaScript/);
  assert.match(await sent.locator('.cej-msg__meta').textContent(), / · Envoyé$/);
  assert.equal(messageCount(), before + 1);
  await context.close();
});

test('logout clears the draft and the unsent messages from the device', async () => {
  await openMessages();
  await young.context().setOffline(true);
  await field().fill('Pas envoyé');
  await sendButton().click();
  await ownCopies().last().getByText('L’envoi a échoué').waitFor();
  await field().fill('Un brouillon');
  await young.context().setOffline(false);
  assert.match(await young.evaluate((k) => localStorage.getItem(k), `cej:messages:${beneficiaryId}`), /Pas envoyé/);
  await young.goto(stack.baseUrl + '/app/profil');
  await young.getByRole('button', { name: 'Se déconnecter' }).click();
  await young.waitForURL((u) => !u.pathname.startsWith('/app/profil'));
  assert.deepEqual(await appKeys(), []);
});
