// profile_app.test.mjs — the young person's settings (youth-app.md §10–§11): on "Mon
// profil", "Partager mes offres suivies" decides what the counselor's "Favoris" tab shows;
// "Gérer tes notifications" saves its five switches. With and without JavaScript, axe-core
// and no horizontal scrolling at 390 and 1366 px on both pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, launchBrowser, visit, counselorPage, addBeneficiary, activateBeneficiary } from './harness.mjs';

const CAMILLE = 'camille.martin@cej-demo.fr';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };
const SWITCHES = [
  ['Messages', 'Les nouveaux messages de ton conseiller', 'pref_messages'],
  ['Alertes', 'De nouvelles offres correspondant à tes alertes enregistrées', 'pref_alertes_offres'],
  ['Mon suivi', 'Création d’une action par ton conseiller', 'pref_creation_action_conseiller'],
  ['Rendez-vous et sessions', 'Inscription, modification ou suppression par ton conseiller', 'pref_rendez_vous_sessions'],
  ['Rappels', 'Rappel de complétion des actions (1 fois par semaine)', 'pref_rappel_actions'],
];

let stack, browser, referent, young, A;
const sql = (q) => stack.sql(q);

/** Opens @url on a new page of @page's context at both widths: 200, axe, no overflow. */
async function check(page, url, label) {
  for (const [name, viewport] of [['390', PHONE], ['1366', LAPTOP]]) {
    const p = await page.context().newPage();
    await p.setViewportSize(viewport);
    const res = await p.goto(stack.baseUrl + url);
    assert.equal(res.status(), 200, `${label} at ${name}`);
    await p.screenshot({ path: `/tmp/profile-app-${label}-${name}.png`, fullPage: true });
    const extra = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(extra <= 0, `${label} at ${name}: ${extra} px too wide`);
    await visit(p, `${label}-${name}`);
    await p.close();
  }
}

/** The counselor's Favoris tab of A: its refusal text, or its table. */
async function favorisTab() {
  await referent.goto(`${stack.baseUrl}/beneficiaires/${A.id}?onglet=favoris`);
  return referent.locator('#favoris');
}

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  referent = await counselorPage(browser, stack, CAMILLE);
  A = await addBeneficiary(referent, stack, '100031');
  young = await activateBeneficiary(browser, stack, A);
  // One followed offer, as the Offres tab stores it (its card's snapshot).
  sql(`INSERT INTO offer_favorite (beneficiary_id, offer_id, offer_type, snapshot, created_at)
       VALUES ('${A.id}', '200XYZ', 'EMPLOI', '{"company":"Boulangerie Kerné","id":"200XYZ","title":"Vendeur en boulangerie"}', ${Date.now()})`);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('"Partager mes offres suivies" off: the counselor sees the refusal; on again: the table', async () => {
  await young.goto(`${stack.baseUrl}/app/profil`);
  await young.getByRole('heading', { name: 'Paramètres application' }).waitFor();
  await young.getByRole('heading', { name: 'Partage de ton activité' }).waitFor();
  await young.getByText('Autorise le partage pour permettre à ton conseiller d’avoir un suivi de ton activité.').waitFor();
  const share = young.getByRole('checkbox', { name: 'Partager mes offres suivies' });
  assert.ok(await share.isChecked(), 'on by default');
  // With JavaScript the switch saves on change.
  await young.locator('label[for="partage-favoris"]').click();
  await young.getByText('Le partage de tes offres suivies est désactivé.').waitFor();
  assert.equal(new URL(young.url()).pathname, '/app/profil');
  assert.equal(await share.isChecked(), false);
  assert.equal(sql(`SELECT pref_share_favorites FROM beneficiary WHERE id = '${A.id}'`), '0');

  let tab = await favorisTab();
  await tab.getByText(`${A.first} ne partage pas ses favoris.`).waitFor();
  assert.equal(await tab.getByRole('table').count(), 0);
  assert.equal((await referent.context().request.get(`${stack.baseUrl}/api/v1/beneficiaires/${A.id}/favoris`)).status(), 403);

  await young.locator('label[for="partage-favoris"]').click();
  await young.getByText('Le partage de tes offres suivies est activé.').waitFor();
  assert.ok(await share.isChecked());
  tab = await favorisTab();
  await referent.getByRole('link', { name: 'Favoris (1)' }).waitFor();
  const row = tab.getByRole('row', { name: /Vendeur en boulangerie/ });
  await row.getByRole('cell', { name: 'Boulangerie Kerné' }).waitFor();
  await row.getByRole('cell', { name: 'Enregistrée' }).waitFor();
  assert.equal(await tab.getByText('ne partage pas ses favoris').count(), 0);
});

