// messages_app.test.mjs — the beneficiary's Messages screen in Chromium, axe-core on every
// page (youth-app.md §9, messaging.md §1, §4, §5, §7): the empty conversation, the
// composer and its errors, "Envoyé" then "Lu", a counselor's message with the tab badge
// and its action card, live updates without reload, edit and delete of one's own message
// with their refusals, no attachment (no file control, multipart 403, reference 400), and
// the latest 20 messages with "Voir les messages plus anciens".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, waitForMails, extractLink, httpClient, csrfFrom, waitFor, waitForStream,
} from './harness.mjs';

let stack, browser, young, referent, beneficiaryId;

const sql = (q) => stack.sql(q);
const tomorrow = () => new Date(Date.now() + 86400000).toISOString().slice(0, 10);

async function counselor(email) {
  const c = httpClient(stack.baseUrl);
  const html = await (await c.get('/connexion')).text();
  const r = await c.form('/connexion', { _csrf: c.csrfFrom(html), email, password: 'Conseiller1!' });
  assert.equal(r.status, 303, `login ${email}`);
  return c;
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  referent = await counselor('camille.martin@cej-demo.fr');
  const csrf = referent.csrfFrom(await (await referent.get('/portefeuille/ajouter')).text());
  const r = await referent.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100031', dispositif: 'CEJ' });
  assert.equal(r.status, 303);
  beneficiaryId = /([0-9a-f-]{36})$/.exec(decodeURIComponent(referent.cookie('cej_flash') || ''))[1];

  const email = (await stack.simAdmin('GET', '/_admin/dossiers/100031')).body.mail;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(email)));
  const link = extractLink(mails.find((x) => x.to.includes(email)).text, '/app/activation/');
  young = await (await browser.newContext()).newPage();
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

const go = (p) => young.goto(stack.baseUrl + p);
const text = (t) => young.getByText(t, { exact: false }).first().waitFor();
const ownBubbles = () => young.locator('#fil .cej-msg--own');
const tab = () => young.getByRole('link', { name: /^Messages/ });
const messageCount = () => Number(sql(`SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.beneficiary_id = '${beneficiaryId}'`));

// POSTs as the beneficiary (the browser's cookies and session CSRF token).
async function post(p, fields = {}, multipart = null) {
  const req = young.context().request;
  const csrf = csrfFrom(await (await req.get(stack.baseUrl + '/app/messages')).text());
  const body = multipart ? { multipart: { _csrf: csrf, ...multipart } } : { form: { _csrf: csrf, ...fields } };
  return req.post(stack.baseUrl + p, { ...body, headers: { origin: stack.baseUrl }, maxRedirects: 0 });
}

// A counselor's message: through the counselor's conversation when that route exists (it
// publishes "message" to the beneficiary's stream), else as an action comment, followed by
// the event the counselor's page would publish.
async function counselorSays(message) {
  // The CSRF token from another page: opening the conversation would read it.
  const page = `/conversations/${beneficiaryId}`;
  const csrf = referent.csrfFrom(await (await referent.get('/portefeuille')).text());
  const r = await referent.form(page, { _csrf: csrf, message });
  assert.equal(r.status, 303);
}

// A counselor's action for the beneficiary, commented: an ACTION_COMMENT message.
async function actionComment(comment, who = beneficiaryId) {
  const form = `/beneficiaires/${who}/actions/nouvelle`;
  let csrf = referent.csrfFrom(await (await referent.get(form)).text());
  let r = await referent.form(form, {
    _csrf: csrf, categorie: 'EMPLOI', titre: 'Mettre à jour son CV', statut: 'a_faire', date_action: tomorrow(),
  });
  assert.equal(r.status, 303);
  const id = /\/actions\/([0-9a-f-]{36})/.exec(r.headers.get('location'))[1];
  csrf = referent.csrfFrom(await (await referent.get(`/actions/${id}`)).text());
  r = await referent.form(`/actions/${id}/commentaires`, { _csrf: csrf, commentaire: comment });
  assert.equal(r.status, 303);
  return id;
}

