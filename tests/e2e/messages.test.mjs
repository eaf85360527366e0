// messages.test.mjs — the counselor's messaging in Chromium with axe: empty conversation,
// sending (errors, safe links), the list with its preview and read state, following,
// edit and delete of one's own message, access of other counselors, and live updates:
// a beneficiary's message and read receipt reach the open page without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, httpClient, waitForMails, extractLink, counselorPage, addBeneficiary } from './harness.mjs';

let stack, browser, page, who;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await login('camille.martin@cej-demo.fr');
  who = await add(page, '100010');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const login = (email) => counselorPage(browser, stack, email);
const add = (page, number) => addBeneficiary(page, stack, number);

// The beneficiary, logged in over plain HTTP (activation link from the demo outbox).
let youngClient;
async function young() {
  if (youngClient) return youngClient;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(who.email)));
  const link = extractLink(mails.find((x) => x.to.includes(who.email)).text, '/app/activation/');
  const token = link.split('/').pop();
  const c = httpClient(stack.baseUrl);
  let html = await (await c.get(`/app/activation/${token}`)).text();
  let r = await c.form(`/app/activation/${token}`, { _csrf: c.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await c.get('/app/connexion')).text();
  r = await c.form('/app/connexion', { _csrf: c.csrfFrom(html), email: who.email, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  youngClient = c;
  return c;
}

test('a conversation: empty, errors, a link, read state, follow, edit, delete', async () => {
  await page.goto(`${stack.baseUrl}/conversations/${who.id}`);
  await page.getByRole('heading', { name: `Discuter avec ${who.first} ${who.last.toUpperCase()}` }).waitFor();
  await page.getByText('Ceci est le début de votre conversation avec votre bénéficiaire.').waitFor();
  await page.getByText('Attention à nos propos').waitFor();
  await visit(page, 'm01-conversation-vide');

  // "Envoyer" waits for a text or a file; only blanks do not count.
  const send = page.getByRole('button', { name: 'Envoyer' });
  assert.equal(await send.isDisabled(), true);
  await page.getByLabel('Message').fill('   ');
  assert.equal(await send.isDisabled(), true);
  await page.getByLabel('Message').fill('Bonjour');
  assert.equal(await send.isDisabled(), false);
  await page.getByLabel('Message').fill('');
  assert.equal(await send.isDisabled(), true);
  // The server has the last word: an empty message posted anyway, then beyond 5,000
  // characters (the field stops at 5,000).
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
  const empty = await page.request.post(`${stack.baseUrl}/conversations/${who.id}`, {
    form: { _csrf: csrf, message: '  ' }, headers: { Origin: stack.baseUrl },
  });
  assert.equal(empty.status(), 400);
  assert.match(await empty.text(), /Le champ “Message” est vide/);
  const long = await page.request.post(`${stack.baseUrl}/conversations/${who.id}`, {
    form: { _csrf: csrf, message: 'x'.repeat(5001) }, headers: { Origin: stack.baseUrl },
  });
  assert.equal(long.status(), 400);

  await page.getByLabel('Message').fill('Bonjour, voici l’offre : https://exemple.fr/offre?x=1&y=<b>. À bientôt');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  const bubble = page.locator('.cej-bubble--mine').last();
  await bubble.waitFor();
  assert.match(await bubble.textContent(), /Vous · \d\dh\d\d · Envoyé/);
  const a = bubble.getByRole('link', { name: /exemple\.fr/ });
  assert.equal(await a.getAttribute('href'), 'https://exemple.fr/offre?x=1&y=');
  assert.equal(await a.getAttribute('target'), '_blank');
  assert.equal(await a.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await bubble.locator('b').count(), 0);   // escaped, never markup
  await page.getByText('Aujourd’hui', { exact: true }).waitFor();
  await visit(page, 'm02-conversation');

  // Follow: the button switches, the list puts it first with its preview.
  await page.getByRole('button', { name: 'Suivre la conversation' }).click();
  await page.getByRole('button', { name: 'Ne plus suivre la conversation' }).waitFor();
  await page.goto(`${stack.baseUrl}/messagerie`);
  const tile = page.locator('.cej-conv').first();
  assert.match(await tile.textContent(), new RegExp(`${who.first} ${who.last.toUpperCase()}`));
  assert.match(await tile.textContent(), /Conversation suivie/);
  assert.match(await tile.textContent(), /Vous : Bonjour, voici l’offre/);
  assert.match(await tile.textContent(), /Aujourd’hui à \d\dh\d\d · Non lu/);
  await visit(page, 'm03-messagerie');
  await page.getByLabel('Rechercher une conversation par nom').fill('zzzz');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByText('Aucune conversation ne correspond à « zzzz ».').waitFor();

  // Edit, then delete.
  await page.goto(`${stack.baseUrl}/conversations/${who.id}`);
  await page.locator('.cej-bubble--mine summary').last().click();
  await page.getByRole('link', { name: 'Modifier le message' }).click();
  await page.getByRole('heading', { name: 'Modifier le message' }).waitFor();
  await page.getByLabel('Message').fill('Bonjour, message corrigé.');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Bonjour, message corrigé.').waitFor();
  assert.match(await page.locator('.cej-bubble--mine').last().textContent(), /· Modifié/);
  await page.locator('.cej-bubble--mine summary').last().click();
  await page.getByRole('button', { name: 'Supprimer le message' }).click();
  await page.getByText('Vous avez supprimé ce message').waitFor();
});

test('other counselors: a colleague gets 403, another structure 404', async () => {
  const colleague = await login('yann.le-goff@cej-demo.fr');
  assert.equal((await colleague.request.get(`${stack.baseUrl}/conversations/${who.id}`)).status(), 403);
  const stranger = await login('sophie.durand@cej-demo.fr');
  assert.equal((await stranger.request.get(`${stack.baseUrl}/conversations/${who.id}`)).status(), 404);
});

test('live: the beneficiary’s message and read receipt reach the open page', async () => {
  const c = await young();
  await page.goto(`${stack.baseUrl}/conversations/${who.id}`);
  await page.getByLabel('Message').fill('Avez-vous reçu mon CV ?');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Avez-vous reçu mon CV ?').waitFor();
  // The portfolio counts it as unread by the beneficiary, until it is read.
  const unread = async () => {
    const p = await (await browser.newContext({ storageState: await page.context().storageState() })).newPage();
    await p.goto(`${stack.baseUrl}/portefeuille`);
    const n = (await p.locator('tr', { hasText: who.last.toUpperCase() }).locator('td').last().textContent()).trim();
    await p.context().close();
    return n;
  };
  assert.equal(await unread(), '1');
  // The beneficiary opens the conversation: "Lu" appears without a reload.
  const html = await (await c.get('/app/messages')).text();
  await page.locator('.cej-bubble--mine', { hasText: 'Avez-vous reçu mon CV ?' })
    .filter({ hasText: '· Lu' }).waitFor({ timeout: 2500 });
  // The beneficiary answers: the message appears without a reload.
  const r = await c.form('/app/messages', { _csrf: c.csrfFrom(html), message: 'Oui, merci !' });
  assert.equal(r.status, 303);
  await page.locator('.cej-bubble', { hasText: 'Oui, merci !' }).waitFor({ timeout: 2500 });
  assert.match(await page.locator('.cej-bubble', { hasText: 'Oui, merci !' }).textContent(), new RegExp(who.first));
  assert.equal(await unread(), '0');
});

test('attachments: accepted by content, refused by type, size and for a beneficiary', async () => {
  await page.goto(`${stack.baseUrl}/conversations/${who.id}`);
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  // A .png whose content is a PDF: refused by content.
  await page.getByLabel('Ajouter une pièce jointe').setInputFiles({ name: 'faux.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.4 faux') });
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Types acceptés : pdf, png, jpg, webp').first().waitFor();
  // Too big (5 MB + 1 byte of PDF).
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5242880 - 8)]);
  await page.getByLabel('Ajouter une pièce jointe').setInputFiles({ name: 'gros.pdf', mimeType: 'application/pdf', buffer: big });
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Taille du fichier supérieure à 5 Mo').first().waitFor();
  // A real PNG without text: the default text, a link to open it.
  await page.getByLabel('Ajouter une pièce jointe').setInputFiles({ name: 'attestation.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Envoyer' }).click();
  const bubble = page.locator('.cej-bubble--mine', { hasText: 'attestation.png' });
  await bubble.waitFor();
  assert.match(await bubble.textContent(), /Votre conseiller vous a transmis une nouvelle pièce jointe/);
  const href = await bubble.getByRole('link', { name: /Ouvrir la pièce jointe/ }).getAttribute('href');
  await visit(page, 'm04-piece-jointe');
  const res = await page.request.get(stack.baseUrl + href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'image/png');
  assert.match(res.headers()['content-disposition'], /^attachment;/);
  assert.match(res.headers()['cache-control'], /no-store/);
  assert.deepEqual(Buffer.from(await res.body()), png);
  // Another structure's counselor: 404; the colleague: 404 too (not a party).
  const stranger = await login('sophie.durand@cej-demo.fr');
  assert.equal((await stranger.request.get(stack.baseUrl + href)).status(), 404);
  const colleague = await login('yann.le-goff@cej-demo.fr');
  assert.equal((await colleague.request.get(stack.baseUrl + href)).status(), 404);
  // The beneficiary downloads it from the app; an upload with a beneficiary session: 403.
  const c = await young();
  const id = href.split('/').pop();
  const mine = await c.get(`/app/pieces-jointes/${id}`);
  assert.equal(mine.status, 200);
  assert.match(await (await c.get('/app/messages')).text(), new RegExp(`href="/app/pieces-jointes/${id}"`));
  const html = await (await c.get('/app/messages')).text();
  const form = new FormData();
  form.append('_csrf', c.csrfFrom(html));
  form.append('message', 'Voici mon CV');
  form.append('piece_jointe', new Blob([png], { type: 'image/png' }), 'cv.png');
  const up = await c.fetch('/app/messages', { method: 'POST', body: form, headers: { Origin: stack.baseUrl } });
  assert.equal(up.status, 403);
});

