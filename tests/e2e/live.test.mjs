// live.test.mjs — one conversation seen from two browser contexts side by side: the counselor
// in the web space and the beneficiary in the app, each page open and never reloaded while
// the other one acts (messaging.md §3, §4, §5, acceptance scenario 1; DESIGN §6). What
// travels over the live streams: a new message both ways, the read receipts both ways, the
// column's "Nouveau message", an edit and a deletion; and the pin keeps the conversation on
// top of the list when another one is newer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary, waitForStream,
  waitFor,
} from './harness.mjs';

const LIVE_MS = 2000; // messaging.md §3: "within 2 s without a reload"

let stack, browser, counselor, young, lea, other, counselorId;

const sql = (q) => stack.sql(q);

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  counselor = await counselorPage(browser, stack, 'camille.martin@cej-demo.fr');
  lea = await addBeneficiary(counselor, stack, '100031');
  other = await addBeneficiary(counselor, stack, '100032');
  young = await activateBeneficiary(browser, stack, lea);
  counselorId = sql(`SELECT counselor_id FROM beneficiary WHERE id = '${lea.id}'`);
  assert.match(counselorId, /^[0-9a-f-]{36}$/);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// Marks the page so that a reload (which would lose the mark) is seen.
const markNoReload = (page) => page.evaluate(() => { window.cejNoReload = true; });
const stillNoReload = async (page, what) =>
  assert.equal(await page.evaluate(() => window.cejNoReload), true, `${what}: the page was reloaded`);

// Opens both pages and waits until both streams are subscribed.
async function openBoth(counselorPath) {
  await counselor.goto(stack.baseUrl + counselorPath);
  await young.goto(stack.baseUrl + '/app/messages');
  await waitForStream(stack, `counselor:${counselorId}`);
  await waitForStream(stack, `beneficiary:${lea.id}`);
  await markNoReload(counselor);
  await markNoReload(young);
}

async function youngSends(text) {
  await young.getByLabel('Ton message…').fill(text);
  await young.getByRole('button', { name: 'Envoyer le message' }).click();
  await young.locator('.cej-msg--own', { hasText: text }).waitFor();
}

// Each test runs alone (--test-name-pattern): the exchange of the second test that later
// ones read (the counselor's message, the beneficiary's answer) is made when missing.
const QUESTION = 'Bonjour Léa, envoyez-le moi et je le relis ce soir.';
const ANSWER = 'Merci, je vous l’envoie demain.';
async function ensureExchange() {
  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  if (await counselor.locator('.cej-bubble', { hasText: ANSWER }).count()) return;
  await counselor.getByLabel('Message').fill(QUESTION);
  await counselor.getByRole('button', { name: 'Envoyer' }).click();
  await counselor.locator('.cej-bubble--mine', { hasText: QUESTION }).waitFor();
  await young.goto(stack.baseUrl + '/app/messages');
  await youngSends(ANSWER);
}

test('the beneficiary writes: the counselor’s column shows it live; the counselor opens it: “Lu” on the app', async () => {
  await openBoth('/portefeuille');
  await visit(young, 'live01-app-vide');
  await youngSends('Bonjour, j’ai une question sur mon CV');
  // The app's own send reloads the app page (plain POST without the enhanced composer);
  // only the counselor's page must not reload.
  const tile = counselor.locator('.cej-conv', { hasText: lea.name });
  const t0 = Date.now();
  await tile.locator('.cej-conv__unread', { hasText: 'Nouveau message' }).waitFor({ timeout: LIVE_MS });
  assert.ok(Date.now() - t0 < LIVE_MS);
  assert.match(await tile.locator('.cej-conv__preview').textContent(), new RegExp(`${lea.first} : Bonjour, j’ai une question`));
  await stillNoReload(counselor, 'column');
  await visit(counselor, 'live02-colonne-nouveau-message');

  // The counselor opens the conversation: the beneficiary's "Envoyé" becomes "Lu" live.
  await young.goto(stack.baseUrl + '/app/messages');
  await waitForStream(stack, `beneficiary:${lea.id}`);
  await markNoReload(young);
  const mine = young.locator('.cej-msg--own', { hasText: 'Bonjour, j’ai une question' }).locator('.cej-msg__meta');
  assert.match(await mine.textContent(), /· Envoyé$/);
  await tile.locator('a').click();
  await counselor.waitForURL(new RegExp(`/conversations/${lea.id}$`));
  await young.waitForFunction(() => [...document.querySelectorAll('.cej-msg--own .cej-msg__meta')]
    .some((m) => /· Lu$/.test(m.textContent)), null, { timeout: LIVE_MS });
  await stillNoReload(young, 'read receipt');
});