// Each test runs alone (--test-name-pattern): the beneficiary's first message (the first
// test's) and a counselor's message (the next tests') that the edit/delete test works on
// are sent over HTTP when the conversation has none.
const FIRST = 'Bonjour, j’ai une question sur mon CV : https://exemple.fr/cv?x=1&y=<b>.';
async function ensureExchange() {
  const count = (sender) => Number(sql(`SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id
    WHERE c.beneficiary_id = '${beneficiaryId}' AND m.sender_type = '${sender}'`));
  if (count('beneficiary') === 0) assert.equal((await post('/app/messages', { message: FIRST })).status(), 303);
  if (count('counselor') === 0) await counselorSays('Bonjour, je regarde ton CV ce soir');
}

test('an empty conversation, the composer’s errors, a message sent shows “Envoyé”', async () => {
  await go('/app/messages');
  await young.getByRole('heading', { level: 1, name: 'Camille MARTIN, ton conseiller' }).waitFor();
  await text('Commence une conversation avec ton conseiller');
  await text('Obtiens les informations que tu recherches en contactant directement ton conseiller');
  assert.equal(await tab().getAttribute('aria-current'), 'page');
  assert.equal(await young.locator('input[type=file]').count(), 0, 'no attachment control');
  await visit(young, 'ma01-vide');

  await young.getByRole('button', { name: 'Envoyer le message' }).click();
  await text('Le champ “Message” est vide. Renseignez un message.');
  assert.equal(await young.getByLabel('Ton message…').getAttribute('aria-invalid'), 'true');
  assert.equal(await young.evaluate(() => document.activeElement.id), 'message', 'the focus is on the field in error');
  await visit(young, 'ma02-vide-erreur');

  // With JavaScript the composer sends by fetch (messages_composer.test.mjs): a refused text
  // comes back under the field without a reload.
  await young.getByLabel('Ton message…').fill('x'.repeat(5001));
  await young.getByRole('button', { name: 'Envoyer le message' }).click();
  await text('Vous avez dépassé le nombre maximal de caractères. Retirez des caractères.');
  assert.equal((await young.getByLabel('Ton message…').inputValue()).length, 5001, 'the draft is kept');
  await visit(young, 'ma03-trop-long');
  assert.equal(messageCount(), 0);

  await young.getByLabel('Ton message…').fill(FIRST);
  await young.getByRole('button', { name: 'Envoyer le message' }).click();
  // The page's own copy gives way to the server's rendering.
  await young.locator('#fil .cej-msg--own').waitFor();
  await young.waitForFunction(() => document.querySelectorAll('#fil-envois .cej-msg').length === 0);
  const own = ownBubbles().last();
  assert.match(await own.textContent(), /Mon message : Bonjour, j’ai une question sur mon CV/);
  assert.match(await own.locator('.cej-msg__meta').textContent(), /^\d\dh\d\d · Envoyé$/);
  const link = own.getByRole('link', { name: /exemple\.fr\/cv/ });
  assert.equal(await link.getAttribute('href'), 'https://exemple.fr/cv?x=1&y=');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.match(await link.textContent(), /\(nouvelle fenêtre\)/);
  await text('Aujourd’hui');
  assert.equal(await young.getByText('Commence une conversation avec ton conseiller').count(), 0);
  await visit(young, 'ma04-envoye');
  assert.equal(sql(`SELECT sender_type || '|' || kind FROM message WHERE id = (SELECT max(id) FROM message)`), 'beneficiary|MESSAGE');
});