test('25 messages: 10 shown, then 20, then all 25 and “Aucun message plus ancien” (scenario 2)', async () => {
  const other = await add(page, '100011');
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
  for (let i = 1; i <= 25; i++) {
    const r = await page.request.post(`${stack.baseUrl}/conversations/${other.id}`, {
      form: { _csrf: csrf, message: `Message numéro ${i}` }, headers: { Origin: stack.baseUrl }, maxRedirects: 0,
    });
    assert.equal(r.status(), 303);
  }
  const shown = async () => (await page.locator('.cej-bubble .cej-bubble__text').allTextContents()).map((t) => t.trim());
  await page.goto(`${stack.baseUrl}/conversations/${other.id}`);
  let texts = await shown();
  assert.equal(texts.length, 10);
  assert.equal(texts[0], 'Message numéro 16');
  assert.equal(texts[9], 'Message numéro 25');
  await page.getByRole('link', { name: 'Voir messages plus anciens' }).click();
  await page.waitForURL(/nombre=20#message-/);
  texts = await shown();
  assert.equal(texts.length, 20);
  assert.equal(texts[0], 'Message numéro 6');
  // Back on the message that was the oldest shown: focused, so reading goes on from there.
  assert.equal(await page.evaluate(() => document.activeElement.textContent.includes('Message numéro 16')), true);
  await page.getByRole('link', { name: 'Voir messages plus anciens' }).click();
  await page.waitForURL(/nombre=30#message-/);
  texts = await shown();
  assert.equal(texts.length, 25);
  assert.deepEqual(texts, Array.from({ length: 25 }, (_, i) => `Message numéro ${i + 1}`));
  await page.getByText('Aucun message plus ancien').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Voir messages plus anciens' }).count(), 0);
  await visit(page, 'm05-conversation-25-messages');
});
