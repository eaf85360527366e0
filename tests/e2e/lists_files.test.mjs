// lists_files.test.mjs — a file in a multi-recipient message, in Chromium with axe-core
// (messaging.md §7 last rule, §8 "One optional attachment"): the file control and its chip,
// the spec's refusals on the multi-recipient page (a ZIP named .png, 5 MB and one byte), the
// empty text allowed with a file and refused without, a good file to pick again after another
// field's error; then a send to a list of two plus one beneficiary, made without JavaScript:
// three messages sharing one stored file that each recipient opens and downloads (same
// bytes), a beneficiary of the same counselor who did not receive it gets 404, the list's
// history names the file, and deleting one copy leaves the file to the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, httpClient, waitForMails, extractLink, counselorPage, addBeneficiary, csrfFrom,
} from './harness.mjs';

let stack, browser, page, b1, b2, b3, b4, listId, fileId;

const sql = (q) => stack.sql(q);
const PDF = Buffer.from('%PDF-1.4\n% Programme de l’atelier\n1 0 obj << >> endobj\n%%EOF\n');
const ZIP = Buffer.from('504b0304140000000800', 'hex');
const DEFAULT_TEXT = 'Votre conseiller vous a transmis une nouvelle pièce jointe :';

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await login('camille.martin@cej-demo.fr');
  b1 = await add(page, '100013');
  b2 = await add(page, '100016');
  b3 = await add(page, '100019');
  b4 = await add(page, '100010');   // in the portfolio, never a recipient
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const login = (email) => counselorPage(browser, stack, email);
const add = (page, number) => addBeneficiary(page, stack, number);