test('a counselor’s action comment: the Messages badge, its card, read on opening', async () => {
  // Away from Messages first: an open Messages page reads what arrives, live.
  await go('/app/suivi');
  const actionId = await actionComment('Pense à ajouter ton stage');
  await go('/app/suivi');
  assert.match(await tab().textContent(), /Messages\s*1\s*non lu\(s\)/);
  await tab().click();
  await young.waitForURL(/\/app\/messages$/);
  const theirs = young.locator('.cej-msg--counselor').last();
  await theirs.waitFor();
  assert.match(await theirs.textContent(), /Camille MARTIN/);
  assert.match(await theirs.textContent(), /Message de mon conseiller : Pense à ajouter ton stage/);
  assert.equal(await theirs.getByRole('link', { name: 'Voir l’action' }).getAttribute('href'), `/app/actions/${actionId}`);
  assert.equal(await theirs.locator('details').count(), 0, 'no menu on the counselor’s messages');
  await visit(young, 'ma05-commentaire-action');
  // Opening the screen read it: no badge any more, and the mark is stored.
  assert.doesNotMatch(await tab().textContent(), /non lu/);
  assert.ok(Number(sql(`SELECT beneficiary_last_read_at FROM conversation WHERE beneficiary_id = '${beneficiaryId}'`)) > 0);
  await theirs.getByRole('link', { name: 'Voir l’action' }).click();
  await young.waitForURL(new RegExp(`/app/actions/${actionId}$`));
});

test('live: a counselor’s message and the counselor’s reading reach the open page without reload', async () => {
  assert.equal((await post('/app/messages', { message: 'Vous avez pu regarder ?' })).status(), 303);
  await go('/app/messages');
  await young.evaluate(() => { window.cejNoReload = true; });
  // Wait until the page's stream is subscribed (the test endpoint counts deliveries).
  await waitForStream(stack, `beneficiary:${beneficiaryId}`);
  const t0 = Date.now();
  await counselorSays('Bonjour, je regarde ton CV ce soir');
  await young.getByText('Bonjour, je regarde ton CV ce soir').waitFor({ timeout: 2000 });
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(await young.evaluate(() => window.cejNoReload), true, 'no reload');
  await young.locator('#messages-annonce').getByText('1 nouveau message de ton conseiller').waitFor({ timeout: 2000 });
  // The fragment marked it read, since the page is open.
  const unread = () => Number(sql(`SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id
    WHERE c.beneficiary_id = '${beneficiaryId}' AND m.sender_type = 'counselor' AND m.created_at > c.beneficiary_last_read_at`));
  await waitFor(async () => unread() === 0 && !/non lu/.test(await tab().textContent()),
    { timeoutMs: 5000, what: 'the open page to mark the message read (no “non lu”, nothing unread stored)' });
  await visit(young, 'ma06-direct');

  // The counselor opens the conversation: "Envoyé" becomes "Lu" on the open page.
  const mine = ownBubbles().last().locator('.cej-msg__meta');
  assert.match(await mine.textContent(), / · Envoyé$/);
  assert.equal((await referent.get(`/conversations/${beneficiaryId}`)).status, 200);
  await young.waitForFunction(() => /· Lu$/.test([...document.querySelectorAll('.cej-msg--own .cej-msg__meta')].pop().textContent),
    null, { timeout: 2000 });
  assert.equal(await young.evaluate(() => window.cejNoReload), true, 'no reload');
});

