// search.test.mjs — "Rechercher un message" in Chromium with axe (messaging.md §6,
// acceptance scenario 9): the field's errors, "2 résultats trouvés" for "cv" across a text
// and a file name, highlights that never let message text become markup, accents, a
// deleted message left out, "Aller au message" opening an old message focused with the
// links around it, and a search that does not mark the conversation read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, httpClient, waitForMails, extractLink } from './harness.mjs';

let stack, browser, page, who;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await page.goto(stack.baseUrl + '/connexion');
  await page.getByLabel('Adresse e-mail').fill('camille.martin@cej-demo.fr');
  await page.getByLabel('Mot de passe', { exact: true }).fill('Conseiller1!');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/portefeuille$/);
  who = await add('100010');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function add(number) {
  await page.goto(stack.baseUrl + '/portefeuille/ajouter');
  await page.getByLabel('Numéro de dossier').fill(number);
  await page.getByRole('button', { name: 'Valider le numéro' }).click();
  const dd = page.locator('.cej-dossier dd');
  const first = (await dd.nth(0).textContent()).trim();
  const email = (await dd.nth(4).textContent()).trim();
  await page.locator('label[for=dispositif-cej]').click();
  await page.getByRole('button', { name: 'Créer le compte' }).click();
  await page.getByRole('link', { name: 'Voir le détail du bénéficiaire' }).click();
  await page.waitForURL(/\/beneficiaires\/[0-9a-f-]{36}$/);
  return { id: page.url().split('/').pop(), first, email };
}

// The beneficiary writes, over plain HTTP (activated once, from the demo outbox's link).
let young;
async function beneficiarySays(text) {
  const c = young || await activate();
  const html = await (await c.get('/app/messages')).text();
  const r = await c.form('/app/messages', { _csrf: c.csrfFrom(html), message: text });
  assert.equal(r.status, 303);
}