test('the counselor answers: the app shows it live and reads it; the counselor’s bubble turns “Lu” live', async () => {
  await openBoth(`/conversations/${lea.id}`);
  await counselor.getByLabel('Message').fill('Bonjour Léa, envoyez-le moi et je le relis ce soir.');
  await counselor.getByRole('button', { name: 'Envoyer' }).click();
  // The counselor's send is a plain POST + redirect: the counselor's page reloads, the app's not.
  const t0 = Date.now();
  await young.getByText('Bonjour Léa, envoyez-le moi et je le relis ce soir.').waitFor({ timeout: LIVE_MS });
  assert.ok(Date.now() - t0 < LIVE_MS);
  await stillNoReload(young, 'message');
  await young.locator('#messages-annonce').getByText('1 nouveau message de ton conseiller').waitFor({ timeout: LIVE_MS });
  // The app's open page read it: the counselor's bubble and tile say "Lu" without a reload.
  await waitForStream(stack, `counselor:${counselorId}`);
  await markNoReload(counselor);
  const bubble = counselor.locator('.cej-bubble--mine', { hasText: 'je le relis ce soir' });
  await bubble.filter({ hasText: '· Lu' }).waitFor({ timeout: LIVE_MS });
  await stillNoReload(counselor, 'read receipt');
  await visit(counselor, 'live03-conversation-lu');
  await visit(young, 'live04-app-conversation');

  // The beneficiary answers from the app: it appears in the open conversation.
  await youngSends('Merci, je vous l’envoie demain.');
  await counselor.locator('.cej-bubble', { hasText: 'Merci, je vous l’envoie demain.' }).waitFor({ timeout: LIVE_MS });
  await stillNoReload(counselor, 'answer');
});

test('an edit and a deletion by the counselor reach the open app page', async () => {
  await ensureExchange();
  await openBoth(`/conversations/${lea.id}`);
  // Edit the counselor's message (the no-JavaScript path: a page of its own, then back).
  await counselor.locator('.cej-bubble--mine', { hasText: 'je le relis ce soir' }).locator('summary').click();
  await counselor.getByRole('link', { name: 'Modifier le message' }).click();
  await counselor.getByLabel('Message').fill('Bonjour Léa, envoyez-le moi et je le relis demain matin.');
  await counselor.getByRole('button', { name: 'Enregistrer' }).click();
  const theirs = young.locator('.cej-msg', { hasText: 'je le relis demain matin' });
  await theirs.waitFor({ timeout: LIVE_MS });
  assert.match(await theirs.textContent(), /Modifié/);
  assert.equal(await young.getByText('je le relis ce soir').count(), 0);
  await stillNoReload(young, 'edit');

  // The counselor opens the edited message's menu; a message arriving meanwhile re-renders
  // the thread under it: the menu stays open, its focus kept.
  await waitForStream(stack, `counselor:${counselorId}`);  // "Enregistrer" reloaded the page
  await markNoReload(counselor);
  const edited = counselor.locator('.cej-bubble--mine', { hasText: 'je le relis demain matin' });
  await edited.locator('summary').click();
  await youngSends('Très bien, merci.');
  await counselor.locator('.cej-bubble', { hasText: 'Très bien, merci.' }).waitFor({ timeout: LIVE_MS });
  assert.equal(await edited.locator('details').evaluate((d) => d.open), true, 'the menu closed under the live swap');
  assert.equal(await edited.locator('summary').evaluate((s) => s === document.activeElement), true);
  await stillNoReload(counselor, 'menu kept open');
  await waitForStream(stack, `beneficiary:${lea.id}`);  // the app's send reloaded its page
  await markNoReload(young);
  await counselor.getByRole('button', { name: 'Supprimer le message' }).click();
  await counselor.getByText('Vous avez supprimé ce message').waitFor();
  await young.getByText('Message supprimé').waitFor({ timeout: LIVE_MS });
  assert.equal(await young.getByText('je le relis demain matin').count(), 0);
  await stillNoReload(young, 'deletion');
});