test('edit and delete of one’s own message, and their refusals', async () => {
  await ensureExchange();
  await go('/app/messages');
  const own = ownBubbles().first();
  const id = (await own.getAttribute('id')).replace('message-', '');
  await own.locator('summary', { hasText: 'Paramètres du message' }).click();
  await visit(young, 'ma07-menu');
  await own.getByRole('link', { name: 'Modifier' }).click();
  await young.waitForURL(new RegExp(`/app/messages/${id}/modifier$`));
  await young.getByRole('heading', { name: 'Modifier le message' }).waitFor();
  assert.match(await young.getByLabel('Ton message').inputValue(), /^Bonjour, j’ai une question sur mon CV/);
  await visit(young, 'ma08-modifier');
  await young.getByLabel('Ton message').fill('   ');
  await young.getByRole('button', { name: 'Enregistrer' }).click();
  await text('Le champ “Message” est vide. Renseignez un message.');
  await visit(young, 'ma09-modifier-erreur');
  await young.getByLabel('Ton message').fill('Bonjour, ma question porte sur mon CV.');
  await young.getByRole('button', { name: 'Enregistrer' }).click();
  await young.waitForURL(new RegExp(`/app/messages#message-${id}$`));
  const edited = young.locator(`#message-${id}`);
  assert.match(await edited.textContent(), /Bonjour, ma question porte sur mon CV\./);
  assert.match(await edited.locator('.cej-msg__meta').textContent(), / · Modifié$/);
  assert.equal(Number(sql(`SELECT count(*) FROM message_edit WHERE message_id = '${id}'`)), 1);

  // The edit is also announced on the young person's own stream: the thread swapped in
  // meanwhile keeps the menu open (cej.js).
  await edited.locator('summary').click();
  await young.locator(`#message-${id}`).getByRole('link', { name: 'Supprimer' }).click();
  await young.waitForURL(new RegExp(`/app/messages/${id}/supprimer$`));
  await young.getByRole('heading', { name: 'Supprimer le message ?' }).waitFor();
  await text('Bonjour, ma question porte sur mon CV.');
  await visit(young, 'ma10-supprimer');
  await young.getByRole('button', { name: 'Supprimer' }).click();
  await young.waitForURL(new RegExp(`/app/messages#message-${id}$`));
  assert.match(await young.locator(`#message-${id}`).textContent(), /Vous avez supprimé ce message/);
  assert.equal(await young.locator(`#message-${id} details`).count(), 0);
  assert.doesNotMatch(await young.locator('#fil').textContent(), /ma question porte/);
  await visit(young, 'ma11-supprime');

  // Refusals: a deleted message, the counselor's message, someone else's, an unknown one.
  assert.equal((await go(`/app/messages/${id}/modifier`)).status(), 400);
  await text('Ce message a été supprimé.');
  await visit(young, 'ma12-refus-supprime');
  assert.equal((await post(`/app/messages/${id}/supprimer`)).status(), 400);
  const theirs = sql(`SELECT m.id FROM message m JOIN conversation c ON c.id = m.conversation_id
    WHERE c.beneficiary_id = '${beneficiaryId}' AND m.sender_type = 'counselor' LIMIT 1`);
  assert.equal((await go(`/app/messages/${theirs}/modifier`)).status(), 403);
  await text('Tu peux seulement modifier ou supprimer les messages que tu as écrits.');
  await visit(young, 'ma13-refus-auteur');
  assert.equal((await post(`/app/messages/${theirs}/modifier`, { message: 'Piraté' })).status(), 403);
  assert.equal((await post(`/app/messages/${theirs}/supprimer`)).status(), 403);
  // Another beneficiary of the same counselor, with a message in their conversation.
  const csrf = referent.csrfFrom(await (await referent.get('/portefeuille/ajouter')).text());
  assert.equal((await referent.form('/portefeuille/ajouter/creer', { _csrf: csrf, dossier: '100034', dispositif: 'CEJ' })).status, 303);
  const other = /([0-9a-f-]{36})$/.exec(decodeURIComponent(referent.cookie('cej_flash') || ''))[1];
  await actionComment('Pour quelqu’un d’autre', other);
  const elsewhere = sql(`SELECT m.id FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.beneficiary_id = '${other}' LIMIT 1`);
  assert.equal((await go(`/app/messages/${elsewhere}/modifier`)).status(), 404);
  await visit(young, 'ma14-introuvable');
  assert.equal((await go(`/app/messages/${elsewhere}/supprimer`)).status(), 404);
  assert.equal((await post(`/app/messages/${elsewhere}/supprimer`)).status(), 404);
  assert.equal((await go('/app/messages/pas-un-id/modifier')).status(), 404);
  assert.equal(sql(`SELECT CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END FROM message WHERE id = '${elsewhere}'`), '1');
});