async function activate() {
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(who.email)));
  const token = extractLink(mails.find((x) => x.to.includes(who.email)).text, '/app/activation/').split('/').pop();
  const c = httpClient(stack.baseUrl);
  let html = await (await c.get(`/app/activation/${token}`)).text();
  let r = await c.form(`/app/activation/${token}`, { _csrf: c.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await c.get('/app/connexion')).text();
  r = await c.form('/app/connexion', { _csrf: c.csrfFrom(html), email: who.email, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  young = c;
  return c;
}

// A counselor's message sent without the page (the composer's POST).
async function send(text) {
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
  const r = await page.request.post(`${stack.baseUrl}/conversations/${who.id}`, {
    form: { _csrf: csrf, message: text }, headers: { Origin: stack.baseUrl }, maxRedirects: 0,
  });
  assert.equal(r.status(), 303);
}

const conversationUrl = () => `${stack.baseUrl}/conversations/${who.id}`;
const searchUrl = (q) => `${conversationUrl()}/recherche?q=${encodeURIComponent(q)}`;
const status = () => page.locator('#resultats-statut[role=status]');
const counter = () => status().textContent().then((t) => t.trim());
const unreadTile = async () => {
  await page.goto(`${stack.baseUrl}/messagerie`);
  return page.locator('.cej-conv', { hasText: who.first }).locator('.cej-conv__unread').count();
};

// Each test runs alone (--test-name-pattern): the messages of the first test that the
// last one searches (an accented one, one written as markup, a deleted one) are sent when
// this process has not sent them yet.
const ELEVE = 'Une Élève très motivée';
const INJECTION = 'Test <img src=x onerror="document.body.dataset.pwned=1"><b>injection</b> & "guillemets"';
const DRAFT = 'Brouillon à supprimer';
let storySent = false;
async function sendStory() {
  await page.goto(conversationUrl());
  await send(ELEVE);
  await send(INJECTION);
  await send(DRAFT);
  await page.goto(conversationUrl());
  const draft = page.locator('.cej-bubble', { hasText: DRAFT });
  await draft.locator('summary').click();
  await draft.getByRole('button', { name: 'Supprimer le message' }).click();
  await page.getByText('Vous avez supprimé ce message').waitFor();
  storySent = true;
}

test('scenario 9: "cv" finds the text and the file name, "Aller au message" focuses it', async () => {
  await page.goto(conversationUrl());
  await page.getByLabel('Message').fill('Mon CV');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('.cej-bubble', { hasText: 'Mon CV' }).waitFor();
  await page.getByLabel('Ajouter une pièce jointe').setInputFiles({
    name: 'cv_lea.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
  });
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('.cej-bubble', { hasText: 'cv_lea.pdf' }).waitFor();
  await sendStory();
  // Ten more: "Mon CV" leaves the newest ten the conversation opens on.
  for (let i = 1; i <= 10; i++) await send(`Message de suivi n°${i}`);
  await page.goto(conversationUrl());
  assert.equal(await page.locator('.cej-bubble', { hasText: 'Mon CV' }).count(), 0);

  // The header's menu opens the search.
  await page.getByRole('link', { name: 'Rechercher un message' }).click();
  await page.waitForURL(/\/recherche$/);
  await page.getByRole('heading', { name: 'Rechercher un message' }).waitFor();
  await visit(page, 's01-recherche');
  // Something unread meanwhile, to see that searching does not read it.
  await beneficiarySays('Bonjour, une question');
  assert.equal(await unreadTile(), 1);

  await page.goto(`${conversationUrl()}/recherche`);
  await page.getByLabel('Rechercher dans la conversation').fill('cv');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.waitForURL(/\/recherche\?q=cv$/);
  assert.equal(await counter(), '2 résultats trouvés');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'resultats');
  assert.deepEqual(await page.locator('mark').allTextContents(), ['cv', 'CV'], 'newest first');
  const results = page.locator('.cej-thread .cej-bubble');
  assert.match(await results.nth(0).textContent(), /cv_lea\.pdf/);
  assert.match(await results.nth(1).textContent(), /Vous · \d\dh\d\d\s+Mon CV/);
  await page.locator('.cej-thread__day', { hasText: 'Aujourd’hui' }).waitFor();
  assert.equal(await page.getByLabel('Rechercher dans la conversation').inputValue(), 'cv');
  await visit(page, 's02-resultats');

  // "Aller au message" on the older one: a window holding it, the message focused.
  await results.nth(1).getByRole('link', { name: /Aller au message/ }).click();
  await page.waitForURL(/\/conversations\/[0-9a-f-]{36}\?depuis=\d+_[0-9a-f-]{36}#message-[0-9a-f-]{36}$/);
  const focused = await page.evaluate(() => ({
    id: document.activeElement.id, text: document.activeElement.textContent,
  }));
  assert.match(focused.id, /^message-/);
  assert.equal(focused.id, page.url().split('#')[1]);
  assert.match(focused.text, /Mon CV/);
  await page.getByText('Aucun message plus ancien').waitFor();
  assert.equal(await page.locator('.cej-thread .cej-bubble').count(), 10);
  await visit(page, 's03-aller-au-message');
  assert.equal(await unreadTile(), 1, 'neither the search nor its window mark it read');

  // The links around the window: newer ones, then back to the newest.
  await page.goBack();
  await page.getByRole('link', { name: 'Voir messages plus récents' }).click();
  await page.getByText('Message de suivi n°10').waitFor();
  await page.getByRole('link', { name: 'Voir messages plus anciens' }).click();
  await page.locator('.cej-bubble', { hasText: 'Mon CV' }).waitFor();
  await page.getByRole('link', { name: 'Voir les derniers messages' }).click();
  await page.waitForURL(/\/conversations\/[0-9a-f-]{36}#dernier$/);
  assert.equal(await page.getByRole('link', { name: 'Voir les derniers messages' }).count(), 0);
  assert.equal(await unreadTile(), 0, 'the newest messages displayed: read');
});

test('the field: empty and too long are refused with the spec’s messages', async () => {
  await page.goto(`${conversationUrl()}/recherche`);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByText('Le formulaire contient 1 erreur(s).').waitFor();
  const field = page.getByLabel('Rechercher dans la conversation');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#recherche-erreur').textContent(),
    'Le champ “Recherche” est vide. Renseignez une recherche.');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'erreurs');
  assert.equal(await status().textContent(), '', 'no counter');
  await visit(page, 's04-recherche-vide');
  const blank = await page.request.get(searchUrl('   '));
  assert.equal(blank.status(), 400);
  const long = await page.request.get(searchUrl('é'.repeat(101)));
  assert.equal(long.status(), 400);
  assert.match(await long.text(), /Vous avez dépassé le nombre maximal de caractères\. Retirez des caractères\./);
  assert.equal((await page.request.get(searchUrl('é'.repeat(100)))).status(), 200);
  // A window position that means nothing: 400, as for "Voir messages plus anciens".
  assert.equal((await page.request.get(`${conversationUrl()}?depuis=nimporte`)).status(), 400);
  assert.equal((await page.request.get(`${conversationUrl()}/fil?depuis=nimporte`)).status(), 400);
});

test('accents, escaping, deleted messages, no result, back to the conversation', async () => {
  if (!storySent) await sendStory();
  await page.goto(searchUrl('ELEVE'));
  assert.equal(await counter(), '1 résultat trouvé');
  assert.deepEqual(await page.locator('mark').allTextContents(), ['Élève']);

  // Message text stays text: no element, no script, the marks only.
  await page.goto(searchUrl('injection'));
  assert.equal(await counter(), '1 résultat trouvé');
  const result = page.locator('.cej-thread .cej-bubble');
  assert.match(await result.textContent(), /Test <img src=x onerror="document\.body\.dataset\.pwned=1"><b>injection<\/b> & "guillemets"/);
  assert.equal(await result.locator('img, b').count(), 0);
  assert.deepEqual(await result.locator('mark').allTextContents(), ['injection']);
  assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
  await page.goto(searchUrl('<b>'));
  assert.deepEqual(await page.locator('mark').allTextContents(), ['<b>']);

  await page.goto(searchUrl('brouillon'));
  assert.equal(await counter(), 'Aucun résultat trouvé', 'a deleted message is not found');
  assert.equal(await page.locator('.cej-thread').count(), 0);
  await visit(page, 's05-aucun-resultat');

  await page.getByRole('link', { name: 'Retour à la conversation' }).click();
  await page.waitForURL(new RegExp(`/conversations/${who.id}$`));
  await page.getByRole('heading', { name: /Discuter avec/ }).waitFor();
});