test('without JavaScript: the switch and "Enregistrer"', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  await ctx.addCookies(await young.context().cookies());
  const plain = await ctx.newPage();
  await plain.goto(`${stack.baseUrl}/app/profil`);
  await plain.locator('label[for="partage-favoris"]').click();
  await plain.getByRole('button', { name: 'Enregistrer' }).click();
  await plain.getByText('Le partage de tes offres suivies est désactivé.').waitFor();
  assert.equal(await plain.getByRole('checkbox', { name: 'Partager mes offres suivies' }).isChecked(), false);
  const tab = await favorisTab();
  await tab.getByText(`${A.first} ne partage pas ses favoris.`).waitFor();
  // Back on, still without JavaScript.
  await plain.locator('label[for="partage-favoris"]').click();
  await plain.getByRole('button', { name: 'Enregistrer' }).click();
  await plain.getByText('Le partage de tes offres suivies est activé.').waitFor();
  assert.equal(sql(`SELECT pref_share_favorites FROM beneficiary WHERE id = '${A.id}'`), '1');
  await ctx.close();
});

test('"Gérer tes notifications": the five switches, saved and shown as saved', async () => {
  await young.goto(`${stack.baseUrl}/app/profil`);
  await young.getByRole('link', { name: 'Gérer tes notifications' }).click();
  await young.waitForURL(/\/app\/profil\/notifications$/);
  await young.getByRole('heading', { name: 'Gérer tes notifications', level: 1 }).waitFor();
  const group = young.getByRole('group', { name: 'Recevoir des notifications pour les événements suivants :' });
  for (const [label, hint] of SWITCHES) {
    const box = group.getByRole('checkbox', { name: label });
    assert.ok(await box.isChecked(), `${label} on by default`);
    await group.getByText(hint, { exact: true }).waitFor();
  }
  // Messages and Rappels off, the others kept.
  await young.locator('label[for="messages"]').click();
  await young.locator('label[for="rappel_actions"]').click();
  await young.getByRole('button', { name: 'Enregistrer' }).click();
  await young.getByText('Tes préférences de notifications sont enregistrées.').waitFor();
  assert.equal(new URL(young.url()).pathname, '/app/profil/notifications');
  await young.reload();
  const expected = { Messages: false, Alertes: true, 'Mon suivi': true, 'Rendez-vous et sessions': true, Rappels: false };
  for (const [label, , column] of SWITCHES) {
    assert.equal(await young.getByRole('checkbox', { name: label }).isChecked(), expected[label], label);
    assert.equal(sql(`SELECT ${column} FROM beneficiary WHERE id = '${A.id}'`), expected[label] ? '1' : '0', column);
  }
  assert.equal(sql(`SELECT pref_share_favorites FROM beneficiary WHERE id = '${A.id}'`), '1', 'sharing untouched');
});

test('"Gérer tes notifications" without JavaScript: all off, then Alertes back on', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  await ctx.addCookies(await young.context().cookies());
  const plain = await ctx.newPage();
  await plain.goto(`${stack.baseUrl}/app/profil/notifications`);
  for (const [label, , column] of SWITCHES) {
    const box = plain.getByRole('checkbox', { name: label });
    if (await box.isChecked()) await plain.locator(`label[for="${column.replace('pref_', '')}"]`).click();
    assert.equal(await box.isChecked(), false, label);
  }
  await plain.getByRole('button', { name: 'Enregistrer' }).click();
  await plain.getByText('Tes préférences de notifications sont enregistrées.').waitFor();
  for (const [label, , column] of SWITCHES) {
    assert.equal(await plain.getByRole('checkbox', { name: label }).isChecked(), false, label);
    assert.equal(sql(`SELECT ${column} FROM beneficiary WHERE id = '${A.id}'`), '0', column);
  }
  await plain.locator('label[for="alertes_offres"]').click();
  await plain.getByRole('button', { name: 'Enregistrer' }).click();
  await plain.getByText('Tes préférences de notifications sont enregistrées.').waitFor();
  assert.ok(await plain.getByRole('checkbox', { name: 'Alertes' }).isChecked());
  assert.equal(sql(`SELECT pref_alertes_offres FROM beneficiary WHERE id = '${A.id}'`), '1');
  await ctx.close();
});

test('both pages: axe-core and no horizontal scrolling at 390 and 1366 px', async () => {
  await check(young, '/app/profil', 'profil');
  await check(young, '/app/profil/notifications', 'notifications');
});