test('no attachment from a beneficiary: a multipart upload is 403, a reference 400', async () => {
  const before = messageCount();
  const pdf = { name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') };
  let r = await post('/app/messages', null, { message: 'Voici mon CV', fichier: pdf });
  assert.equal(r.status(), 403);
  assert.match(await r.text(), /Tu ne peux pas envoyer de pièce jointe à ton conseiller\./);
  // A multipart form without a file is an ordinary message.
  r = await post('/app/messages', null, { message: 'Envoyé en multipart' });
  assert.equal(r.status(), 303);
  r = await post('/app/messages', { message: 'Voici mon CV', piece_jointe: '0190b6a0-0000-7000-8000-00000000dead' });
  assert.equal(r.status(), 400);
  assert.match(await r.text(), /Les pièces jointes ne sont pas autorisées\./);
  r = await post('/app/messages', { message: 'Voici mon CV', payload: '{"offer_id":"1"}' });
  assert.equal(r.status(), 400);
  assert.equal(messageCount(), before + 1);
  assert.equal((await post('/app/messages?avant=nimporte', { message: '' })).status(), 400);
});

test('the latest 20 messages, then “Voir les messages plus anciens”', async () => {
  const total = messageCount();
  for (let i = 1; messageCount() < 25 + 3; i++)
    assert.equal((await post('/app/messages', { message: `Message numéro ${i}` })).status(), 303);
  const n = messageCount();
  assert.ok(n >= 25 && total < n);
  await go('/app/messages');
  assert.equal(await young.locator('.cej-msg').count(), 20);
  const last = await young.locator('.cej-msg').last().textContent();
  assert.match(last, new RegExp(`Message numéro ${n - total}\\b`));
  await young.getByRole('link', { name: 'Voir les messages plus anciens' }).click();
  await young.waitForURL(/\/app\/messages\?avant=\d+_[0-9a-f-]{36}$/);
  assert.equal(await young.locator('.cej-msg').count(), n - 20);
  assert.equal(await young.getByRole('link', { name: 'Voir les messages plus anciens' }).count(), 0);
  await text('Voir les derniers messages');
  await visit(young, 'ma15-plus-anciens');
  assert.equal((await go('/app/messages?avant=nimporte')).status(), 400);
  assert.equal((await go('/app/messages/fil?avant=nimporte')).status(), 400);
  const fil = await young.context().request.get(stack.baseUrl + '/app/messages/fil');
  assert.equal(fil.status(), 200);
  const body = await fil.text();
  assert.doesNotMatch(body, /<html/);
  assert.match(body, /Message numéro/);
});

test('the counselor’s “message important” is pinned on top while it is shown', async () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const form = '/messagerie/message-important';
  let csrf = referent.csrfFrom(await (await referent.get(form)).text());
  let r = await referent.form(form, { _csrf: csrf, date_debut: today, date_fin: today, message: 'Agence fermée vendredi, infos : https://exemple.fr/ml' });
  assert.equal(r.status, 303);
  await go('/app/messages');
  const banner = young.locator('.cej-chat__important');
  await banner.getByText('Agence fermée vendredi').waitFor();
  assert.equal(await banner.getByRole('link', { name: /exemple\.fr\/ml/ }).getAttribute('target'), '_blank');
  await visit(young, 'ma16-message-important');
  csrf = referent.csrfFrom(await (await referent.get(form)).text());
  r = await referent.form(`${form}/desactiver`, { _csrf: csrf });
  assert.equal(r.status, 303);
  await go('/app/messages');
  assert.equal(await young.locator('.cej-chat__important').count(), 0);
});
