// attachments.test.mjs — the retention of attachments (messaging.md §7, acceptance scenario
// 5): a file sent "4 months and 1 day ago" is gone once the 02:00 job has run; both sides
// then see "Pièce jointe expirée" where the file was, the message's text stays, and the
// download answers 410 "Le fichier n’est plus disponible". Driven by the test clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary, beneficiaryPage,
  waitFor,
} from './harness.mjs';

let stack, browser, counselor, young, lea;

const sql = (q) => stack.sql(q);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  counselor = await counselorPage(browser, stack, 'camille.martin@cej-demo.fr');
  lea = await addBeneficiary(counselor, stack, '100031');
  young = await activateBeneficiary(browser, stack, lea);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

// The offset that puts the test clock at 03:00 in Paris, 4 calendar months and 1 day after
// now: past the 02:00 run of that night.
function offsetToFourMonthsAndADay() {
  const now = new Date();
  const target = new Date(now);
  target.setUTCMonth(target.getUTCMonth() + 4);
  target.setUTCDate(target.getUTCDate() + 1);
  const day = target.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
  for (const utcHour of [1, 2]) { // 03:00 in Paris is 01:00 or 02:00 UTC
    const t = Date.parse(`${day}T0${utcHour}:00:00Z`);
    const h = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(t);
    if (h === '03') return t - now.getTime();
  }
  throw new Error('no 03:00 found');
}

// Upload details (security review): a file of 0 bytes is refused, not dropped from the
// message; a quote in a name (sent by the browser as %22) shows as a quote; a valid PDF
// with a 300-character name is kept, its name shortened before the extension.
test('uploads: an empty file is refused, a quote in a name shows, a long name keeps its .pdf', async () => {
  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  const attach = (name, buffer) =>
    counselor.getByLabel('Ajouter une pièce jointe').setInputFiles({ name, mimeType: 'application/pdf', buffer });
  await counselor.getByLabel('Message').fill('Message avec un fichier vide.');
  await attach('vide.pdf', Buffer.alloc(0));
  await counselor.getByRole('button', { name: 'Envoyer' }).click();
  await counselor.getByText('Types acceptés : pdf, png, jpg, webp').first().waitFor();
  assert.equal(sql(`SELECT count(*) FROM attachment`), '0', 'no file stored');
  assert.equal(await counselor.locator('.cej-bubble--mine', { hasText: 'Message avec un fichier vide.' }).count(), 0,
    'the message is not sent without its file');

  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  const long = 'le "cv" de Léa ' + 'x'.repeat(281) + '.pdf';
  assert.equal(long.length, 300);
  await counselor.getByLabel('Message').fill('Voici le CV.');
  await attach(long, PDF);
  await counselor.getByRole('button', { name: 'Envoyer' }).click();
  const bubble = counselor.locator('.cej-bubble--mine', { hasText: 'Voici le CV.' });
  await bubble.waitFor();
  const text = await bubble.textContent();
  const kept = 'le "cv" de Léa ' + 'x'.repeat(101) + '.pdf';
  assert.equal(kept.length, 120);
  assert.ok(text.includes(kept), `the bubble shows ${JSON.stringify(kept)}: ${text}`);
  assert.doesNotMatch(text, /%22/);
  const href = await bubble.getByRole('link', { name: /Ouvrir la pièce jointe/ }).getAttribute('href');
  const res = await counselor.request.get(stack.baseUrl + href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
});

test('a file 4 months and 1 day old: expired by the 02:00 job on both sides, 410 on download', async () => {
  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  await counselor.getByLabel('Message').fill('Voici votre attestation.');
  await counselor.getByLabel('Ajouter une pièce jointe').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: PDF });
  await counselor.getByRole('button', { name: 'Envoyer' }).click();
  const bubble = counselor.locator('.cej-bubble--mine', { hasText: 'attestation.pdf' });
  await bubble.waitFor();
  const href = await bubble.getByRole('link', { name: /Ouvrir la pièce jointe/ }).getAttribute('href');
  const id = href.split('/').pop();
  const appHref = `/app/pieces-jointes/${id}`;
  const download = async (page, url) => page.request.get(stack.baseUrl + url);
  assert.equal((await download(young, appHref)).status(), 200);

  const shift = await fetch(stack.baseUrl + '/_test/horloge', {
    method: 'POST', body: JSON.stringify({ offset_ms: offsetToFourMonthsAndADay() }),
  });
  assert.equal(shift.status, 200);
  // The job runs on the shifted clock; wait for its effect.
  await waitFor(() => sql(`SELECT scan_status FROM attachment WHERE id = '${id}'`) === 'expired',
    { timeoutMs: 15000, what: 'the 02:00 job to expire the file' });
  assert.equal(sql(`SELECT CASE WHEN content IS NULL THEN 1 ELSE 0 END FROM attachment WHERE id = '${id}'`), '1');

  // Four months later, both sessions have ended: log in again.
  counselor = await counselorPage(browser, stack, 'camille.martin@cej-demo.fr');
  young = await beneficiaryPage(browser, stack, lea);
  for (const [page, url] of [[young, appHref], [counselor, href]]) {
    const res = await download(page, url);
    assert.equal(res.status(), 410, url);
    assert.match(await res.text(), /Le fichier n’est plus disponible/);
  }
  await young.goto(`${stack.baseUrl}/app/messages`);
  const theirs = young.locator('.cej-msg', { hasText: 'Voici votre attestation.' });
  await theirs.getByText('Pièce jointe expirée').waitFor();
  assert.equal(await theirs.getByRole('link', { name: /Ouvrir la pièce jointe/ }).count(), 0);
  await visit(young, 'pj01-app-expiree');
  await counselor.goto(`${stack.baseUrl}/conversations/${lea.id}`);
  const mine = counselor.locator('.cej-bubble--mine', { hasText: 'Voici votre attestation.' });
  await mine.getByText('Pièce jointe expirée').waitFor();
  await visit(counselor, 'pj02-conversation-expiree');
});