test('a followed conversation stays on top of the column when another one is newer', async () => {
  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  await counselor.getByRole('button', { name: 'Suivre la conversation' }).click();
  await counselor.getByRole('button', { name: 'Ne plus suivre la conversation' }).waitFor();
  // A newer message in another conversation.
  await counselor.goto(`${stack.baseUrl}/conversations/${other.id}`);
  await counselor.getByLabel('Message').fill('Bonjour, avez-vous pu activer votre compte ?');
  await counselor.getByRole('button', { name: 'Envoyer' }).click();
  await counselor.locator('.cej-bubble--mine', { hasText: 'activer votre compte' }).waitFor();
  await counselor.goto(`${stack.baseUrl}/messagerie`);
  const names = await counselor.locator('.cej-conv__name').allTextContents();
  assert.match(names[0], new RegExp(`Conversation suivie : ${lea.name}`));
  assert.match(names[1], new RegExp(other.name));

  // Unfollowed, the newest conversation comes first again.
  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  await counselor.getByRole('button', { name: 'Ne plus suivre la conversation' }).click();
  await counselor.getByRole('button', { name: 'Suivre la conversation' }).waitFor();
  await counselor.goto(`${stack.baseUrl}/messagerie`);
  const after = await counselor.locator('.cej-conv__name').allTextContents();
  assert.match(after[0], new RegExp(other.name));
});

test('“Masquer la messagerie” blurs the conversation content on every page until “Rendre visible la messagerie”', async () => {
  await ensureExchange();
  // The element's filter; a live refresh may swap the fragment under the locator (a
  // detached element has no computed style): read it again then.
  const blur = (loc) => waitFor(
    () => loc.evaluate((el) => (el.isConnected ? getComputedStyle(el).filter : '')),
    { timeoutMs: 5000, what: 'a connected element to read the filter of' });
  await counselor.goto(`${stack.baseUrl}/portefeuille`);
  const preview = counselor.locator('.cej-conv', { hasText: lea.name }).locator('.cej-conv__preview');
  await preview.waitFor();
  assert.equal(await blur(preview), 'none');
  await counselor.getByRole('button', { name: 'Masquer la messagerie' }).click();
  await counselor.waitForURL(/\/portefeuille$/);
  await preview.waitFor();
  assert.match(await blur(preview), /^blur/);
  await visit(counselor, 'live05-messagerie-masquee');
  // It holds on the conversation, where names and times stay readable.
  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  const bubble = counselor.locator('.cej-bubble', { hasText: 'Merci, je vous l’envoie demain.' });
  assert.match(await blur(bubble.locator('.cej-bubble__text')), /^blur/);
  assert.equal(await blur(bubble.locator('.cej-bubble__meta')), 'none');
  // The beneficiary's screen is not concerned.
  await young.goto(`${stack.baseUrl}/app/messages`);
  assert.equal(await blur(young.locator('.cej-msg').first()), 'none');
  await counselor.getByRole('button', { name: 'Rendre visible la messagerie' }).click();
  await counselor.waitForURL(new RegExp(`/conversations/${lea.id}$`));
  assert.equal(await blur(bubble.locator('.cej-bubble__text')), 'none');
});