// Beneficiary @b activates the account and logs in over plain HTTP (once).
async function young(b) {
  if (b.client) return b.client;
  const mails = await waitForMails(stack.outboxDir, (m) => m.some((x) => x.to.includes(b.email)));
  const link = extractLink(mails.find((x) => x.to.includes(b.email)).text, '/app/activation/');
  const token = link.split('/').pop();
  const c = httpClient(stack.baseUrl);
  let html = await (await c.get(`/app/activation/${token}`)).text();
  let r = await c.form(`/app/activation/${token}`, { _csrf: c.csrfFrom(html), password: 'Jeune2026ok', confirmation: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  html = await (await c.get('/app/connexion')).text();
  r = await c.form('/app/connexion', { _csrf: c.csrfFrom(html), email: b.email, password: 'Jeune2026ok' });
  assert.equal(r.status, 303);
  b.client = c;
  return c;
}

const pick = (p, prefix, id) => p.locator(`label[for="${prefix}-${id}"]`).click();
const attach = (p, name, mimeType, buffer) => p.getByLabel('Ajouter une pièce jointe').setInputFiles({ name, mimeType, buffer });
const send = (p) => p.getByRole('button', { name: 'Envoyer', exact: true }).click();

// Each test runs alone (--test-name-pattern): what it needs from the earlier ones (the list
// "Atelier", the message with a file sent to it) it makes itself over HTTP when missing.

/** The id of Camille's list "Atelier" (b1, b2), created when there is none yet. */
async function ensureList() {
  const find = async () => {
    const html = await (await page.request.get(`${stack.baseUrl}/listes`)).text();
    return /href="\/listes\/([0-9a-f-]{36})\/modifier"[^>]*>\s*Atelier\s*</.exec(html)?.[1];
  };
  let id = await find();
  if (id) return id;
  const csrf = csrfFrom(await (await page.request.get(`${stack.baseUrl}/listes/nouvelle`)).text());
  const body = new URLSearchParams([['_csrf', csrf], ['titre', 'Atelier'], ['beneficiaires', b1.id], ['beneficiaires', b2.id]]);
  const r = await page.request.post(`${stack.baseUrl}/listes/nouvelle`, {
    data: body.toString(), headers: { Origin: stack.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' }, maxRedirects: 0,
  });
  assert.equal(r.status(), 303, `/listes/nouvelle: ${r.status()}`);
  id = await find();
  assert.ok(id, 'the list Atelier after its creation');
  return id;
}

/**
 * The second test's send (atelier.pdf, no text, to Atelier plus b3) made over HTTP when no
 * message carries a file yet; resolves to { listId, fileId }.
 */
async function ensureFileSent() {
  const id = await ensureList();
  if (sql("SELECT count(*) FROM message WHERE kind = 'MESSAGE_PJ'") === '0') {
    const url = `${stack.baseUrl}/messagerie/multi-destinataires`;
    const csrf = csrfFrom(await (await page.request.get(url)).text());
    const r = await page.request.post(url, {
      multipart: { _csrf: csrf, listes: id, beneficiaires: b3.id, message: '', piece_jointe: { name: 'atelier.pdf', mimeType: 'application/pdf', buffer: PDF } },
      headers: { Origin: stack.baseUrl }, maxRedirects: 0,
    });
    assert.equal(r.status(), 303, `multi-destinataires: ${r.status()}`);
  }
  return { listId: id, fileId: sql('SELECT id FROM attachment') };
}

test('the multi-recipient page: the file control, its chip, the spec’s refusals', async () => {
  // Made through the form here; the later tests make it over HTTP when they run alone.
  await page.goto(`${stack.baseUrl}/listes/nouvelle`);
  await page.getByLabel('Titre').fill('Atelier');
  await pick(page, 'b', b1.id);
  await pick(page, 'b', b2.id);
  await page.getByRole('button', { name: 'Créer la liste' }).click();
  await page.getByText('La liste a bien été créée').waitFor();
  listId = (await page.getByRole('link', { name: /Atelier/ }).getAttribute('href')).split('/')[2];

  await page.goto(`${stack.baseUrl}/messagerie/multi-destinataires`);
  await page.getByText('Un fichier de 5 Mo maximum. Types acceptés : pdf, png, jpg, webp.').waitFor();
  assert.equal(await page.locator('form.cej-form').getAttribute('enctype'), 'multipart/form-data');
  // The chip: the name and "Supprimer la pièce jointe {nom}", which empties the input.
  await attach(page, 'atelier.pdf', 'application/pdf', PDF);
  const remove = page.getByRole('button', { name: 'Supprimer la pièce jointe atelier.pdf' });
  await remove.waitFor();
  assert.match(await page.locator('.cej-file-chip').textContent(), /atelier\.pdf/);
  assert.equal(await page.locator('#piece-jointe').isVisible(), false);
  await visit(page, 'f01-multi-piece-jointe');
  await remove.click();
  assert.equal(await page.locator('.cej-file-chip').isVisible(), false);
  assert.equal(await page.locator('#piece-jointe').evaluate((i) => i.files.length), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'piece-jointe');

  // A ZIP named .png, recipients chosen, no text: the type error only (a file spares the
  // empty-text error).
  await pick(page, 'l', listId);
  await pick(page, 'b', b3.id);
  await attach(page, 'photo.png', 'image/png', ZIP);
  await send(page);
  await page.getByText('Le formulaire contient 1 erreur(s).').waitFor();
  assert.equal(await page.locator('#piece-jointe-erreur').textContent(), 'Types acceptés : pdf, png, jpg, webp');
  assert.equal(await page.locator('#message-erreur').count(), 0);
  assert.equal(await page.locator(`#l-${listId}`).isChecked(), true);
  assert.equal(await page.locator('#destinataires-compte').textContent(), 'Destinataires (3)');
  await visit(page, 'f02-multi-type-refuse');

  // 5 MB and one byte of PDF.
  await attach(page, 'gros.pdf', 'application/pdf', Buffer.concat([PDF, Buffer.alloc(5242881 - PDF.length)]));
  await send(page);
  await page.locator('#piece-jointe-erreur', { hasText: 'Taille du fichier supérieure à 5 Mo' }).waitFor();

  // No file, no text: the message error.
  await send(page);
  await page.locator('#message-erreur', { hasText: 'Le champ “Message” est vide. Renseignez un message.' }).waitFor();
  assert.equal(await page.locator('#piece-jointe-erreur').count(), 0);

  // A good file and a text but no recipient: the file must be picked again, and the page
  // says so; the text stays.
  await page.goto(`${stack.baseUrl}/messagerie/multi-destinataires`);
  await page.getByLabel('Message', { exact: true }).fill('Le programme');
  await attach(page, 'atelier.pdf', 'application/pdf', PDF);
  await send(page);
  await page.getByText('Le formulaire contient 1 erreur(s).').waitFor();
  assert.equal(await page.locator('#piece-jointe-rappel').textContent(),
    'La pièce jointe « atelier.pdf » n’a pas été conservée : sélectionnez-la à nouveau.');
  await page.locator('#erreurs').getByRole('link', { name: /n’a pas été conservée/ }).waitFor();
  assert.equal(await page.getByLabel('Message', { exact: true }).inputValue(), 'Le programme');
  await visit(page, 'f03-multi-a-reprendre');
  assert.equal(sql('SELECT count(*) FROM attachment'), '0');
  assert.equal(sql('SELECT count(*) FROM message'), '0');

  // CSRF is still checked on the multipart form.
  const forged = await page.request.post(`${stack.baseUrl}/messagerie/multi-destinataires`, {
    multipart: { _csrf: 'faux', beneficiaires: b3.id, piece_jointe: { name: 'atelier.pdf', mimeType: 'application/pdf', buffer: PDF } },
    headers: { Origin: stack.baseUrl },
  });
  assert.equal(forged.status(), 400);
  assert.equal(sql('SELECT count(*) FROM attachment'), '0');
});

test('without JavaScript: one file for a list of two plus one, each recipient downloads it', async () => {
  listId = await ensureList();
  const ctx = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const p = await ctx.newPage();
  await p.goto(`${stack.baseUrl}/messagerie/multi-destinataires`);
  await pick(p, 'l', listId);
  await pick(p, 'b', b3.id);
  await attach(p, 'atelier.pdf', 'application/pdf', PDF);
  await send(p);
  await p.waitForURL(/\/messagerie$/);
  await p.getByText('Votre message multi-destinataires a été envoyé en tant que message individuel à chacun des bénéficiaires').waitFor();
  await ctx.close();

  // Three individual MESSAGE_PJ sharing one broadcast and one stored file.
  assert.equal(sql('SELECT count(*) FROM message WHERE broadcast_id IS NOT NULL'), '3');
  assert.equal(sql("SELECT count(*) FROM message WHERE kind = 'MESSAGE_PJ'"), '3');
  assert.equal(sql('SELECT count(DISTINCT attachment_id) FROM message WHERE broadcast_id IS NOT NULL'), '1');
  assert.equal(sql('SELECT count(*) FROM attachment'), '1');
  fileId = sql('SELECT id FROM attachment');

  // The counselor sees it in each conversation, with the default text.
  for (const b of [b1, b2, b3]) {
    await page.goto(`${stack.baseUrl}/conversations/${b.id}`);
    const bubble = page.locator('.cej-bubble--mine', { hasText: 'atelier.pdf' });
    await bubble.waitFor();
    assert.match(await bubble.textContent(), new RegExp(DEFAULT_TEXT));
    assert.equal(await bubble.getByRole('link', { name: /Ouvrir la pièce jointe/ }).getAttribute('href'), `/pieces-jointes/${fileId}`);
  }
  const mine = await page.request.get(`${stack.baseUrl}/pieces-jointes/${fileId}`);
  assert.equal(mine.status(), 200);
  assert.deepEqual(Buffer.from(await mine.body()), PDF);

  // Each recipient opens it from Messages and gets the same bytes.
  for (const b of [b1, b2, b3]) {
    const c = await young(b);
    const html = await (await c.get('/app/messages')).text();
    assert.match(html, /Ouvrir la pièce jointe/);
    assert.match(html, new RegExp(`href="/app/pieces-jointes/${fileId}"`));
    const res = await c.get(`/app/pieces-jointes/${fileId}`);
    assert.equal(res.status, 200, b.email);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition'), /^attachment;/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('cache-control'), /no-store/);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PDF);
  }
  // A beneficiary of the same counselor who did not receive it: 404.
  const c4 = await young(b4);
  assert.equal((await c4.get(`/app/pieces-jointes/${fileId}`)).status, 404);
  // A colleague: 404.
  const colleague = await login('yann.le-goff@cej-demo.fr');
  assert.equal((await colleague.request.get(`${stack.baseUrl}/pieces-jointes/${fileId}`)).status(), 404);
});

test('the list’s history names the file of the message', async () => {
  ({ listId, fileId } = await ensureFileSent());
  await page.goto(`${stack.baseUrl}/listes`);
  await page.getByRole('link', { name: 'Voir les messages envoyés à mes listes de diffusion' }).click();
  await page.getByRole('link', { name: 'Atelier' }).click();
  const msg = page.locator('.cej-list-message');
  await msg.waitFor();
  assert.match(await msg.textContent(), new RegExp(DEFAULT_TEXT));
  assert.match(await msg.locator('.cej-list-message__file').textContent(), /atelier\.pdf — Ouvrir la pièce jointe/);
  assert.equal(await msg.getByRole('link', { name: /Ouvrir la pièce jointe/ }).getAttribute('href'), `/pieces-jointes/${fileId}`);
  await visit(page, 'f04-liste-messages-piece-jointe');
  await page.getByRole('link', { name: /Voir le détail du message/ }).click();
  await page.getByRole('heading', { name: 'Détail du message' }).waitFor();
  assert.match(await page.locator('.cej-list-message__file').textContent(), /atelier\.pdf/);
  await visit(page, 'f05-detail-piece-jointe');
});

test('deleting one copy leaves the file to the other recipients', async () => {
  ({ listId, fileId } = await ensureFileSent());
  await page.goto(`${stack.baseUrl}/conversations/${b1.id}`);
  await page.locator('.cej-bubble--mine summary').last().click();
  await page.getByRole('button', { name: 'Supprimer le message' }).click();
  await page.getByText('Vous avez supprimé ce message').waitFor();
  assert.equal(await page.locator('.cej-bubble--mine', { hasText: 'atelier.pdf' }).count(), 0);
  // b1 no longer holds it (410); b2 and b3 still download it, as does the counselor.
  assert.equal((await (await young(b1)).get(`/app/pieces-jointes/${fileId}`)).status, 410);
  for (const b of [b2, b3]) {
    const res = await (await young(b)).get(`/app/pieces-jointes/${fileId}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PDF);
  }
  assert.equal((await page.request.get(`${stack.baseUrl}/pieces-jointes/${fileId}`)).status(), 200);
  assert.equal(sql('SELECT count(*) FROM attachment WHERE content IS NOT NULL AND deleted_at IS NULL'), '1');
});
